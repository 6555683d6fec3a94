/**
 * A year of the R14 funds schedules, every run of it missed and caught up (issue #11). The Temporal test server has
 * no Schedules, so the year runs on the dev server: the worker's real schedules are backfilled over the last 365
 * days, as Temporal catches up runs missed while the system was down (the schedules' catch-up window is a year).
 * The twelve monthly runs open the stipends of the twelve months before their 1sts, the yearly run on 1 October
 * opens next year's budget, and the whole year caught up a second time opens nothing more.
 */
import { Client, Connection, ScheduleOverlapPolicy, type ScheduleHandle } from '@temporalio/client';
import type { Client as PgClient } from 'pg';
import { previousMonth } from '@app/domain';
import { buildWorld, type World } from './support/fixtures';
import { expectStatus, type Http } from './support/http';
import { waitFor } from './support/net';
import { readState } from './support/state';
import { startSystemAsAdmin, type TestSystem } from './support/system';

const SYSTEM = '00000000-0000-4000-8000-000000000001';
const DAY = 86_400_000;

let sys: TestSystem;
let admin: Http;
let db: PgClient;
let world: World;
let branchId: string;
let connection: Connection;
let client: Client;
let budgets: ScheduleHandle;
let stipends: ScheduleHandle;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('fundsyear', { FUNDS_SCHEDULES: 'on' }));
  expectStatus(await admin.patch('/admin/settings/policy', { stipendMonthlyFen: 50_000 }), 200);
  world = await buildWorld(admin, 3);
  // The institution's branch, its secretary in office for two years: every month of the year had a secretary.
  const { rows } = await db.query(
    `INSERT INTO organizations (name, kind, parent_id, institution_id, term_start, term_end, secretary_member_id)
     VALUES ($1, 'BRANCH', $2, $3, (now() - interval '2 years')::date, (now() + interval '1 year')::date, $4) RETURNING id`,
    [`${world.institution.name}党支部`, world.builder.id, world.institution.id, world.members[0].id],
  );
  branchId = rows[0].id;
  await db.query(`UPDATE institutions SET party_organization_id = $1 WHERE id = $2`, [branchId, world.institution.id]);
  connection = await Connection.connect({ address: readState().temporalAddress });
  client = new Client({ connection });
  const queue = sys.env.TEMPORAL_TASK_QUEUE!;
  budgets = client.schedule.getHandle(`${queue}:budget-cycle`);
  stipends = client.schedule.getHandle(`${queue}:stipend-month`);
  await waitFor('the schedules', async () => (await budgets.describe().catch(() => null)) && stipends.describe().catch(() => null));
  // Only the test's backfills run them: a real due time passing during the test (02:00 on the 1st) must not.
  for (const h of [budgets, stipends]) await h.pause('测试：只由回填运行');
});

afterAll(async () => {
  for (const h of [budgets, stipends]) await h?.delete().catch(() => undefined);
  await connection?.close();
  await db?.end();
  await sys?.stop();
});

const opened = async (kind: string): Promise<Array<{ month: string | null; year: number | null; applicant_id: string }>> =>
  (
    await db.query(
      `SELECT payload->>'month' AS month, (payload->>'year')::int AS year, applicant_id FROM processes WHERE kind = $1 AND payload->>'partyOrganizationId' = $2 ORDER BY 1, 2`,
      [kind, branchId],
    )
  ).rows;

/** The schedule's runs of the year, all finished (they share workflow ids when caught up twice: counted by run). */
async function runsFinished(type: string, expected: number): Promise<void> {
  await waitFor(`${expected} ${type} runs finished`, async () => {
    const states: string[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowType = '${type}' AND TaskQueue = '${sys.env.TEMPORAL_TASK_QUEUE}'` })) states.push(w.status.name);
    if (states.length < expected || states.some((s) => s !== 'COMPLETED')) throw new Error(`${states.length} of ${expected} runs, ${states.filter((s) => s !== 'COMPLETED').length} not completed`);
    return true;
  }, 180_000);
}

describe('a year of funds schedules, caught up', () => {
  it('twelve monthly runs open the twelve months once, the 1 October run opens next year\'s budget once, and catching the year up again opens nothing', async () => {
    const end = new Date();
    const start = new Date(end.getTime() - 365 * DAY);
    // What the year's nominal times are due for: the 1st at 02:00 Beijing opens the month before; 1 October at
    // 01:00 opens the next year's budget.
    const months = new Set<string>();
    const budgetYears = new Set<number>();
    for (let at = Math.ceil(start.getTime() / 3_600_000) * 3_600_000; at <= end.getTime(); at += 3_600_000) {
      const local = new Date(at + 8 * 3_600_000).toISOString();
      if (local.slice(8, 13) === '01T02') months.add(previousMonth(local.slice(0, 7)));
      if (local.slice(5, 13) === '10-01T01') budgetYears.add(Number(local.slice(0, 4)) + 1);
    }
    expect(months.size).toBeGreaterThanOrEqual(12);
    expect(budgetYears.size).toBe(1);

    for (let round = 1; round <= 2; round++) {
      await stipends.backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
      await budgets.backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
      await runsFinished('stipendMonthWorkflow', round * months.size);
      await runsFinished('budgetCycleWorkflow', round * budgetYears.size);
      const stipendRuns = await opened('stipend-disbursement');
      expect(stipendRuns.map((p) => p.month)).toEqual([...months].sort());
      const budgetRuns = await opened('annual-budget');
      expect(budgetRuns.map((p) => p.year)).toEqual([...budgetYears]);
      for (const p of [...stipendRuns, ...budgetRuns]) expect(p.applicant_id).toBe(SYSTEM);
    }
  }, 400_000);
});
