/**
 * Redis away for 30 seconds loses no email and sends none twice. The system runs on a private redis-server
 * (never the shared one) that is SIGKILLed before the approvals and restarted empty on the same port: a job
 * waiting in Redis for its retry is gone with it, and the emails of everything done during the outage never
 * reached Redis, so what arrives afterwards comes from the outbox sweeper. Decisions (Temporal + Postgres) keep
 * working while Redis is down; /health says so.
 */
import IORedis from 'ioredis';
import { Client } from 'pg';
import { EMAIL_QUEUE } from '@app/contracts';
import { buildWorld, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { PrivateRedis } from './support/redis-server';
import { startSystemAsAdmin, type TestSystem } from './support/system';

const OUTAGE_MS = 30_000;

let redis: PrivateRedis;
let sys: TestSystem;
let admin: Http;
let db: Client;

beforeAll(async () => {
  redis = new PrivateRedis();
  await redis.start();
  ({ sys, admin, db } = await startSystemAsAdmin('redis_outage', { REDIS_URL: redis.url }));
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
  await redis?.kill('SIGKILL');
});

async function submit(world: World): Promise<string> {
  const created = expectStatus(
    await world.applicant.post('/processes/establish-branch', {
      institutionId: world.institution.id,
      name: `${world.institution.name}党支部`,
      memberIds: world.members.map((m) => m.id),
    }),
    201,
  ).body;
  return created.id as string;
}

async function openTask(world: World, processId: string): Promise<string> {
  const task = await waitFor(
    'the approval task in the inbox',
    async () => expectStatus(await world.approver.get('/tasks?status=OPEN'), 200).body.items.find((t: any) => t.processId === processId),
    30_000,
  );
  return task.id as string;
}

async function health(): Promise<{ status: number; body: any }> {
  return new Http(sys.baseUrl).get('/health');
}

/**
 * The emails about the establish-branch processes (成立党支部申请). Each granted branch also opens a relation-transfer
 * for its founding members (R11), whose emails go through the same outbox: they are counted as a whole at the end.
 */
const branchMail = () => sys.mail.messages.filter((m) => m.subject.includes('成立党支部'));

/** recipient + subject → how many messages about the establish-branch processes the sink holds with it. */
function received(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of branchMail()) for (const to of m.to) counts.set(`${to} ${m.subject}`, (counts.get(`${to} ${m.subject}`) ?? 0) + 1);
  return counts;
}

describe('Redis outage', () => {
  it('delivers every email exactly once after Redis was down for 30 s and empty when it came back', async () => {
    const worlds = await Promise.all([1, 2, 3, 4].map(() => buildWorld(admin, 3)));
    const [a, b, c, d] = worlds as [World, World, World, World];

    // Two processes reach their approver while everything is up; their task emails go out normally.
    const processIds = await Promise.all([a, b].map(submit));
    const taskIds = await Promise.all([a, b].map((w, i) => openTask(w, processIds[i]!)));
    await waitFor('task emails before the outage', async () => [a, b].every((w) => sys.mail.to(w.approverUser.email).length === 1), 30_000);
    expectStatus(await health(), 200);

    // The third one's task email is queued while the relay answers 451: its job waits in Redis for a retry, and
    // the outage takes it away.
    sys.mail.refusing = true;
    processIds.push(await submit(c));
    taskIds.push(await openTask(c, processIds[2]!));
    const queued = await waitFor('a refused send waiting in Redis for its retry', async () => {
      const rows = (await db.query(`SELECT id FROM email_outbox WHERE process_id = $1 AND status = 'PENDING' AND attempts >= 1 AND last_error IS NOT NULL`, [processIds[2]])).rows;
      return rows.length === 1 ? (rows[0].id as string) : null;
    }, 30_000);
    const queueKey = `${sys.env.REDIS_PREFIX}:${EMAIL_QUEUE}`;
    const probe = new IORedis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    probe.on('error', () => undefined);
    await probe.connect();
    expect(await probe.exists(`${queueKey}:${queued}`)).toBe(1);
    probe.disconnect();

    await redis.kill('SIGKILL');
    const downAt = Date.now();
    sys.mail.refusing = false;

    const down = await waitFor('/health to report redis down', async () => {
      const h = await health();
      return h.status === 503 ? h : null;
    }, 10_000);
    expect(down.body.down).toContain('redis');
    expect(down.body.message).toContain('redis');
    expect(down.body.components.redis.status).toBe('down');
    expect(down.body.components.database).toEqual({ status: 'ok' });

    // A fourth process is submitted and opens its task while Redis is down.
    processIds.push(await submit(d));
    taskIds.push(await openTask(d, processIds[3]!));

    // Every approval is decided while Redis is down: the decision path needs only Temporal and Postgres.
    const decidedAt = Date.now();
    const decisions = await Promise.all(
      worlds.map((w, i) => w.approver.post(`/tasks/${taskIds[i]}/decision`, { decision: 'APPROVE', comment: `Redis 停机期间同意 ${i + 1}` })),
    );
    const decisionMs = Date.now() - decidedAt;
    for (const res of decisions) {
      expectStatus(res, 200);
      expect(res.body.process.status).toBe('APPROVED');
    }
    for (const id of processIds) expect(expectStatus(await admin.get(`/processes/${id}`), 200).body.status).toBe('APPROVED');

    // Nothing could be queued: the four decision emails, the four founding-election task emails, the fourth
    // approval task email and the refused one wait, unsent.
    const pendingDuring = await waitFor('every email of the outage staged', async () => {
      const n = (await db.query(`SELECT count(*)::int AS n FROM email_outbox WHERE status <> 'SENT' AND process_id = ANY($1::uuid[])`, [processIds])).rows[0].n as number;
      return n >= 10 ? n : null;
    });
    expect(pendingDuring).toBe(10);
    expect(worlds.every((w) => sys.mail.to(w.applicantUser.email).length === 0)).toBe(true);
    expect(sys.mail.to(c.approverUser.email)).toHaveLength(0);
    expect(sys.mail.to(d.approverUser.email)).toHaveLength(0);

    const waitLeft = OUTAGE_MS - (Date.now() - downAt);
    if (waitLeft > 0) await new Promise((r) => setTimeout(r, waitLeft));
    const stillDown = await health();
    expect(stillDown.status).toBe(503);
    expect(stillDown.body.down).toContain('redis');
    expect(sys.mail.messages).toHaveLength(2);

    // Back on the same port, empty: queued jobs are gone, the outbox sweeper must enqueue the rows again.
    const outageMs = Date.now() - downAt;
    await redis.start();
    const upAt = Date.now();

    const expected = new Map<string, number>();
    for (const w of worlds) {
      // The approval's task and, once approved, the founding election's.
      expected.set(`${w.approverUser.email} 【待审批】${w.institution.name}：`, 2);
      expected.set(`${w.applicantUser.email} 【审批结果】${w.institution.name}：`, 1);
    }
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    const matches = (key: string, got: string): boolean => got.startsWith(key);
    await waitFor('every email after Redis is back', async () => branchMail().length >= total && [...expected.keys()].every((k) => [...received().keys()].some((g) => matches(k, g))), 60_000, 250);
    const deliveredMs = Date.now() - upAt;
    await waitFor('/health to be 200 again', async () => (await health()).status === 200, 30_000);

    // Let the sweeper (every 2 s here) run several more rounds: it must not send anything again.
    await new Promise((r) => setTimeout(r, 7000));
    const got = received();
    expect(branchMail()).toHaveLength(total);
    for (const [key, n] of expected) {
      const hits = [...got.entries()].filter(([g]) => matches(key, g));
      expect({ key, hits: hits.map(([, k]) => k) }).toEqual({ key, hits: [n] });
    }
    for (const w of worlds) {
      const toApplicant = sys.mail.to(w.applicantUser.email).filter((m) => m.subject.includes('成立党支部'));
      expect(toApplicant).toHaveLength(1);
      expect(toApplicant[0]!.subject).toContain('同意');
    }
    const messageIds = sys.mail.messages.map((m) => m.messageId);
    expect(messageIds.every((id) => /^<[0-9a-f]{40}@party-approvals>$/.test(id))).toBe(true);
    expect(new Set(branchMail().map((m) => m.messageId)).size).toBe(total);
    // Every email of the outbox (the transfers' too) delivered, each exactly once.
    await waitFor('the outbox drained', async () => (await db.query(`SELECT count(*)::int AS n FROM email_outbox WHERE status <> 'SENT'`)).rows[0].n === 0, 30_000);
    expect(new Set(messageIds).size).toBe(messageIds.length);

    const rows = (await db.query(`SELECT id, status, attempts, to_address AS "to" FROM email_outbox ORDER BY created_at`)).rows as Array<{ id: string; status: string; attempts: number; to: string }>;
    expect(rows.filter((r) => branchMail().some((m) => m.messageId === `<${r.id}@party-approvals>`))).toHaveLength(total);
    expect(rows.filter((r) => r.status !== 'SENT')).toEqual([]);
    expect(new Set(rows.map((r) => `<${r.id}@party-approvals>`))).toEqual(new Set(messageIds));

    // eslint-disable-next-line no-console
    console.log(
      `redis outage: ${outageMs} ms down; 4 decisions during it answered in ${decisionMs} ms; ` +
        `${total} emails (10 held back, 1 of them lost from Redis) all delivered ${deliveredMs} ms after Redis returned; outbox attempts ${rows.map((r) => r.attempts).join(',')}`,
    );
  });
});
