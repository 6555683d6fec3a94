/**
 * One more API process beside a test system (another replica, or the API under other settings), with its output
 * kept so a test can read the log lines it wrote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stopChild } from '../../scripts/lib/stop-child';
import { freePort, waitFor } from './net';

const root = path.resolve(__dirname, '../..');
const dist = process.env.APP_DIST ?? 'dist';
const entry = path.join(root, dist, 'apps/api/src/main.js');

export interface ApiProcess {
  baseUrl: string;
  pid: number;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

function spawnApi(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [entry], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer): void => {
    out += chunk.toString();
    if (process.env.TEST_VERBOSE === '1') process.stderr.write(`[api+] ${chunk.toString()}`);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // 'close', not 'exit': a process that says why it refuses to start and exits at once may still have output in the
  // pipes when 'exit' fires.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Starts an API with `env` (PORT and PUBLIC_BASE_URL are chosen here) and waits until /health answers. */
export async function startApi(env: NodeJS.ProcessEnv, healthy = (status: number): boolean => status === 200): Promise<ApiProcess> {
  const port = await freePort();
  const { child, output, exited } = spawnApi({ ...env, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  await waitFor(
    'the extra API',
    async () => {
      if (code !== undefined) throw new Error(`API exited (${code}):\n${output()}`);
      const res = await fetch(`${baseUrl}/health`).catch(() => null);
      return res !== null && healthy(res.status);
    },
    90_000,
  ).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${output().slice(-3000)}`);
  });
  return {
    baseUrl,
    pid: child.pid!,
    output,
    stop: () => stopChild(child),
  };
}

/** Starts an API that is expected to refuse its configuration: its exit code and what it printed. */
export async function apiRefusal(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const { child, output, exited } = spawnApi({ ...env, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  return { code, output: output() };
}

export { memoryOf } from '../../bench/bench-api';
