/**
 * Issue #8, "found when tried as a new user would": a signal sent to the `npm start` process stops everything it
 * started, and the final "ready" banner repeats the first admin's generated password. Runs the same npm script
 * `npm start` ends in (`start:system`, after the install and build steps) with every service external (this run's
 * Postgres, Redis, Temporal and an SMTP sink), so the runner starts only the worker and the API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Http } from '../support/http';
import { freePort, waitFor } from '../support/net';
import { SmtpSink } from '../support/smtp-sink';
import { readState } from '../support/state';
import { createDatabase } from '../support/system';

const root = path.resolve(__dirname, '../..');
let mail: SmtpSink;
let env: NodeJS.ProcessEnv;
let port: number;

beforeAll(async () => {
  const state = readState();
  mail = new SmtpSink();
  const smtpUrl = await mail.start();
  port = await freePort();
  env = {
    ...process.env,
    NODE_ENV: undefined, // the npm script sets it
    ADMIN_USERNAME: undefined,
    ADMIN_PASSWORD: undefined,
    NO_COLOR: '1',
    PORT: String(port),
    DATABASE_URL: await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_sec_npmstart`),
    REDIS_URL: state.redisUrl,
    REDIS_PREFIX: `${state.redisPrefix}-npmstart`,
    TEMPORAL_ADDRESS: state.temporalAddress,
    TEMPORAL_TASK_QUEUE: `test-npmstart-${Date.now()}`,
    SMTP_URL: smtpUrl,
    // Never the default 9464: another run on this machine may hold it.
    WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
  };
});

afterAll(async () => {
  await mail?.stop();
});

interface Run {
  npm: ChildProcess;
  output(): string;
  exited: Promise<void>;
}

function npmStart(): Run {
  const npm = spawn('npm', ['run', '--silent', 'start:system'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  npm.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
  return { npm, output: () => out, exited };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits for the banner, sends `signal` to the npm process, and checks that the runner, worker and API are gone. */
async function startAndStop(signal: NodeJS.Signals, whileUp: (output: string) => Promise<void> = async () => undefined): Promise<string> {
  const run = npmStart();
  try {
    await waitFor('the ready banner', async () => run.output().includes('The system is up.') && run.output().includes('Press Ctrl-C'), 120_000, 250);
  } catch (err) {
    run.npm.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${run.output().slice(-3000)}`);
  }
  const pids = [...run.output().matchAll(/started (?:worker|api) \(pid (\d+)\)/g)].map((m) => Number(m[1]));
  expect(pids).toHaveLength(2);
  expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
  try {
    await whileUp(run.output());
  } finally {
    run.npm.kill(signal);
  }
  await waitFor('every process to stop', async () => pids.every((pid) => !alive(pid)), 30_000, 200);
  await Promise.race([run.exited, new Promise((r) => setTimeout(r, 10_000))]);
  expect(await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(() => 'answered', () => 'closed')).toBe('closed');
  return run.output();
}

describe('npm start (found when tried as a new user would)', () => {
  it('SIGTERM to npm stops the runner, the worker and the API; the banner repeats the generated admin password', async () => {
    const output = await startAndStop('SIGTERM', async (up) => {
      const banner = up.slice(up.lastIndexOf('The system is up.'));
      const m = /First admin created now: username "([^"]+)", password "([^"]+)"/.exec(banner);
      expect(m).not.toBeNull();
      const admin = await new Http(`http://127.0.0.1:${port}/api/v1`).login(m![1], m![2]);
      expect((await admin.get('/auth/me')).body.roles).toEqual(['ADMIN']);
    });
    expect(output).toContain('SIGTERM received');
  });

  it('SIGINT to npm stops everything too; a later start says where the password went and how to reset', async () => {
    const output = await startAndStop('SIGINT');
    expect(output).toContain('SIGINT received');
    const banner = output.slice(output.lastIndexOf('The system is up.'));
    expect(banner).toContain('created on an earlier start');
    expect(banner).toContain('README');
  });
});
