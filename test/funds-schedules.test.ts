/**
 * The R14 funds schedules on the Temporal dev server (the time-skipping server has no schedules): the worker keeps a
 * yearly budget schedule and a monthly stipend schedule that catch missed runs up (buffered, within a year); a
 * backfill stands for the runs missed while the system was down and opens each month it was due for, once, even
 * when the runs come twice; the yearly run opens next year's budget, which the secretary drafts in its first step.
 */
import { Client, Connection, ScheduleOverlapPolicy, type ScheduleHandle } from '@temporalio/client';
import type { Client as PgClient } from 'pg';
import { buildWorld, grantEstablishBranch, makeUser, openStepTask, shanghaiDate, type Person, type World } from './support/fixtures';
import { fetchHistory, maybeRecord, replay } from './support/histories';
import { expectStatus, type Http } from './support/http';
import { waitFor } from './support/net';
import { readState } from './support/state';
import { startSystemAsAdmin, type TestSystem } from './support/system';
import { previousMonth } from '@app/domain';

let sys: TestSystem;
let admin: Http;
let db: PgClient;
let world: World;
let office: Person;
let secretary: Person;
let branchId: string;
let connection: Connection;
let client: Client;
let budgets: ScheduleHandle;
let stipends: ScheduleHandle;

const thisMonth = shanghaiDate().slice(0, 7);
// The month the latest monthly run (the 1st, 02:00 Beijing) has paid: before 02:00 on the 1st, the one before.
const lastMonth = previousMonth(shanghaiDate(-2 / 24).slice(0, 7));

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('fundsched', { FUNDS_SCHEDULES: 'on' }));
  expectStatus(await admin.patch('/admin/settings/policy', { stipendMonthlyFen: 50_000 }), 200);
  world = await buildWorld(admin, 3);
  office = await makeUser(admin, 'office', ['APPLICANT'], [], [world.institution.id]);
  const created = expectStatus(
    await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds: world.members.slice(0, 3).map((x) => x.id), secretaryMemberId: world.members[0].id }),
    201,
  ).body;
  branchId = (await grantEstablishBranch(admin, world, created.id, world.members[0].id)).result.partyOrganizationId;
  // Elected months ago (an election cannot be recorded before its request, so the record is moved back here).
  await db.query(`UPDATE organizations SET term_start = $2 WHERE id = $1`, [branchId, `${previousMonth(previousMonth(previousMonth(previousMonth(lastMonth))))}-01`]);
  secretary = await makeUser(admin, 'secretary', ['APPLICANT'], [], [world.institution.id], { memberId: world.members[0].id });
  // Last month's year has an approved budget with its stipend line (the months the backfill opens are paid from it).
  const budget = expectStatus(
    await world.applicant.post('/processes/annual-budget', { partyOrganizationId: branchId, year: Number(lastMonth.slice(0, 4)), lines: [{ category: 'STIPEND', amountFen: 600_000 }] }),
    201,
  ).body;
  for (const [who, step] of [[office.http, 'confirm'], [world.approver, 'approve']] as const) {
    const t = await openStepTask(who, budget.id, step);
    expectStatus(await who.post(`/tasks/${t.id}/decision`, { decision: 'APPROVE', comment: '同意' }), 200);
  }
  await waitFor('the budget approved', async () => (await payloadOf(budget.id)).status === 'APPROVED');
  connection = await Connection.connect({ address: readState().temporalAddress });
  client = new Client({ connection });
  const queue = sys.env.TEMPORAL_TASK_QUEUE!;
  budgets = client.schedule.getHandle(`${queue}:budget-cycle`);
  stipends = client.schedule.getHandle(`${queue}:stipend-month`);
  // Only the test's backfills and triggers run them: a real due time passing during the test (02:00 on the 1st)
  // must not.
  await waitFor('the schedules', async () => (await budgets.describe().catch(() => null)) && stipends.describe().catch(() => null));
  for (const h of [budgets, stipends]) await h.pause('测试：只由回填运行');
});

afterAll(async () => {
  for (const h of [budgets, stipends]) await h?.delete().catch(() => undefined);
  await connection?.close();
  await db?.end();
  await sys?.stop();
});

const ofKind = async (kind: string): Promise<any[]> =>
  expectStatus(await admin.get(`/processes?kind=${kind}&institutionId=${world.institution.id}&limit=500`), 200).body.items;
const payloadOf = async (id: string): Promise<any> => expectStatus(await admin.get(`/processes/${id}`), 200).body;

describe('the funds schedules', () => {
  it('are kept by the worker: 1 October and the 1st of each month, Beijing time, missed runs caught up within a year and buffered', async () => {
    const b = await waitFor('the budget schedule', async () => budgets.describe().catch(() => null));
    const s = await stipends.describe();
    const at = (v: unknown) => ({ start: v, end: v, step: 1 });
    expect(b.spec.calendars).toEqual([expect.objectContaining({ month: [at('OCTOBER')], dayOfMonth: [at(1)], hour: [at(1)] })]);
    expect(b.spec.timezone).toBe('Asia/Shanghai');
    expect(s.spec.calendars).toEqual([expect.objectContaining({ dayOfMonth: [at(1)], hour: [at(2)] })]);
    for (const d of [b, s]) {
      expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.BUFFER_ALL);
      expect(d.policies.catchupWindow).toBe(365 * 86_400_000);
      expect(d.action.workflowType).toMatch(/^(budgetCycleWorkflow|stipendMonthWorkflow)$/);
    }
  });

  it('a backfill of missed monthly runs opens each due month once, even when the runs come twice', async () => {
    const end = new Date();
    const start = new Date(end.getTime() - 70 * 86_400_000);
    // The 1st of each month within the range, at the schedule's 02:00 Beijing time, opens the month before.
    const due = new Set<string>();
    for (let at = start.getTime(); at <= end.getTime(); at += 3_600_000) {
      const local = new Date(at + 8 * 3_600_000).toISOString();
      if (local.slice(8, 13) === '01T02') due.add(previousMonth(local.slice(0, 7)));
    }
    expect(due.size).toBeGreaterThanOrEqual(2);
    await stipends.backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
    const opened = await waitFor('the missed months opened', async () => {
      const items = await ofKind('stipend-disbursement');
      return items.length >= due.size ? items : null;
    });
    // The same runs again (a duplicated schedule run): nothing more.
    await stipends.backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
    await waitFor('the repeated runs finished', async () => {
      const d = await stipends.describe();
      const runs = d.info.recentActions.filter((a) => a.scheduledAt >= start);
      const done = await Promise.all(runs.map((r) => client.workflow.getHandle(r.action.workflow.workflowId).describe()));
      if (runs.length < 2 * due.size || !done.every((x) => x.status.name === 'COMPLETED')) {
        throw new Error(`${runs.length} of ${2 * due.size} runs started (${done.map((x) => x.status.name).join(', ')})`);
      }
      return done;
    }, 120_000);
    const items = await ofKind('stipend-disbursement');
    expect(items).toHaveLength(opened.length);
    const months = await Promise.all(items.map(async (p) => (await payloadOf(p.id)).payload.month));
    expect([...months].sort()).toEqual([...due].sort());
    expect(new Set(months).size).toBe(months.length);
    for (const p of items) expect(p.applicantId).toBe('00000000-0000-4000-8000-000000000001');
    // Paid from last month's year's budget, the due months wait for finance; earlier years' (no budget) fail on R14.

    const d = await stipends.describe();
    const run = d.info.recentActions.find((a) => a.scheduledAt >= start)!;
    const history = await fetchHistory(run.action.workflow.workflowId);
    await replay(history, run.action.workflow.workflowId);
    maybeRecord('stipend-month-cycle', run.action.workflow.workflowId);
  });

  it('a worker killed while a month is paid: after the restart it is paid once and its secretary emailed once', async () => {
    const items = await ofKind('stipend-disbursement');
    const mine = (await Promise.all(items.map((p) => payloadOf(p.id)))).find((p) => p.payload.month === lastMonth);
    await openStepTask(office.http, mine.id, 'confirm').then(async (t) => expectStatus(await office.http.post(`/tasks/${t.id}/decision`, { decision: 'APPROVE', comment: '金额无误' }), 200));
    const approve = await openStepTask(world.approver, mine.id, 'approve');
    // The approval and the payout it sets off run while the worker is killed (wherever the kill lands).
    const answer = world.approver.post(`/tasks/${approve.id}/decision`, { decision: 'APPROVE', comment: '同意发放' }).catch(() => null);
    await new Promise((r) => setTimeout(r, 150));
    await sys.killWorker('SIGKILL');
    await sys.startWorker();
    await answer;
    const done = await waitFor('paid after the restart', async () => {
      const p = await payloadOf(mine.id);
      return p.status === 'APPROVED' ? p : null;
    }, 120_000);
    expect(done.result.payments).toHaveLength(1);
    const n = async (sql: string, ...args: unknown[]): Promise<number> => (await db.query(sql, args)).rows[0].n;
    expect(await n(`SELECT count(*)::int AS n FROM stipend_payments WHERE month = $1`, lastMonth)).toBe(1);
    expect(await n(`SELECT count(*)::int AS n FROM budget_expenses WHERE payment_key = $1`, `stipend:${world.members[0].id}:${lastMonth}`)).toBe(1);
    await waitFor('the secretary told', async () => sys.mail.to(secretary.user.email).some((m) => m.subject.includes(lastMonth)), 60_000);
    await new Promise((r) => setTimeout(r, 5000));
    expect(sys.mail.to(secretary.user.email).filter((m) => m.subject.includes('【补贴发放】'))).toHaveLength(1);
  });

  it('the yearly run opens next year\'s budget once; the secretary drafts the lines, then it goes on as submitted', async () => {
    const SYSTEM = '00000000-0000-4000-8000-000000000001';
    const cycleOpened = async (): Promise<any[]> => (await ofKind('annual-budget')).filter((p) => p.applicantId === SYSTEM);
    await budgets.trigger();
    const [opened] = await waitFor('the budget opened', async () => {
      const items = await cycleOpened();
      return items.length ? items : null;
    });
    // The run again, once the first has finished (a run buffered behind a running one starts when the scheduler next
    // looks, which on a loaded machine may be minutes): it finds the budget opened and opens nothing.
    await waitFor('the first run finished', async () => {
      const [first] = (await budgets.describe()).info.recentActions;
      return first && (await client.workflow.getHandle(first.action.workflow.workflowId).describe()).status.name === 'COMPLETED';
    }, 60_000);
    await budgets.trigger();
    // A still-waiting state is thrown, so a timeout says what it saw.
    await waitFor('the second run finished', async () => {
      const d = await budgets.describe();
      const done = await Promise.all(d.info.recentActions.map((r) => client.workflow.getHandle(r.action.workflow.workflowId).describe()));
      const seen = `${d.info.recentActions.length} run(s) started (${done.map((x) => x.status.name).join(', ')}), ${d.info.runningActions.length} running, ${d.info.numActionsMissedCatchupWindow} missed`;
      if (done.length < 2 || !done.every((x) => x.status.name === 'COMPLETED')) throw new Error(seen);
      return done;
    }, 120_000);
    expect(await cycleOpened()).toHaveLength(1);
    const year = Number(thisMonth.slice(0, 4)) + 1;
    expect((await payloadOf(opened.id)).payload).toEqual({ partyOrganizationId: branchId, year });

    const draft = await openStepTask(office.http, opened.id, 'draft');
    // Due on 30 November (the submission deadline), or tomorrow when the run comes that late.
    const draftDue = new Date(Date.parse(draft.dueAt) + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(draftDue === `${year - 1}-11-30` || (shanghaiDate() >= `${year - 1}-11-30` && draftDue === shanghaiDate(1))).toBe(true);
    const dup = expectStatus(
      await office.http.post(`/tasks/${draft.id}/decision`, { decision: 'APPROVE', comment: '编制', data: { lines: [{ category: 'VENUE', amountFen: 1 }, { category: 'VENUE', amountFen: 2 }] } }),
      400,
    ).body;
    expect(dup.details.map((x: any) => x.field)).toEqual(['data.lines[1].category']);
    expectStatus(
      await office.http.post(`/tasks/${draft.id}/decision`, { decision: 'APPROVE', comment: '编制', data: { lines: [{ category: 'ACTIVITIES', amountFen: 120_000 }, { category: 'STIPEND', amountFen: 600_000 }] } }),
      200,
    );
    await (async () => {
      const confirm = await openStepTask(office.http, opened.id, 'confirm');
      expectStatus(await office.http.post(`/tasks/${confirm.id}/decision`, { decision: 'APPROVE', comment: '已纳入' }), 200);
      const approve = await openStepTask(world.approver, opened.id, 'approve');
      // Approval is due by the cycle's deadline, 31 December of the year before.
      expect(new Date(Date.parse(approve.dueAt) + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(`${year - 1}-12-31`);
      expectStatus(await world.approver.post(`/tasks/${approve.id}/decision`, { decision: 'APPROVE', comment: '同意' }), 200);
    })();
    const done = await waitFor('approved', async () => {
      const p = await payloadOf(opened.id);
      return p.status === 'APPROVED' ? p : null;
    });
    expect(done.result).toMatchObject({ year, version: 1, totalFen: 720_000 });
    expect(done.timeline.map((e: any) => e.action)).toEqual(expect.arrayContaining(['BUDGET_DRAFTED', 'BUDGET_FIXED']));

    const history = await fetchHistory(opened.workflowId);
    await replay(history, opened.workflowId);
    maybeRecord('annual-budget-drafted', opened.workflowId);
  });
});
