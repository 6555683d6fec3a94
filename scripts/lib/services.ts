/**
 * The backing services of the dev runner: PostgreSQL, Redis, Temporal and a mail catcher.
 * A service whose URL/address is set in the environment is external: nothing is started for it,
 * the runner only waits until it answers.
 */
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import IORedis from 'ioredis';
import type { ChildManager, ManagedChild } from './children';
import { errorMessage, log } from './log';
import {
  FatalProbeError,
  formatHostPort,
  isPortOpen,
  parseHostPort,
  urlHostPort,
  waitForPort,
  waitUntil,
  type HostPort,
} from './wait';

export interface ServiceContext {
  root: string;
  children: ChildManager;
  signal: AbortSignal;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function commandExists(cmd: string): boolean {
  if (cmd.includes('/')) return fs.existsSync(cmd);
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, cmd)));
}

function runCommand(cmd: string, args: string[]): { ok: boolean; output: string } {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
  if (res.error) return { ok: false, output: res.error.message };
  return { ok: res.status === 0, output };
}

/** Hides the password of a URL for printing. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------- PostgreSQL

/** The part of `pg` used here (the project has no @types/pg). */
interface PgClient {
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}
interface PgModule {
  Client: new (config: { connectionString: string; connectionTimeoutMillis?: number }) => PgClient;
}
const pg = require('pg') as PgModule;

const PG_AUTH_ERRORS = new Set(['28P01', '28000']); // invalid_password, invalid_authorization_specification
const PG_NO_DATABASE = '3D000';
const PG_DUPLICATE_DATABASE = '42P04';

async function withPg<T>(url: string, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgCode = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;

/** 'ok' when the database answers, 'missing' when the server answers but the database does not exist. */
async function probeDatabase(url: string): Promise<'ok' | 'missing'> {
  try {
    await withPg(url, (c) => c.query('SELECT 1'));
    return 'ok';
  } catch (err) {
    const code = pgCode(err);
    if (code === PG_NO_DATABASE) return 'missing';
    if (code !== undefined && PG_AUTH_ERRORS.has(code)) {
      throw new FatalProbeError(`PostgreSQL rejected the credentials in ${redactUrl(url)}: ${errorMessage(err)}`);
    }
    throw err;
  }
}

function tryStartLocalPostgres(): boolean {
  const cmd = 'pg_ctlcluster';
  let versions: string[] = [];
  try {
    versions = fs.readdirSync('/etc/postgresql').sort((a, b) => Number(b) - Number(a));
  } catch {
    /* no Debian-style cluster configuration */
  }
  if (!isRoot() || !commandExists(cmd) || versions.length === 0) return false;
  const args = ['--skip-systemctl-redirect', versions[0], 'main', 'start'];
  log.info(`PostgreSQL is not answering; starting it: ${cmd} ${args.join(' ')}`);
  const res = runCommand(cmd, args);
  if (!res.ok) log.warn(`${cmd} failed: ${res.output || 'no output'}`);
  return true;
}

export async function ensurePostgres(databaseUrl: string, external: boolean, ctx: ServiceContext): Promise<void> {
  const hp = urlHostPort(databaseUrl, 5432);
  const where = formatHostPort(hp);
  const u = new URL(databaseUrl);
  const dbName = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
  let hint = 'Check DATABASE_URL and that the server is running.';

  if (!external && !(await isPortOpen(hp))) {
    if (!tryStartLocalPostgres()) {
      throw new Error(
        `PostgreSQL is not running at ${where} and could not be started automatically ` +
          '(needs root and a Debian pg_ctlcluster). Start PostgreSQL yourself, or set DATABASE_URL to a reachable server.',
      );
    }
    hint = 'It was started with pg_ctlcluster; see the PostgreSQL log under /var/log/postgresql.';
  }

  const state = await waitUntil(`PostgreSQL at ${where}`, () => probeDatabase(databaseUrl), {
    timeoutMs: external ? 60_000 : 30_000,
    hint,
    signal: ctx.signal,
  });
  if (state === 'missing') {
    const adminUrl = new URL(databaseUrl);
    adminUrl.pathname = '/postgres';
    log.info(`creating database "${dbName}"`);
    try {
      await withPg(adminUrl.toString(), (c) => c.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`));
    } catch (err) {
      if (pgCode(err) !== PG_DUPLICATE_DATABASE) {
        throw new Error(`could not create database "${dbName}" at ${where}: ${errorMessage(err)}`);
      }
    }
  }
  log.ok(`PostgreSQL ready at ${where}, database "${dbName}"${external ? ' (external, DATABASE_URL)' : ''}`);
}

// ---------------------------------------------------------------- Redis

async function pingRedis(url: string): Promise<boolean> {
  const client = new IORedis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const pong = await client.ping();
    return pong === 'PONG';
  } catch (err) {
    const msg = errorMessage(err);
    if (/NOAUTH|WRONGPASS|invalid password/i.test(msg)) {
      throw new FatalProbeError(`Redis rejected the credentials in ${redactUrl(url)}: ${msg}`);
    }
    throw err;
  } finally {
    client.disconnect();
  }
}

function tryStartLocalRedis(): boolean {
  const cmd = 'redis-server';
  if (!isRoot() || !commandExists(cmd)) return false;
  for (const dir of ['/var/lib/redis', '/var/log/redis']) fs.mkdirSync(dir, { recursive: true });
  const args = [
    '--daemonize', 'yes',
    '--bind', '127.0.0.1', '-::1',
    '--port', '6379',
    '--save', '',
    '--appendonly', 'no',
    '--dir', '/var/lib/redis',
    '--logfile', '/var/log/redis/ci.log',
  ];
  log.info(`Redis is not answering; starting it: ${cmd} ${args.map((a) => (a === '' ? '""' : a)).join(' ')}`);
  const res = runCommand(cmd, args);
  if (!res.ok) log.warn(`${cmd} failed: ${res.output || 'no output'}`);
  return true;
}

export async function ensureRedis(redisUrl: string, external: boolean, ctx: ServiceContext): Promise<void> {
  const hp = urlHostPort(redisUrl, 6379);
  const where = formatHostPort(hp);
  let hint = 'Check REDIS_URL and that the server is running.';
  if (!external && !(await pingRedis(redisUrl).catch(() => false))) {
    if (!tryStartLocalRedis()) {
      throw new Error(
        `Redis is not running at ${where} and could not be started automatically (needs root and redis-server). ` +
          'Start Redis yourself, or set REDIS_URL to a reachable server.',
      );
    }
    hint = 'It was started with redis-server; see /var/log/redis/ci.log.';
  }
  await waitUntil(`Redis at ${where}`, () => pingRedis(redisUrl), {
    timeoutMs: external ? 60_000 : 20_000,
    hint,
    signal: ctx.signal,
  });
  log.ok(`Redis ready at ${where}${external ? ' (external, REDIS_URL)' : ''}`);
}

// ---------------------------------------------------------------- Temporal

export const TEMPORAL_UI_PORT = 8233;

export interface TemporalResult {
  address: string;
  /** Web UI URL when known (the dev server started or reused here), else null. */
  uiUrl: string | null;
  child: ManagedChild | null;
}

/** gRPC-level readiness: the CLI can describe the namespace. */
function describeNamespace(cli: string, address: string, namespace: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile(
      cli,
      ['operator', 'namespace', 'describe', '--namespace', namespace, '--address', address, '--command-timeout', '5s'],
      { timeout: 15_000, env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace } },
      (err, _stdout, stderr) => {
        if (err) reject(new Error(String(stderr || err.message).trim().split('\n').slice(-1)[0]));
        else resolve(true);
      },
    );
  });
}

async function waitForTemporal(
  address: string,
  hp: HostPort,
  namespace: string,
  cli: string,
  ctx: ServiceContext,
  timeoutMs: number,
  hint: string,
): Promise<void> {
  const opts = { timeoutMs, hint, signal: ctx.signal };
  await waitForPort('Temporal frontend', hp, opts);
  if (fs.existsSync(cli)) {
    await waitUntil(`Temporal namespace "${namespace}" at ${address}`, () => describeNamespace(cli, address, namespace), {
      ...opts,
      intervalMs: 1000,
    });
  } else {
    log.warn(`${cli} not found (run npm run tools:install); only checked that ${address} accepts TCP`);
  }
}

export async function ensureTemporal(
  address: string,
  external: boolean,
  namespace: string,
  cli: string,
  ctx: ServiceContext,
): Promise<TemporalResult> {
  const hp = parseHostPort(address, 7233);
  if (external) {
    await waitForTemporal(address, hp, namespace, cli, ctx, 60_000, 'Check TEMPORAL_ADDRESS and that the server is running.');
    log.ok(`Temporal ready at ${address} (external, TEMPORAL_ADDRESS)`);
    return { address, uiUrl: null, child: null };
  }

  const uiUrl = `http://localhost:${TEMPORAL_UI_PORT}`;
  if (await isPortOpen(hp)) {
    log.info(`something already listens on ${formatHostPort(hp)}; reusing it as the Temporal server`);
    await waitForTemporal(address, hp, namespace, cli, ctx, 30_000, `Is the process on ${formatHostPort(hp)} a Temporal server?`);
    const uiOpen = await isPortOpen({ host: '127.0.0.1', port: TEMPORAL_UI_PORT });
    log.ok(`Temporal ready at ${address} (reused an already running server)`);
    return { address, uiUrl: uiOpen ? uiUrl : null, child: null };
  }

  if (!fs.existsSync(cli)) {
    throw new Error(`the Temporal CLI is missing at ${cli}. Run "npm run tools:install" (npm start does this).`);
  }
  const dataDir = path.join(ctx.root, 'data', 'temporal');
  fs.mkdirSync(dataDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', hp.host,
    '--port', String(hp.port),
    '--db-filename', path.relative(ctx.root, path.join(dataDir, 'temporal.sqlite')),
    '--log-level', 'warn',
  ];
  if (namespace !== 'default') args.push('--namespace', namespace);
  let ui: string | null = uiUrl;
  if (await isPortOpen({ host: '127.0.0.1', port: TEMPORAL_UI_PORT })) {
    log.warn(`port ${TEMPORAL_UI_PORT} is taken by another process; starting Temporal without its Web UI`);
    args.push('--headless');
    ui = null;
  } else {
    args.push('--ui-port', String(TEMPORAL_UI_PORT), '--ui-disable-news-fetch');
  }
  const child = ctx.children.start('temporal', cli, args, { colour: 'cyan', cwd: ctx.root });
  await waitForTemporal(address, hp, namespace, cli, ctx, 90_000, 'See the [temporal] lines above.');
  log.ok(`Temporal dev server ready at ${address} (state in ${path.relative(ctx.root, dataDir)}/temporal.sqlite)`);
  return { address, uiUrl: ui, child };
}

// ---------------------------------------------------------------- Mail catcher

export const MAIL_SMTP_PORT = 1025;
export const MAIL_WEB_PORT = 1080;

export interface MailResult {
  smtpUrl: string;
  /** Web UI of the mail catcher when known, else null. */
  webUrl: string | null;
  child: ManagedChild | null;
}

function maildevBin(root: string): string {
  const candidates = [
    path.join(root, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js'),
    path.join(root, 'node_modules', '.bin', 'maildev'),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('MailDev is not installed (node_modules/maildev); run "npm ci".');
  return found;
}

export async function ensureMailCatcher(smtpUrl: string, external: boolean, ctx: ServiceContext): Promise<MailResult> {
  const secure = new URL(smtpUrl).protocol === 'smtps:';
  const hp = urlHostPort(smtpUrl, secure ? 465 : 25);
  if (external) {
    await waitForPort('SMTP server', hp, {
      timeoutMs: 60_000,
      hint: 'Check SMTP_URL and that the server is running.',
      signal: ctx.signal,
    });
    log.ok(`SMTP server reachable at ${formatHostPort(hp)} (external, SMTP_URL)`);
    return { smtpUrl, webUrl: null, child: null };
  }

  const web: HostPort = { host: '127.0.0.1', port: MAIL_WEB_PORT };
  const webUrl = `http://localhost:${MAIL_WEB_PORT}`;
  if (await isPortOpen(hp)) {
    log.info(`something already listens on ${formatHostPort(hp)}; reusing it as the mail catcher`);
    const webOpen = await isPortOpen(web);
    log.ok(`mail catcher (reused) at ${formatHostPort(hp)}${webOpen ? `, web ${webUrl}` : ''}`);
    return { smtpUrl, webUrl: webOpen ? webUrl : null, child: null };
  }

  const args = [maildevBin(ctx.root), '--smtp', String(hp.port), '--ip', hp.host];
  let ui: string | null = webUrl;
  if (await isPortOpen(web)) {
    log.warn(`port ${MAIL_WEB_PORT} is taken by another process; starting MailDev without its web UI`);
    args.push('--disable-web');
    ui = null;
  } else {
    args.push('--web', String(MAIL_WEB_PORT), '--web-ip', web.host);
  }
  const child = ctx.children.start('mail', process.execPath, args, { colour: 'magenta', cwd: ctx.root });
  const opts = { timeoutMs: 30_000, hint: 'See the [mail] lines above.', signal: ctx.signal };
  await waitForPort('MailDev SMTP', hp, opts);
  if (ui) await waitForPort('MailDev web UI', web, opts);
  log.ok(`MailDev ready: SMTP ${formatHostPort(hp)}${ui ? `, web ${ui}` : ''}`);
  return { smtpUrl, webUrl: ui, child };
}
