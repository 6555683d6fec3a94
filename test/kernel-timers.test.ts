/**
 * The kernel's working-day deadlines on the time-skipping test server, with the worker's real activities: a step
 * without a calendar-day limit is due after the policy's 15 working days, counted on the calendar in settings
 * (holidays skipped, make-up working days counted). Reminders fire at 09:00 Beijing time 3 working days before and
 * on the due date; past it the task is overdue and escalates to the parent organisation, each once.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { addDays, addWorkingDays, endOfShanghaiDay, isoDayOfWeek, startOfShanghaiDay, toCalendarDate } from '@app/domain';
import type { StepSpec } from '../workflows/kernel/approval-kernel';
import { createActivitiesContext, testActivities } from './support/activities-context';
import { waitFor } from './support/net';
import { readState } from './support/state';
import { createDatabase } from './support/system';

let testEnv: TestWorkflowEnvironment;
let ctx: INestApplicationContext;
let ds: DataSource;

beforeAll(async () => {
  const state = readState();
  const databaseUrl = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_kernel_timers`);
  ctx = await createActivitiesContext({ DATABASE_URL: databaseUrl, REDIS_PREFIX: `${state.redisPrefix}-kernel-timers`, SMTP_URL: 'smtp://127.0.0.1:9' });
  ds = ctx.get<DataSource>(getDataSourceToken());
  testEnv = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: state.temporalTestServer } } });
});

afterAll(async () => {
  await testEnv?.teardown();
  await ctx?.close();
});

/** The first `n` days after `from` whose ISO weekday passes `keep`. */
function nextDays(from: string, n: number, keep: (isoDay: number) => boolean): string[] {
  const out: string[] = [];
  for (let d = addDays(from, 1); out.length < n; d = addDays(d, 1)) if (keep(isoDayOfWeek(d))) out.push(d);
  return out;
}

describe('approval kernel deadlines on the working-day calendar (time-skipping)', () => {
  it('counts 15 working days around holidays and make-up days; reminds, marks overdue and escalates on those days, once', async () => {
    const [parent] = await ds.query(`INSERT INTO organizations (name, kind) VALUES ('区委组织部', 'DISTRICT') RETURNING id`);
    const [org] = await ds.query(`INSERT INTO organizations (name, kind, parent_id) VALUES ('主办单位党委', 'SPONSOR', $1) RETURNING id`, [parent.id]);
    for (const o of [org.id, parent.id]) {
      await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', '审批人', $2, '{APPROVER}', $3)`, [
        `u-${randomUUID()}`,
        `${randomUUID()}@example.test`,
        [o],
      ]);
    }
    const [applicant] = await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles) VALUES ($1, 'x', '申请人', 'a@example.test', '{APPLICANT}') RETURNING id`, [
      `a-${randomUUID()}`,
    ]);

    // The calendar: the next three weekdays are public holidays, the next Saturday is a make-up working day.
    const today = toCalendarDate(new Date(await testEnv.currentTimeMs()));
    const holidays = nextDays(today, 3, (d) => d <= 5);
    const extraWorkdays = nextDays(today, 1, (d) => d === 6);
    await ds.query(`UPDATE settings SET value = $1::jsonb WHERE key = 'calendar'`, [JSON.stringify({ holidays, extraWorkdays })]);
    const due = addWorkingDays(today, 15, holidays, extraWorkdays);
    expect(due).not.toBe(addWorkingDays(today, 15)); // the calendar matters for this case
    const remindDays = [addWorkingDays(due, -3, holidays, extraWorkdays), due];

    const processId = randomUUID();
    const workflowId = `kernel-timers/${processId}`;
    await ds.query(`INSERT INTO processes (id, kind, status, workflow_id, applicant_id, current_step, payload) VALUES ($1, 'annual-budget', 'RUNNING', $2, $3, 'submitted', '{}')`, [
      processId,
      workflowId,
      applicant.id,
    ]);
    const taskQueue = `kernel-timers-${randomUUID()}`;
    const worker = await Worker.create({
      connection: testEnv.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: readState().kernelHarnessBundlePath },
      activities: testActivities(ctx),
    });
    const steps: StepSpec[] = [{ stepId: 'review', title: '审核', mode: 'SINGLE', candidates: [org.id] }];
    await worker.runUntil(async () => {
      const handle = await testEnv.client.workflow.start('kernelHarnessWorkflow', { workflowId, taskQueue, args: [{ processId, steps }] });
      const task = await waitFor('task opened', async () => (await ds.query(`SELECT * FROM tasks WHERE process_id = $1`, [processId]))[0]);
      expect(new Date(task.due_at).getTime()).toBe(endOfShanghaiDay(due).getTime());
      const remindAt = remindDays.map((d) => startOfShanghaiDay(d).getTime() + 9 * 3_600_000);
      expect(task.remind_at.map((r: string) => new Date(r).getTime())).toEqual(remindAt);

      const actions = async (): Promise<string[]> => (await ds.query(`SELECT action FROM process_events WHERE process_id = $1 ORDER BY id`, [processId])).map((e: { action: string }) => e.action);
      const until = async (at: number): Promise<void> => testEnv.sleep(Math.max(at - (await testEnv.currentTimeMs()), 1));

      // Nothing before the first reminder's instant; one reminder just after it.
      await until(remindAt[0]! - 60_000);
      expect(await actions()).toEqual(['TASK_OPENED']);
      await until(remindAt[0]! + 60_000);
      await waitFor('first reminder', async () => (await actions()).includes('REMINDED') || null);
      expect(await actions()).toEqual(['TASK_OPENED', 'REMINDED']);

      // The due-day reminder (not before its instant), then nothing until the end of the due day.
      await until(remindAt[1]! - 60_000);
      expect(await actions()).toEqual(['TASK_OPENED', 'REMINDED']);
      await until(remindAt[1]! + 60_000);
      await waitFor('second reminder', async () => (await actions()).filter((a) => a === 'REMINDED').length === 2 || null);
      await until(endOfShanghaiDay(due).getTime() - 60_000);
      expect((await ds.query(`SELECT overdue FROM tasks WHERE id = $1`, [task.id]))[0].overdue).toBe(false);

      await until(endOfShanghaiDay(due).getTime() + 60_000);
      await waitFor('escalated', async () => (await ds.query(`SELECT 1 FROM tasks WHERE id = $1 AND overdue AND escalated_org_id = $2`, [task.id, parent.id]))[0]);
      expect(await actions()).toEqual(['TASK_OPENED', 'REMINDED', 'REMINDED', 'TASK_OVERDUE', 'ESCALATED']);

      // A month later nothing has fired twice and the step still waits for a decision.
      await testEnv.sleep('30 days');
      expect(await actions()).toEqual(['TASK_OPENED', 'REMINDED', 'REMINDED', 'TASK_OVERDUE', 'ESCALATED']);
      await handle.terminate('test done');
    });
  });
});
