import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Policy engine: the append-only audit of policy-setting changes, work-coverage facts on institutions
 * (instructor / mass organisation, R6 and R16), and an index to find an institution's own organisations.
 */
export class PolicyEngine1764400000000 implements MigrationInterface {
  name = 'PolicyEngine1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE settings_audit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        setting_key text NOT NULL,
        changed_by_id uuid NULL REFERENCES users(id),
        changed_by_name text NOT NULL,
        patch jsonb NOT NULL,
        changes jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX settings_audit_list_idx ON settings_audit (created_at DESC, id DESC)`);
    await q.query(`
      CREATE FUNCTION settings_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'settings_audit is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER settings_audit_no_update BEFORE UPDATE OR DELETE ON settings_audit
                   FOR EACH ROW EXECUTE FUNCTION settings_audit_append_only()`);
    await q.query(`CREATE TRIGGER settings_audit_no_truncate BEFORE TRUNCATE ON settings_audit
                   FOR EACH STATEMENT EXECUTE FUNCTION settings_audit_append_only()`);

    // Work coverage (工作覆盖) until instructor dispatches and mass organisations have tables of their own.
    await q.query(`ALTER TABLE institutions ADD COLUMN has_instructor boolean NULL DEFAULT false`);
    await q.query(`ALTER TABLE institutions ADD COLUMN has_mass_organisation boolean NULL DEFAULT false`);

    // The compliance card looks up an institution's elderly branch by institution.
    await q.query(`CREATE INDEX organizations_institution_idx ON organizations (institution_id, kind) WHERE institution_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS organizations_institution_idx`);
    await q.query(`ALTER TABLE institutions DROP COLUMN IF EXISTS has_mass_organisation`);
    await q.query(`ALTER TABLE institutions DROP COLUMN IF EXISTS has_instructor`);
    await q.query(`DROP TABLE IF EXISTS settings_audit`);
    await q.query(`DROP FUNCTION IF EXISTS settings_audit_append_only()`);
  }
}
