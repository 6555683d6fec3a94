import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Security hardening (issue #8):
 * - `users.token_version`, raised by a trigger whenever the password, roles, organisations, institutions or the
 *   active flag change, so every bearer token issued before stops working whoever made the change (API or worker);
 * - `revoked_tokens`: bearer tokens ended by POST /auth/logout until their own expiry;
 * - `user_audit` and `member_history`: append-only records of changes to users (roles, organisations, password,
 *   active …) and to members' status, category and relation, written by triggers so that no writer can skip them.
 *   Who made a change comes from the transaction settings `app.actor_id` / `app.actor_name` (`withActor`); a change
 *   without them is recorded as made by the system.
 * - an index for the sweep of uploads that no decision named.
 */
export class SecurityHardening1764800000000 implements MigrationInterface {
  name = 'SecurityHardening1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE FUNCTION users_token_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.password_hash IS DISTINCT FROM OLD.password_hash OR NEW.roles IS DISTINCT FROM OLD.roles
           OR NEW.organization_ids IS DISTINCT FROM OLD.organization_ids OR NEW.institution_ids IS DISTINCT FROM OLD.institution_ids
           OR NEW.active IS DISTINCT FROM OLD.active THEN
          NEW.token_version := OLD.token_version + 1;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER users_token_version BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_token_version()`);

    await q.query(`
      CREATE TABLE revoked_tokens (
        jti uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX revoked_tokens_expiry_idx ON revoked_tokens (expires_at)`);

    await q.query(`
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE FUNCTION audit_actor_id() RETURNS uuid LANGUAGE sql STABLE AS $$
        SELECT nullif(current_setting('app.actor_id', true), '')::uuid
      $$`);
    await q.query(`
      CREATE FUNCTION audit_actor_name() RETURNS text LANGUAGE sql STABLE AS $$
        SELECT coalesce(nullif(current_setting('app.actor_name', true), ''), 'system')
      $$`);

    await q.query(`
      CREATE TABLE user_audit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        action text NOT NULL CHECK (action IN ('CREATED', 'UPDATED')),
        changed_by_id uuid NULL,
        changed_by_name text NOT NULL,
        changes jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX user_audit_user_idx ON user_audit (user_id, created_at, id)`);
    await q.query(`
      CREATE FUNCTION users_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changes jsonb := '[]'::jsonb;
        item jsonb;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          changes := jsonb_build_array(
            jsonb_build_object('field', 'username', 'before', null, 'after', NEW.username),
            jsonb_build_object('field', 'roles', 'before', null, 'after', to_jsonb(NEW.roles)),
            jsonb_build_object('field', 'organizationIds', 'before', null, 'after', to_jsonb(NEW.organization_ids)),
            jsonb_build_object('field', 'institutionIds', 'before', null, 'after', to_jsonb(NEW.institution_ids)),
            jsonb_build_object('field', 'active', 'before', null, 'after', NEW.active),
            jsonb_build_object('field', 'password', 'before', null, 'after', 'SET'));
        ELSE
          FOR item IN SELECT * FROM jsonb_array_elements(jsonb_build_array(
              jsonb_build_object('field', 'username', 'before', OLD.username, 'after', NEW.username),
              jsonb_build_object('field', 'roles', 'before', to_jsonb(OLD.roles), 'after', to_jsonb(NEW.roles)),
              jsonb_build_object('field', 'organizationIds', 'before', to_jsonb(OLD.organization_ids), 'after', to_jsonb(NEW.organization_ids)),
              jsonb_build_object('field', 'institutionIds', 'before', to_jsonb(OLD.institution_ids), 'after', to_jsonb(NEW.institution_ids)),
              jsonb_build_object('field', 'active', 'before', OLD.active, 'after', NEW.active),
              jsonb_build_object('field', 'memberId', 'before', OLD.member_id, 'after', NEW.member_id),
              jsonb_build_object('field', 'email', 'before', OLD.email, 'after', NEW.email),
              jsonb_build_object('field', 'displayName', 'before', OLD.display_name, 'after', NEW.display_name)))
          LOOP
            IF item->'before' IS DISTINCT FROM item->'after' THEN changes := changes || item; END IF;
          END LOOP;
          -- The hash itself is never copied into the audit: only that it changed.
          IF NEW.password_hash IS DISTINCT FROM OLD.password_hash THEN
            changes := changes || jsonb_build_object('field', 'password', 'before', null, 'after', 'CHANGED');
          END IF;
          IF changes = '[]'::jsonb THEN RETURN NULL; END IF;
        END IF;
        INSERT INTO user_audit (user_id, action, changed_by_id, changed_by_name, changes)
        VALUES (NEW.id, CASE TG_OP WHEN 'INSERT' THEN 'CREATED' ELSE 'UPDATED' END, audit_actor_id(), audit_actor_name(), changes);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER users_audit AFTER INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_audit()`);

    await q.query(`
      CREATE TABLE member_history (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL REFERENCES party_members(id),
        changed_by_id uuid NULL,
        changed_by_name text NOT NULL,
        source text NOT NULL,
        changes jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX member_history_member_idx ON member_history (member_id, created_at, id)`);
    await q.query(`
      CREATE FUNCTION party_members_history() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changes jsonb := '[]'::jsonb;
      BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status THEN
          changes := changes || jsonb_build_object('field', 'status', 'before', OLD.status, 'after', NEW.status);
        END IF;
        IF NEW.category IS DISTINCT FROM OLD.category THEN
          changes := changes || jsonb_build_object('field', 'category', 'before', OLD.category, 'after', NEW.category);
        END IF;
        IF NEW.relation_org_id IS DISTINCT FROM OLD.relation_org_id THEN
          changes := changes || jsonb_build_object('field', 'relationOrgId', 'before', OLD.relation_org_id, 'after', NEW.relation_org_id);
        END IF;
        IF changes = '[]'::jsonb THEN RETURN NULL; END IF;
        INSERT INTO member_history (member_id, changed_by_id, changed_by_name, source, changes)
        VALUES (NEW.id, audit_actor_id(), audit_actor_name(), coalesce(nullif(current_setting('app.change_source', true), ''), 'database'), changes);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER party_members_history AFTER UPDATE ON party_members FOR EACH ROW EXECUTE FUNCTION party_members_history()`);

    for (const table of ['user_audit', 'member_history']) {
      await q.query(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }

    await q.query(`CREATE INDEX attachments_unattached_idx ON attachments (created_at) WHERE decision_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS attachments_unattached_idx`);
    await q.query(`DROP TRIGGER IF EXISTS party_members_history ON party_members`);
    await q.query(`DROP TRIGGER IF EXISTS users_audit ON users`);
    await q.query(`DROP TRIGGER IF EXISTS users_token_version ON users`);
    await q.query(`DROP TABLE IF EXISTS member_history`);
    await q.query(`DROP TABLE IF EXISTS user_audit`);
    await q.query(`DROP TABLE IF EXISTS revoked_tokens`);
    await q.query(`DROP FUNCTION IF EXISTS party_members_history()`);
    await q.query(`DROP FUNCTION IF EXISTS users_audit()`);
    await q.query(`DROP FUNCTION IF EXISTS audit_actor_name()`);
    await q.query(`DROP FUNCTION IF EXISTS audit_actor_id()`);
    await q.query(`DROP FUNCTION IF EXISTS audit_append_only()`);
    await q.query(`DROP FUNCTION IF EXISTS users_token_version()`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS token_version`);
  }
}
