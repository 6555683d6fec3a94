import { isIP } from 'node:net';
import { DEMO_DEFAULT_PASSWORD, DEV_AUTH_SECRET, deriveKeys, estimateEntropyBits, isPlaceholder, MIN_SECRET_BITS, type DerivedKeys } from './secrets';

/**
 * Environment validated into one typed object at start-up (a process with bad configuration exits at once).
 * Defaults are the embedded development setup that `npm start` brings up.
 */
export interface AppConfig {
  nodeEnv: string;
  /**
   * NODE_ENV is `development` or `test` (what `npm start` and `npm test` set). Only then may the development
   * signing secret and a generated first-admin password be used; anything else, or nothing, is production.
   */
  development: boolean;
  port: number;
  publicBaseUrl: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalTaskQueue: string;
  /** The Temporal Web UI, for the admin's links to a workflow (the web application's process monitor). */
  temporalUiUrl: string;
  workflowBundlePath: string | null;
  smtpUrl: string;
  mailFrom: string;
  /** Keys derived from AUTH_SECRET, one per purpose (the secret itself is used for nothing else). */
  keys: DerivedKeys;
  /** Bearer token lifetime; at most MAX_TOKEN_TTL_SECONDS. */
  authTokenTtlSeconds: number;
  adminUsername: string | null;
  adminPassword: string | null;
  /** pino level (LOG_LEVEL): trace, debug, info, warn, error, fatal or silent; Nest's `log`/`verbose` are accepted as info/debug. */
  logLevel: LogLevel;
  /** When set (METRICS_TOKEN), `GET /metrics` answers only `Authorization: Bearer <token>`; otherwise it is open. */
  metricsToken: string | null;
  /**
   * Where the worker serves the Temporal SDK's own metrics (WORKER_METRICS_ADDRESS, host:port); null when off. Default
   * 127.0.0.1:9464, but off under NODE_ENV=test so the test suite's many workers never fight over one port.
   */
  workerMetricsAddress: string | null;
  /** Largest decision attachment accepted, in bytes. */
  attachmentMaxBytes: number;
  /** Total size of the files uploaded to one task. */
  attachmentTaskQuotaBytes: number;
  /** Uploads no decision names are removed after this many hours. */
  orphanAttachmentHours: number;
  /** How often the worker removes such uploads and expired revoked tokens. */
  maintenanceSweepIntervalMs: number;
  /** How long `PUT /organizations/:id/secretary` waits for the succession before answering 202 (it carries on). */
  secretaryChangeWaitMs: number;
  /** A failing activity is listed on /admin/overdue from this attempt on (it keeps being retried). */
  activityAlertAfterAttempts: number;
  /** Connections per process in the PostgreSQL pool. */
  databasePoolSize: number;
  /** How long an email sender owns an outbox row before another may retry it. */
  emailClaimSeconds: number;
  /** How often pending outbox rows are enqueued again. */
  outboxSweepIntervalMs: number;
  /** The address the API listens on. */
  host: string;
  /** Workflows the worker keeps in memory between their tasks (Temporal's sticky cache); the rest replay. */
  workerMaxCachedWorkflows: number;
  /** The worker keeps the R14 funds schedules (yearly budgets, monthly stipends) (FUNDS_SCHEDULES, default on but in tests). */
  fundsSchedules: boolean;
  /** Express `trust proxy`: how many proxies (hops) or which proxy addresses; null when the API faces clients. */
  trustProxy: number | string[] | null;
  /** Swagger UI and the OpenAPI document are served (SWAGGER_ENABLED, default only in development). */
  swaggerEnabled: boolean;
  login: LoginLimits;
}

/** Login throttling (kept in Redis, so every API replica counts the same attempts). */
export interface LoginLimits {
  /** Attempts per minute for one account from one address (LOGIN_RATE_LIMIT). */
  perAccountAndAddressPerMinute: number;
  /** Failed logins of one account (from any address) within an hour before it is locked with a doubling backoff. */
  accountFailures: number;
  /** Failed logins from one address (across all accounts) within an hour before that address is locked for the hour. */
  addressFailures: number;
}

export { DEV_AUTH_SECRET };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** Nest's level names, accepted so an older LOG_LEVEL keeps working. */
const NEST_LOG_LEVELS: Record<string, LogLevel> = { log: 'info', verbose: 'debug' };

/** The Temporal worker's metrics address when WORKER_METRICS_ADDRESS is not set (outside tests). */
export const DEFAULT_WORKER_METRICS_ADDRESS = '127.0.0.1:9464';

/** Shortest METRICS_TOKEN accepted: it stands between the metrics and anyone who can reach the port. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/** The longest a bearer token may live (AUTH_TOKEN_TTL_SECONDS is refused above it). */
export const MAX_TOKEN_TTL_SECONDS = 24 * 3600;

/** Shortest first-admin password outside development. */
export const MIN_ADMIN_PASSWORD_LENGTH = 12;

/** The start of the API's log line announcing a generated development admin (the dev runner's banner repeats it). */
export const FIRST_ADMIN_LINE = 'first admin created for development';

/** NODE_ENV values under which development defaults apply. */
export const DEVELOPMENT_ENVS: readonly string[] = ['development', 'test'];

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const errors: string[] = [];
  const nodeEnv = env.NODE_ENV ?? '';
  const development = DEVELOPMENT_ENVS.includes(nodeEnv);
  const int = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) errors.push(`${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  const url = (name: string, fallback: string, protocols: string[]): string => {
    const raw = env[name] || fallback;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) errors.push(`${name} must use ${protocols.join(' or ')}, got ${u.protocol}`);
    } catch {
      errors.push(`${name} is not a valid URL`);
    }
    return raw;
  };
  const port = int('PORT', 3000);
  const authSecret = env.AUTH_SECRET || (development ? DEV_AUTH_SECRET : '');
  if (!development) errors.push(...secretProblems(nodeEnv, authSecret));
  const adminUsername = env.ADMIN_USERNAME || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if ((adminUsername === null) !== (adminPassword === null)) {
    errors.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if (!development && adminPassword !== null) errors.push(...adminPasswordProblems(adminPassword));
  const ttl = int('AUTH_TOKEN_TTL_SECONDS', 8 * 3600);
  if (ttl > MAX_TOKEN_TTL_SECONDS) errors.push(`AUTH_TOKEN_TTL_SECONDS must be at most ${MAX_TOKEN_TTL_SECONDS} (24 h), got ${ttl}`);
  const swagger = (env.SWAGGER_ENABLED ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(swagger)) errors.push(`SWAGGER_ENABLED must be "true" or "false", got "${env.SWAGGER_ENABLED}"`);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, errors);
  const cfg: AppConfig = {
    nodeEnv,
    development,
    port,
    publicBaseUrl: url('PUBLIC_BASE_URL', `http://localhost:${port}`, ['http:', 'https:']).replace(/\/$/, ''),
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/eldercare_party', ['postgres:', 'postgresql:']),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisPrefix: env.REDIS_PREFIX || 'epa',
    temporalAddress: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalTaskQueue: env.TEMPORAL_TASK_QUEUE || 'party-approvals',
    temporalUiUrl: url('TEMPORAL_UI_URL', 'http://localhost:8233', ['http:', 'https:']).replace(/\/$/, ''),
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || null,
    smtpUrl: url('SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || '养老机构党建审批系统 <noreply@party-approvals.local>',
    keys: deriveKeys(authSecret),
    authTokenTtlSeconds: ttl,
    adminUsername,
    adminPassword,
    logLevel: parseLogLevel(env.LOG_LEVEL, errors),
    metricsToken: parseMetricsToken(env.METRICS_TOKEN, errors),
    workerMetricsAddress: parseWorkerMetricsAddress(env.WORKER_METRICS_ADDRESS, nodeEnv, errors),
    attachmentMaxBytes: int('ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024),
    attachmentTaskQuotaBytes: int('ATTACHMENT_TASK_QUOTA_BYTES', 50 * 1024 * 1024),
    orphanAttachmentHours: int('ORPHAN_ATTACHMENT_HOURS', 24),
    maintenanceSweepIntervalMs: int('MAINTENANCE_SWEEP_INTERVAL_MS', 3_600_000),
    secretaryChangeWaitMs: int('SECRETARY_CHANGE_WAIT_MS', 30_000),
    activityAlertAfterAttempts: int('ACTIVITY_ALERT_AFTER_ATTEMPTS', 5),
    databasePoolSize: int('DATABASE_POOL_SIZE', 10),
    emailClaimSeconds: int('EMAIL_CLAIM_SECONDS', 120),
    outboxSweepIntervalMs: int('OUTBOX_SWEEP_INTERVAL_MS', 15_000),
    host: env.HOST || '0.0.0.0',
    workerMaxCachedWorkflows: int('WORKER_MAX_CACHED_WORKFLOWS', 250),
    fundsSchedules: (env.FUNDS_SCHEDULES ?? '') === '' ? nodeEnv !== 'test' : env.FUNDS_SCHEDULES === 'on',
    trustProxy,
    swaggerEnabled: swagger === '' ? development : swagger === 'true',
    login: {
      perAccountAndAddressPerMinute: int('LOGIN_RATE_LIMIT', 10),
      accountFailures: int('LOGIN_ACCOUNT_FAILURES', 10),
      addressFailures: int('LOGIN_ADDRESS_FAILURES', 30),
    },
  };
  if (errors.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  return cfg;
}

/** Why AUTH_SECRET cannot sign anything outside development (empty when it can). */
export function secretProblems(nodeEnv: string, secret: string): string[] {
  const where = nodeEnv ? `NODE_ENV=${nodeEnv}` : 'NODE_ENV unset (production rules apply; npm start and npm test set development/test)';
  if (!secret) return [`AUTH_SECRET must be set when ${where}: a random value of at least 32 bytes, e.g. openssl rand -hex 32`];
  if (isPlaceholder(secret)) return [`AUTH_SECRET is a value published in the repository (the development constant or the docker/.env.example placeholder); set your own, e.g. openssl rand -hex 32`];
  const bits = Math.floor(estimateEntropyBits(secret));
  if (bits < MIN_SECRET_BITS) return [`AUTH_SECRET carries about ${bits} bits of entropy; at least ${MIN_SECRET_BITS} (32 random bytes) are required, e.g. openssl rand -hex 32`];
  return [];
}

/** Why ADMIN_PASSWORD cannot be the first admin's password outside development (empty when it can). */
export function adminPasswordProblems(password: string): string[] {
  if (password.length < MIN_ADMIN_PASSWORD_LENGTH) return [`ADMIN_PASSWORD must have at least ${MIN_ADMIN_PASSWORD_LENGTH} characters outside development`];
  if (password === DEMO_DEFAULT_PASSWORD || isPlaceholder(password)) return ['ADMIN_PASSWORD is a password published in the repository (the demo password or a placeholder); choose your own'];
  return [];
}

function parseLogLevel(raw: string | undefined, errors: string[]): LogLevel {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') return 'info';
  if (NEST_LOG_LEVELS[value]) return NEST_LOG_LEVELS[value];
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  errors.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return 'info';
}

function parseMetricsToken(raw: string | undefined, errors: string[]): string | null {
  const value = (raw ?? '').trim();
  if (value === '') return null;
  if (value.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(value)) errors.push(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 16)`);
  return value;
}

/** host:port (IPv6 as [::1]:9464), or `off`. */
function parseWorkerMetricsAddress(raw: string | undefined, nodeEnv: string, errors: string[]): string | null {
  const value = (raw ?? '').trim();
  if (value === '') return nodeEnv === 'test' ? null : DEFAULT_WORKER_METRICS_ADDRESS;
  if (['off', 'false', 'none'].includes(value.toLowerCase())) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) errors.push(`WORKER_METRICS_ADDRESS must be host:port (e.g. 0.0.0.0:9464) or "off", got "${raw}"`);
  return value;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: a hop count (`1` behind the compose nginx) or a comma-separated list of proxy addresses / CIDR ranges
 * (or Express's names loopback, linklocal, uniquelocal). `true` is refused: it would take the client address from
 * whatever X-Forwarded-For a client sends.
 */
function parseTrustProxy(raw: string | undefined, errors: string[]): number | string[] | null {
  const value = (raw ?? '').trim();
  if (value === '' || value === '0' || value === 'false') return null;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true') {
    errors.push('TRUST_PROXY=true would trust any X-Forwarded-For a client sends; give the number of proxies in front (e.g. 1) or their addresses');
    return null;
  }
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((item) => {
    if (PROXY_NAMES.includes(item)) return false;
    const [addr, bits, extra] = item.split('/');
    if (extra !== undefined || isIP(addr) === 0) return true;
    return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (isIP(addr) === 4 ? 32 : 128));
  });
  if (bad.length > 0) errors.push(`TRUST_PROXY must be a hop count or a list of proxy addresses/CIDR ranges, got "${bad.join(', ')}"`);
  return items;
}
