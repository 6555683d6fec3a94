/**
 * A Temporal dev server of a test's or the benchmark's own, on a SQLite file, that it may kill and start again on the
 * same port and file (the run's shared server is never touched). Workflows survive the restart in the file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './wait';

/** The pinned Temporal CLI (scripts/tools-paths.js at the repository root, found from the source or the build). */
function temporalCli(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const paths = path.join(dir, 'scripts', 'tools-paths.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (existsSync(paths)) return (require(paths) as { temporalCli: string }).temporalCli;
  }
  throw new Error('scripts/tools-paths.js not found above ' + __dirname);
}

export class PrivateTemporal {
  port = 0;
  private uiPort = 0;
  private readonly dbFile = path.join(mkdtempSync(path.join(tmpdir(), 'epa-temporal-')), 'temporal.db');
  private child?: ChildProcess;

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<string> {
    if (!this.port) [this.port, this.uiPort] = [await freePort(), await freePort()];
    this.child = spawn(
      temporalCli(),
      ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(this.port), '--ui-port', String(this.uiPort), '--headless', '--log-level', 'error', '--db-filename', this.dbFile],
      { stdio: 'ignore' },
    );
    await waitForPort('the Temporal dev server', { host: '127.0.0.1', port: this.port }, { timeoutMs: 60_000, intervalMs: 250 });
    return this.address;
  }

  /** Kills this server (by its pid only) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }
}
