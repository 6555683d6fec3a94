/**
 * Killing the worker (SIGKILL, no goodbye) while a process waits for its approver, or while it applies a
 * decision, loses nothing and does nothing twice: the process completes after a restart, exactly one
 * organization exists and every email is delivered exactly once.
 */
import { Client } from 'pg';
import { buildWorld, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
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
  await waitFor('decision email', async () => sys.mail.to(world.applicantUser.email).length >= 1, 60_000);
  // Give the outbox sweeper (every 2 s here) and expired claims (5 s here) several rounds to resend, if they would.
  await new Promise((r) => setTimeout(r, 8000));
  await waitFor('outbox settled', async () => {
    const rows = (await db.query(`SELECT status FROM email_outbox WHERE process_id = $1`, [processId])).rows;
    return rows.length === 2 && rows.every((r) => r.status === 'SENT');
    // A job killed mid-send is only released by BullMQ's stalled-job check (lock 30 s, checked every 30 s).
  }, 90_000);
  for (const address of [world.approverUser.email, world.applicantUser.email]) {
    const got = sys.mail.to(address);
    if (delivery === 'exactly-once') expect(got).toHaveLength(1);
    // A kill inside the SMTP exchange itself cannot be settled by any sender: the copy carries the same Message-ID.
    expect(new Set(got.map((g) => g.messageId)).size).toBe(1);
  }
  const actions = proc.timeline.map((e: any) => e.action);
  for (const once of ['SUBMITTED', 'TASK_OPENED', 'APPROVE', 'ORGANIZATION_CREATED', 'STATUS_APPROVED']) {
    expect(actions.filter((a: string) => a === once)).toHaveLength(1);
  }
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
  });
});
