import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * secretary-dispatch 选派 and weekly duty (R8–R10, DOMAIN.md process 6):
 * - `dispatches`: one per approved secretary-dispatch process (its process id is unique), ACTIVE until its end
 *   date or a decision ends it;
 * - `duty_logs`: on-site sessions the dispatched person records, confirmed by the institution (minutes, integer);
 * - `duty_weeks`: each ISO week's verdict, recorded once on its Monday (MET / MISSED / EXEMPT), with the streak of
 *   missed weeks it ends (its length and first week);
 * - `dispatch_alerts`: reminders and escalations, once per (dispatch, kind, key): a reminder per missed week, an
 *   escalation per streak of missed weeks (keyed by its first week). The unique keys make every activity idempotent.
 */
export class SecretaryDispatch1764890000000 implements MigrationInterface {
  name = 'SecretaryDispatch1764890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dispatches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        process_id uuid NOT NULL UNIQUE REFERENCES processes(id),
        institution_id uuid NOT NULL REFERENCES institutions(id),
        role text NOT NULL CHECK (role IN ('SECRETARY', 'FIRST_SECRETARY', 'INSTRUCTOR')),
        person_name text NOT NULL,
        person_user_id uuid NULL REFERENCES users(id),
        dispatching_org_id uuid NOT NULL REFERENCES organizations(id),
        from_date date NOT NULL,
        to_date date NULL,
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ENDED')),
        ended_on date NULL,
        end_reason text NULL,
        leave_weeks text[] NOT NULL DEFAULT '{}',
        duty_workflow_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT dispatches_dates CHECK (to_date IS NULL OR to_date >= from_date)
      )`);
    await q.query(`CREATE INDEX dispatches_institution_idx ON dispatches (institution_id, status)`);
    await q.query(`CREATE INDEX dispatches_person_idx ON dispatches (person_user_id)`);
    await q.query(`
      CREATE TABLE duty_logs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dispatch_id uuid NOT NULL REFERENCES dispatches(id),
        date date NOT NULL,
        minutes integer NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
        note text NULL,
        logged_by_id uuid NOT NULL REFERENCES users(id),
        confirmed_at timestamptz NULL,
        confirmed_by_id uuid NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX duty_logs_dispatch_idx ON duty_logs (dispatch_id, date)`);
    await q.query(`
      CREATE TABLE duty_weeks (
        dispatch_id uuid NOT NULL REFERENCES dispatches(id),
        week text NOT NULL,
        week_start date NOT NULL,
        status text NOT NULL CHECK (status IN ('MET', 'MISSED', 'EXEMPT')),
        confirmed_minutes integer NOT NULL,
        unconfirmed_minutes integer NOT NULL,
        consecutive_missed integer NOT NULL,
        streak_start text NULL,
        assessed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dispatch_id, week)
      )`);
    await q.query(`
      CREATE TABLE dispatch_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dispatch_id uuid NOT NULL REFERENCES dispatches(id),
        kind text NOT NULL CHECK (kind IN ('REMIND_PERSON', 'ESCALATE_DISPATCHER', 'ESCALATE_PARENT')),
        alert_key text NOT NULL,
        week text NOT NULL,
        org_id uuid NULL REFERENCES organizations(id),
        consecutive_missed integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT dispatch_alerts_once UNIQUE (dispatch_id, kind, alert_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS dispatch_alerts`);
    await q.query(`DROP TABLE IF EXISTS duty_weeks`);
    await q.query(`DROP TABLE IF EXISTS duty_logs`);
    await q.query(`DROP TABLE IF EXISTS dispatches`);
  }
}
