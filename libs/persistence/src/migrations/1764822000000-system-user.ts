import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SYSTEM_USER_ID } from '../system-user';

/**
 * The applicant of processes the system opens itself (a term watch's renewal, the yearly budget cycle, the monthly
 * stipends, a new branch's relation transfers): an inactive account that can neither sign in nor act, so the
 * organisations' people decide every step and no email goes to it.
 */
export class SystemUser1764822000000 implements MigrationInterface {
  name = 'SystemUser1764822000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO users (id, username, password_hash, display_name, email, roles, active)
       VALUES ($1, 'system', '!', '系统', 'system@party-approvals.invalid', '{}', false) ON CONFLICT (id) DO NOTHING`,
      [SYSTEM_USER_ID],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM users WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM processes WHERE applicant_id = $1)`, [SYSTEM_USER_ID]);
  }
}
