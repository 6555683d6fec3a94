import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Timeline events a system action causes carry `data.reference` (e.g. `secretary-change:<id>` on each task a new
 * secretary inherits). The partial index lets the action count what it did from the timeline without a scan.
 */
export class TimelineReferences1764720000000 implements MigrationInterface {
  name = 'TimelineReferences1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX process_events_reference_idx ON process_events ((data->>'reference')) WHERE data ? 'reference'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX process_events_reference_idx`);
  }
}
