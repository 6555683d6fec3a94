/**
 * A private, throwaway redis-server for tests that stop Redis on purpose. Never the shared one on 6379: other
 * runs use it concurrently. Nothing is kept on disk (`--save '' --appendonly no`), so a restart comes back empty,
 * exactly like losing the queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort, waitFor } from './net';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/** Sends PING over a raw socket and resolves true on "+PONG" (no client library, no retries). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export class PrivateRedis {
  port = 0;
  private child?: ChildProcess;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts on a free port the first time, on the same port afterwards. */
  async start(): Promise<string> {
    if (this.running) throw new Error('redis-server is already running');
    if (!this.port) this.port = await freePort();
    const child = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.child = child;
    await waitFor(`redis-server on ${this.port}`, async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      return ping(this.port);
    }, 15_000, 100);
    return this.url;
  }

  /** Stops this redis-server (only the one we spawned, by its pid) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  async isUp(): Promise<boolean> {
    return ping(this.port);
  }
}
