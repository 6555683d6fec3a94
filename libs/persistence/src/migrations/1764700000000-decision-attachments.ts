import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision attachments: files an approver uploads to an open task and then names in the decision. The bytes live
 * in the row (bytea; the size is capped by configuration), with their sha256 recorded at upload. `decision_id`
 * stays null until the decision that carries the file is recorded by the worker.
 */
export class DecisionAttachments1764700000000 implements MigrationInterface {
  name = 'DecisionAttachments1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks(id),
        process_id uuid NOT NULL REFERENCES processes(id),
        uploaded_by_id uuid NOT NULL REFERENCES users(id),
        file_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content bytea NOT NULL,
        decision_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachments_task_idx ON attachments (task_id)`);
    await q.query(`CREATE INDEX attachments_process_idx ON attachments (process_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS attachments`);
  }
}
