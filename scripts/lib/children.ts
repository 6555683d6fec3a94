/** Child processes of the dev runner: tagged output, unexpected-exit detection, orderly stop. */
import { spawn, type ChildProcess } from 'child_process';
import * as readline from 'readline';
import type { Readable } from 'stream';
import { log, paint, tag, type Colour } from './log';
import { sleep } from './wait';

export const STOP_GRACE_MS = 10_000;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface StartOptions {
  colour: Colour;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Stopped first on shutdown (applications before the infrastructure they use). */
  stopGroup?: 'apps' | 'infra';
  /** A one-shot command (e.g. a seed script): its exit is expected, not a failure of the system. */
  oneShot?: boolean;
  /** Sees every line the child prints (stdout and stderr), besides its being shown. */
  onLine?: (line: string) => void;
}

export interface ManagedChild {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  readonly oneShot: boolean;
  readonly stopGroup: 'apps' | 'infra';
  stopping: boolean;
  exit: ExitInfo | null;
}

export function describeExit(info: ExitInfo): string {
  if (info.error) return `failed to start: ${info.error.message}`;
  if (info.signal) return `killed by ${info.signal}`;
  return `exit code ${info.code}`;
}

function pipeLines(stream: Readable | null, prefix: string, out: NodeJS.WriteStream, onLine?: (line: string) => void): void {
  if (!stream) return;
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  rl.on('line', (line) => {
    out.write(`${prefix} ${line}\n`);
    onLine?.(line);
  });
}

export class ChildManager {
  private readonly children: ManagedChild[] = [];

  /** onUnexpectedExit: a long-running child ended without being asked to. */
  constructor(private readonly onUnexpectedExit: (child: ManagedChild) => void) {}

  start(name: string, command: string, args: string[], opts: StartOptions): ManagedChild {
    const prefix = tag(name, opts.colour);
    // Own process group (detached) so Ctrl-C reaches only this runner, which then stops the
    // children in order; the whole group is signalled so grandchildren go too.
    const proc = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    pipeLines(proc.stdout, prefix, process.stdout, opts.onLine);
    pipeLines(proc.stderr, prefix, process.stderr, opts.onLine);

    let resolveExit!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => (resolveExit = resolve));
    const child: ManagedChild = {
      name,
      proc,
      exited,
      oneShot: opts.oneShot ?? false,
      stopGroup: opts.stopGroup ?? 'infra',
      stopping: false,
      exit: null,
    };
    const finish = (info: ExitInfo): void => {
      if (child.exit) return;
      child.exit = info;
      resolveExit(info);
      if (!child.oneShot && !child.stopping) this.onUnexpectedExit(child);
    };
    proc.once('error', (error) => finish({ code: null, signal: null, error }));
    proc.once('exit', (code, signal) => finish({ code, signal }));
    this.children.push(child);
    log.info(`started ${paint('bold', name)} (pid ${proc.pid ?? '?'}): ${[command, ...args].join(' ')}`);
    return child;
  }

  private signal(child: ManagedChild, sig: NodeJS.Signals): void {
    const pid = child.proc.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') child.proc.kill(sig);
      else process.kill(-pid, sig);
    } catch {
      try {
        child.proc.kill(sig);
      } catch {
        /* already gone */
      }
    }
  }

  /** SIGTERM, then SIGKILL after graceMs. */
  async stop(child: ManagedChild, graceMs = STOP_GRACE_MS): Promise<void> {
    child.stopping = true;
    if (child.exit) return;
    this.signal(child, 'SIGTERM');
    const timedOut = await Promise.race([child.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut && !child.exit) {
      log.warn(`${child.name} did not stop within ${graceMs / 1000} s; sending SIGKILL`);
      this.signal(child, 'SIGKILL');
      await Promise.race([child.exited, sleep(2000)]);
    }
    if (child.exit) log.info(`${child.name} stopped (${describeExit(child.exit)})`);
  }

  /** Stops every running child: applications first, then the infrastructure. */
  async stopAll(): Promise<void> {
    for (const group of ['apps', 'infra'] as const) {
      const running = this.children.filter((c) => c.stopGroup === group && !c.exit);
      await Promise.all(running.map((c) => this.stop(c)));
    }
  }

  /** Last resort (second Ctrl-C, or the runner itself exiting): SIGKILL everything still alive. */
  killAllNow(): void {
    for (const child of this.children) {
      if (child.exit) continue;
      child.stopping = true;
      this.signal(child, 'SIGKILL');
    }
  }

  runningCount(): number {
    return this.children.filter((c) => !c.exit).length;
  }
}
