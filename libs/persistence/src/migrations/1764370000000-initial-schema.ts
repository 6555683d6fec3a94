import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Registry, processes, inbox projection, append-only audit trail, email outbox, idempotency and settings. */
export class InitialSchema1764370000000 implements MigrationInterface {
  name = 'InitialSchema1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL,
        parent_id uuid NULL REFERENCES organizations(id),
        institution_id uuid NULL,
        term_start date NULL,
        term_end date NULL,
        secretary_member_id uuid NULL,
        created_by_process_id uuid NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX organizations_parent_idx ON organizations (parent_id)`);
    await q.query(`
      CREATE TABLE institutions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        type text NOT NULL,
        district text NOT NULL,
        township_org_id uuid NOT NULL REFERENCES organizations(id),
        sponsor_org_id uuid NULL REFERENCES organizations(id),
        public_builder_org_id uuid NULL REFERENCES organizations(id),
        managed_by text NULL,
        operator_name text NULL,
        bed_count integer NULL,
        resident_count integer NULL,
        party_organization_id uuid NULL REFERENCES organizations(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX institutions_district_idx ON institutions (district)`);
    await q.query(`CREATE INDEX institutions_township_idx ON institutions (township_org_id)`);
    await q.query(`CREATE INDEX institutions_type_idx ON institutions (type)`);
    await q.query(`
      CREATE TABLE party_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        institution_id uuid NOT NULL REFERENCES institutions(id),
        category text NOT NULL,
        status text NOT NULL,
        birth_date date NULL,
        disabled boolean NOT NULL DEFAULT false,
        dementia boolean NOT NULL DEFAULT false,
        relation_org_id uuid NULL REFERENCES organizations(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX party_members_institution_idx ON party_members (institution_id)`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        display_name text NOT NULL,
        email text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        organization_ids uuid[] NOT NULL DEFAULT '{}',
        institution_ids uuid[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX users_organization_ids_idx ON users USING gin (organization_ids)`);
    await q.query(`
      CREATE TABLE processes (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        status text NOT NULL,
        workflow_id text NOT NULL UNIQUE,
        institution_id uuid NULL REFERENCES institutions(id),
        applicant_id uuid NOT NULL REFERENCES users(id),
        current_step text NOT NULL,
        payload jsonb NOT NULL,
        result jsonb NULL,
        findings jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz NULL
      )`);
    // One open process of a kind per institution (409 on a second one).
    await q.query(`CREATE UNIQUE INDEX processes_one_open_per_kind ON processes (kind, institution_id)
                   WHERE status IN ('RUNNING', 'RETURNED')`);
    await q.query(`CREATE INDEX processes_list_idx ON processes (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX processes_institution_idx ON processes (institution_id)`);
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        process_id uuid NOT NULL REFERENCES processes(id),
        kind text NOT NULL,
        step text NOT NULL,
        title text NOT NULL,
        candidate_org_id uuid NOT NULL REFERENCES organizations(id),
        assignee_id uuid NULL REFERENCES users(id),
        due_at timestamptz NOT NULL,
        status text NOT NULL,
        overdue boolean NOT NULL DEFAULT false,
        decision text NULL,
        decision_id uuid NULL,
        decided_by_id uuid NULL REFERENCES users(id),
        decided_at timestamptz NULL,
        comment text NULL,
        payload_summary jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The inbox: one keyset scan per candidate organisation and status.
    await q.query(`CREATE INDEX tasks_inbox_idx ON tasks (candidate_org_id, status, created_at, id)`);
    await q.query(`CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, status, created_at, id) WHERE assignee_id IS NOT NULL`);
    await q.query(`CREATE INDEX tasks_process_idx ON tasks (process_id)`);
    await q.query(`
      CREATE TABLE process_events (
        id bigserial PRIMARY KEY,
        process_id uuid NOT NULL REFERENCES processes(id),
        event_key text NOT NULL UNIQUE,
        at timestamptz NOT NULL DEFAULT now(),
        step text NOT NULL,
        actor_id uuid NULL,
        actor_name text NULL,
        on_behalf_of_id uuid NULL,
        action text NOT NULL,
        comment text NULL,
        data jsonb NULL
      )`);
    await q.query(`CREATE INDEX process_events_process_idx ON process_events (process_id, id)`);
    await q.query(`
      CREATE FUNCTION process_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'process_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER process_events_no_update BEFORE UPDATE OR DELETE ON process_events
                   FOR EACH ROW EXECUTE FUNCTION process_events_append_only()`);
    await q.query(`CREATE TRIGGER process_events_no_truncate BEFORE TRUNCATE ON process_events
                   FOR EACH STATEMENT EXECUTE FUNCTION process_events_append_only()`);
    await q.query(`
      CREATE TABLE email_outbox (
        id text PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        template text NOT NULL,
        to_address text NOT NULL,
        subject text NOT NULL,
        text text NOT NULL,
        html text NOT NULL,
        process_id uuid NULL,
        status text NOT NULL DEFAULT 'PENDING',
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        locked_until timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX email_outbox_pending_idx ON email_outbox (created_at) WHERE status IN ('PENDING', 'SENDING')`);
    await q.query(`
      CREATE TABLE idempotency_records (
        id text PRIMARY KEY,
        user_id uuid NOT NULL,
        request_fingerprint text NOT NULL,
        status_code integer NULL,
        response jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Seeded policy defaults (DOMAIN.md); values missing here fall back to the domain library's defaults.
    await q.query(`INSERT INTO settings (key, value) VALUES ('policy', $1::jsonb)`, [
      JSON.stringify({
        silentTypesResponsibleBody: 'TOWNSHIP',
        standaloneOrgMinFullStaff: 3,
        elderlyBranchMinFullElderly: 3,
        advancedAgeYears: 80,
        establishBranchAnswerDays: 30,
        termYears: { BRANCH: 3, GENERAL_BRANCH: 3, JOINT: 3, ELDERLY_BRANCH: 3, COMMITTEE: 5 },
      }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['settings', 'idempotency_records', 'email_outbox', 'process_events', 'tasks', 'processes', 'users', 'party_members', 'institutions', 'organizations']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS process_events_append_only()`);
  }
}
