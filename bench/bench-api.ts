import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stopChild } from '../scripts/lib/stop-child';
import { freePort } from '../scripts/lib/wait';

export interface RunningApi {
  baseUrl: string;
  pid: number;
  /** The last lines the API printed (shown when something goes wrong). */
  tail(): string;
  stop(): Promise<void>;
}

/**
 * Spawns the built API next to this file (`<dist>/apps/api/src/main.js`) and waits until it answers. Health
 * may be 503 when Temporal or SMTP are not running; the endpoints measured do not need them.
 */
export async function startApi(env: NodeJS.ProcessEnv): Promise<RunningApi> {
  const entry = path.resolve(__dirname, '..', 'apps', 'api', 'src', 'main.js');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env: { ...process.env, ...env, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  const api: RunningApi = {
    baseUrl,
    pid: child.pid!,
    tail: () => output,
    stop: () => stopChild(child),
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}) while starting:\n${output}`);
    const status = await fetch(`${baseUrl}/health`).then((r) => r.status, () => 0);
    if (status === 200 || status === 503) return api;
    if (Date.now() > deadline) {
      await api.stop();
      throw new Error(`the API did not answer within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Resident and peak memory of a process in MiB (Linux /proc). */
export function memoryOf(pid: number): { rssMiB: number | null; peakMiB: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number | null => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
    };
    return { rssMiB: kib('VmRSS'), peakMiB: kib('VmHWM') };
  } catch {
    return { rssMiB: null, peakMiB: null };
  }
}

/** Spawns the built worker next to this file and waits until it polls its task queue. */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<{ pid: number; tail(): string; stop(): Promise<void> }> {
  const entry = path.resolve(__dirname, '..', 'apps', 'worker', 'src', 'main.js');
  const child: ChildProcess = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 120_000;
  while (!output.includes('worker started')) {
    if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}) while starting:\n${output}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`the worker did not start within 120 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { pid: child.pid!, tail: () => output, stop: () => stopChild(child) };
}
