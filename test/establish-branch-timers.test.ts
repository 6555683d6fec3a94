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
import { stateQuery, workflowIdFor } from '@app/contracts';
import { addDays, addWorkingDays, toCalendarDate } from '@app/domain';
import { workflowBundleOptions } from '@app/temporal';
import { ApprovalActivitiesService } from '../apps/worker/src/activities/approval-activities.service';
import { ProcessActivitiesService } from '../apps/worker/src/activities/process-activities.service';
import { createActivities } from '../apps/worker/src/temporal/temporal-worker.service';
import { createActivitiesContext } from './support/activities-context';
import { waitFor } from './support/net';
import { readState } from './support/state';
import { createDatabase } from './support/system';

let testEnv: TestWorkflowEnvironment;
let ctx: INestApplicationContext;
let ds: DataSource;

beforeAll(async () => {
  const state = readState();
  const databaseUrl = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_timers`);
  ctx = await createActivitiesContext({ DATABASE_URL: databaseUrl, REDIS_PREFIX: `${state.redisPrefix}-timers`, SMTP_URL: 'smtp://127.0.0.1:9' });
  ds = ctx.get<DataSource>(getDataSourceToken());
  testEnv = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: state.temporalTestServer } } });
});

afterAll(async () => {
  await testEnv?.teardown();
  await ctx?.close();
});

/** Registry rows for one institution with three FULL staff members and a process row, written directly. */
async function seed(): Promise<{ processId: string; builderId: string; districtId: string; approverEmail: string; districtEmail: string }> {
  const [township] = await ds.query(`INSERT INTO organizations (name, kind) VALUES ('镇党委', 'TOWNSHIP') RETURNING id`);
  const [district] = await ds.query(`INSERT INTO organizations (name, kind) VALUES ('区委组织部', 'DISTRICT') RETURNING id`);
  const [builder] = await ds.query(`INSERT INTO organizations (name, kind, parent_id) VALUES ('公建方党委', 'PUBLIC_BUILDER', $1) RETURNING id`, [district.id]);
  const [inst] = await ds.query(
    `INSERT INTO institutions (name, type, district, township_org_id, public_builder_org_id) VALUES ('计时养老院', 'PUBLIC_BUILT_PRIVATE_RUN', '鄞州区', $1, $2) RETURNING id`,
    [township.id, builder.id],
  );
  const approverEmail = `approver-${randomUUID()}@example.test`;
  const districtEmail = `district-${randomUUID()}@example.test`;
  for (const [email, org] of [[approverEmail, builder.id], [districtEmail, district.id]] as const) {
    await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', '审批人', $2, '{APPROVER}', $3)`, [
      `approver-${randomUUID()}`,
      email,
      [org],
    ]);
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
  return { processId, builderId: builder.id, districtId: district.id, approverEmail, districtEmail };
}

describe('establish-branch answer deadline (time-skipping)', () => {
  it('reminds 3 working days before and on the due date, then marks it overdue and escalates to the parent, once', async () => {
    const { processId, builderId, districtId, approverEmail, districtEmail } = await seed();
    const taskQueue = `timers-${randomUUID()}`;
    const { workflowsPath, webpackConfigHook } = workflowBundleOptions();
    const worker = await Worker.create({
      connection: testEnv.nativeConnection,
      taskQueue,
      workflowsPath,
      bundlerOptions: { webpackConfigHook },
      activities: createActivities(ctx.get(ProcessActivitiesService), ctx.get(ApprovalActivitiesService)),
    });
    await worker.runUntil(async () => {
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
      expect(await actions()).toEqual(['RULES_PASSED', 'TASK_OPENED']);
      await testEnv.sleep(2 * 3600_000);
      await waitFor('first reminder', async () => (await actions()).includes('REMINDED'));
      await until(dueAt - 3600_000);
      expect((await actions()).filter((a) => a === 'REMINDED')).toHaveLength(2);
      expect((await ds.query(`SELECT overdue FROM tasks WHERE id = $1`, [task.id]))[0].overdue).toBe(false);
      expect((await handle.query(stateQuery)).status).toBe('RUNNING');

      await testEnv.sleep(2 * 3600_000);
      await waitFor('task escalated', async () => (await ds.query(`SELECT 1 FROM tasks WHERE id = $1 AND overdue AND escalated_org_id = $2`, [task.id, districtId]))[0]);
      expect(await actions()).toEqual(['RULES_PASSED', 'TASK_OPENED', 'REMINDED', 'REMINDED', 'TASK_OVERDUE', 'ESCALATED']);
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
