import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secretary succession: a user may be linked to the party member they are (one user per member), and every change
 * of an organisation's secretary is recorded. The record is an audit trail like `process_events`: a trigger refuses
 * DELETE, TRUNCATE and any change to what happened; only the settlement (settled_at, tasks_moved) may be written,
 * once, by the workflow that carries the change through.
 */
export class SecretarySuccession1764710000000 implements MigrationInterface {
  name = 'SecretarySuccession1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN member_id uuid NULL UNIQUE REFERENCES party_members(id)`);
    await q.query(`
      CREATE TABLE secretary_changes (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        from_member_id uuid NULL REFERENCES party_members(id),
        to_member_id uuid NOT NULL REFERENCES party_members(id),
        from_user_id uuid NULL REFERENCES users(id),
        to_user_id uuid NULL REFERENCES users(id),
        changed_by_id uuid NOT NULL REFERENCES users(id),
        comment text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz NULL,
        tasks_moved integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX secretary_changes_org_idx ON secretary_changes (organization_id, created_at)`);
    await q.query(`
      CREATE FUNCTION secretary_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF OLD.settled_at IS NULL
             AND NEW.settled_at IS NOT NULL
             AND OLD.tasks_moved = 0
             AND (NEW.id, NEW.organization_id, NEW.from_member_id, NEW.to_member_id, NEW.from_user_id, NEW.to_user_id,
                  NEW.changed_by_id, NEW.comment, NEW.created_at)
                 IS NOT DISTINCT FROM
                 (OLD.id, OLD.organization_id, OLD.from_member_id, OLD.to_member_id, OLD.from_user_id, OLD.to_user_id,
                  OLD.changed_by_id, OLD.comment, OLD.created_at) THEN
            RETURN NEW; -- the one settlement: settled_at and tasks_moved, set together, once
          END IF;
        END IF;
        RAISE EXCEPTION 'secretary_changes is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER secretary_changes_no_update BEFORE UPDATE OR DELETE ON secretary_changes
                   FOR EACH ROW EXECUTE FUNCTION secretary_changes_append_only()`);
    await q.query(`CREATE TRIGGER secretary_changes_no_truncate BEFORE TRUNCATE ON secretary_changes
                   FOR EACH STATEMENT EXECUTE FUNCTION secretary_changes_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS secretary_changes`);
    await q.query(`DROP FUNCTION IF EXISTS secretary_changes_append_only()`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS member_id`);
  }
}
