import { randomBytes } from 'node:crypto';
import { ConfigError, DEFAULT_WORKER_METRICS_ADDRESS, loadConfig, MAX_TOKEN_TTL_SECONDS } from './app-config';
import { DEMO_DEFAULT_PASSWORD, DEV_AUTH_SECRET, deriveKeys, estimateEntropyBits } from './secrets';

const strong = randomBytes(32).toString('hex');
const prod = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ AUTH_SECRET: strong, ...env });

describe('loadConfig: the signing secret', () => {
  it('uses the development constant only under NODE_ENV development or test', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).development).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).keys.bearer).toEqual(deriveKeys(DEV_AUTH_SECRET).bearer);
    for (const nodeEnv of [undefined, '', 'production', 'prod', 'Development']) {
      expect(() => loadConfig({ NODE_ENV: nodeEnv })).toThrow(/AUTH_SECRET must be set/);
    }
  });

  it('refuses published and weak secrets outside development, naming AUTH_SECRET', () => {
    for (const secret of [DEV_AUTH_SECRET, 'change-me-auth-secret-use-openssl-rand-hex-32', 'a'.repeat(200), 'ab'.repeat(64), randomBytes(16).toString('hex'), 'short']) {
      expect(() => loadConfig({ AUTH_SECRET: secret })).toThrow(ConfigError);
      expect(() => loadConfig({ AUTH_SECRET: secret })).toThrow(/AUTH_SECRET/);
    }
    expect(loadConfig(prod({})).development).toBe(false);
    expect(() => loadConfig({ AUTH_SECRET: randomBytes(32).toString('base64') })).not.toThrow();
    expect(() => loadConfig({ AUTH_SECRET: randomBytes(32).toString('base64url') })).not.toThrow();
  });

  it('estimates entropy from the alphabet, and from the characters seen when they repeat', () => {
    expect(estimateEntropyBits(randomBytes(32).toString('hex'))).toBe(256);
    expect(estimateEntropyBits(randomBytes(32).toString('base64'))).toBeGreaterThanOrEqual(256);
    expect(estimateEntropyBits('a'.repeat(64))).toBe(0);
    expect(estimateEntropyBits('abcd'.repeat(30))).toBe(240);
  });

  it('derives distinct keys per purpose, none equal to the secret', () => {
    const keys = deriveKeys(strong);
    const hex = [keys.bearer, keys.emailActionToken, keys.emailActionForm, keys.queueBoardSession].map((k) => k.toString('hex'));
    expect(new Set([...hex, strong]).size).toBe(5);
    expect(deriveKeys(strong).bearer).toEqual(keys.bearer);
  });
});

describe('loadConfig: the rest of the hardening', () => {
  it('bounds the token lifetime', () => {
    expect(loadConfig(prod({ AUTH_TOKEN_TTL_SECONDS: String(MAX_TOKEN_TTL_SECONDS) })).authTokenTtlSeconds).toBe(MAX_TOKEN_TTL_SECONDS);
    expect(() => loadConfig(prod({ AUTH_TOKEN_TTL_SECONDS: String(MAX_TOKEN_TTL_SECONDS + 1) }))).toThrow(/AUTH_TOKEN_TTL_SECONDS/);
  });

  it('reads TRUST_PROXY as a hop count or proxy addresses, never true', () => {
    expect(loadConfig(prod({})).trustProxy).toBeNull();
    expect(loadConfig(prod({ TRUST_PROXY: '1' })).trustProxy).toBe(1);
    expect(loadConfig(prod({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5,loopback,::1' })).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.5', 'loopback', '::1']);
    expect(() => loadConfig(prod({ TRUST_PROXY: 'true' }))).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig(prod({ TRUST_PROXY: 'nginx' }))).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig(prod({ TRUST_PROXY: '10.0.0.0/33' }))).toThrow(/TRUST_PROXY/);
  });

  it('requires a first-admin password of 12 characters outside development, not a published one', () => {
    expect(() => loadConfig(prod({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'eleven-char' }))).toThrow(/ADMIN_PASSWORD/);
    expect(() => loadConfig(prod({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: DEMO_DEFAULT_PASSWORD }))).toThrow(/ADMIN_PASSWORD/);
    expect(() => loadConfig(prod({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'change-me-admin-password' }))).toThrow(/ADMIN_PASSWORD/);
    expect(loadConfig(prod({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'a-long-enough-pw' })).adminPassword).toBe('a-long-enough-pw');
    expect(loadConfig({ NODE_ENV: 'development', ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'short' }).adminPassword).toBe('short');
  });

  it('serves Swagger in development, elsewhere only when enabled', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).swaggerEnabled).toBe(true);
    expect(loadConfig(prod({})).swaggerEnabled).toBe(false);
    expect(loadConfig(prod({ SWAGGER_ENABLED: 'true' })).swaggerEnabled).toBe(true);
    expect(() => loadConfig(prod({ SWAGGER_ENABLED: 'yes' }))).toThrow(/SWAGGER_ENABLED/);
  });
});

describe('loadConfig: the operator settings', () => {
  it('reads LOG_LEVEL as a pino level, accepts Nest names, refuses others', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('info');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'log' }).logLevel).toBe('info');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'verbose' }).logLevel).toBe('debug');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
    expect(() => loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('takes METRICS_TOKEN only when long enough', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).metricsToken).toBeNull();
    expect(loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'a'.repeat(32) }).metricsToken).toBe('a'.repeat(32));
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('serves the worker metrics on 127.0.0.1:9464 by default, not under test, and never on a malformed address', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).workerMetricsAddress).toBe(DEFAULT_WORKER_METRICS_ADDRESS);
    expect(loadConfig({ NODE_ENV: 'test' }).workerMetricsAddress).toBeNull();
    expect(loadConfig({ NODE_ENV: 'test', WORKER_METRICS_ADDRESS: '127.0.0.1:19464' }).workerMetricsAddress).toBe('127.0.0.1:19464');
    expect(loadConfig({ NODE_ENV: 'development', WORKER_METRICS_ADDRESS: 'off' }).workerMetricsAddress).toBeNull();
    expect(loadConfig({ NODE_ENV: 'development', WORKER_METRICS_ADDRESS: '[::]:9464' }).workerMetricsAddress).toBe('[::]:9464');
    expect(() => loadConfig({ NODE_ENV: 'development', WORKER_METRICS_ADDRESS: '9464' })).toThrow(/WORKER_METRICS_ADDRESS/);
    expect(() => loadConfig({ NODE_ENV: 'development', WORKER_METRICS_ADDRESS: 'host:99999' })).toThrow(/WORKER_METRICS_ADDRESS/);
  });
});

describe('loadConfig: every variable is validated', () => {
  it('reads the pool size, the outbox timings and the listening address, refusing bad numbers by name', () => {
    const cfg = loadConfig({ NODE_ENV: 'test', DATABASE_POOL_SIZE: '20', EMAIL_CLAIM_SECONDS: '30', OUTBOX_SWEEP_INTERVAL_MS: '2000', HOST: '127.0.0.1' });
    expect(cfg).toMatchObject({ databasePoolSize: 20, emailClaimSeconds: 30, outboxSweepIntervalMs: 2000, host: '127.0.0.1' });
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ databasePoolSize: 10, emailClaimSeconds: 120, outboxSweepIntervalMs: 15_000, host: '0.0.0.0' });
    for (const name of ['DATABASE_POOL_SIZE', 'EMAIL_CLAIM_SECONDS', 'OUTBOX_SWEEP_INTERVAL_MS']) {
      expect(() => loadConfig({ NODE_ENV: 'test', [name]: 'ten' })).toThrow(new RegExp(name));
      expect(() => loadConfig({ NODE_ENV: 'test', [name]: '-1' })).toThrow(new RegExp(name));
    }
  });
});
