/**
 * A test process over the approval kernel (test/fixtures/workflows/kernel-harness.workflow.ts) on the Temporal dev
 * server, with the worker's real activities over a database of its own. Updates are not time-skipped, so kernel
 * requests are tested here; deadlines are tested on the time-skipping server (kernel-timers.test.ts).
 */
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { decideUpdate, type DecisionArgs, type KernelActivities } from '@app/contracts';
import type { StepSpec } from '../../workflows/kernel/approval-kernel';
import { activityFailuresInterceptor } from '../../apps/worker/src/temporal/activity-failures.interceptor';
import { createActivitiesContext, testActivities } from './activities-context';
import { waitFor } from './net';
import { readState } from './state';
import { createDatabase } from './system';

export interface Org {
  id: string;
  approver: string;
}

export type TaskRow = { id: string; candidate_org_id: string; status: string; assignee_id: string | null; decision: string | null };

export interface KernelHarness {
  ds: DataSource;
  client: Client;
  org(name: string, parentId: string | null, withApprover?: boolean): Promise<Org>;
  user(name: string, orgIds: string[], roles?: string): Promise<string>;
  start(steps: StepSpec[], applicantId: string): Promise<{ processId: string; handle: WorkflowHandle }>;
  tasks(processId: string, status?: string): Promise<TaskRow[]>;
  openTasks(processId: string, n: number): Promise<TaskRow[]>;
  stop(): Promise<void>;
}

export interface KernelHarnessOptions {
  /** Replaces activities (e.g. slows one down to widen a race window); receives the real ones. */
  wrap?: (real: KernelActivities) => Partial<KernelActivities>;
  /** The worker's ACTIVITY_ALERT_AFTER_ATTEMPTS (default 5). */
  alertAfterAttempts?: number;
}

/** Starts the harness worker on a task queue of its own, with the production worker's activity interceptors. */
export async function startKernelHarness(name: string, opts: KernelHarnessOptions = {}): Promise<KernelHarness> {
  const state = readState();
  const databaseUrl = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_${name}`);
  const ctx: INestApplicationContext = await createActivitiesContext({ DATABASE_URL: databaseUrl, REDIS_PREFIX: `${state.redisPrefix}-${name}`, SMTP_URL: 'smtp://127.0.0.1:9' });
  const ds = ctx.get<DataSource>(getDataSourceToken());
  const connection = await Connection.connect({ address: state.temporalAddress });
  const client = new Client({ connection });
  const taskQueue = `${name}-${randomUUID()}`;
  const real = testActivities(ctx);
  const workerConnection = await NativeConnection.connect({ address: state.temporalAddress });
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowBundle: { codePath: state.kernelHarnessBundlePath },
    activities: { ...real, ...(opts.wrap?.(real as unknown as KernelActivities) ?? {}) },
    interceptors: { activity: [activityFailuresInterceptor(ds, opts.alertAfterAttempts ?? 5)] },
  });
  const running = worker.run();

  const user = async (displayName: string, orgIds: string[], roles = '{APPROVER}'): Promise<string> => {
    const [u] = await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', $2, $3, $4, $5) RETURNING id`, [
      `u-${randomUUID()}`,
      displayName,
      `${randomUUID()}@example.test`,
      roles,
      orgIds,
    ]);
    return u.id as string;
  };
  const tasks = async (processId: string, status?: string): Promise<TaskRow[]> => {
    const rows: TaskRow[] = await ds.query(`SELECT id, candidate_org_id, status, assignee_id, decision FROM tasks WHERE process_id = $1 ORDER BY created_at, id`, [processId]);
    return status ? rows.filter((r) => r.status === status) : rows;
  };
  return {
    ds,
    client,
    user,
    async org(name, parentId, withApprover = true) {
      const [o] = await ds.query(`INSERT INTO organizations (name, kind, parent_id) VALUES ($1, 'SPONSOR', $2) RETURNING id`, [name, parentId]);
      return { id: o.id, approver: withApprover ? await user(`${name}审批人`, [o.id]) : '' };
    },
    async start(steps, applicantId) {
      const processId = randomUUID();
      const workflowId = `kernel-test/${processId}`;
      await ds.query(`INSERT INTO processes (id, kind, status, workflow_id, applicant_id, current_step, payload) VALUES ($1, 'joint-organization', 'RUNNING', $2, $3, 'submitted', '{}')`, [
        processId,
        workflowId,
        applicantId,
      ]);
      const handle = await client.workflow.start('kernelHarnessWorkflow', { workflowId, taskQueue, args: [{ processId, steps }] });
      return { processId, handle };
    },
    tasks,
    openTasks: (processId, n) =>
      waitFor(`${n} open task(s)`, async () => {
        const open = await tasks(processId, 'OPEN');
        return open.length === n ? open : null;
      }),
    async stop() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
      await ctx.close();
    },
  };
}

export function decide(handle: WorkflowHandle, task: Pick<TaskRow, 'id'>, org: Org, decision: DecisionArgs['decision'], extra: Partial<DecisionArgs> = {}): Promise<unknown> {
  const decisionId = randomUUID();
  return handle.executeUpdate(decideUpdate, {
    updateId: decisionId,
    args: [{ decisionId, taskId: task.id, decision, comment: `${decision} by ${org.id}`, actorId: org.approver, actorOrgIds: [org.id], ...extra }],
  });
}

/** The refusal type of an update the workflow refused (its validator or its handler). */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return (err.cause as { type?: string }).type ?? 'unknown';
    throw err;
  }
  throw new Error('expected the update to be refused');
}

export const step = (mode: StepSpec['mode'], candidates: string[], stepId = 'review'): StepSpec => ({ stepId, title: `${mode} 审批`, mode, candidates });
