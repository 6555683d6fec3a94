import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Process kinds as modules:
 * - one open process per kind and *subject* (an institution for most kinds; a member for a relation transfer, an
 *   organisation and year for a budget, …), named by the kind's admission, instead of per institution;
 * - a task may ask an institution's APPLICANT users instead of an organisation (a unit consenting to a joint
 *   organisation);
 * - a delegation (委托) names the organisations it covers.
 */
export class ProcessKinds1764821000000 implements MigrationInterface {
  name = 'ProcessKinds1764821000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE processes ADD COLUMN subject_key text`);
    await q.query(`UPDATE processes SET subject_key = COALESCE(institution_id::text, id::text)`);
    await q.query(`ALTER TABLE processes ALTER COLUMN subject_key SET NOT NULL`);
    // A row written without a subject (the default kind of subject) is about its institution.
    await q.query(`
      CREATE FUNCTION processes_default_subject() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.subject_key := COALESCE(NEW.subject_key, NEW.institution_id::text, NEW.id::text);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER processes_default_subject BEFORE INSERT ON processes FOR EACH ROW EXECUTE FUNCTION processes_default_subject()`);
    await q.query(`DROP INDEX processes_one_open_per_kind`);
    await q.query(`CREATE UNIQUE INDEX processes_one_open_per_subject ON processes (kind, subject_key) WHERE status IN ('RUNNING', 'RETURNED')`);

    await q.query(`ALTER TABLE tasks ALTER COLUMN candidate_org_id DROP NOT NULL`);
    await q.query(`ALTER TABLE tasks ADD COLUMN candidate_institution_id uuid NULL`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_one_candidate CHECK ((candidate_org_id IS NULL) <> (candidate_institution_id IS NULL))`);
    await q.query(`CREATE INDEX tasks_institution_inbox_idx ON tasks (candidate_institution_id, status, created_at, id) WHERE candidate_institution_id IS NOT NULL`);

    await q.query(`ALTER TABLE delegations ADD COLUMN organization_ids uuid[] NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delegations DROP COLUMN organization_ids`);
    await q.query(`DROP INDEX tasks_institution_inbox_idx`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_one_candidate`);
    await q.query(`ALTER TABLE tasks DROP COLUMN candidate_institution_id`);
    await q.query(`ALTER TABLE tasks ALTER COLUMN candidate_org_id SET NOT NULL`);
    await q.query(`DROP INDEX processes_one_open_per_subject`);
    await q.query(`CREATE UNIQUE INDEX processes_one_open_per_kind ON processes (kind, institution_id) WHERE status IN ('RUNNING', 'RETURNED')`);
    await q.query(`DROP TRIGGER processes_default_subject ON processes`);
    await q.query(`DROP FUNCTION processes_default_subject()`);
    await q.query(`ALTER TABLE processes DROP COLUMN subject_key`);
  }
}
