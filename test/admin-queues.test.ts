/**
 * GET /admin/queues while email delivery fails. The relay here answers EHLO (so /health, and with it the harness,
 * sees SMTP as up) but refuses every recipient: each send fails, BullMQ retries with exponential backoff (10
 * attempts from 2 s, emailJobOptions), and the outbox row stays PENDING with the error.
 */
import { SMTPServer } from 'smtp-server';
import { Client } from 'pg';
import { buildWorld } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { freePort, waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
let relay: SMTPServer;

beforeAll(async () => {
  const port = await freePort();
  relay = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error('mailbox unavailable (test relay refuses all mail)'), { responseCode: 550 })),
  });
  relay.on('error', () => undefined);
  await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
  ({ sys, admin, db } = await startSystemAsAdmin('queues', { SMTP_URL: `smtp://127.0.0.1:${port}` }));
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
  await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
});

describe('GET /admin/queues', () => {
  it('reports queue counts, the failing email job with its error, and the outbox', async () => {
    const idle = expectStatus(await admin.get('/admin/queues'), 200).body;
    expect(idle).toMatchObject({ queue: expect.any(String), redis: 'up', redisError: null, failedJobs: [], retryingJobs: [] });
    expect(Object.keys(idle.counts)).toEqual(expect.arrayContaining(['waiting', 'active', 'completed', 'failed', 'delayed']));
    expect(idle.outbox).toEqual({ PENDING: 0, SENDING: 0, SENT: 0, FAILED: 0 });

    // Submitting makes a task, and the task an email to the approver, which the relay refuses.
    const world = await buildWorld(admin, 3);
    const memberIds = world.members.map((m) => m.id);
    const created = expectStatus(
      await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds }),
      201,
    ).body;

    const report = await waitFor(
      'the refused email among the retrying or failed jobs',
      async () => {
        const r = expectStatus(await admin.get('/admin/queues'), 200).body;
        const job = [...r.retryingJobs, ...r.failedJobs].find((j: any) => /550|mailbox unavailable/.test(j.failedReason ?? ''));
        return job && r.counts.waiting + r.counts.delayed + r.counts.failed >= 1 ? { r, job } : null;
      },
      60_000,
      500,
    );
    expect(report.r.redis).toBe('up');
    expect(report.job).toMatchObject({ outboxId: report.job.id, attemptsMade: expect.any(Number), maxAttempts: 10, lastAttemptAt: expect.any(String) });
    expect(report.job.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(report.r.outbox.SENT).toBe(0);
    expect(report.r.outbox.PENDING + report.r.outbox.SENDING).toBeGreaterThanOrEqual(1);
    const problem = report.r.outboxErrors.find((o: any) => o.id === report.job.outboxId);
    expect(problem).toMatchObject({ template: 'task-opened', toAddress: world.approverUser.email, processId: created.id, lastError: expect.stringMatching(/550|mailbox unavailable/) });

    // The outbox row itself: still to be sent, with the reason it was not.
    const row = await waitFor('the outbox row back to PENDING between attempts', async () => {
      const rows = (await db.query(`SELECT status, last_error, attempts FROM email_outbox WHERE id = $1`, [report.job.outboxId])).rows;
      return rows[0]?.status === 'PENDING' ? rows[0] : null;
    });
    expect(row.last_error).toMatch(/550|mailbox unavailable/);
    expect(row.attempts).toBeGreaterThanOrEqual(1);
  });
});
