import type { MigrationInterface, QueryRunner } from 'typeorm';

const SILENT_TYPES = ['PRIVATE', 'HOME_CARE_CENTER', 'HOME_CARE_STATION'];
const DAYS_PER_YEAR = 365;

type Stored = Record<string, unknown>;

/**
 * The policy settings row follows the revised DOMAIN.md:
 * - `silentTypesResponsibleBody` (R3b) is a record per type (TOWNSHIP or DISTRICT) instead of the single value
 *   'TOWNSHIP' the initial schema seeded;
 * - the largest approved election shift (R15) is `electionMaxShiftYears` in calendar years; a stored
 *   `electionMaxShiftDays` becomes the nearest whole number of years (365 → 1).
 * Keys the row does not hold keep falling back to the domain defaults. The audit keeps its history as written.
 */
export class PolicySettingShapes1764840000000 implements MigrationInterface {
  name = 'PolicySettingShapes1764840000000';

  async up(q: QueryRunner): Promise<void> {
    await this.rewrite(q, (v) => {
      const body = v.silentTypesResponsibleBody;
      if (typeof body === 'string') v.silentTypesResponsibleBody = Object.fromEntries(SILENT_TYPES.map((t) => [t, body]));
      if ('electionMaxShiftDays' in v) {
        const days = v.electionMaxShiftDays;
        delete v.electionMaxShiftDays;
        if (typeof days === 'number' && Number.isFinite(days)) v.electionMaxShiftYears = Math.round(days / DAYS_PER_YEAR);
      }
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await this.rewrite(q, (v) => {
      // The old shape knew only the township.
      if (typeof v.silentTypesResponsibleBody === 'object' && v.silentTypesResponsibleBody !== null) v.silentTypesResponsibleBody = 'TOWNSHIP';
      delete v.elderlyBranchCountBasis;
      if ('electionMaxShiftYears' in v) {
        const years = v.electionMaxShiftYears;
        delete v.electionMaxShiftYears;
        if (typeof years === 'number') v.electionMaxShiftDays = years * DAYS_PER_YEAR;
      }
    });
  }

  private async rewrite(q: QueryRunner, change: (value: Stored) => void): Promise<void> {
    const rows = (await q.query(`SELECT value FROM settings WHERE key = 'policy' FOR UPDATE`)) as Array<{ value: unknown }>;
    const value = rows[0]?.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const next = { ...(value as Stored) };
    change(next);
    await q.query(`UPDATE settings SET value = $1::jsonb, updated_at = now() WHERE key = 'policy'`, [JSON.stringify(next)]);
  }
}
