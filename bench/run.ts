/**
 * `npm run bench` (`-- --quick` for the one-minute version CI runs): the system on a city the size the seed
 * describes, beside bare Temporal.
 *
 *   1. a throwaway database: migrations + the demo city (the seed-demo generator, seed 1 or --seed N) + an inbox of
 *      100,000 tasks, 1,000 open for demo_approver (bench-inbox.ts)
 *   2. a Temporal dev server of its own, a local mail relay, and the built API and worker from this same build
 *      (Redis at REDIS_URL, a key prefix of its own)
 *   3. the read paths (sequential requests after warm-up), GET /tasks at 100,000 tasks through the API and as SQL,
 *      a 500-row import, then the decision path beside bare Temporal (bench-decisions.ts) with its emails
 *   4. bench/results/latest.json (the headline figures flat, plus every measurement) and latest.md; the database
 *      is dropped
 *
 * DATABASE_URL names the server (its maintenance database is used to create and drop); BENCH_RUNS, BENCH_KEEP_DB=1.
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@app/config';
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client } from 'pg';
import { workflowBundleOptions } from '@app/temporal';
import { PrivateTemporal } from '../scripts/lib/private-temporal';
import { memoryOf, startApi, startWorker, type RunningApi } from './bench-api';
import { benchDecisions, type DecisionBench } from './bench-decisions';
import { adminUrlFrom, createDatabase, dropDatabase, seedDatabase } from './bench-database';
import { memberFiles, uploadForm } from './bench-files';
import { seedInbox } from './bench-inbox';
import { measure, percentile, summarise, timed, type Timing } from './bench-measure';
import { markdownOf, verdicts, writeReport, type BenchReport, type Headline } from './bench-report';
import { startSmtpSink } from './bench-smtp';

const QUICK = process.argv.includes('--quick');
/** `--out DIR`: where the results go instead of bench/results (npm test writes its quick run to test-artifacts/bench). */
const OUT_DIR = ((i) => (i >= 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]!) : undefined))(process.argv.indexOf('--out'));
const noop = (): void => undefined;
const quiet = { info: noop, warn: noop, error: noop, debug: noop, trace: noop, log: noop } as never;
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 20 : 30));
const INBOX_RUNS = QUICK ? 100 : 300;
const IMPORT_ROWS = 500;
const IMPORT_FILES = 6; // the first one warms the import path up and is reported apart

function rootDir(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'bench'))) return dir;
  }
  return process.cwd();
}

function seedArg(): number {
  const i = process.argv.indexOf('--seed');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 1;
  if (!Number.isInteger(n) || n < 0) throw new Error('--seed must be a non-negative integer');
  return n;
}

async function login(api: RunningApi, username: string, password: string): Promise<string> {
  const res = await fetch(`${api.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function main(): Promise<void> {
  const seed = seedArg();
  const loadAvg1mAtStart = Math.round(os.loadavg()[0] * 100) / 100;
  const cfg = loadConfig(process.env);
  const adminUrl = adminUrlFrom(cfg.databaseUrl);
  const dbName = `epa_bench_${Date.now()}`;
  const password = `bench-${randomBytes(6).toString('hex')}`;
  console.log(`[bench] database ${dbName}: migrations and the demo city (seed ${seed})...`);
  const databaseUrl = await createDatabase(adminUrl, dbName);
  let api: RunningApi | null = null;
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  const temporal = new PrivateTemporal();
  const smtp = await startSmtpSink();
  try {
    const { city, migrateMs, seedMs } = await seedDatabase(databaseUrl, seed, password);
    const inbox = await seedInbox(databaseUrl, city, seed);
    console.log(`[bench] seeded in ${seedMs} ms (migrations ${migrateMs} ms), ${inbox.tasks} inbox tasks; starting Temporal, the worker and the API...`);
    const temporalAddress = await temporal.start();
    // As in production: the worker loads a prebuilt workflow bundle (bundling at start-up would weigh on its memory).
    const bundlePath = path.join(os.tmpdir(), `epa-bench-bundle-${Date.now()}.js`);
    await writeFile(bundlePath, (await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quiet })).code);
    const env = {
      NODE_ENV: 'production',
      AUTH_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: databaseUrl,
      ADMIN_USERNAME: 'bench_admin',
      ADMIN_PASSWORD: password,
      LOGIN_RATE_LIMIT: '100000',
      LOGIN_ACCOUNT_FAILURES: '100000',
      LOGIN_ADDRESS_FAILURES: '100000',
      REDIS_PREFIX: `epa-bench-${Date.now()}`,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: `bench-${Date.now()}`,
      SMTP_URL: smtp.url,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      LOG_LEVEL: 'warn',
    };
    // The worker says it has started at the info level.
    worker = await startWorker({ ...env, LOG_LEVEL: 'info' });
    api = await startApi(env);
    const running = api;
    const admin = await login(running, 'bench_admin', password);
    const approver = await login(running, 'demo_approver', password);
    const get = (token: string, p: string) => () => fetch(`${running.baseUrl}${p}`, { headers: { authorization: `Bearer ${token}` } });
    // A spread of institutions: the same number of each type, in a fixed order.
    const spread = ['PUBLIC', 'PUBLIC_BUILT_PRIVATE_RUN', 'PRIVATE', 'HOME_CARE_CENTER', 'HOME_CARE_STATION'].flatMap((t) =>
      city.institutions.filter((i) => i.type === t).slice(0, Math.ceil(RUNS / 5)),
    );
    const timings: Timing[] = [];
    const step = async (t: Promise<Timing>): Promise<void> => {
      const r = await t;
      console.log(`[bench] ${r.name}: ${r.status === 'ok' ? `p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, max ${r.maxMs} ms` : `${r.status} ${r.note ?? ''}`}`);
      timings.push(r);
    };
    await step(measure('coverage', 'GET /admin/coverage', () => get(admin, '/admin/coverage')(), { runs: RUNS, targetMs: 500 }));
    await step(
      measure('compliance', `GET /institutions/:id/compliance (${spread.length} institutions, all types)`, (i) => get(admin, `/institutions/${spread[i % spread.length].id}/compliance`)(), {
        runs: RUNS,
        warmup: 5,
        targetMs: 50,
      }),
    );
    await step(
      measure('tasks', `GET /tasks?status=OPEN (demo_approver, ${inbox.openForApprover} open of ${inbox.tasks} tasks)`, () => get(approver, '/tasks?status=OPEN')(), { runs: INBOX_RUNS, warmup: 10 }),
    );
    const inboxApi = await measureP99(() => get(approver, '/tasks?status=OPEN')(), INBOX_RUNS);
    const inboxDb = await inboxSqlP99(databaseUrl, city.users.find((u) => u.username === 'demo_approver')!.organizationIds, INBOX_RUNS);
    console.log(`[bench] inbox at ${inbox.tasks} tasks: API p99 ${inboxApi} ms, SQL p99 ${inboxDb} ms`);
    await step(measure('institutions', 'GET /institutions?limit=500 (ADMIN)', () => get(admin, '/institutions?limit=500')(), { runs: RUNS }));
    timings.push(...(await importTimings(running, admin, await memberFiles(city, IMPORT_FILES, IMPORT_ROWS, seed))));
    const decisions: DecisionBench = await benchDecisions({ apiBaseUrl: running.baseUrl, adminToken: admin, databaseUrl, temporalAddress, quick: QUICK });
    const mem = memoryOf(running.pid);
    const workerMem = memoryOf(worker.pid);
    const headline: Headline = {
      ratioThroughput: decisions.ratioThroughput,
      ratioP99: decisions.ratioP99,
      decisionsPerSecond: decisions.decisionsPerSecond,
      decisionP99Ms: decisions.decisionP99Ms,
      inboxApiP99Ms: inboxApi,
      inboxDbP99Ms: inboxDb,
      emailP99Ms: decisions.emails.p99Ms,
      emailsPerSecond: decisions.emails.perSecond,
      workerRssMb: workerMem.peakMiB,
      apiRssMb: mem.peakMiB,
      lost: decisions.lost,
      duplicated: decisions.duplicated,
      quick: QUICK,
    };
    const report: BenchReport = {
      at: new Date().toISOString(),
      commit: gitCommit(),
      machine: {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        platform: `${os.platform()} ${os.release()}`,
        loadAvg1mAtStart,
      },
      dataset: {
        seed,
        institutions: city.institutions.length,
        organizations: city.organizations.length,
        members: city.members.length,
        residents: city.institutions.reduce((a, i) => a + (i.residentCount ?? 0), 0),
        tasks: inbox.tasks,
        migrateMs,
        seedMs,
      },
      timings,
      memory: { apiRssMiB: mem.rssMiB, apiPeakRssMiB: mem.peakMiB, workerPeakRssMiB: workerMem.peakMiB },
      headline,
      decisions,
    };
    const files = writeReport(rootDir(), report, OUT_DIR);
    console.log(`\n${markdownOf(report)}`);
    console.log(`[bench] wrote ${path.relative(process.cwd(), files.json)} and ${path.relative(process.cwd(), files.md)}`);
    // A lost or doubled effect fails the run; the speed targets are reported (README), not enforced here.
    if (headline.lost > 0 || headline.duplicated > 0) throw new Error(`lost ${headline.lost}, duplicated ${headline.duplicated}`);
    const missed = verdicts(headline).filter((v) => v.met === false);
    if (missed.length) console.log(`[bench] targets missed: ${missed.map((v) => `${v.name} ${v.value} (${v.target})`).join(', ')}`);
  } catch (err) {
    if (api) console.error(`[bench] API output (tail):\n${api.tail()}`);
    if (worker) console.error(`[bench] worker output (tail):\n${worker.tail()}`);
    throw err;
  } finally {
    await api?.stop();
    await worker?.stop();
    await temporal.kill('SIGTERM');
    await smtp.stop();
    if (process.env.BENCH_KEEP_DB === '1') console.log(`[bench] kept database ${dbName}`);
    else await dropDatabase(adminUrl, dbName);
  }
}

/** Each file of new members once (creations; the first one untimed), then the first file again several times (all unchanged). */
async function importTimings(api: RunningApi, token: string, files: Buffer[]): Promise<Timing[]> {
  const post = (bytes: Buffer) =>
    timed(() => fetch(`${api.baseUrl}/imports/members`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: uploadForm(bytes, 'members.xlsx') }));
  const what = `POST /imports/members, ${IMPORT_ROWS}-row .xlsx`;
  const blank = { what, runs: 0, p50Ms: null, p95Ms: null, maxMs: null, targetMs: null, meetsTarget: null };
  const created: number[] = [];
  for (const f of files) {
    const s = await post(f);
    if (s.status === 404) return [{ ...blank, name: 'import', status: 'not available' }];
    const body = JSON.parse(s.body) as { created?: number };
    if (s.status !== 200 || body.created !== IMPORT_ROWS) return [{ ...blank, name: 'import', status: 'failed', note: `HTTP ${s.status} ${s.body.slice(0, 200)}` }];
    created.push(s.ms);
  }
  const unchanged: number[] = [];
  for (let i = 0; i < 10; i++) {
    const s = await post(files[0]);
    if ((JSON.parse(s.body) as { unchanged?: number }).unchanged !== IMPORT_ROWS) return [{ ...blank, name: 'import', status: 'failed', note: 'a re-import changed rows' }];
    unchanged.push(s.ms);
  }
  const [cold, ...warm] = created;
  const out = [
    summarise('import (new rows)', `${what}, every row created`, warm, null, `first (cold) import ${Math.round(cold)} ms`),
    summarise('import (re-import)', `${what}, same file again (all unchanged)`, unchanged, null),
  ];
  for (const t of out) console.log(`[bench] ${t.name}: p50 ${t.p50Ms} ms, p95 ${t.p95Ms} ms, max ${t.maxMs} ms`);
  return out;
}

/** p99 of `runs` sequential calls after warm-up, in ms. */
async function measureP99(call: () => Promise<Response>, runs: number): Promise<number> {
  for (let i = 0; i < 10; i++) await timed(call);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await timed(call)).ms);
  return Math.round(percentile(samples.sort((a, b) => a - b), 99) * 10) / 10;
}

/**
 * The inbox's own query, as TasksService runs it for an approver (open tasks of their organisations or assigned to
 * them, first page by creation), timed at the database client: what the database costs without the API.
 */
async function inboxSqlP99(databaseUrl: string, orgIds: string[], runs: number): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const sql = `SELECT * FROM tasks t
                  WHERE (t.assignee_id = ANY($1::uuid[]) OR (t.assignee_id IS NULL AND (t.candidate_org_id = ANY($2::uuid[]) OR t.escalated_org_id = ANY($2::uuid[]))))
                    AND t.status = 'OPEN'
                  ORDER BY t.created_at ASC, t.id ASC LIMIT 51`;
    const samples: number[] = [];
    for (let i = 0; i < runs + 10; i++) {
      const t0 = performance.now();
      await db.query(sql, [[], orgIds]);
      if (i >= 10) samples.push(performance.now() - t0);
    }
    return Math.round(percentile(samples.sort((a, b) => a - b), 99) * 10) / 10;
  } finally {
    await db.end();
  }
}

function gitCommit(): string | null {
  try {
    return execSync('git describe --always --dirty', { cwd: rootDir(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

main().catch((err: unknown) => {
  console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
