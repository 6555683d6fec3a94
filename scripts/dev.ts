/**
 * `npm start`: brings the whole system up on a fresh machine with the embedded defaults.
 *
 *   PostgreSQL + Redis   reused (started with the machine's commands when down, as root)
 *   Temporal             `temporal server start-dev` from .tools/venv, state in data/temporal/
 *   Mail catcher         MailDev (SMTP 1025, web 1080)
 *   worker, API          node dist/apps/{worker,api}/src/main.js
 *
 * Setting DATABASE_URL / REDIS_URL / TEMPORAL_ADDRESS / SMTP_URL marks that service as external:
 * nothing is started for it, the runner only waits until it answers.
 *
 * Options: --demo      load the demo dataset (dist/scripts/seed-demo.js) once the API is healthy
 * Env:     SKIP_APPS=1 bring up only the infrastructure (no worker/API), e.g. to run apps by hand
 */
import * as fs from 'fs';
import * as path from 'path';
import { FIRST_ADMIN_LINE, loadConfig, type AppConfig } from '@app/config';
import { ChildManager, describeExit, type ManagedChild } from './lib/children';
import { errorMessage, log, paint } from './lib/log';
import {
  ensureMailCatcher,
  ensurePostgres,
  ensureRedis,
  ensureTemporal,
  redactUrl,
  type MailResult,
  type TemporalResult,
} from './lib/services';
import { AbortedError, httpGet, waitUntil, type HttpResult } from './lib/wait';

const HEALTH_TIMEOUT_MS = 120_000;

interface ToolsPaths {
  temporalCli: string;
  temporalTestServer: string;
}

interface Options {
  demo: boolean;
  skipApps: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { demo: false, skipApps: ['1', 'true', 'yes'].includes((process.env.SKIP_APPS ?? '').toLowerCase()) };
  for (const arg of argv) {
    if (arg === '--demo') opts.demo = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(
        'Usage: npm start [-- --demo]\n\n' +
          '  --demo       load the demo dataset once the API is healthy\n' +
          '  SKIP_APPS=1  start only the infrastructure (PostgreSQL, Redis, Temporal, mail catcher)\n\n' +
          'Set DATABASE_URL, REDIS_URL, TEMPORAL_ADDRESS or SMTP_URL to use an external service instead.',
      );
      process.exit(0);
    } else {
      log.warn(`ignoring unknown argument "${arg}"`);
    }
  }
  return opts;
}

/** The repository root: the nearest ancestor holding scripts/tools-paths.js (else the working directory). */
function findRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts', 'tools-paths.js')) && fs.existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** A service is external when its variable is set (non-empty) in the environment. */
const isSet = (name: string): boolean => (process.env[name] ?? '') !== '';

// ---------------------------------------------------------------- lifecycle

const abort = new AbortController();
let shuttingDown = false;
let keepAlive: NodeJS.Timeout | undefined;
const children = new ChildManager((child) => {
  log.error(`${child.name} exited unexpectedly (${describeExit(child.exit ?? { code: null, signal: null })}); stopping the rest`);
  void shutdown(1);
});

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  abort.abort();
  if (keepAlive) clearInterval(keepAlive);
  if (children.runningCount() > 0) log.info('stopping all processes (SIGTERM, SIGKILL after 10 s)...');
  await children.stopAll();
  log.info(code === 0 ? 'all stopped. Bye.' : `all stopped (exit code ${code}).`);
  process.exit(code);
}

function installSignalHandlers(): void {
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count += 1;
    if (count === 1) {
      console.log('');
      log.info(`${sig} received`);
      void shutdown(0);
    } else {
      log.warn(`${sig} received again: killing everything now`);
      children.killAllNow();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // Whatever happens to the runner, never leave orphans behind.
  process.on('exit', () => children.killAllNow());
}

// ---------------------------------------------------------------- apps

/** The generated development admin, as the API announced it on this start (null when it existed already). */
let firstAdmin: { username: string; password: string } | null = null;

/** Picks the generated admin's credentials out of the API's log line (see AuthService: FIRST_ADMIN_LINE). */
function watchFirstAdmin(line: string): void {
  const m = new RegExp(`${FIRST_ADMIN_LINE}: username "([^"]+)", password "([^"]+)"`).exec(logMessage(line.replace(/\x1b\[[0-9;]*m/g, '')));
  if (m) firstAdmin = { username: m[1], password: m[2] };
}

/** The message of a log line: pino-pretty prints it as is (development), a JSON line has it in `msg`. */
function logMessage(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const msg = (JSON.parse(line) as { msg?: unknown }).msg;
    return typeof msg === 'string' ? msg : line;
  } catch {
    return line;
  }
}

function startApp(root: string, name: 'worker' | 'api', env: NodeJS.ProcessEnv): ManagedChild {
  const entry = path.join(root, 'dist', 'apps', name, 'src', 'main.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`${path.relative(root, entry)} does not exist. Build first: npm run build (npm start does this).`);
  }
  return children.start(name, process.execPath, [entry], {
    colour: name === 'api' ? 'green' : 'yellow',
    env,
    cwd: root,
    stopGroup: 'apps',
    onLine: name === 'api' ? watchFirstAdmin : undefined,
  });
}

async function waitForHealth(port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}/api/v1/health`;
  log.info(`waiting for ${url} (up to ${HEALTH_TIMEOUT_MS / 1000} s)...`);
  let last: HttpResult | undefined;
  try {
    await waitUntil(
      'API health',
      async () => {
        last = await httpGet(url);
        return last.status === 200;
      },
      { timeoutMs: HEALTH_TIMEOUT_MS, intervalMs: 1000, signal: abort.signal },
    );
  } catch (err) {
    if (err instanceof AbortedError) throw err;
    const body = last ? `last response: HTTP ${last.status} ${last.body}` : 'the API never answered';
    throw new Error(`${errorMessage(err)}\n  ${body}`);
  }
}

async function runDemoSeed(root: string, env: NodeJS.ProcessEnv): Promise<void> {
  const seed = path.join(__dirname, 'seed-demo.js');
  if (!fs.existsSync(seed)) {
    log.warn(`--demo: the demo seed is not available yet (${path.relative(root, seed)} does not exist)`);
    return;
  }
  const child = children.start('demo', process.execPath, [seed], { colour: 'gray', env, cwd: root, oneShot: true });
  const info = await child.exited;
  if (info.code === 0) log.ok('demo dataset loaded');
  else log.warn(`demo seed failed (${describeExit(info)}); the system keeps running`);
}

// ---------------------------------------------------------------- banner

interface Summary {
  cfg: AppConfig;
  databaseUrl: string;
  redisUrl: string;
  temporal: TemporalResult;
  mail: MailResult;
  appsRunning: boolean;
}

function printBanner(s: Summary): void {
  const api = `http://localhost:${s.cfg.port}`;
  const rows: Array<[string, string]> = [];
  if (s.appsRunning) {
    rows.push(['Web application', `${api}/`]);
    rows.push(['API', `${api}/api/v1`], ['Swagger (API docs)', `${api}/api/docs`], ['Health', `${api}/api/v1/health (live, ready)`]);
    rows.push(['Metrics (Prometheus)', `${api}/metrics`]);
    if (s.cfg.workerMetricsAddress) rows.push(['Worker metrics', `http://${s.cfg.workerMetricsAddress}/metrics`]);
    rows.push(['Queue board (admin)', `${api}/admin/queues/board/ (after POST /api/v1/admin/queues/board-session)`]);
  } else {
    rows.push(['API / worker', 'not started (SKIP_APPS=1): npm run start:api / npm run start:worker']);
  }
  rows.push(['Temporal Web UI', s.temporal.uiUrl ?? `(not available; Temporal at ${s.temporal.address})`]);
  rows.push(['Temporal gRPC', s.temporal.address]);
  rows.push(['Mail catcher', s.mail.webUrl ?? `(no web UI; SMTP ${redactUrl(s.mail.smtpUrl)})`]);
  rows.push(['Database', redactUrl(s.databaseUrl)]);
  rows.push(['Redis', redactUrl(s.redisUrl)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const line = paint('green', '═'.repeat(72));
  const out = [
    '',
    line,
    paint('bold', s.appsRunning ? '  The system is up.' : '  The infrastructure is up.'),
    '',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${paint('cyan', v)}`),
    '',
  ];
  if (s.appsRunning) {
    if (s.cfg.adminUsername) out.push(`  Sign in as ADMIN_USERNAME "${s.cfg.adminUsername}" with ADMIN_PASSWORD.`);
    else if (firstAdmin) {
      out.push(
        paint('bold', `  First admin created now: username "${firstAdmin.username}", password "${firstAdmin.password}"`),
        '  (shown on this first start only; write it down, or set ADMIN_USERNAME/ADMIN_PASSWORD).',
      );
    } else {
      out.push(
        '  The first admin was created on an earlier start (its password was shown then). To start afresh,',
        '  reset the development system: see "Resetting a development system" in the README.',
      );
    }
  }
  out.push('  Press Ctrl-C (or send SIGTERM/SIGINT to npm start) to stop everything.', line, '');
  console.log(out.join('\n'));
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  installSignalHandlers();
  const root = findRoot();
  const cfg = loadConfig(process.env);
  const tools = require(path.join(root, 'scripts', 'tools-paths.js')) as ToolsPaths;
  const ctx = { root, children, signal: abort.signal };

  log.info(`bringing the system up from ${root}`);
  const [temporal, mail] = await Promise.all([
    ensureTemporal(cfg.temporalAddress, isSet('TEMPORAL_ADDRESS'), cfg.temporalNamespace, tools.temporalCli, ctx),
    ensureMailCatcher(cfg.smtpUrl, isSet('SMTP_URL'), ctx),
    ensurePostgres(cfg.databaseUrl, isSet('DATABASE_URL'), ctx),
    ensureRedis(cfg.redisUrl, isSet('REDIS_URL'), ctx),
  ]);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: cfg.databaseUrl,
    REDIS_URL: cfg.redisUrl,
    TEMPORAL_ADDRESS: temporal.address,
    SMTP_URL: mail.smtpUrl,
    PORT: String(cfg.port),
  };
  const summary: Summary = {
    cfg,
    databaseUrl: cfg.databaseUrl,
    redisUrl: cfg.redisUrl,
    temporal,
    mail,
    appsRunning: !opts.skipApps,
  };

  if (opts.skipApps) {
    printBanner(summary);
    keepAlive = setInterval(() => undefined, 60_000); // stay up until Ctrl-C even with no child running
    return;
  }

  startApp(root, 'worker', env);
  startApp(root, 'api', env);
  await waitForHealth(cfg.port);
  log.ok('API is healthy');
  printBanner(summary);

  if (opts.demo) await runDemoSeed(root, env);
}

main().catch((err: unknown) => {
  if (shuttingDown) return; // a wait interrupted by the shutdown already under way
  log.error(errorMessage(err));
  void shutdown(1);
});
