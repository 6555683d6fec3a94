/** Ports, polling and HTTP probes used while bringing services up. */
import * as http from 'http';
import * as net from 'net';
import { errorMessage } from './log';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A probe failure that retrying cannot fix (bad credentials, ...): stops waiting at once. */
export class FatalProbeError extends Error {}

/** Raised when the runner is shutting down while something is still being waited for. */
export class AbortedError extends Error {
  constructor() {
    super('aborted (shutting down)');
  }
}

/** A TCP port free on loopback right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface HostPort {
  host: string;
  port: number;
}

/** `host:port`, `[::1]:port` or `host` (with a default port). */
export function parseHostPort(address: string, defaultPort: number): HostPort {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(address) ?? /^([^:]+)(?::(\d+))?$/.exec(address);
  if (!m) throw new Error(`cannot parse address "${address}" (expected host:port)`);
  return { host: m[1], port: m[2] ? Number(m[2]) : defaultPort };
}

/** Host and port of a URL such as postgres://u@h:5432/db, with the scheme's default port. */
export function urlHostPort(url: string, defaultPort: number): HostPort {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { host, port: u.port ? Number(u.port) : defaultPort };
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** True when something accepts a TCP connection on host:port within timeoutMs. */
export function isPortOpen({ host, port }: HostPort, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Appended to the timeout error, e.g. how to start the service by hand. */
  hint?: string;
  signal?: AbortSignal;
}

/**
 * Calls probe until it returns a value other than undefined/false. Thrown errors count as
 * "not yet" (the last one is reported on timeout), except FatalProbeError which ends the wait.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  opts: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 500;
  let lastError: string | undefined;
  for (;;) {
    if (opts.signal?.aborted) throw new AbortedError();
    try {
      const result = await probe();
      if (result !== undefined && result !== false) return result;
      lastError = undefined;
    } catch (err) {
      if (err instanceof FatalProbeError || err instanceof AbortedError) throw err;
      lastError = errorMessage(err);
    }
    if (Date.now() + interval > deadline) {
      const parts = [`${what} did not become ready within ${Math.round(opts.timeoutMs / 1000)} s`];
      if (lastError) parts.push(`last error: ${lastError}`);
      if (opts.hint) parts.push(opts.hint);
      throw new Error(parts.join('. '));
    }
    await sleep(interval);
  }
}

export async function waitForPort(what: string, hp: HostPort, opts: WaitOptions): Promise<void> {
  await waitUntil(`${what} (${formatHostPort(hp)})`, () => isPortOpen(hp), opts);
}

export interface HttpResult {
  status: number;
  body: string;
}

export function httpGet(url: string, timeoutMs = 3000): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
