/**
 * The decision path beside bare Temporal, on the same Temporal server, in alternating blocks so machine noise hits
 * both (issue #13):
 *   - ours: `POST /tasks/:id/decision` over HTTP on establish-branch (the API, the workflow, its activities);
 *   - bare: a workflow that validates and accepts one Update, driven by `executeUpdate` (bench/workflows).
 * Concurrency is swept; then decisions arrive open-loop at half of bare's saturation rate for the p99 target.
 * Afterwards every decision is checked to exist exactly once, and the decision emails' delivery is measured.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client } from 'pg';
import { bareDecideUpdate } from './workflows/bare-update.workflow';
import { percentile } from './bench-measure';

export interface DecisionBlock {
  path: 'ours' | 'bare';
  concurrency: number;
  count: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface DecisionBench {
  blocks: DecisionBlock[];
  /** Per concurrency: both paths (all their blocks together) and the ratios. */
  levels: Array<{ concurrency: number; ours: Rate; bare: Rate; ratioThroughput: number; ratioP99: number }>;
  openLoop: { ratePerSecond: number; count: number; p50Ms: number; p99Ms: number };
  decisionsPerSecond: number;
  ratioThroughput: number;
  ratioP99: number;
  decisionP99Ms: number;
  emails: { count: number; perSecond: number; p50Ms: number; p99Ms: number };
  lost: number;
  duplicated: number;
}

interface Rate {
  perSecond: number;
  p99Ms: number;
}

interface Setup {
  apiBaseUrl: string;
  adminToken: string;
  databaseUrl: string;
  temporalAddress: string;
  quick: boolean;
}

const round = (x: number): number => Math.round(x * 10) / 10;

/** Runs `jobs` with at most `concurrency` at once; returns each job's latency in ms and the wall time. */
async function pool<T>(items: T[], concurrency: number, job: (item: T) => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const s = performance.now();
        await job(item);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - t0 };
}

function block(pathName: 'ours' | 'bare', concurrency: number, r: { latencies: number[]; wallMs: number }): DecisionBlock {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return { path: pathName, concurrency, count: sorted.length, perSecond: round((sorted.length / r.wallMs) * 1000), p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
}

async function http(base: string, token: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * `n` PUBLIC institutions under one sponsoring unit, three FULL staff members each, in SQL; one applicant for all
 * and one approver of the sponsor through the API (they sign in).
 */
async function seed(s: Setup, db: Client, n: number): Promise<{ applicant: string; approver: string }> {
  const tag = Date.now().toString(36);
  const [district] = (await db.query(`INSERT INTO organizations (name, kind) VALUES ($1, 'DISTRICT') RETURNING id`, [`基准区委${tag}`])).rows;
  const [township] = (await db.query(`INSERT INTO organizations (name, kind, parent_id) VALUES ($1, 'TOWNSHIP', $2) RETURNING id`, [`基准镇${tag}`, district.id])).rows;
  const [sponsor] = (await db.query(`INSERT INTO organizations (name, kind, parent_id) VALUES ($1, 'SPONSOR', $2) RETURNING id`, [`基准举办单位${tag}`, district.id])).rows;
  const insts = (
    await db.query(
      `INSERT INTO institutions (name, type, district, township_org_id, sponsor_org_id)
       SELECT '基准养老院' || $1 || '-' || g, 'PUBLIC', '基准区', $2, $3 FROM generate_series(1, $4) g RETURNING id`,
      [tag, township.id, sponsor.id, n],
    )
  ).rows as Array<{ id: string }>;
  await db.query(
    `INSERT INTO party_members (name, institution_id, category, status, birth_date)
     SELECT '党员' || k, i, 'STAFF', 'FULL', '1980-01-01' FROM unnest($1::uuid[]) i, generate_series(1, 3) k`,
    [insts.map((i) => i.id)],
  );
  const password = `bench-${randomUUID()}`;
  const user = async (name: string, roles: string[], organizationIds: string[], institutionIds: string[]): Promise<string> => {
    const username = `${name}_${tag}`;
    const res = await http(s.apiBaseUrl, s.adminToken, 'POST', '/users', { username, password, displayName: name, email: `${username}@bench.invalid`, roles, organizationIds, institutionIds });
    if (res.status !== 201) throw new Error(`user ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    const login = await fetch(`${s.apiBaseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    return ((await login.json()) as { accessToken: string }).accessToken;
  };
  return { applicant: await user('bench_applicant', ['APPLICANT'], [], insts.map((i) => i.id)), approver: await user('bench_approver', ['APPROVER'], [sponsor.id], []) };
}

export async function benchDecisions(s: Setup): Promise<DecisionBench> {
  const levels = s.quick ? [1, 16] : [1, 4, 16, 32];
  const rounds = s.quick ? 1 : 2;
  const perBlock = (c: number): number => (s.quick ? (c === 1 ? 15 : 60) : c === 1 ? 30 : c === 4 ? 60 : 160);
  const openLoopSeconds = s.quick ? 4 : 10;
  const db = new Client({ connectionString: s.databaseUrl });
  await db.connect();
  const connection = await Connection.connect({ address: s.temporalAddress });
  const temporal = new TemporalClient({ connection });
  const bareQueue = `bench-bare-${randomUUID()}`;
  const bareWorker = await Worker.create({
    connection: await NativeConnection.connect({ address: s.temporalAddress }),
    taskQueue: bareQueue,
    workflowsPath: path.join(__dirname, 'workflows', 'bare-update.workflow.js'),
  });
  const bareRunning = bareWorker.run();
  try {
    const oursNeeded = levels.reduce((n, c) => n + perBlock(c) * rounds, 0);
    const bareNeeded = oursNeeded;
    // Open-loop decisions at up to ~half of bare's best rate; enough tasks for the longest window.
    const openLoopMax = openLoopSeconds * 150;
    const people = await seed(s, db, oursNeeded + openLoopMax);
    const institutions = (await db.query(`SELECT i.id, array_agg(m.id) AS members FROM institutions i JOIN party_members m ON m.institution_id = i.id WHERE i.name LIKE '基准养老院%' GROUP BY i.id`)).rows as Array<{ id: string; members: string[] }>;
    console.log(`[bench] decisions: submitting ${institutions.length} establish-branch processes...`);
    const submitted = await pool(institutions, 8, async (inst) => {
      const res = await http(s.apiBaseUrl, people.applicant, 'POST', '/processes/establish-branch', { institutionId: inst.id, name: `${inst.id.slice(0, 8)}党支部`, memberIds: inst.members });
      if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
    });
    console.log(`[bench] submitted in ${Math.round(submitted.wallMs)} ms; waiting for the tasks...`);
    let taskIds: string[] = [];
    for (const deadline = Date.now() + 300_000; taskIds.length < institutions.length; ) {
      if (Date.now() > deadline) throw new Error(`only ${taskIds.length} of ${institutions.length} tasks opened`);
      await new Promise((r) => setTimeout(r, 500));
      taskIds = (await db.query(`SELECT t.id FROM tasks t JOIN processes p ON p.id = t.process_id JOIN institutions i ON i.id = p.institution_id WHERE t.status = 'OPEN' AND t.step = 'approve' AND i.name LIKE '基准养老院%' ORDER BY t.created_at`)).rows.map((r) => r.id as string);
    }
    const bareIds = Array.from({ length: bareNeeded }, () => randomUUID());
    await pool(bareIds, 16, async (id) => {
      await temporal.workflow.start('bareUpdateWorkflow', { workflowId: `bench-bare/${id}`, taskQueue: bareQueue, args: [id] });
    });

    const decided = new Set<string>();
    const decide = async (taskId: string): Promise<void> => {
      const res = await http(s.apiBaseUrl, people.approver, 'POST', `/tasks/${taskId}/decision`, { decision: 'APPROVE', comment: '同意（基准测试）' });
      if (res.status !== 200) throw new Error(`decision ${taskId}: ${res.status} ${JSON.stringify(res.body)}`);
      decided.add(taskId);
    };
    const bare = (id: string): Promise<void> =>
      temporal.workflow.getHandle(`bench-bare/${id}`).executeUpdate(bareDecideUpdate, { args: [{ taskId: id, decision: 'APPROVE' }] }).then(() => undefined);

    const blocks: DecisionBlock[] = [];
    let t = 0;
    let b = 0;
    for (const c of levels) {
      for (let r = 0; r < rounds; r++) {
        const n = perBlock(c);
        blocks.push(block('ours', c, await pool(taskIds.slice(t, (t += n)), c, decide)));
        blocks.push(block('bare', c, await pool(bareIds.slice(b, (b += n)), c, bare)));
        const [o, x] = blocks.slice(-2);
        console.log(`[bench] c=${c}: ours ${o!.perSecond}/s p99 ${o!.p99Ms} ms; bare ${x!.perSecond}/s p99 ${x!.p99Ms} ms`);
      }
    }
    const levelRows = levels.map((c) => {
      const of = (p: 'ours' | 'bare'): Rate => {
        const bs = blocks.filter((x) => x.path === p && x.concurrency === c);
        return { perSecond: round(bs.reduce((a, x) => a + x.perSecond, 0) / bs.length), p99Ms: Math.max(...bs.map((x) => x.p99Ms)) };
      };
      const ours = of('ours');
      const bareRate = of('bare');
      return { concurrency: c, ours, bare: bareRate, ratioThroughput: round((ours.perSecond / bareRate.perSecond) * 100) / 100, ratioP99: round((ours.p99Ms / bareRate.p99Ms) * 100) / 100 };
    });
    const oursSat = Math.max(...levelRows.map((l) => l.ours.perSecond));
    const bareSat = Math.max(...levelRows.map((l) => l.bare.perSecond));

    // Open loop: decisions arrive at half of bare's saturation rate, whether or not earlier ones have answered.
    const rate = Math.max(1, Math.floor(bareSat / 2));
    const openTasks = taskIds.slice(t, t + Math.min(openLoopMax, rate * openLoopSeconds));
    const openLatencies: number[] = [];
    await Promise.all(
      openTasks.map(async (id, i) => {
        await new Promise((r) => setTimeout(r, (i * 1000) / rate));
        const s0 = performance.now();
        await decide(id);
        openLatencies.push(performance.now() - s0);
      }),
    );
    const openSorted = openLatencies.sort((x, y) => x - y);
    console.log(`[bench] open loop at ${rate}/s: ${openSorted.length} decisions, p99 ${round(percentile(openSorted, 99))} ms`);

    // Exactly once: every answered decision recorded once, every granted process with one organisation.
    const ids = [...decided];
    await new Promise((r) => setTimeout(r, 2000));
    const counts = (
      await db.query(
        `SELECT t.id, (SELECT count(*)::int FROM process_events e WHERE e.process_id = t.process_id AND e.action = 'APPROVE' AND e.data->>'taskId' = t.id::text) AS n,
                (SELECT count(*)::int FROM organizations o WHERE o.created_by_process_id = t.process_id) AS orgs
           FROM tasks t WHERE t.id = ANY($1::uuid[])`,
        [ids],
      )
    ).rows as Array<{ id: string; n: number; orgs: number }>;
    const lost = counts.filter((r) => r.n === 0 || r.orgs === 0).length + (ids.length - counts.length);
    const duplicated = counts.filter((r) => r.n > 1 || r.orgs > 1).length;

    // The decision emails: from the decision's transaction (the outbox row) to the relay's answer.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM email_outbox WHERE status <> 'SENT'`)).rows;
      if (n === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const mailMs = (await db.query(`SELECT extract(epoch FROM sent_at - created_at) * 1000 AS ms FROM email_outbox WHERE template = 'decided' AND sent_at IS NOT NULL ORDER BY 1`)).rows.map((r) => Number(r.ms));
    // Throughput at the busiest 5 seconds of sending (the rest of the run sends only as fast as decisions come).
    const sent = (await db.query(`SELECT extract(epoch FROM sent_at) AS at FROM email_outbox WHERE sent_at IS NOT NULL ORDER BY 1`)).rows.map((r) => Number(r.at));
    let busiest = 0;
    for (let i = 0, j = 0; i < sent.length; i++) {
      while (sent[i]! - sent[j]! > 5) j++;
      busiest = Math.max(busiest, i - j + 1);
    }

    return {
      blocks,
      levels: levelRows,
      openLoop: { ratePerSecond: rate, count: openSorted.length, p50Ms: round(percentile(openSorted, 50)), p99Ms: round(percentile(openSorted, 99)) },
      decisionsPerSecond: oursSat,
      ratioThroughput: round((oursSat / bareSat) * 100) / 100,
      ratioP99: Math.max(...levelRows.map((l) => l.ratioP99)),
      decisionP99Ms: round(percentile(openSorted, 99)),
      emails: { count: sent.length, perSecond: round(busiest / 5), p50Ms: round(percentile(mailMs, 50)), p99Ms: round(percentile(mailMs, 99)) },
      lost,
      duplicated,
    };
  } finally {
    bareWorker.shutdown();
    await bareRunning.catch(() => undefined);
    await connection.close();
    await db.end();
  }
}
