import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Party-work funds (R14, DOMAIN.md processes 4 and 5). Money is integer fen in `bigint` columns; every table is
 * append-only (the audit trigger function of the security migration refuses UPDATE, DELETE and TRUNCATE):
 * - `budgets`: an approved annual budget, one row per version (an amendment is version n+1, never an edit);
 * - `budget_lines`: its lines, one per category;
 * - `budget_expenses`: spending recorded against a line of (organisation, year); a stipend payment draws on the
 *   stipend line with its payment key, so the same payment never spends twice;
 * - `stipend_payments`: one row per (secretary, month), with its payment key and reference, each unique.
 */
export class PartyWorkFunds1764880000000 implements MigrationInterface {
  name = 'PartyWorkFunds1764880000000';

  async up(q: QueryRunner): Promise<void> {
    const categories = `('ACTIVITIES','TRAINING','MATERIALS','STIPEND','VENUE','OTHER')`;
    await q.query(`
      CREATE TABLE budgets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        party_organization_id uuid NOT NULL REFERENCES organizations(id),
        institution_id uuid NULL REFERENCES institutions(id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        version integer NOT NULL CHECK (version >= 1),
        process_id uuid NOT NULL REFERENCES processes(id),
        total_fen bigint NOT NULL CHECK (total_fen >= 0),
        approved_by_id uuid NULL REFERENCES users(id),
        approved_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT budgets_version_once UNIQUE (party_organization_id, year, version),
        CONSTRAINT budgets_process_once UNIQUE (process_id)
      )`);
    await q.query(`CREATE INDEX budgets_year_idx ON budgets (year, party_organization_id)`);
    await q.query(`
      CREATE TABLE budget_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        budget_id uuid NOT NULL REFERENCES budgets(id),
        category text NOT NULL CHECK (category IN ${categories}),
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        note text NULL,
        CONSTRAINT budget_lines_category_once UNIQUE (budget_id, category)
      )`);
    await q.query(`
      CREATE TABLE budget_expenses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        budget_id uuid NOT NULL REFERENCES budgets(id),
        party_organization_id uuid NOT NULL REFERENCES organizations(id),
        year integer NOT NULL,
        category text NOT NULL CHECK (category IN ${categories}),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        spent_on date NOT NULL,
        note text NULL,
        recorded_by_id uuid NOT NULL REFERENCES users(id),
        payment_key text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT budget_expenses_payment_once UNIQUE (payment_key)
      )`);
    await q.query(`CREATE INDEX budget_expenses_line_idx ON budget_expenses (party_organization_id, year, category)`);
    await q.query(`
      CREATE TABLE stipend_payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        payment_key text NOT NULL,
        reference text NOT NULL,
        party_organization_id uuid NOT NULL REFERENCES organizations(id),
        institution_id uuid NULL REFERENCES institutions(id),
        member_id uuid NOT NULL REFERENCES party_members(id),
        month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        monthly_fen bigint NOT NULL CHECK (monthly_fen >= 0),
        days_in_office integer NOT NULL CHECK (days_in_office BETWEEN 1 AND 31),
        days_in_month integer NOT NULL CHECK (days_in_month BETWEEN 28 AND 31),
        process_id uuid NOT NULL REFERENCES processes(id),
        budget_id uuid NOT NULL REFERENCES budgets(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stipend_payments_key_once UNIQUE (payment_key),
        CONSTRAINT stipend_payments_reference_once UNIQUE (reference),
        CONSTRAINT stipend_payments_member_month_once UNIQUE (member_id, month)
      )`);
    await q.query(`CREATE INDEX stipend_payments_month_idx ON stipend_payments (month, party_organization_id)`);
    for (const table of ['budgets', 'budget_lines', 'budget_expenses', 'stipend_payments']) {
      await q.query(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS stipend_payments`);
    await q.query(`DROP TABLE IF EXISTS budget_expenses`);
    await q.query(`DROP TABLE IF EXISTS budget_lines`);
    await q.query(`DROP TABLE IF EXISTS budgets`);
  }
}
