import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Activities that keep failing are retried by Temporal without end (no effect may be lost), so the worker records
 * each one that is still failing after a few attempts here, for /admin/overdue, and removes it once it succeeds.
 */
export class ActivityAlerts1764820000000 implements MigrationInterface {
  name = 'ActivityAlerts1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE activity_alerts (
        id text PRIMARY KEY,
        workflow_id text NOT NULL,
        activity_type text NOT NULL,
        attempt integer NOT NULL,
        last_error text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE activity_alerts`);
  }
}
