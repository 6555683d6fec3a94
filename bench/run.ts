/**
 * `npm run bench`: latency of the read paths and of a 500-row import on a city the size the seed describes.
 *
 *   1. a throwaway database: migrations + the demo city (the seed-demo generator, seed 1 or --seed N) + a
 *      synthetic inbox (bench-inbox.ts) so GET /tasks reads a realistic table
 *   2. the built API from this same build (<dist>/apps/api/src/main.js) against it; Redis, SMTP and Temporal at
 *      their usual addresses (the endpoints measured do not need Temporal)
 *   3. sequential requests, p50/p95/max per endpoint, the API's RSS afterwards
 *   4. bench/results/latest.json and latest.md; the database is dropped
 *
 * DATABASE_URL names the server (its maintenance database is used to create and drop); BENCH_RUNS, BENCH_KEEP_DB=1.
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@app/config';
import { memoryOf, startApi, type RunningApi } from './bench-api';
import { adminUrlFrom, createDatabase, dropDatabase, seedDatabase } from './bench-database';
import { memberFiles, uploadForm } from './bench-files';
import { seedInbox } from './bench-inbox';
import { measure, summarise, timed, type Timing } from './bench-measure';
import { markdownOf, writeReport, type BenchReport } from './bench-report';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
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
  try {
    const { city, migrateMs, seedMs } = await seedDatabase(databaseUrl, seed, password);
    const inbox = await seedInbox(databaseUrl, city, seed);
    console.log(`[bench] seeded in ${seedMs} ms (migrations ${migrateMs} ms), ${inbox.tasks} inbox tasks; starting the API...`);
    api = await startApi({
      NODE_ENV: 'production',
      AUTH_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: databaseUrl,
      ADMIN_USERNAME: 'bench_admin',
      ADMIN_PASSWORD: password,
      LOGIN_RATE_LIMIT: '1000',
      REDIS_PREFIX: `epa-bench-${Date.now()}`,
      TEMPORAL_TASK_QUEUE: `bench-${Date.now()}`,
      LOG_LEVEL: 'warn',
    });
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
      measure('tasks', `GET /tasks?status=OPEN (demo_approver, ${inbox.openForApprover} open of ${inbox.tasks} tasks)`, () => get(approver, '/tasks?status=OPEN')(), { runs: RUNS }),
    );
    await step(measure('institutions', 'GET /institutions?limit=500 (ADMIN)', () => get(admin, '/institutions?limit=500')(), { runs: RUNS }));
    timings.push(...(await importTimings(running, admin, await memberFiles(city, IMPORT_FILES, IMPORT_ROWS, seed))));
    const mem = memoryOf(running.pid);
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
      memory: { apiRssMiB: mem.rssMiB, apiPeakRssMiB: mem.peakMiB },
    };
    const files = writeReport(rootDir(), report);
    console.log(`\n${markdownOf(report)}`);
    console.log(`[bench] wrote ${path.relative(process.cwd(), files.json)} and ${path.relative(process.cwd(), files.md)}`);
  } catch (err) {
    if (api) console.error(`[bench] API output (tail):\n${api.tail()}`);
    throw err;
  } finally {
    await api?.stop();
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
