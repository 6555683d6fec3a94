/**
 * Starts the real system for a test file: the built API and worker as separate processes against the run's
 * Postgres database, Redis (with a per-file key prefix), the Temporal dev server and an in-process SMTP sink.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { stopChild } from '../../scripts/lib/stop-child';
import { Http } from './http';
import { freePort, waitFor } from './net';
import { SmtpSink } from './smtp-sink';
import { readState } from './state';

const root = path.resolve(__dirname, '../..');
/** Build output to run (APP_DIST lets parallel work build elsewhere without touching dist/). */
const dist = process.env.APP_DIST ?? 'dist';

export interface TestSystem {
  baseUrl: string;
  databaseUrl: string;
  mail: SmtpSink;
  env: NodeJS.ProcessEnv;
  adminPassword: string;
  /** The latest output (stdout and stderr, up to 4 MB each) of the API and of the worker (all its starts). */
  output: { api(): string; worker(): string };
  startWorker(): Promise<void>;
  killWorker(signal?: NodeJS.Signals): Promise<void>;
  /** The worker process is up (a supervisor would restart one that exited). */
  workerRunning(): boolean;
  stop(): Promise<void>;
}

const OUTPUT_KEPT = 4 * 1024 * 1024;

/** The tail of a process's output, for tests that read its log lines. */
class OutputTail {
  private text = '';
  add(chunk: Buffer): void {
    this.text += chunk.toString();
    if (this.text.length > OUTPUT_KEPT) this.text = this.text.slice(this.text.indexOf('\n', this.text.length - OUTPUT_KEPT) + 1);
  }
  toString(): string {
    return this.text;
  }
}

function launch(entry: string, env: NodeJS.ProcessEnv, tag: string, tail: OutputTail): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, entry)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const verbose = process.env.TEST_VERBOSE === '1';
  const sink = (chunk: Buffer): void => {
    tail.add(chunk);
    // The apps log JSON lines on stdout: errors are shown as they were when Nest wrote them to stderr.
    if (verbose || /"level":"(error|fatal)"/.test(chunk.toString())) process.stderr.write(`[${tag}] ${chunk.toString()}`);
  };
  child.stdout?.on('data', sink);
  child.stderr?.on('data', (chunk: Buffer) => {
    tail.add(chunk);
    if (verbose || /Error|error/.test(chunk.toString())) process.stderr.write(`[${tag}] ${chunk.toString()}`);
  });
  return child;
}

function waitForOutput(child: ChildProcess, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`"${text}" not printed within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes(text)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before printing "${text}"`));
    });
  });
}

/** A database of its own per test file (its first admin, its data); dropped by the global teardown. */
export async function createDatabase(adminUrl: string, dbName: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(dbName)) throw new Error(`database name "${dbName}": use lower-case letters, digits and underscores`);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
}

export async function startSystem(name: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<TestSystem> {
  const state = readState();
  const databaseUrl = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_${name}`);
  const mail = new SmtpSink();
  const smtpUrl = await mail.start();
  const port = await freePort();
  const adminPassword = `admin-${name}-pw`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '20',
    REDIS_URL: state.redisUrl,
    REDIS_PREFIX: `${state.redisPrefix}-${name}`,
    TEMPORAL_ADDRESS: state.temporalAddress,
    TEMPORAL_TASK_QUEUE: `test-${name}-${Date.now()}`,
    SMTP_URL: smtpUrl,
    ADMIN_USERNAME: `admin_${name}`,
    ADMIN_PASSWORD: adminPassword,
    LOGIN_RATE_LIMIT: '1000',
    // Tests sign in and fail logins from one address far more than people do; test/security sets the real limits.
    LOGIN_ACCOUNT_FAILURES: '1000',
    LOGIN_ADDRESS_FAILURES: '1000',
    OUTBOX_SWEEP_INTERVAL_MS: '2000',
    WORKFLOW_BUNDLE_PATH: state.workflowBundlePath,
    ...extraEnv,
  };
  let worker: ChildProcess | undefined;
  const apiOutput = new OutputTail();
  const workerOutput = new OutputTail();
  const api = launch(`${dist}/apps/api/src/main.js`, env, `api:${name}`, apiOutput);
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  const system: TestSystem = {
    baseUrl,
    databaseUrl,
    mail,
    env,
    adminPassword,
    output: { api: () => apiOutput.toString(), worker: () => workerOutput.toString() },
    async startWorker() {
      worker = launch(`${dist}/apps/worker/src/main.js`, env, `worker:${name}`, workerOutput);
      await waitForOutput(worker, 'worker started', 90_000);
    },
    async killWorker(signal: NodeJS.Signals = 'SIGKILL') {
      await stopChild(worker, signal);
    },
    workerRunning() {
      return !!worker && worker.exitCode === null && worker.signalCode === null;
    },
    async stop() {
      await Promise.all([stopChild(worker), stopChild(api)]);
      await mail.stop();
    },
  };
  await system.startWorker();
  await waitFor('api health', async () => (await fetch(`${baseUrl}/health`).catch(() => null))?.status === 200, 90_000);
  return system;
}

/** A started system with the admin signed in and a database connection for assertions (close it before `stop`). */
export async function startSystemAsAdmin(name: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ sys: TestSystem; admin: Http; db: Client }> {
  const sys = await startSystem(name, extraEnv);
  const admin = await new Http(sys.baseUrl).login(sys.env.ADMIN_USERNAME!, sys.adminPassword);
  const db = new Client({ connectionString: sys.databaseUrl });
  // The global teardown drops every test database WITH (FORCE); a connection a test left open then receives an
  // error event, which without a listener would end the whole jest process.
  db.on('error', (e) => console.warn(`[test db ${name}] ${e.message}`));
  await db.connect();
  return { sys, admin, db };
}
