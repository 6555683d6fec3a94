import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R10: where a PUBLIC_BUILT_PRIVATE_RUN institution's party organisation's secretary comes from. NULL is the R8
 * default (the public builder dispatches); OPERATOR or ELECTION only through an approved secretary-source process.
 */
export class SecretarySource1764890100000 implements MigrationInterface {
  name = 'SecretarySource1764890100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE institutions ADD COLUMN secretary_source text NULL CHECK (secretary_source IN ('PUBLIC_BUILDER', 'OPERATOR', 'ELECTION'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE institutions DROP COLUMN IF EXISTS secretary_source`);
  }
}
