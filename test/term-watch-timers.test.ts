/**
 * The term watch (R4, R15) on the time-skipping test server with the worker's real activities: a 3-year term runs to
 * its renewal (the reminder 180 days before the end, the renewal opened 60 days before, the election, the new term
 * the watch moves on to); a term left alone becomes OVERDUE and escalates exactly once; a postponement moves the
 * timers (no OVERDUE at the old end, OVERDUE once after the new deadline); the back-fill starts one watch
 * per organisation however often it runs, and a worker that stops and is replaced loses none of 200 sleeping watches.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { decideUpdate, termChangedSignal, termRenewalSubject, termWatchQuery, termWatchWorkflowId, type TermWatchState } from '@app/contracts';
import { addDays, addYears, startOfShanghaiDay, toCalendarDate } from '@app/domain';
import { TermWatchStarter } from '../apps/worker/src/activities/term-watch.activities';
import { createActivitiesContext, testActivities } from './support/activities-context';
import { workflowBundle } from './support/histories';
import { waitFor } from './support/net';
import { readState } from './support/state';
import { createDatabase } from './support/system';

let testEnv: TestWorkflowEnvironment;
let ctx: INestApplicationContext;
let ds: DataSource;
let taskQueue: string;
/** One worker for the file's watches (a task queue left without a worker would hold the test server's clock). */
let shared: Worker;
let sharedRun: Promise<void>;

beforeAll(async () => {
  const state = readState();
  testEnv = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: state.temporalTestServer } } });
  taskQueue = `term-watch-${randomUUID()}`;
  const databaseUrl = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_term_watch_timers`);
  // The activities that start workflows (the renewal a watch opens, the back-fill) start them on the test server.
  ctx = await createActivitiesContext({
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `${state.redisPrefix}-term-watch-timers`,
    SMTP_URL: 'smtp://127.0.0.1:9',
    TEMPORAL_ADDRESS: testEnv.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
  });
  ds = ctx.get<DataSource>(getDataSourceToken());
  shared = await newWorker();
  sharedRun = shared.run();
});

afterAll(async () => {
  shared?.shutdown();
  await sharedRun?.catch(() => undefined);
  await testEnv?.teardown();
  await ctx?.close();
});

/** A worker over the real activities on the file's task queue (a worker runs once). */
async function newWorker(): Promise<Worker> {
  // No sticky cache: the test server would send a replaced worker's workflows to the old worker's sticky queue.
  return Worker.create({ connection: testEnv.nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities: testActivities(ctx), maxCachedWorkflows: 0 });
}

const one = async (sql: string, params: unknown[] = []): Promise<any> => (await ds.query(sql, params))[0];

async function user(orgId: string): Promise<{ id: string; email: string; orgId: string }> {
  const email = `${randomUUID()}@example.test`;
  const u = await one(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', '书记', $2, '{APPROVER}', $3) RETURNING id`, [
    `u-${randomUUID()}`,
    email,
    [orgId],
  ]);
  return { id: u.id, email, orgId };
}

/** A district above a sponsoring unit (the responsible body) above an institution's branch with 4 FULL staff members. */
async function seed(termStart: string | null, termEnd: string | null) {
  const district = await one(`INSERT INTO organizations (name, kind) VALUES ('区委组织部', 'DISTRICT') RETURNING id`);
  const township = await one(`INSERT INTO organizations (name, kind, parent_id) VALUES ('街道党工委', 'TOWNSHIP', $1) RETURNING id`, [district.id]);
  const sponsor = await one(`INSERT INTO organizations (name, kind, parent_id) VALUES ('民政局机关党委', 'SPONSOR', $1) RETURNING id`, [district.id]);
  const inst = await one(`INSERT INTO institutions (name, type, district, township_org_id, sponsor_org_id) VALUES ($1, 'PUBLIC', '鄞州区', $2, $3) RETURNING id`, [
    `换届养老院${randomUUID().slice(0, 8)}`,
    township.id,
    sponsor.id,
  ]);
  const branch = await one(`INSERT INTO organizations (name, kind, parent_id, institution_id, term_start, term_end) VALUES ($1, 'BRANCH', $2, $3, $4, $5) RETURNING id`, [
    `换届党支部${randomUUID().slice(0, 6)}`,
    sponsor.id,
    inst.id,
    termStart,
    termEnd,
  ]);
  await ds.query(`UPDATE institutions SET party_organization_id = $1 WHERE id = $2`, [branch.id, inst.id]);
  const members: string[] = [];
  for (let i = 0; i < 4; i++) {
    members.push((await one(`INSERT INTO party_members (name, institution_id, category, status) VALUES ($1, $2, 'STAFF', 'FULL') RETURNING id`, [`党员${i}`, inst.id])).id);
  }
  return {
    branchId: branch.id as string,
    sponsorId: sponsor.id as string,
    districtId: district.id as string,
    members,
    branch: await user(branch.id),
    sponsor: await user(sponsor.id),
    district: await user(district.id),
  };
}

const events = async (orgId: string): Promise<Array<{ kind: string; term_end: string }>> =>
  ds.query(`SELECT kind, to_char(term_end, 'YYYY-MM-DD') AS term_end FROM term_events WHERE organization_id = $1 ORDER BY created_at, id`, [orgId]);
const mails = async (to: string): Promise<Array<{ subject: string }>> => ds.query(`SELECT subject FROM email_outbox WHERE to_address = $1 AND template = 'term-notice' ORDER BY created_at`, [to]);
const watchState = (orgId: string): Promise<TermWatchState> => testEnv.client.workflow.getHandle(termWatchWorkflowId(orgId)).query(termWatchQuery);
const startWatch = (orgId: string) => testEnv.client.workflow.start('termWatchWorkflow', { workflowId: termWatchWorkflowId(orgId), taskQueue, args: [{ organizationId: orgId }] });
const until = async (at: number): Promise<void> => testEnv.sleep(Math.max(at - (await testEnv.currentTimeMs()), 1));
const beijing = (date: string): number => startOfShanghaiDay(date).getTime();
const openTask = (processId: string, step: string): Promise<any> =>
  waitFor(`the ${step} task`, async () => one(`SELECT * FROM tasks WHERE process_id = $1 AND step = $2 AND status = 'OPEN'`, [processId, step]));

async function decide(workflowId: string, task: { id: string }, by: { id: string; orgId: string }, data?: Record<string, unknown>): Promise<void> {
  const decisionId = randomUUID();
  await testEnv.client.workflow.getHandle(workflowId).executeUpdate(decideUpdate, {
    updateId: decisionId,
    args: [{ decisionId, taskId: task.id, decision: 'APPROVE', comment: '同意', actorId: by.id, actorOrgIds: [by.orgId], ownOrgIds: [by.orgId], standsInFor: [], ...(data ? { data } : {}) }],
  });
}

// First in the file: the activities date the election by the real clock, the watch times the term by the test
// server's, which this test moves about 150 days ahead.
describe('a 3-year term (time-skipping)', () => {
  it('reminds 180 days before the end, opens the renewal 60 days before, and after the election watches the new term', async () => {
    // A 3-year term that ends 200 days from now (by both clocks: the test server's starts at the real time), so the
    // election the activities date today starts a term that ends well after the test server's clock.
    const end = addDays(toCalendarDate(new Date()), 200);
    const start = addYears(end, -3);
    const w = await seed(start, end);
    const worker = { runUntil: async (f: () => Promise<void>) => f() };
    await worker.runUntil(async () => {
      const watch = await startWatch(w.branchId);
      const firstRun = watch.firstExecutionRunId;
      expect(await waitFor('the watch asleep', async () => ((await watchState(w.branchId)).nextAt !== null ? watchState(w.branchId) : null))).toMatchObject({
        termEnd: end,
        phase: 'BEFORE_REMINDER',
        nextAt: beijing(addDays(end, -180)),
      });

      // The reminder: not a day early, then to the secretary and the responsible body, once.
      await until(beijing(addDays(end, -180)) - 3600_000);
      expect(await events(w.branchId)).toEqual([]);
      await testEnv.sleep('2 hours');
      await waitFor('the reminder', async () => (await events(w.branchId)).length === 1);
      expect(await events(w.branchId)).toEqual([{ kind: 'REMINDED', term_end: end }]);
      for (const to of [w.branch.email, w.sponsor.email]) expect((await mails(to)).map((m) => m.subject)).toEqual([expect.stringMatching(/^【换届提醒】换届党支部.*：换届选举$/)]);
      expect(await mails(w.district.email)).toEqual([]);
      expect((await watchState(w.branchId)).phase).toBe('BEFORE_RENEWAL');

      // 60 days before the end the renewal opens, filed under the institution, its plan asked of the branch.
      await until(beijing(addDays(end, -60)) - 3600_000);
      expect((await events(w.branchId)).map((e) => e.kind)).toEqual(['REMINDED']);
      await testEnv.sleep('2 hours');
      const renewal = await waitFor('the renewal', async () => one(`SELECT * FROM processes WHERE kind = 'term-renewal' AND subject_key = $1`, [termRenewalSubject(w.branchId)]));
      expect(renewal).toMatchObject({ status: 'RUNNING', payload: { partyOrganizationId: w.branchId, reason: expect.stringContaining(end) } });
      expect((await events(w.branchId)).map((e) => e.kind)).toEqual(['REMINDED', 'RENEWAL_OPENED']);
      expect((await watchState(w.branchId)).renewalProcessId).toBe(renewal.id);

      // The election: a secretary (4 FULL members), elected by all four present.
      const [a, b] = w.members;
      await decide(renewal.workflow_id, await openTask(renewal.id, 'plan'), w.branch, { seats: 1, candidateMemberIds: [a, b], plannedDate: toCalendarDate(new Date()) });
      await decide(renewal.workflow_id, await openTask(renewal.id, 'approve-plan'), w.sponsor);
      const today = toCalendarDate(new Date());
      await decide(renewal.workflow_id, await openTask(renewal.id, 'result'), w.branch, {
        electionDate: today,
        dueToAttend: 4,
        present: 4,
        votes: [
          { memberId: a, votes: 4 },
          { memberId: b, votes: 0 },
        ],
        secretaryMemberId: a,
        secretaryFullMemberSince: '2010-07-01',
      });
      await decide(renewal.workflow_id, await openTask(renewal.id, 'approve-result'), w.sponsor);
      // Polled in the database: the test environment's result() would hold the server's clock.
      await waitFor('the renewal approved', async () => (await one(`SELECT status FROM processes WHERE id = $1`, [renewal.id])).status === 'APPROVED');
      const next = addYears(today, 3);
      expect(await one(`SELECT to_char(term_start, 'YYYY-MM-DD') AS s, to_char(term_end, 'YYYY-MM-DD') AS e, secretary_member_id FROM organizations WHERE id = $1`, [w.branchId])).toEqual({
        s: today,
        e: next,
        secretary_member_id: a,
      });

      // The watch continued as new on the new term; the old one never becomes OVERDUE. (Queried once the new run is
      // there: the test server leaves a query to a run that continues as new hanging for a minute, its clock locked.)
      const latest = testEnv.client.workflow.getHandle(termWatchWorkflowId(w.branchId));
      await waitFor('the watch continued as new', async () => (await latest.describe()).runId !== firstRun, 60_000);
      const moved = await waitFor('the watch on the new term', async () => {
        const s = await watchState(w.branchId);
        return s.termEnd === next && s.nextAt !== null ? s : null;
      });
      expect(moved).toMatchObject({ phase: 'BEFORE_REMINDER', nextAt: beijing(addDays(next, -180)), renewalProcessId: null });
      await until(beijing(addDays(end, 10)));
      expect((await events(w.branchId)).map((e) => e.kind)).toEqual(['REMINDED', 'RENEWAL_OPENED']);
    });
    // A whole renewal (four decisions) on a worker without a sticky cache, every workflow task replayed: about 25 s
    // alone, longer in the full suite on 2 cores.
  }, 300_000);
});

describe('a term left alone (time-skipping)', () => {
  it('becomes OVERDUE the day after its end and escalates to the responsible body’s parent exactly once', async () => {
    // Dated on the test server's clock: the reminder and the renewal are already due when the watch starts.
    const now = toCalendarDate(new Date(await testEnv.currentTimeMs()));
    const end = addDays(now, 10);
    const w = await seed(addYears(end, -3), end);
    const worker = { runUntil: async (f: () => Promise<void>) => f() };
    await worker.runUntil(async () => {
      await startWatch(w.branchId);
      await waitFor('the reminder and the renewal', async () => (await events(w.branchId)).length === 2);
      expect((await events(w.branchId)).map((e) => e.kind)).toEqual(['REMINDED', 'RENEWAL_OPENED']);
      expect((await watchState(w.branchId)).phase).toBe('BEFORE_END');

      await until(beijing(addDays(end, 1)) - 3600_000);
      expect((await events(w.branchId)).map((e) => e.kind)).toEqual(['REMINDED', 'RENEWAL_OPENED']);
      await testEnv.sleep('2 hours');
      await waitFor('OVERDUE', async () => (await events(w.branchId)).length === 3);
      const overdue = await one(`SELECT data FROM term_events WHERE organization_id = $1 AND kind = 'OVERDUE'`, [w.branchId]);
      expect(overdue.data).toEqual({ escalatedToOrgId: w.districtId, responsibleBodyId: w.sponsorId });
      expect((await watchState(w.branchId)).phase).toBe('OVERDUE');

      // Months later: still one escalation, one email to the district.
      await testEnv.sleep('40 days');
      expect((await events(w.branchId)).map((e) => e.kind)).toEqual(['REMINDED', 'RENEWAL_OPENED', 'OVERDUE']);
      expect((await mails(w.district.email)).map((m) => m.subject)).toEqual([expect.stringMatching(/^【换届逾期】/)]);
      expect((await mails(w.sponsor.email)).map((m) => m.subject)).toEqual([expect.stringMatching(/^【换届提醒】/), expect.stringMatching(/^【换届逾期】/)]);
    });
  });
});

describe('a postponement (time-skipping)', () => {
  it('moves the timers: no OVERDUE at the old end, the reminder and renewal not repeated, OVERDUE once after the new deadline', async () => {
    const now = toCalendarDate(new Date(await testEnv.currentTimeMs()));
    const end = addDays(now, 10);
    const w = await seed(addYears(end, -3), end);
    const kinds = async (): Promise<string[]> => (await events(w.branchId)).map((e) => e.kind);
    await startWatch(w.branchId);
    await waitFor('the reminder and the renewal', async () => (await events(w.branchId)).length === 2);
    expect(await waitFor('the watch asleep', async () => ((await watchState(w.branchId)).nextAt !== null ? watchState(w.branchId) : null))).toMatchObject({
      phase: 'BEFORE_END',
      nextAt: beijing(addDays(end, 1)),
    });

    // The superior postpones the election by 30 days (what POST /organizations/:id/term/reschedule records and
    // signals; its HTTP checks are in term-renewal.test.ts).
    const deadline = addDays(end, 30);
    await ds.query(`INSERT INTO term_events (organization_id, term_end, kind, data) VALUES ($1, $2, 'RESCHEDULED', $3)`, [w.branchId, end, JSON.stringify({ until: deadline, reason: '疫情防控' })]);
    await ds.query(`UPDATE organizations SET postponed_until = $2 WHERE id = $1`, [w.branchId, deadline]);
    const watch = testEnv.client.workflow.getHandle(termWatchWorkflowId(w.branchId));
    const firstRun = (await watch.describe()).runId;
    await watch.signal(termChangedSignal);
    // The watch continues as new on the moved milestones: its next timer is the day after the new deadline, and the
    // reminder and the renewal (done for this term) are not repeated. (Queried once the new run is there: the test
    // server leaves a query to a run that continues as new hanging for a minute, and its clock locked.)
    await waitFor('the watch continued as new', async () => (await watch.describe()).runId !== firstRun);
    expect(
      await waitFor('the watch on the new deadline', async () => {
        const s = await watchState(w.branchId);
        return s.nextAt === beijing(addDays(deadline, 1)) ? s : null;
      }),
    ).toMatchObject({ termEnd: end, phase: 'BEFORE_END' });
    expect(await kinds()).toEqual(['REMINDED', 'RENEWAL_OPENED', 'RESCHEDULED']);
    expect(await one(`SELECT count(*)::int AS n FROM processes WHERE kind = 'term-renewal' AND subject_key = $1`, [termRenewalSubject(w.branchId)])).toEqual({ n: 1 });

    // Past the old end: not OVERDUE.
    await until(beijing(addDays(end, 2)));
    expect(await kinds()).toEqual(['REMINDED', 'RENEWAL_OPENED', 'RESCHEDULED']);
    // The day after the new deadline: OVERDUE, escalated once.
    await until(beijing(addDays(deadline, 1)) - 3600_000);
    expect(await kinds()).toEqual(['REMINDED', 'RENEWAL_OPENED', 'RESCHEDULED']);
    await testEnv.sleep('2 hours');
    await waitFor('OVERDUE after the new deadline', async () => (await kinds()).includes('OVERDUE'));
    await testEnv.sleep('10 days');
    expect(await kinds()).toEqual(['REMINDED', 'RENEWAL_OPENED', 'RESCHEDULED', 'OVERDUE']);
    expect((await mails(w.district.email)).map((m) => m.subject)).toEqual([expect.stringMatching(/^【换届逾期】/)]);
  });
});

describe('back-fill and a replaced worker (time-skipping)', () => {
  it('starts one watch per party organisation however often it runs; a new worker finds every watch with its timer', async () => {
    const now = toCalendarDate(new Date(await testEnv.currentTimeMs()));
    const orgs: Array<{ id: string; end: string }> = [];
    for (let i = 0; i < 200; i++) {
      const end = addDays(now, 400 + i);
      orgs.push({ id: (await seed(addYears(end, -3), end)).branchId, end });
    }
    // The worker's back-fill (its client points at the test server).
    const starter = ctx.get(TermWatchStarter);
    const first = await starter.backfill(ds);
    // This test's organisations (a watch the tests above started is left alone).
    expect(first.started).toBe(orgs.length);
    expect(first.organizations).toBeGreaterThanOrEqual(orgs.length);
    expect((await starter.backfill(ds)).started).toBe(0);

    const check = async (): Promise<void> => {
      for (const o of orgs) {
        const s = await waitFor(`the watch of ${o.id}`, async () => {
          const st = await watchState(o.id);
          return st.nextAt !== null ? st : null;
        });
        expect(s).toMatchObject({ termEnd: o.end, phase: 'BEFORE_REMINDER', nextAt: beijing(addDays(o.end, -180)) });
      }
    };
    await check();
    // The worker stops; a new one on the same queue picks every watch up where it slept.
    shared.shutdown();
    await sharedRun;
    expect((await starter.backfill(ds)).started).toBe(0);
    shared = await newWorker();
    sharedRun = shared.run();
    await check();
  });
});
