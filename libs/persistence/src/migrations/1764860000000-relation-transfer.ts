import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Relation transfers and reporting (R11–R13, DOMAIN.md process 7):
 * - `party_members.joined_at`: the day a member started working at (or moved into) the institution; a staff
 *   member's transfer is due 90 days after it (R11);
 * - `member_reports`: 报到, an elderly member registered with the institution's organisation without moving their
 *   relation. One row per member and organisation; append-only like the other audit records (the trigger function
 *   of the security migration refuses UPDATE, DELETE and TRUNCATE).
 */
export class RelationTransfer1764860000000 implements MigrationInterface {
  name = 'RelationTransfer1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE party_members ADD COLUMN joined_at date NULL`);
    await q.query(`
      CREATE TABLE member_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL REFERENCES party_members(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        institution_id uuid NOT NULL REFERENCES institutions(id),
        note text NULL,
        reported_on date NOT NULL,
        recorded_by_id uuid NOT NULL REFERENCES users(id),
        process_id uuid NULL REFERENCES processes(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT member_reports_once UNIQUE (member_id, organization_id)
      )`);
    await q.query(`CREATE INDEX member_reports_institution_idx ON member_reports (institution_id)`);
    await q.query(`CREATE TRIGGER member_reports_no_update BEFORE UPDATE OR DELETE ON member_reports FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await q.query(`CREATE TRIGGER member_reports_no_truncate BEFORE TRUNCATE ON member_reports FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS member_reports`);
    await q.query(`ALTER TABLE party_members DROP COLUMN IF EXISTS joined_at`);
  }
}
