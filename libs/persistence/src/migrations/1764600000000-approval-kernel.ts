import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The approval kernel: tasks remember their mode, reminders, escalation and who added them (加签); deputies
 * (委托) per user and date range; working-day calendar and self-approval settings.
 */
export class ApprovalKernel1764600000000 implements MigrationInterface {
  name = 'ApprovalKernel1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN mode text NULL, ADD COLUMN remind_at jsonb NOT NULL DEFAULT '[]',
                   ADD COLUMN escalated_org_id uuid NULL REFERENCES organizations(id), ADD COLUMN added_by uuid NULL`);
    await q.query(`CREATE INDEX tasks_escalated_inbox_idx ON tasks (escalated_org_id, status, created_at, id) WHERE escalated_org_id IS NOT NULL`);
    await q.query(`CREATE INDEX tasks_open_due_idx ON tasks (due_at) WHERE status = 'OPEN'`);
    await q.query(`
      CREATE TABLE delegations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        deputy_id uuid NOT NULL REFERENCES users(id),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        reason text NULL,
        revoked_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on >= starts_on),
        CHECK (user_id <> deputy_id)
      )`);
    await q.query(`CREATE INDEX delegations_deputy_idx ON delegations (deputy_id, starts_on, ends_on) WHERE revoked_at IS NULL`);
    await q.query(`INSERT INTO settings (key, value) VALUES ('calendar', $1::jsonb), ('approval', $2::jsonb) ON CONFLICT (key) DO NOTHING`, [
      JSON.stringify({ holidays: [], extraWorkdays: [] }),
      JSON.stringify({ selfApproval: 'SKIP' }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM settings WHERE key IN ('calendar', 'approval')`);
    await q.query(`DROP TABLE IF EXISTS delegations`);
    await q.query(`DROP INDEX IF EXISTS tasks_open_due_idx`);
    await q.query(`DROP INDEX IF EXISTS tasks_escalated_inbox_idx`);
    await q.query(`ALTER TABLE tasks DROP COLUMN added_by, DROP COLUMN escalated_org_id, DROP COLUMN remind_at, DROP COLUMN mode`);
  }
}
