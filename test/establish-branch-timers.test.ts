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
import { workflowBundleOptions } from '@app/temporal';
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
async function seed(): Promise<{ processId: string; builderId: string; approverEmail: string }> {
  const [township] = await ds.query(`INSERT INTO organizations (name, kind) VALUES ('镇党委', 'TOWNSHIP') RETURNING id`);
  const [builder] = await ds.query(`INSERT INTO organizations (name, kind) VALUES ('公建方党委', 'PUBLIC_BUILDER') RETURNING id`);
  const [inst] = await ds.query(
    `INSERT INTO institutions (name, type, district, township_org_id, public_builder_org_id) VALUES ('计时养老院', 'PUBLIC_BUILT_PRIVATE_RUN', '鄞州区', $1, $2) RETURNING id`,
    [township.id, builder.id],
  );
  const approverEmail = `approver-${randomUUID()}@example.test`;
  await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', '审批人', $2, '{APPROVER}', $3)`, [
    `approver-${randomUUID()}`,
    approverEmail,
    [builder.id],
  ]);
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
  return { processId, builderId: builder.id, approverEmail };
}

describe('establish-branch answer deadline (time-skipping)', () => {
  it('marks the task overdue after 30 days, emails the approvers once, and keeps waiting', async () => {
    const { processId, builderId, approverEmail } = await seed();
    const taskQueue = `timers-${randomUUID()}`;
    const { workflowsPath, webpackConfigHook } = workflowBundleOptions();
    const worker = await Worker.create({
      connection: testEnv.nativeConnection,
      taskQueue,
      workflowsPath,
      bundlerOptions: { webpackConfigHook },
      activities: createActivities(ctx.get(ProcessActivitiesService)),
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

      await testEnv.sleep('29 days');
      expect((await ds.query(`SELECT overdue FROM tasks WHERE id = $1`, [task.id]))[0].overdue).toBe(false);
      expect((await handle.query(stateQuery)).status).toBe('RUNNING');

      await testEnv.sleep('2 days');
      await waitFor('task marked overdue', async () => (await ds.query(`SELECT overdue FROM tasks WHERE id = $1 AND overdue`, [task.id]))[0]);
      const events = await ds.query(`SELECT action FROM process_events WHERE process_id = $1 ORDER BY id`, [processId]);
      expect(events.map((e: { action: string }) => e.action)).toEqual(['RULES_PASSED', 'TASK_OPENED', 'TASK_OVERDUE']);
      const mails = await ds.query(`SELECT template, to_address FROM email_outbox WHERE process_id = $1 ORDER BY created_at`, [processId]);
      expect(mails).toEqual([
        { template: 'task-opened', to_address: approverEmail },
        { template: 'task-overdue', to_address: approverEmail },
      ]);

      // Another month passes: no second overdue mark or email, the process still waits for its approver.
      await testEnv.sleep('40 days');
      const state = await handle.query(stateQuery);
      expect(state).toMatchObject({ status: 'RUNNING', currentStep: 'approve', openTaskId: task.id });
      expect((await ds.query(`SELECT count(*)::int AS n FROM email_outbox WHERE process_id = $1`, [processId]))[0].n).toBe(2);
      await handle.terminate('test done');
    });
  });
});
