import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Joint organisations (联合党组织) record how they were formed: CO_BUILD (同业共建) or AFFILIATE (挂靠组建), so a
 * unit's compliance shows joint or affiliated coverage (R16). Rows from before (demo data) have none and are read as
 * CO_BUILD, as before.
 */
export class JointOrganizations1764850000000 implements MigrationInterface {
  name = 'JointOrganizations1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations ADD COLUMN joint_mode text NULL`);
    await q.query(`ALTER TABLE organizations ADD CONSTRAINT organizations_joint_mode CHECK (joint_mode IS NULL OR (kind = 'JOINT' AND joint_mode IN ('CO_BUILD', 'AFFILIATE')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations DROP CONSTRAINT organizations_joint_mode`);
    await q.query(`ALTER TABLE organizations DROP COLUMN joint_mode`);
  }
}
