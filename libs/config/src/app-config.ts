/**
 * Environment validated into one typed object at start-up (a process with bad configuration exits at once).
 * Defaults are the embedded development setup that `npm start` brings up.
 */
export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  publicBaseUrl: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalTaskQueue: string;
  workflowBundlePath: string | null;
  smtpUrl: string;
  mailFrom: string;
  authSecret: string;
  authTokenTtlSeconds: number;
  adminUsername: string | null;
  adminPassword: string | null;
  logLevel: string;
  /** Largest decision attachment accepted, in bytes. */
  attachmentMaxBytes: number;
  /** How long `PUT /organizations/:id/secretary` waits for the succession before answering 202 (it carries on). */
  secretaryChangeWaitMs: number;
}

export const DEV_AUTH_SECRET = 'dev-only-secret-change-me-in-production';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const errors: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
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
  const authSecret = env.AUTH_SECRET || (production ? '' : DEV_AUTH_SECRET);
  if (production && authSecret.length < 32) errors.push('AUTH_SECRET must be set (at least 32 characters) in production');
  const adminUsername = env.ADMIN_USERNAME || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if ((adminUsername === null) !== (adminPassword === null)) {
    errors.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  const cfg: AppConfig = {
    nodeEnv,
    production,
    port,
    publicBaseUrl: url('PUBLIC_BASE_URL', `http://localhost:${port}`, ['http:', 'https:']).replace(/\/$/, ''),
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/eldercare_party', ['postgres:', 'postgresql:']),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisPrefix: env.REDIS_PREFIX || 'epa',
    temporalAddress: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalTaskQueue: env.TEMPORAL_TASK_QUEUE || 'party-approvals',
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || null,
    smtpUrl: url('SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || '养老机构党建审批系统 <noreply@party-approvals.local>',
    authSecret,
    authTokenTtlSeconds: int('AUTH_TOKEN_TTL_SECONDS', 8 * 3600),
    adminUsername,
    adminPassword,
    logLevel: env.LOG_LEVEL || 'log',
    attachmentMaxBytes: int('ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024),
    secretaryChangeWaitMs: int('SECRETARY_CHANGE_WAIT_MS', 30_000),
  };
  if (errors.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  return cfg;
}
