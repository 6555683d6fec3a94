import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Natural keys the spreadsheet imports upsert by: an institution is (name, district); a party member is
 * (institution, name, birth date), a missing birth date counting as one value (NULLS NOT DISTINCT, PostgreSQL 15+).
 * Names of organizations are looked up by the imports, hence their index.
 */
export class ImportNaturalKeys1764380000000 implements MigrationInterface {
  name = 'ImportNaturalKeys1764380000000';

  async up(q: QueryRunner): Promise<void> {
    // A unique index over existing duplicates would fail with a bare constraint error; name them instead.
    const dupInst: Array<{ name: string; district: string }> = await q.query(
      `SELECT name, district FROM institutions GROUP BY name, district HAVING count(*) > 1 LIMIT 10`,
    );
    if (dupInst.length > 0) {
      throw new Error(`institutions has duplicate (name, district) rows to merge first: ${dupInst.map((d) => `${d.name}/${d.district}`).join(', ')}`);
    }
    const dupMembers: Array<{ name: string; institution_id: string }> = await q.query(
      `SELECT name, institution_id FROM party_members GROUP BY institution_id, name, birth_date HAVING count(*) > 1 LIMIT 10`,
    );
    if (dupMembers.length > 0) {
      throw new Error(`party_members has duplicate (institution, name, birth date) rows to merge first: ${dupMembers.map((d) => `${d.name}@${d.institution_id}`).join(', ')}`);
    }
    await q.query(`CREATE UNIQUE INDEX institutions_natural_key ON institutions (name, district)`);
    await q.query(`CREATE UNIQUE INDEX party_members_natural_key ON party_members (institution_id, name, birth_date) NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX organizations_name_idx ON organizations (name)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS organizations_name_idx`);
    await q.query(`DROP INDEX IF EXISTS party_members_natural_key`);
    await q.query(`DROP INDEX IF EXISTS institutions_natural_key`);
  }
}
