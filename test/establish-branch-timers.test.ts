/**
 * Durable timers of establish-branch on the time-skipping test server, with the worker's real activities:
 * the responsible body has 30 days to answer (DOMAIN.md); past that the task is marked overdue once, the
 * approvers are emailed, and the process keeps waiting for the decision.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decideUpdate, stateQuery, workflowIdFor } from '@app/contracts';
import { addDays, addWorkingDays, addYears, toCalendarDate } from '@app/domain';
import { createActivitiesContext, testActivities } from './support/activities-context';
import { workflowBundle } from './support/histories';
import { waitFor } from './support/net';
import { readState } from './support/state';
import { createDatabase } from './support/system';

let testEnv: TestWorkflowEnvironment;
let ctx: INestApplicationContext;
let ds: DataSource;

beforeAll(async () => {
  const state = readState();
  const databaseUrl = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_timers`);
  // The relation-transfers a new branch opens (ProcessLauncher, on the dev server) go to a queue of their own that no
  // worker polls: this file looks at the establish-branch timers only.
  ctx = await createActivitiesContext({
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `${state.redisPrefix}-timers`,
    SMTP_URL: 'smtp://127.0.0.1:9',
    TEMPORAL_TASK_QUEUE: `timers-launched-${randomUUID()}`,
  });
  ds = ctx.get<DataSource>(getDataSourceToken());
  testEnv = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: state.temporalTestServer } } });
});

afterAll(async () => {
  await testEnv?.teardown();
  await ctx?.close();
});

/** Registry rows for one institution with three FULL staff members and a process row, written directly. */
async function seed(
  type: 'PUBLIC_BUILT_PRIVATE_RUN' | 'PUBLIC' = 'PUBLIC_BUILT_PRIVATE_RUN',
): Promise<{ processId: string; builderId: string; districtId: string; approverEmail: string; districtEmail: string; approverId: string }> {
  const [township] = await ds.query(`INSERT INTO organizations (name, kind) VALUES ('镇党委', 'TOWNSHIP') RETURNING id`);
  const [district] = await ds.query(`INSERT INTO organizations (name, kind) VALUES ('区委组织部', 'DISTRICT') RETURNING id`);
  const [builder] = await ds.query(`INSERT INTO organizations (name, kind, parent_id) VALUES ('公建方党委', 'PUBLIC_BUILDER', $1) RETURNING id`, [district.id]);
  const [inst] = await ds.query(
    `INSERT INTO institutions (name, type, district, township_org_id, ${type === 'PUBLIC' ? 'sponsor_org_id' : 'public_builder_org_id'}) VALUES ($4, $3, '鄞州区', $1, $2) RETURNING id`,
    [township.id, builder.id, type, `计时养老院${randomUUID().slice(0, 8)}`],
  );
  const approverEmail = `approver-${randomUUID()}@example.test`;
  const districtEmail = `district-${randomUUID()}@example.test`;
  const approverIds: string[] = [];
  for (const [email, org] of [[approverEmail, builder.id], [districtEmail, district.id]] as const) {
    const [u] = await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', '审批人', $2, '{APPROVER}', $3) RETURNING id`, [
      `approver-${randomUUID()}`,
      email,
      [org],
    ]);
    approverIds.push(u.id);
  }
  const [applicant] = await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, institution_ids) VALUES ($1, 'x', '申请人', 'a@example.test', '{APPLICANT}', $2) RETURNING id`, [
    `applicant-${randomUUID()}`,
    [inst.id],
  ]);
  const memberIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const [m] = await ds.query(`INSERT INTO party_members (name, institution_id, category, status) VALUES ($1, $2, 'STAFF', 'FULL') RETURNING id`, [`党员${i}`, inst.id]);
    memberIds.push(m.id);
  }
  const processId = randomUUID();
  await ds.query(
    `INSERT INTO processes (id, kind, status, workflow_id, institution_id, applicant_id, current_step, payload) VALUES ($1, 'establish-branch', 'RUNNING', $2, $3, $4, 'submitted', $5)`,
    [processId, workflowIdFor('establish-branch', processId), inst.id, applicant.id, JSON.stringify({ name: '计时养老院党支部', memberIds, elderly: false })],
  );
  return { processId, builderId: builder.id, districtId: district.id, approverEmail, districtEmail, approverId: approverIds[0]! };
}

/** A worker over the real activities on a task queue of its own. */
async function worker(): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = `timers-${randomUUID()}`;
  return { taskQueue, worker: await Worker.create({ connection: testEnv.nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities: testActivities(ctx) }) };
}

describe('establish-branch answer deadline (time-skipping)', () => {
  it('reminds 3 working days before and on the due date, then marks it overdue and escalates to the parent, once', async () => {
    const { processId, builderId, districtId, approverEmail, districtEmail } = await seed();
    const { worker: w, taskQueue } = await worker();
    await w.runUntil(async () => {
      const handle = await testEnv.client.workflow.start('establishBranchWorkflow', {
        workflowId: workflowIdFor('establish-branch', processId),
        taskQueue,
        args: [{ processId, answerDays: 30 }],
      });
      const task = await waitFor('task opened', async () => (await ds.query(`SELECT * FROM tasks WHERE process_id = $1`, [processId]))[0]);
      expect(task.candidate_org_id).toBe(builderId);
      expect(task.overdue).toBe(false);

      // 30 calendar days to answer (DOMAIN.md); reminders at 09:00 Beijing time, 3 working days before and on the due date.
      const dueAt = new Date(task.due_at).getTime();
      const remindAt: number[] = task.remind_at.map((r: string) => new Date(r).getTime());
      expect(toCalendarDate(new Date(dueAt))).toBe(addDays(toCalendarDate(new Date(task.created_at)), 30));
      expect(remindAt.map((r) => toCalendarDate(new Date(r)))).toEqual([addWorkingDays(toCalendarDate(new Date(dueAt)), -3), toCalendarDate(new Date(dueAt))]);
      const actions = async (): Promise<string[]> => (await ds.query(`SELECT action FROM process_events WHERE process_id = $1 ORDER BY id`, [processId])).map((e: { action: string }) => e.action);

      // Sleep to instants on the test server's clock (it runs ahead of the real one once time has been skipped).
      const until = async (at: number): Promise<void> => testEnv.sleep(at - (await testEnv.currentTimeMs()));
      await until(remindAt[0]! - 3600_000);
      // The township guides (指导) a builder-managed institution: copied, never asked.
      expect(await actions()).toEqual(['RULES_PASSED', 'CC', 'TASK_OPENED']);
      await testEnv.sleep(2 * 3600_000);
      await waitFor('first reminder', async () => (await actions()).includes('REMINDED'));
      await until(dueAt - 3600_000);
      expect((await actions()).filter((a) => a === 'REMINDED')).toHaveLength(2);
      expect((await ds.query(`SELECT overdue FROM tasks WHERE id = $1`, [task.id]))[0].overdue).toBe(false);
      expect((await handle.query(stateQuery)).status).toBe('RUNNING');

      await testEnv.sleep(2 * 3600_000);
      await waitFor('task escalated', async () => (await ds.query(`SELECT 1 FROM tasks WHERE id = $1 AND overdue AND escalated_org_id = $2`, [task.id, districtId]))[0]);
      expect(await actions()).toEqual(['RULES_PASSED', 'CC', 'TASK_OPENED', 'REMINDED', 'REMINDED', 'TASK_OVERDUE', 'ESCALATED']);
      const mails = await ds.query(`SELECT template, to_address FROM email_outbox WHERE process_id = $1 ORDER BY created_at, template`, [processId]);
      expect(mails).toEqual([
        { template: 'task-opened', to_address: approverEmail },
        { template: 'task-reminder', to_address: approverEmail },
        { template: 'task-reminder', to_address: approverEmail },
        { template: 'task-overdue', to_address: approverEmail },
        { template: 'task-escalated', to_address: districtEmail },
      ]);

      // Another month passes: nothing fires twice, the process still waits for its approver.
      await testEnv.sleep('40 days');
      const state = await handle.query(stateQuery);
      expect(state).toMatchObject({ status: 'RUNNING', currentStep: 'approve', openTaskId: task.id });
      expect((await ds.query(`SELECT count(*)::int AS n FROM email_outbox WHERE process_id = $1`, [processId]))[0].n).toBe(5);
      await handle.terminate('test done');
    });
  });
});

describe('founding election deadline (time-skipping)', () => {
  it('is due 30 days after approval: reminded, then overdue and escalated once; the term starts on the recorded date', async () => {
    const { processId, builderId, districtId, approverId } = await seed('PUBLIC');
    const { worker: w, taskQueue } = await worker();
    await w.runUntil(async () => {
      const handle = await testEnv.client.workflow.start('establishBranchWorkflow', {
        workflowId: workflowIdFor('establish-branch', processId),
        taskQueue,
        args: [{ processId, answerDays: 30, foundingElectionDays: 30 }],
      });
      const approve = await waitFor('approval task', async () => (await ds.query(`SELECT * FROM tasks WHERE process_id = $1 AND step = 'approve'`, [processId]))[0]);
      const decide = (taskId: string, data?: Record<string, unknown>): Promise<unknown> => {
        const decisionId = randomUUID();
        return handle.executeUpdate(decideUpdate, {
          updateId: decisionId,
          args: [{ decisionId, taskId, decision: 'APPROVE', comment: '同意', actorId: approverId, actorOrgIds: [builderId], ownOrgIds: [builderId], standsInFor: [], ...(data ? { data } : {}) }],
        });
      };
      await decide(approve.id);
      const election = await waitFor('founding-election task', async () => (await ds.query(`SELECT * FROM tasks WHERE process_id = $1 AND step = 'founding-election'`, [processId]))[0]);
      // The new branch has no approver of its own yet: its responsible body records the election.
      expect(election.candidate_org_id).toBe(builderId);
      // On the test server's clock, which earlier tests of this file moved ahead.
      expect(toCalendarDate(new Date(election.due_at))).toBe(addDays(toCalendarDate(new Date(await testEnv.currentTimeMs())), 30));
      const [{ result }] = await ds.query(`SELECT status, result FROM processes WHERE id = $1`, [processId]);
      const orgId = result.partyOrganizationId as string;
      expect((await ds.query(`SELECT term_start FROM organizations WHERE id = $1`, [orgId]))[0].term_start).toBeNull();

      const events = async (): Promise<string[]> =>
        (await ds.query(`SELECT action FROM process_events WHERE process_id = $1 AND (data->>'taskId' = $2 OR action IN ('TASK_OVERDUE')) ORDER BY id`, [processId, election.id])).map(
          (e: { action: string }) => e.action,
        );
      await testEnv.sleep(new Date(election.due_at).getTime() - (await testEnv.currentTimeMs()) + 3600_000);
      await waitFor('election overdue and escalated', async () => (await ds.query(`SELECT 1 FROM tasks WHERE id = $1 AND overdue AND escalated_org_id = $2`, [election.id, districtId]))[0]);
      expect((await events()).filter((a) => a === 'REMINDED')).toHaveLength(2);
      await testEnv.sleep('20 days');
      expect((await events()).filter((a) => a === 'ESCALATED' || a === 'TASK_OVERDUE')).toEqual(['TASK_OVERDUE', 'ESCALATED']);
      expect((await ds.query(`SELECT count(*)::int AS n FROM process_events WHERE process_id = $1 AND action = 'ESCALATED'`, [processId]))[0].n).toBe(1);

      // Recorded late, the election still starts the term on its own date.
      const electionDate = toCalendarDate(new Date((await testEnv.currentTimeMs()) - 86_400_000));
      await decide(election.id, { electionDate });
      expect(await handle.result()).toMatchObject({ status: 'APPROVED' });
      const [org] = await ds.query(`SELECT to_char(term_start, 'YYYY-MM-DD') AS start, to_char(term_end, 'YYYY-MM-DD') AS end FROM organizations WHERE id = $1`, [orgId]);
      expect(org).toEqual({ start: electionDate, end: addYears(electionDate, 3) });
    });
  });
});
