import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Terms and their renewal (R4, R15; DOMAIN.md "Terms", process 3):
 * - `elections`: one recorded term-renewal election per process: the plan's seats, the result's counts, who was
 *   elected, the secretary (and deputy), and the term it started. Append-only like the other audit records.
 * - `term_events`: what an organisation's term watch did for one term (identified by its end date): the reminder
 *   (180 days before), the renewal opened (60 days before), the term marked OVERDUE with its escalation. One row per
 *   organisation, term and kind, so a retried or replayed watch never reminds, opens or escalates twice.
 *   Append-only as well. A reschedule (延期 or 提前换届, approved by the superior, at most 1 calendar year) is one too.
 * - `organizations.postponed_until`: the renewal deadline a reschedule set for the current term (null: the term end);
 *   a new term clears it.
 */
export class TermRenewal1764870000000 implements MigrationInterface {
  name = 'TermRenewal1764870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations ADD COLUMN postponed_until date NULL`);
    await q.query(`
      CREATE TABLE elections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        process_id uuid NOT NULL REFERENCES processes(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        election_date date NOT NULL,
        structure text NOT NULL CHECK (structure IN ('COMMITTEE', 'SECRETARY')),
        seats integer NOT NULL CHECK (seats > 0),
        due_to_attend integer NOT NULL CHECK (due_to_attend >= 0),
        excluded_from_count integer NOT NULL DEFAULT 0 CHECK (excluded_from_count >= 0),
        present integer NOT NULL CHECK (present >= 0),
        votes jsonb NOT NULL,
        elected_member_ids uuid[] NOT NULL,
        secretary_member_id uuid NOT NULL REFERENCES party_members(id),
        deputy_member_id uuid NULL REFERENCES party_members(id),
        previous_secretary_member_id uuid NULL,
        term_start date NOT NULL,
        term_end date NOT NULL,
        recorded_by_id uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT elections_once UNIQUE (process_id)
      )`);
    await q.query(`CREATE INDEX elections_org_idx ON elections (organization_id, election_date)`);
    await q.query(`
      CREATE TABLE term_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        term_end date NOT NULL,
        kind text NOT NULL CHECK (kind IN ('REMINDED', 'RENEWAL_OPENED', 'OVERDUE', 'RESCHEDULED')),
        process_id uuid NULL REFERENCES processes(id),
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT term_events_once UNIQUE (organization_id, term_end, kind)
      )`);
    for (const table of ['elections', 'term_events']) {
      await q.query(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS term_events`);
    await q.query(`DROP TABLE IF EXISTS elections`);
    await q.query(`ALTER TABLE organizations DROP COLUMN IF EXISTS postponed_until`);
  }
}
