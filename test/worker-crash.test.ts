/**
 * Killing the worker (SIGKILL, no goodbye) while a process waits for its approver, or while it applies a
 * decision, loses nothing and does nothing twice: the process completes after a restart, exactly one
 * organization exists and every email is delivered exactly once. Killed while 200 term watches sleep, it loses
 * none: after the restart each organisation still has exactly one watch, whose next timer is right.
 */
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { EMAIL_JOB, EMAIL_QUEUE } from '@app/contracts';
import { emailJobOptions } from '@app/notifications';
import { termWatchQuery, termWatchWorkflowId, type TermWatchState } from '@app/contracts';
import { addDays, startOfShanghaiDay, toCalendarDate } from '@app/domain';
import { buildWorld, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { readState } from './support/state';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('crash', { EMAIL_CLAIM_SECONDS: '5' }));
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

async function submitAndWaitForTask(world: World): Promise<{ processId: string; taskId: string }> {
  const created = expectStatus(
    await world.applicant.post('/processes/establish-branch', {
      institutionId: world.institution.id,
      name: `${world.institution.name}党支部`,
      memberIds: world.members.map((m) => m.id),
    }),
    201,
  ).body;
  const task = await waitFor('open task', async () => {
    const inbox = expectStatus(await world.approver.get('/tasks'), 200).body;
    return inbox.items.find((t: any) => t.processId === created.id);
  });
  await waitFor('task email', async () => sys.mail.to(world.approverUser.email).length >= 1);
  return { processId: created.id, taskId: task.id };
}

async function assertExactlyOnce(world: World, processId: string, delivery: 'exactly-once' | 'same-message-id' = 'exactly-once'): Promise<void> {
  const proc = expectStatus(await admin.get(`/processes/${processId}`), 200).body;
  expect(proc.status).toBe('APPROVED');
  const orgs = await db.query('SELECT id FROM organizations WHERE created_by_process_id = $1', [processId]);
  expect(orgs.rows).toHaveLength(1);
  expect(proc.result.partyOrganizationId).toBe(orgs.rows[0].id);
  // A job killed mid-send is only released by BullMQ's stalled-job check (lock 30 s, checked every 30 s): up to a
  // minute and more before it is sent again.
  await waitFor('decision email', async () => sys.mail.to(world.applicantUser.email).some((m) => m.subject.includes('成立党支部')), 120_000);
  // Give the outbox sweeper (every 2 s here) and expired claims (5 s here) several rounds to resend, if they would.
  await new Promise((r) => setTimeout(r, 8000));
  await waitFor('outbox settled', async () => {
    const rows = (await db.query(`SELECT status FROM email_outbox WHERE process_id = $1`, [processId])).rows;
    // The approval's task email, the decision's email to the applicant, the founding election's task email.
    return rows.length === 3 && rows.every((r) => r.status === 'SENT');
    // A job killed mid-send is only released by BullMQ's stalled-job check (lock 30 s, checked every 30 s).
  }, 90_000);
  // (The new branch also opens relation-transfers for its founding members, R11: their emails are not this process's.)
  for (const [address, emails] of [[world.approverUser.email, 2], [world.applicantUser.email, 1]] as const) {
    const got = sys.mail.to(address).filter((m) => m.subject.includes('成立党支部'));
    if (delivery === 'exactly-once') expect(got).toHaveLength(emails);
    // A kill inside the SMTP exchange itself cannot be settled by any sender: the copy carries the same Message-ID.
    expect(new Set(got.map((g) => g.messageId)).size).toBe(emails);
  }
  // Read again: the founding election's task opens after the decision was answered.
  const actions = expectStatus(await admin.get(`/processes/${processId}`), 200).body.timeline.map((e: any) => e.action);
  for (const once of ['SUBMITTED', 'APPROVE', 'ORGANIZATION_CREATED', 'STATUS_APPROVED']) {
    expect(actions.filter((a: string) => a === once)).toHaveLength(1);
  }
  // The approval's task, then the founding election's.
  expect(actions.filter((a: string) => a === 'TASK_OPENED')).toHaveLength(2);
}

describe('worker crash and restart', () => {
  it('completes a decision made while the worker is dead once it is back', async () => {
    const world = await buildWorld(admin, 3);
    const { processId, taskId } = await submitAndWaitForTask(world);
    await sys.killWorker('SIGKILL');
    // The API waits for the workflow to accept the update; the worker comes back meanwhile.
    const decision = world.approver.post(`/tasks/${taskId}/decision`, { decision: 'APPROVE', comment: '同意（重启后）' });
    await new Promise((r) => setTimeout(r, 1500));
    await sys.startWorker();
    const res = expectStatus(await decision, 200);
    expect(res.body.process.status).toBe('APPROVED');
    await assertExactlyOnce(world, processId);
  });

  it('finishes applying a decision when the worker dies in the middle of it', async () => {
    const world = await buildWorld(admin, 3);
    const { processId, taskId } = await submitAndWaitForTask(world);
    const decision = world.approver.post(`/tasks/${taskId}/decision`, { decision: 'APPROVE', comment: '同意（中途崩溃）' });
    // Kill as soon as the decision is recorded, before or while the organization is created.
    await waitFor('decision recorded', async () => (await db.query(`SELECT 1 FROM tasks WHERE id = $1 AND status = 'COMPLETED'`, [taskId])).rowCount === 1, 30_000, 20);
    await sys.killWorker('SIGKILL');
    await sys.startWorker();
    const res = await decision;
    // The HTTP call may have been answered before the kill or after the restart; either way it was accepted.
    expect(res.status).toBe(200);
    await waitFor('process approved', async () => (await admin.get(`/processes/${processId}`)).body.status === 'APPROVED', 60_000);
    await assertExactlyOnce(world, processId, 'same-message-id');
  }, 300_000);

  it('loses none of 200 sleeping term watches: after a restart each organisation has exactly one, its timer right', async () => {
    // 200 party organisations with terms ending 400 to 599 days from now; the worker's start-up back-fill starts
    // their watches (the restart below is the start-up).
    const today = toCalendarDate(new Date());
    const district = (await db.query(`INSERT INTO organizations (name, kind) VALUES ('任期监控区委', 'DISTRICT') RETURNING id`)).rows[0].id;
    const orgs: Array<{ id: string; end: string }> = [];
    for (let i = 0; i < 200; i++) {
      const end = addDays(today, 400 + i);
      const { rows } = await db.query(`INSERT INTO organizations (name, kind, parent_id, term_start, term_end) VALUES ($1, 'BRANCH', $2, $3, $4) RETURNING id`, [
        `任期监控党支部${i}`,
        district,
        addDays(end, -3 * 365),
        end,
      ]);
      orgs.push({ id: rows[0].id, end });
    }
    const connection = await Connection.connect({ address: readState().temporalAddress });
    try {
      const client = new TemporalClient({ connection });
      const asleep = async (): Promise<void> => {
        for (const o of orgs) {
          const state = await waitFor(`the watch of ${o.id}`, async () => {
            const st: TermWatchState = await client.workflow.getHandle(termWatchWorkflowId(o.id)).query(termWatchQuery);
            return st.nextAt !== null ? st : null;
          }, 60_000);
          expect(state).toMatchObject({ organizationId: o.id, termEnd: o.end, phase: 'BEFORE_REMINDER', nextAt: startOfShanghaiDay(addDays(o.end, -180)).getTime() });
        }
      };
      await sys.killWorker('SIGKILL');
      await sys.startWorker();
      await waitFor('the back-fill', async () => /term watch back-fill: started 200 of/.test(sys.output.worker()), 60_000);
      await asleep();

      // Killed while all 200 sleep, and started again.
      await sys.killWorker('SIGKILL');
      const before = sys.output.worker().length;
      await sys.startWorker();
      await asleep();
      // The second start-up's back-fill found every watch running and started none.
      expect(sys.output.worker().slice(before)).not.toMatch(/term watch back-fill: started/);
      const running = new Map<string, number>();
      for await (const w of client.workflow.list({ query: `WorkflowType = 'termWatchWorkflow' AND ExecutionStatus = 'Running'` })) {
        running.set(w.workflowId, (running.get(w.workflowId) ?? 0) + 1);
      }
      expect(orgs.map((o) => running.get(termWatchWorkflowId(o.id)) ?? 0)).toEqual(orgs.map(() => 1));
    } finally {
      await connection.close();
    }
  }, 300_000);

  it('sends an email whose claim a dead sender still held once the claim expires: its job is not finished with the email unsent', async () => {
    // A sender claimed the row (SENDING, claim for 4 s more) and died; its job runs again while the claim holds.
    const id = `claim-held-${Date.now()}`;
    const to = `${id}@example.test`;
    await db.query(
      `INSERT INTO email_outbox (id, dedupe_key, template, to_address, subject, text, html, status, attempts, locked_until)
       VALUES ($1, $1, 'task-assigned', $2, '【测试】认领未过期的邮件', '正文', '<p>正文</p>', 'SENDING', 1, now() + interval '4 seconds')`,
      [id, to],
    );
    const queue = new Queue(EMAIL_QUEUE, { connection: { url: sys.env.REDIS_URL! }, prefix: sys.env.REDIS_PREFIX });
    try {
      await queue.add(EMAIL_JOB, { outboxId: id }, { ...emailJobOptions, jobId: id });
      // Sent once the claim expired, by the job itself (tried again) or by the sweep: exactly once, under its Message-ID.
      await waitFor('the email delivered', async () => sys.mail.to(to).length > 0, 60_000);
      await waitFor('the row SENT', async () => (await db.query(`SELECT status FROM email_outbox WHERE id = $1`, [id])).rows[0].status === 'SENT', 30_000);
      await new Promise((r) => setTimeout(r, 6000));
      expect(sys.mail.to(to).map((m) => m.messageId)).toEqual([`<${id}@party-approvals>`]);
    } finally {
      await queue.close();
    }
  }, 120_000);
});
