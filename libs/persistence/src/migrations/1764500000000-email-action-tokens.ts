import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email-action links: one row per (task, approver) link, keyed by the sha256 of the token. The foreign keys are
 * deferred so an activity may mint the link before or after it writes the task row in the same transaction.
 */
export class EmailActionTokens1764500000000 implements MigrationInterface {
  name = 'EmailActionTokens1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE email_action_tokens (
        token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX email_action_tokens_task_idx ON email_action_tokens (task_id)`);
    await q.query(`CREATE INDEX email_action_tokens_user_idx ON email_action_tokens (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS email_action_tokens`);
  }
}
