/**
 * The operator's views (issue #12, section 3), on one real system: Prometheus metrics that parse and move when a
 * process runs (API `/metrics` and the worker's Temporal metrics), structured JSON logs carrying the request, user,
 * process and workflow, liveness apart from readiness (an API on a dead Redis is alive but not ready), and the queue
 * dashboard for admins only.
 */
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { getMetricsFromStream, type PromHistogramData, type PromMetrics } from 'prom2javascript';
import { EMAIL_QUEUE } from '@app/contracts';
import { startApi } from './support/api-process';
import { buildWorld, recordFoundingElection, makeUser, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { freePort, waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

const KIND = 'establish-branch';
const METRICS_TOKEN = 'metrics-token-for-the-ops-test';

let sys: TestSystem;
let admin: Http;
let db: Client;
let root: string;
let workerMetricsUrl: string;

beforeAll(async () => {
  const workerMetricsPort = await freePort();
  workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}/metrics`;
  ({ sys, admin, db } = await startSystemAsAdmin('ops', { WORKER_METRICS_ADDRESS: `127.0.0.1:${workerMetricsPort}`, ACTIVITY_ALERT_AFTER_ATTEMPTS: '2' }));
  root = sys.baseUrl.replace(/\/api\/v1$/, '');
});

afterAll(async () => {
  await db?.query(`DROP TRIGGER IF EXISTS ops_fail_tasks ON tasks`).catch(() => undefined);
  await db?.end();
  await sys?.stop();
});

/** Fetches and parses a metrics page with a Prometheus text-format parser. */
async function scrape(url = `${root}/metrics`, headers: Record<string, string> = {}): Promise<PromMetrics> {
  const res = await fetch(url, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return getMetricsFromStream(Readable.from([await res.text()]));
}

/** The sum of a counter's or gauge's samples whose labels include `labels` (0 when there are none). */
function value(m: PromMetrics, name: string, labels: Record<string, string> = {}, missing?: 0): number {
  const family = m[name];
  if (!family && missing === 0) return 0;
  if (!family) throw new Error(`metric ${name} is missing (have ${Object.keys(m).join(', ')})`);
  return (family.data as Array<{ labels: Record<string, string>; value: number }>)
    .filter((d) => Object.entries(labels).every(([k, v]) => d.labels[k] === v))
    .reduce((a, d) => a + d.value, 0);
}

function histogramCount(m: PromMetrics, name: string, labels: Record<string, string>): number {
  const family = m[name];
  if (!family) throw new Error(`metric ${name} is missing`);
  return (family.data as PromHistogramData[]).filter((d) => Object.entries(labels).every(([k, v]) => d.labels[k] === v)).reduce((a, d) => a + d.count, 0);
}

/** Waits until a scrape satisfies `ok`, returning that scrape. */
function scrapeUntil(what: string, ok: (m: PromMetrics) => boolean, timeoutMs = 30_000, url?: string): Promise<PromMetrics> {
  return waitFor(what, async () => {
    const m = await scrape(url);
    return ok(m) ? m : null;
  }, timeoutMs, 500);
}

function submit(world: World): Promise<{ status: number; body: any }> {
  return world.applicant.post(`/processes/${KIND}`, { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds: world.members.map((m) => m.id) });
}

async function openTask(world: World, processId: string): Promise<any> {
  return waitFor('the task in the inbox', async () => expectStatus(await world.approver.get('/tasks?status=OPEN'), 200).body.items.find((t: any) => t.processId === processId), 60_000);
}

function jsonLines(output: string): any[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

const API_METRICS = [
  'epa_process_starts_total',
  'epa_process_completions_total',
  'epa_processes',
  'epa_decision_duration_seconds',
  'epa_tasks_open',
  'epa_tasks_overdue',
  'epa_email_queue_jobs',
  'epa_email_queue_up',
  'epa_email_outbox_messages',
  'epa_email_failing_messages',
  'epa_email_send_failures_total',
  'epa_activities_failing',
  'epa_database_up',
  'epa_http_request_duration_seconds',
];

describe('metrics', () => {
  it('every metric is present, and they move as a process starts, fails to email, goes overdue and is decided', async () => {
    const before = await scrape();
    for (const name of API_METRICS) expect(Object.keys(before)).toContain(name);
    expect(before.epa_process_starts_total!.type).toBe('counter');
    expect(before.epa_decision_duration_seconds!.type).toBe('histogram');
    expect(value(before, 'epa_database_up')).toBe(1);
    expect(value(before, 'epa_email_queue_up')).toBe(1);
    const at = (m: PromMetrics) => ({
      starts: value(m, 'epa_process_starts_total', { kind: KIND }),
      approved: value(m, 'epa_process_completions_total', { kind: KIND, status: 'APPROVED' }),
      running: value(m, 'epa_processes', { kind: KIND, status: 'RUNNING' }),
      open: value(m, 'epa_tasks_open', { kind: KIND }),
      overdue: value(m, 'epa_tasks_overdue', { kind: KIND }),
      sendFailures: value(m, 'epa_email_send_failures_total'),
      failing: value(m, 'epa_email_failing_messages'),
      sent: value(m, 'epa_email_outbox_messages', { status: 'SENT' }),
      jobsDone: value(m, 'epa_email_queue_jobs', { state: 'completed' }),
      depth: ['waiting', 'active', 'delayed', 'prioritized', 'paused'].reduce((n, state) => n + value(m, 'epa_email_queue_jobs', { state }), 0),
      decisions: histogramCount(m, 'epa_decision_duration_seconds', { channel: 'inbox', outcome: 'accepted' }),
    });
    const b = at(before);

    // The relay refuses while the task email goes out: a failed attempt, a failing message.
    const world = await buildWorld(admin, 3);
    sys.mail.refusing = true;
    const created = expectStatus(await submit(world), 201).body;
    const task = await openTask(world, created.id);
    // Its job waits in the queue for the next attempt meanwhile (queue depth).
    const started = at(
      await scrapeUntil('the start, the open task, a failed email waiting in the queue', (m) => at(m).open === b.open + 1 && at(m).sendFailures > b.sendFailures && at(m).failing > b.failing && at(m).depth > b.depth),
    );
    expect(started).toMatchObject({ starts: b.starts + 1, running: b.running + 1, approved: b.approved, overdue: b.overdue });

    // Past its due date the open task counts as overdue.
    await db.query(`UPDATE tasks SET due_at = now() - interval '1 hour' WHERE id = $1`, [task.id]);
    await scrapeUntil('the overdue task', (m) => at(m).overdue === b.overdue + 1);

    // The relay is back: the email is delivered by the queue's retry.
    sys.mail.refusing = false;
    await scrapeUntil('the email delivered', (m) => at(m).failing === b.failing && at(m).sent > b.sent && at(m).jobsDone > b.jobsDone && at(m).depth === b.depth, 60_000);

    const decided = expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意' }), 200).body;
    expect(decided.process.status).toBe('APPROVED');
    // Granted; the process ends once its founding election is recorded (a second decision from the inbox).
    await recordFoundingElection(admin, world, created.id);
    const after = await scrapeUntil('the completion', (m) => at(m).approved === b.approved + 1 && at(m).open === b.open);
    expect(at(after)).toMatchObject({ starts: b.starts + 1, running: b.running, open: b.open, overdue: b.overdue, decisions: b.decisions + 2 });

    // HTTP latency by route template, never by raw URL.
    const http = after.epa_http_request_duration_seconds!.data as PromHistogramData[];
    expect(http.find((d) => d.labels.route === '/api/v1/tasks/:id/decision' && d.labels.method === 'POST' && d.labels.status_code === '200')?.count).toBeGreaterThanOrEqual(1);
    expect(http.find((d) => d.labels.route === '/api/v1/processes/:kind' && d.labels.status_code === '201')?.count).toBeGreaterThanOrEqual(1);
    expect(http.filter((d) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(d.labels.route ?? ''))).toEqual([]);
  });

  it('counts an activity that keeps failing, in the API (failing now) and in the worker (Temporal), until it succeeds', async () => {
    const workerBefore = await scrape(workerMetricsUrl);
    // A Temporal counter appears with its first sample.
    const failedBefore = value(workerBefore, 'temporal_activity_execution_failed_total', { activity_type: 'openTask' }, 0);
    // Every task insert fails (a retryable error, not a data error) until the trigger goes.
    await db.query(`CREATE OR REPLACE FUNCTION ops_fail_tasks() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'ops test: tasks refused'; END $$`);
    await db.query(`CREATE TRIGGER ops_fail_tasks BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION ops_fail_tasks()`);
    const world = await buildWorld(admin, 3);
    const created = expectStatus(await submit(world), 201).body;
    await scrapeUntil('the failing activity', (m) => value(m, 'epa_activities_failing') >= 1);
    await scrapeUntil('the worker counting the failures', (m) => value(m, 'temporal_activity_execution_failed_total', { activity_type: 'openTask' }) >= failedBefore + 2, 30_000, workerMetricsUrl);

    await db.query(`DROP TRIGGER ops_fail_tasks ON tasks`);
    await openTask(world, created.id);
    await scrapeUntil('no failing activity', (m) => value(m, 'epa_activities_failing') === 0, 60_000);

    // The worker's log line about it carries the activity's context.
    const line = jsonLines(sys.output.worker()).find((l) => l.context === 'Activities' && l.activityType === 'openTask' && l.processId === created.id);
    expect(line).toMatchObject({ app: 'worker', level: 'error', workflowId: created.workflowId, runId: expect.any(String), attempt: expect.any(Number) });
    // So do the Temporal SDK's own lines about the failed attempts.
    expect(jsonLines(sys.output.worker()).some((l) => l.context === 'Temporal' && l.activityType === 'openTask' && l.workflowId === created.workflowId)).toBe(true);
    expect(Object.keys(await scrape(workerMetricsUrl))).toEqual(expect.arrayContaining(['temporal_workflow_completed_total', 'temporal_worker_task_slots_available']));
  });
});

describe('logs', () => {
  it('writes one JSON line per request with its id, route, user, process and task; the id is answered as X-Request-Id', async () => {
    const world = await buildWorld(admin, 3);
    const created = expectStatus(await submit(world), 201).body;
    const task = await openTask(world, created.id);
    const res = await fetch(`${sys.baseUrl}/tasks/${task.id}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.approver.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'REJECT', comment: '不同意' }),
    });
    expect(res.status).toBe(200);
    const reqId = res.headers.get('x-request-id');
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await waitFor('the request summary line', async () => jsonLines(sys.output.api()).find((l) => l.reqId === reqId && l.res?.statusCode === 200));
    expect(line).toMatchObject({
      app: 'api',
      level: 'info',
      route: '/api/v1/tasks/:id/decision',
      userId: world.approverUser.id,
      taskId: task.id,
      processId: created.id,
      workflowId: created.workflowId,
      req: { method: 'POST', url: `/api/v1/tasks/${task.id}/decision` },
    });
    expect(JSON.stringify(line)).not.toContain(world.approver.token!);

    // A client's own request id is kept; an email-action link's token never reaches the log.
    const own = await fetch(`${sys.baseUrl}/email-actions/${'t'.repeat(43)}`, { headers: { 'x-request-id': 'trace-ops-0001' } });
    expect(own.headers.get('x-request-id')).toBe('trace-ops-0001');
    const refused = await waitFor('the email-action line', async () => jsonLines(sys.output.api()).find((l) => l.reqId === 'trace-ops-0001' && l.res));
    expect(refused.req.url).toBe('/api/v1/email-actions/:token');
    expect(sys.output.api()).not.toContain('t'.repeat(43));
  });
});

describe('health', () => {
  it('live answers without looking at dependencies, ready and /health check them', async () => {
    const anon = new Http(sys.baseUrl);
    expect(expectStatus(await anon.get('/health/live'), 200).body).toEqual({ status: 'ok' });
    const ready = expectStatus(await anon.get('/health/ready'), 200).body;
    expect(ready).toMatchObject({ status: 'ok', components: { database: { status: 'ok' }, redis: { status: 'ok' }, temporal: { status: 'ok' }, smtp: { status: 'ok' } } });
    expect(expectStatus(await anon.get('/health'), 200).body.status).toBe('ok');
  });

  it('an API on a dead Redis port is alive but not ready (503 naming redis); its metrics need METRICS_TOKEN and report the queue down', async () => {
    const deadPort = await freePort();
    const api = await startApi({ ...sys.env, REDIS_URL: `redis://127.0.0.1:${deadPort}`, METRICS_TOKEN }, (status) => status === 503);
    try {
      const anon = new Http(api.baseUrl);
      expect(expectStatus(await anon.get('/health/live'), 200).body).toEqual({ status: 'ok' });
      const ready = expectStatus(await anon.get('/health/ready'), 503).body;
      expect(ready.down).toEqual(['redis']);
      expect(ready.message).toContain('redis');
      expect(expectStatus(await anon.get('/health'), 503).body.down).toEqual(['redis']);

      const metricsUrl = `${api.baseUrl.replace(/\/api\/v1$/, '')}/metrics`;
      expect((await fetch(metricsUrl)).status).toBe(401);
      expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
      const m = await scrape(metricsUrl, { authorization: `Bearer ${METRICS_TOKEN}` });
      expect(value(m, 'epa_email_queue_up')).toBe(0);
      expect(value(m, 'epa_database_up')).toBe(1);
      expect(m.epa_email_queue_jobs!.data).toEqual([]);
      expect(value(m, 'epa_tasks_open', { kind: KIND })).toBeGreaterThanOrEqual(0);
    } finally {
      await api.stop();
    }
  });
});

describe('queue dashboard', () => {
  const board = (): string => `${root}/admin/queues/board`;

  it('is for admins only: a bearer admin or the short-lived cookie an admin is issued; nobody else', async () => {
    const approver = await makeUser(admin, 'boardviewer', ['APPROVER'], []);
    expect((await fetch(`${board()}/`)).status).toBe(401);
    expect((await fetch(`${board()}/api/queues`)).status).toBe(401);
    expect((await fetch(`${board()}/`, { headers: { authorization: `Bearer ${approver.http.token}` } })).status).toBe(403);
    expectStatus(await approver.http.post('/admin/queues/board-session'), 403);
    expect((await fetch(`${board()}/`, { headers: { authorization: `Bearer ${admin.token}` } })).status).toBe(200);

    // A browser: the admin's app asks for a board session, then the board's pages and API open with the cookie.
    const signedIn = await new Http(sys.baseUrl).login(sys.env.ADMIN_USERNAME!, sys.adminPassword);
    const opened = await fetch(`${sys.baseUrl}/admin/queues/board-session`, { method: 'POST', headers: { authorization: `Bearer ${signedIn.token}` } });
    expect(opened.status).toBe(201);
    expect(await opened.json()).toMatchObject({ url: '/admin/queues/board/', expiresAt: expect.any(String) });
    const setCookie = opened.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^epa_queue_board=[^;]+; Max-Age=900; Path=\/admin\/queues\/board; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0]!;
    const page = await fetch(`${board()}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('邮件队列');
    const queues = await fetch(`${board()}/api/queues`, { headers: { cookie } });
    expect(queues.status).toBe(200);
    expect(((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name)).toContain(EMAIL_QUEUE);

    // A forged cookie, or the cookie after the admin logged out, opens nothing.
    const [name, token] = cookie.split('=') as [string, string];
    expect((await fetch(`${board()}/api/queues`, { headers: { cookie: `${name}=${token.slice(0, -2)}xx` } })).status).toBe(401);
    expectStatus(await signedIn.post('/auth/logout'), 204);
    expect((await fetch(`${board()}/api/queues`, { headers: { cookie } })).status).toBe(401);
  });
});
