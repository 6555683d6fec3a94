/**
 * secretary-dispatch and its weekly duty on the time-skipping test server with the worker's real activities: the
 * builder's approval starts the duty loop; 8 weeks are assessed each on its Monday 00:00 Beijing time, two missed
 * weeks in a row escalate to the dispatching body exactly once (a third miss in the same streak, after a holiday
 * week that is exempt, does not escalate again), each missed week reminds the person, the loop continues as new
 * every 4 weeks, and a decision ends the dispatch.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { decideUpdate, dutyStateQuery, endDispatchUpdate, secretaryDispatch, secretaryDispatchSubject, workflowIdFor, type SecretaryDispatchPayload } from '@app/contracts';
import { addDays, isoWeekOf, nextDutyAssessmentAt, toCalendarDate } from '@app/domain';
import { OverdueService } from '../apps/api/src/admin/overdue.service';
import { ScopeService } from '../apps/api/src/common/scope.service';
import { ComplianceService } from '../apps/api/src/policy/compliance.service';
import { SettingsService } from '@app/persistence';
import { ActivityRegistry } from '../apps/worker/src/activities/process-activities.module';
import { createActivitiesContext, testActivities } from './support/activities-context';
import { HISTORY_DIR, replay, workflowBundle } from './support/histories';
import { waitFor } from './support/net';
import { readState } from './support/state';
import { createDatabase } from './support/system';

let testEnv: TestWorkflowEnvironment;
let ctx: INestApplicationContext;
let ds: DataSource;

const WEEK = 7 * 86_400_000;
const HOUR = 3_600_000;

beforeAll(async () => {
  const state = readState();
  const databaseUrl = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_dispatch_timers`);
  testEnv = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: state.temporalTestServer } } });
  // The activity that starts the duty loop does so on the test server.
  ctx = await createActivitiesContext({ DATABASE_URL: databaseUrl, REDIS_PREFIX: `${state.redisPrefix}-dispatch-timers`, SMTP_URL: 'smtp://127.0.0.1:9', TEMPORAL_ADDRESS: testEnv.address });
  ds = ctx.get<DataSource>(getDataSourceToken());
});

afterAll(async () => {
  await testEnv?.teardown();
  await ctx?.close();
});

async function newWorker(): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = `dispatch-timers-${randomUUID()}`;
  const worker = await Worker.create({ connection: testEnv.nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities: testActivities(ctx) });
  return { worker, taskQueue };
}

const one = async (sql: string, params: unknown[] = []): Promise<any> => (await ds.query(sql, params))[0];

async function user(roles: string, column: 'organization_ids' | 'institution_ids', ids: string[]): Promise<{ id: string; email: string; orgId: string }> {
  const email = `${randomUUID()}@example.test`;
  const u = await one(`INSERT INTO users (username, password_hash, display_name, email, roles, ${column}) VALUES ($1, 'x', '经办人', $2, $3, $4) RETURNING id`, [`u-${randomUUID()}`, email, roles, ids]);
  return { id: u.id, email, orgId: ids[0] ?? '' };
}

/** A PUBLIC_BUILT_PRIVATE_RUN institution with its branch (no secretary yet), the builder under a district. */
async function seed() {
  const district = await one(`INSERT INTO organizations (name, kind) VALUES ('区委组织部', 'DISTRICT') RETURNING id`);
  const township = await one(`INSERT INTO organizations (name, kind, parent_id) VALUES ('街道党工委', 'TOWNSHIP', $1) RETURNING id`, [district.id]);
  const builder = await one(`INSERT INTO organizations (name, kind, parent_id) VALUES ('公建方党委', 'PUBLIC_BUILDER', $1) RETURNING id`, [district.id]);
  const inst = await one(
    `INSERT INTO institutions (name, type, district, township_org_id, public_builder_org_id, operator_name) VALUES ($1, 'PUBLIC_BUILT_PRIVATE_RUN', '海曙区', $2, $3, '某养老服务公司') RETURNING id`,
    [`选派养老院${randomUUID().slice(0, 8)}`, township.id, builder.id],
  );
  const branch = await one(`INSERT INTO organizations (name, kind, parent_id, institution_id) VALUES ('养老院党支部', 'BRANCH', $1, $2) RETURNING id`, [builder.id, inst.id]);
  await ds.query(`UPDATE institutions SET party_organization_id = $1 WHERE id = $2`, [branch.id, inst.id]);
  return {
    institutionId: inst.id as string,
    builderId: builder.id as string,
    districtId: district.id as string,
    namer: await user('{APPROVER}', 'organization_ids', [builder.id]),
    decider: await user('{APPROVER}', 'organization_ids', [builder.id]),
    district: await user('{APPROVER}', 'organization_ids', [district.id]),
    person: await user('{APPLICANT}', 'institution_ids', []),
  };
}
type World = Awaited<ReturnType<typeof seed>>;

async function start(w: World, taskQueue: string, payload: SecretaryDispatchPayload) {
  const processId = randomUUID();
  const workflowId = workflowIdFor('secretary-dispatch', processId);
  await ds.query(
    `INSERT INTO processes (id, kind, status, workflow_id, institution_id, applicant_id, subject_key, current_step, payload) VALUES ($1, 'secretary-dispatch', 'RUNNING', $2, $3, $4, $5, 'submitted', $6)`,
    [processId, workflowId, w.institutionId, w.namer.id, secretaryDispatchSubject(payload.institutionId, payload.role), JSON.stringify(payload)],
  );
  const handle = await testEnv.client.workflow.start('secretaryDispatchWorkflow', { workflowId, taskQueue, args: [{ processId }] });
  return { processId, handle };
}

const openTask = (processId: string, step: string): Promise<any> =>
  waitFor(`the ${step} task`, async () => one(`SELECT * FROM tasks WHERE process_id = $1 AND step = $2 AND status = 'OPEN'`, [processId, step]));

/** The CLI's JSON form of a history from the test server, stored for test/workflow-replay.test.ts. */
function record(name: string, history: Parameters<typeof historyToJSON>[0]): void {
  if (process.env.RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORY_DIR, { recursive: true });
  writeFileSync(path.join(HISTORY_DIR, `${name}.json`), historyToJSON(history));
}

describe('R8 at admission', () => {
  it('refuses a first secretary where the branch has no secretary, and an instructor where an organisation exists, naming R8', async () => {
    const w = await seed();
    const registry = ctx.get(ActivityRegistry);
    const base = { institutionId: w.institutionId, personName: '张选派', from: toCalendarDate(new Date()) };
    const first = await registry.admit(secretaryDispatch, { payload: { ...base, role: 'FIRST_SECRETARY' }, actorId: w.namer.id });
    expect(first).toMatchObject({ allowed: false, fieldErrors: [], institutionId: w.institutionId });
    expect(first.findings).toEqual([expect.objectContaining({ ruleId: 'R8', severity: 'VIOLATION', message: expect.stringContaining('不选派第一书记') })]);
    const instructor = await registry.admit(secretaryDispatch, { payload: { ...base, role: 'INSTRUCTOR' }, actorId: w.namer.id });
    expect(instructor.findings).toEqual([expect.objectContaining({ ruleId: 'R8', severity: 'VIOLATION' })]);
    const secretary = await registry.admit(secretaryDispatch, { payload: { ...base, role: 'SECRETARY' }, actorId: w.namer.id });
    expect(secretary).toMatchObject({ allowed: true, subjectKey: `dispatch:${w.institutionId}:SECRETARY` });
    // The builder's approvers may name the person; the institution's own applicants may not.
    expect([...secretary.applicantUserIds].sort()).toEqual([w.namer.id, w.decider.id].sort());
    expect(secretary.applicantInstitutionIds).toEqual([]);
  });
});

describe('weekly duty (time-skipping)', () => {
  it('8 weeks: each assessed on its Monday, two misses in a row escalate to the builder exactly once, a holiday week is exempt; a decision ends it', async () => {
    const w = await seed();
    const { worker, taskQueue } = await newWorker();
    // The dispatch starts on the next Monday (Beijing); week i runs from monday(i) to monday(i + 1).
    const m0 = nextDutyAssessmentAt(await testEnv.currentTimeMs());
    const monday = (i: number): number => m0 + i * WEEK;
    const dateOf = (ms: number): string => toCalendarDate(new Date(ms));
    const weekKey = (i: number): string => isoWeekOf(dateOf(monday(i))).key;
    // Week 5 (index 4) is a holiday week: Monday to Friday off (the working-day calendar).
    const holidays = [0, 1, 2, 3, 4].map((d) => addDays(dateOf(monday(4)), d));
    await ds.query(`UPDATE settings SET value = $1 WHERE key = 'calendar'`, [JSON.stringify({ holidays, extraWorkdays: [] })]);
    // Confirmed hours on site per week: met, met, missed, missed, (holiday), missed, met, met.
    const plan = [4, 5, 1, 0, 0, 0, 4, 4.5];
    const expected = ['MET', 'MET', 'MISSED', 'MISSED', 'EXEMPT', 'MISSED', 'MET', 'MET'];

    const { processId, handle } = await start(w, taskQueue, { institutionId: w.institutionId, role: 'SECRETARY', personName: '张选派', personUserId: w.person.id, from: dateOf(m0) });
    let dutyWorkflowId = '';
    let firstRunId = '';
    await worker.runUntil(async () => {
      const task = await openTask(processId, 'approve');
      expect(task.candidate_org_id).toBe(w.builderId);
      const decisionId = randomUUID();
      await handle.executeUpdate(decideUpdate, {
        updateId: decisionId,
        args: [{ decisionId, taskId: task.id, decision: 'APPROVE', comment: '同意选派', actorId: w.decider.id, actorOrgIds: [w.builderId], ownOrgIds: [w.builderId], standsInFor: [] }],
      });
      expect(await handle.result()).toMatchObject({ status: 'APPROVED' });
      const dispatch = await one(`SELECT * FROM dispatches WHERE process_id = $1`, [processId]);
      expect(dispatch).toMatchObject({ status: 'ACTIVE', role: 'SECRETARY', dispatching_org_id: w.builderId, person_user_id: w.person.id });
      dutyWorkflowId = dispatch.duty_workflow_id;
      const duty = testEnv.client.workflow.getHandle(dutyWorkflowId);
      firstRunId = (await duty.describe()).runId;
      expect((await one(`SELECT status, result FROM processes WHERE id = $1`, [processId])).result).toMatchObject({ dispatchId: dispatch.id, dutyWorkflowId });

      const until = async (at: number): Promise<void> => testEnv.sleep(Math.max(at - (await testEnv.currentTimeMs()), 1));
      for (let i = 0; i < 8; i++) {
        // Wednesday of the week: the person was on site, and the institution confirmed it.
        await until(monday(i) + 2 * 86_400_000 + 10 * HOUR);
        if (plan[i]! > 0) {
          await ds.query(`INSERT INTO duty_logs (dispatch_id, date, minutes, logged_by_id, confirmed_at, confirmed_by_id) VALUES ($1, $2, $3, $4, now(), $5)`, [
            dispatch.id,
            dateOf(monday(i) + 2 * 86_400_000),
            Math.round(plan[i]! * 60),
            w.person.id,
            w.namer.id,
          ]);
        }
        // Not assessed before its Monday 00:00 Beijing time…
        await until(monday(i + 1) - HOUR);
        expect(await one(`SELECT 1 AS x FROM duty_weeks WHERE dispatch_id = $1 AND week = $2`, [dispatch.id, weekKey(i)])).toBeUndefined();
        // …and assessed on it.
        await until(monday(i + 1) + HOUR);
        const row = await waitFor(`week ${i + 1} assessed`, async () => one(`SELECT status FROM duty_weeks WHERE dispatch_id = $1 AND week = $2`, [dispatch.id, weekKey(i)]));
        expect([i + 1, row.status]).toEqual([i + 1, expected[i]]);
        if (i === 3) {
          // Two missed in a row: the compliance card shows the weeks, /admin/overdue the dispatch short of duty.
          const settings = ctx.get(SettingsService);
          const adminUser = { id: w.namer.id, username: 'admin', displayName: '管理员', email: '', roles: ['ADMIN' as const], organizationIds: [], institutionIds: [], memberId: null };
          const card = await new ComplianceService(ds, settings, new ScopeService(ds)).forInstitution(adminUser, w.institutionId);
          expect(card.dispatches).toEqual([
            expect.objectContaining({ id: dispatch.id, role: 'SECRETARY', status: 'ACTIVE', consecutiveMissed: 2, weeks: [0, 1, 2, 3].map((k) => ({ week: weekKey(k), status: expected[k] })) }),
          ]);
          const overdue = await new OverdueService(ds, settings).report();
          expect(overdue.dispatches).toEqual([
            expect.objectContaining({
              dispatchId: dispatch.id,
              institutionId: w.institutionId,
              dispatchingOrgId: w.builderId,
              lastWeek: weekKey(3),
              consecutiveMissed: 2,
              streakStart: weekKey(2),
              escalatedToDispatcher: true,
              escalatedToParent: false,
            }),
          ]);
          expect(overdue.counts.dispatches).toBe(1);
        }
      }
      // The streak is over (two met weeks): nothing short of duty any more.
      expect((await new OverdueService(ds, ctx.get(SettingsService)).report()).dispatches).toEqual([]);
      const alerts = await ds.query(`SELECT kind, alert_key, week, org_id, consecutive_missed FROM dispatch_alerts WHERE dispatch_id = $1 ORDER BY created_at, kind`, [dispatch.id]);
      expect(alerts).toEqual([
        { kind: 'REMIND_PERSON', alert_key: weekKey(2), week: weekKey(2), org_id: null, consecutive_missed: 1 },
        { kind: 'ESCALATE_DISPATCHER', alert_key: weekKey(2), week: weekKey(3), org_id: w.builderId, consecutive_missed: 2 },
        { kind: 'REMIND_PERSON', alert_key: weekKey(3), week: weekKey(3), org_id: null, consecutive_missed: 2 },
        // The holiday week neither counts nor breaks the streak; the third miss is the same streak: no second escalation.
        { kind: 'REMIND_PERSON', alert_key: weekKey(5), week: weekKey(5), org_id: null, consecutive_missed: 3 },
      ]);
      const emails = await ds.query(`SELECT to_address, subject FROM email_outbox WHERE process_id = $1 AND template = 'duty-alert' ORDER BY subject, to_address`, [processId]);
      expect(emails.filter((e: any) => e.subject.includes('连续缺勤上报')).map((e: any) => e.to_address).sort()).toEqual([w.namer.email, w.decider.email].sort());
      expect(emails.filter((e: any) => e.subject.includes('驻点提醒')).map((e: any) => e.to_address)).toEqual([w.person.email, w.person.email, w.person.email]);
      expect(await ds.query(`SELECT 1 FROM email_outbox WHERE to_address = $1`, [w.district.email])).toEqual([]);
      const timeline = (await ds.query(`SELECT action FROM process_events WHERE process_id = $1 ORDER BY id`, [processId])).map((e: any) => e.action);
      expect(timeline.filter((a: string) => a === 'DUTY_ESCALATED')).toHaveLength(1);
      expect(timeline.filter((a: string) => a === 'DUTY_REMINDED')).toHaveLength(3);

      // The loop continued as new every 4 weeks; the first run's history is that of a month.
      const first = testEnv.client.workflow.getHandle(dutyWorkflowId, firstRunId);
      expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');
      const firstHistory = await first.fetchHistory();
      expect(firstHistory.events!.length).toBeLessThan(120);
      await replay(firstHistory, dutyWorkflowId);
      record('secretary-dispatch-duty-v1-month', firstHistory);

      // A decision ends it.
      const state = await duty.executeUpdate(endDispatchUpdate, { args: [{ actorId: w.decider.id, reason: '工作调整' }] });
      expect(state).toMatchObject({ status: 'ENDED' });
      await duty.result();
      const ended = await one(`SELECT status, end_reason, ended_on FROM dispatches WHERE id = $1`, [dispatch.id]);
      expect(ended).toMatchObject({ status: 'ENDED', end_reason: '工作调整' });
      const lastHistory = await duty.fetchHistory();
      await replay(lastHistory, dutyWorkflowId);
      record('secretary-dispatch-duty-v1-ended', lastHistory);
      const processHistory = await handle.fetchHistory();
      await replay(processHistory, handle.workflowId);
      record('secretary-dispatch-v1-approved', processHistory);
      await expect(duty.query(dutyStateQuery)).resolves.toMatchObject({ status: 'ENDED' });
    });
    await ds.query(`UPDATE settings SET value = $1 WHERE key = 'calendar'`, [JSON.stringify({ holidays: [], extraWorkdays: [] })]);
  });

  it('ends on its end date: the last whole week is assessed, then the dispatch is ENDED', async () => {
    const w = await seed();
    const { worker, taskQueue } = await newWorker();
    const m0 = nextDutyAssessmentAt(await testEnv.currentTimeMs());
    const from = toCalendarDate(new Date(m0));
    const to = addDays(from, 9); // a Wednesday: one whole week, then a partial one
    const { processId, handle } = await start(w, taskQueue, { institutionId: w.institutionId, role: 'SECRETARY', personName: '李选派', personUserId: w.person.id, from, to });
    await worker.runUntil(async () => {
      const task = await openTask(processId, 'approve');
      const decisionId = randomUUID();
      await handle.executeUpdate(decideUpdate, {
        updateId: decisionId,
        args: [{ decisionId, taskId: task.id, decision: 'APPROVE', comment: '同意', actorId: w.decider.id, actorOrgIds: [w.builderId], ownOrgIds: [w.builderId], standsInFor: [] }],
      });
      await handle.result();
      const dispatch = await one(`SELECT * FROM dispatches WHERE process_id = $1`, [processId]);
      const duty = testEnv.client.workflow.getHandle(dispatch.duty_workflow_id);
      // The day after its end date, 00:00 Beijing time.
      const endsAt = m0 + 10 * 86_400_000;
      await testEnv.sleep(endsAt - HOUR - (await testEnv.currentTimeMs()));
      expect((await one(`SELECT status FROM dispatches WHERE id = $1`, [dispatch.id])).status).toBe('ACTIVE');
      await testEnv.sleep(2 * HOUR);
      await waitFor('the dispatch ended', async () => (await one(`SELECT status FROM dispatches WHERE id = $1`, [dispatch.id])).status === 'ENDED');
      await expect(duty.result()).resolves.toMatchObject({ status: 'ENDED' });
    expect(await one(`SELECT status, ended_on::text AS ended_on, end_reason FROM dispatches WHERE id = $1`, [dispatch.id])).toEqual({ status: 'ENDED', ended_on: to, end_reason: '选派期满' });
      const weeks = await ds.query(`SELECT week, status FROM duty_weeks WHERE dispatch_id = $1`, [dispatch.id]);
      expect(weeks).toEqual([{ week: isoWeekOf(from).key, status: 'MISSED' }]);
    });
  });
});
