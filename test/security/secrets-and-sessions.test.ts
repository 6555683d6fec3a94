/**
 * Issue #8, items 1 and 5 and the should-fix list around them, against the real API: the signing secret (known or
 * weak values refused outside development, one derived key per purpose), revocable sessions (logout, token
 * version, lifetime bound), the user audit, the first admin's password rules, Swagger only in development, helmet
 * headers, /health without raw errors for anonymous callers, and the structured security log.
 *
 * One test system (NODE_ENV=test) plus one API process started as production would be (no NODE_ENV, a strong
 * AUTH_SECRET) on the same database.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { DEMO_DEFAULT_PASSWORD, DEV_AUTH_SECRET, deriveKeys } from '@app/config';
import { SYSTEM_USER_ID } from '@app/persistence';
import { apiRefusal, startApi, type ApiProcess } from '../support/api-process';
import { makeUser } from '../support/fixtures';
import { expectStatus, Http } from '../support/http';
import { freePort } from '../support/net';
import { readState } from '../support/state';
import { createDatabase, startSystemAsAdmin, type TestSystem } from '../support/system';
import { jwt } from '../support/tokens';

let sys: TestSystem;
let admin: Http;
let db: Client;
let prod: ApiProcess;
const PROD_SECRET = randomBytes(32).toString('hex');

/** The test system's environment as production sees it: NODE_ENV unset. */
const productionEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...sys.env, NODE_ENV: undefined, AUTH_SECRET: PROD_SECRET, ...extra });

async function claimsFor(username: string, ageSeconds = 0, lifetimeSeconds = 3600): Promise<Record<string, unknown>> {
  const { rows } = await db.query('SELECT id, token_version FROM users WHERE username = $1', [username]);
  const now = Math.floor(Date.now() / 1000);
  return { sub: rows[0].id, ver: rows[0].token_version, jti: randomUUID(), iat: now - ageSeconds, exp: now - ageSeconds + lifetimeSeconds };
}

async function tokenAt(baseUrl: string, username: string, password: string): Promise<string> {
  return expectStatus(await new Http(baseUrl).post('/auth/login', { username, password }), 200).body.accessToken;
}

const me = (baseUrl: string, token: string): Promise<number> => new Http(baseUrl, token).get('/auth/me').then((r) => r.status);

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('sec_sessions'));
  // SMTP points at a closed port, so /health has a component down to describe (503 is its healthy state here).
  prod = await startApi(productionEnv({ TRUST_PROXY: '1', SMTP_URL: `smtp://127.0.0.1:${await freePort()}` }), (status) => status === 503);
});

afterAll(async () => {
  await prod?.stop();
  await db?.end();
  await sys?.stop();
});

describe('signing secret (item 1)', () => {
  it('outside development refuses a missing, published or weak AUTH_SECRET at start-up, naming the variable', async () => {
    const cases: Array<[string, NodeJS.ProcessEnv]> = [
      ['AUTH_SECRET', { AUTH_SECRET: undefined }],
      ['AUTH_SECRET', { NODE_ENV: 'prodution', AUTH_SECRET: undefined }],
      ['AUTH_SECRET', { AUTH_SECRET: DEV_AUTH_SECRET }],
      ['AUTH_SECRET', { AUTH_SECRET: 'change-me-auth-secret-use-openssl-rand-hex-32' }],
      ['AUTH_SECRET', { AUTH_SECRET: 'a'.repeat(64) }],
      ['AUTH_SECRET', { AUTH_SECRET: randomBytes(16).toString('hex') }],
      ['TRUST_PROXY', { TRUST_PROXY: 'true' }],
      ['AUTH_TOKEN_TTL_SECONDS', { AUTH_TOKEN_TTL_SECONDS: String(7 * 24 * 3600) }],
    ];
    const results = await Promise.all(cases.map(([, env]) => apiRefusal(productionEnv(env))));
    results.forEach((r, i) => {
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(cases[i][0]);
      expect(r.output).not.toContain('API listening');
    });
  });

  it('a token signed with the development constant is refused by an API started without NODE_ENV', async () => {
    const issuedInDevelopment = await tokenAt(sys.baseUrl, sys.env.ADMIN_USERNAME!, sys.adminPassword);
    expect(await me(sys.baseUrl, issuedInDevelopment)).toBe(200);
    expect(await me(prod.baseUrl, issuedInDevelopment)).toBe(401);
    const claims = await claimsFor(sys.env.ADMIN_USERNAME!);
    expect(await me(prod.baseUrl, jwt(DEV_AUTH_SECRET, claims))).toBe(401);
    expect(await me(prod.baseUrl, jwt(deriveKeys(DEV_AUTH_SECRET).bearer, claims))).toBe(401);
    // The production API's own tokens work there and nowhere else.
    const issuedInProduction = await tokenAt(prod.baseUrl, sys.env.ADMIN_USERNAME!, sys.adminPassword);
    expect(await me(prod.baseUrl, issuedInProduction)).toBe(200);
    expect(await me(sys.baseUrl, issuedInProduction)).toBe(401);
  });

  it('derives one key per purpose: only the bearer key signs bearer tokens', async () => {
    const claims = await claimsFor(sys.env.ADMIN_USERNAME!);
    const keys = deriveKeys(PROD_SECRET);
    expect(await me(prod.baseUrl, jwt(keys.bearer, claims))).toBe(200);
    expect(await me(prod.baseUrl, jwt(PROD_SECRET, claims))).toBe(401);
    expect(await me(prod.baseUrl, jwt(keys.emailActionToken, claims))).toBe(401);
    expect(await me(prod.baseUrl, jwt(keys.emailActionForm, claims))).toBe(401);
    expect(new Set([keys.bearer, keys.emailActionToken, keys.emailActionForm].map((k) => k.toString('hex'))).size).toBe(3);
  });
});

describe('revocable sessions (item 5)', () => {
  it('POST /auth/logout ends that token and no other', async () => {
    const person = await makeUser(admin, 'leaver', ['APPLICANT'], []);
    const other = await new Http(sys.baseUrl).login(person.user.username, 'secret-password');
    expect((await person.http.get('/auth/me')).status).toBe(200);
    expect((await person.http.post('/auth/logout')).status).toBe(204);
    expect((await person.http.get('/auth/me')).status).toBe(401);
    expect((await person.http.post('/auth/logout')).status).toBe(401);
    expect((await other.get('/auth/me')).status).toBe(200);
    const { rows } = await db.query('SELECT user_id, expires_at FROM revoked_tokens WHERE user_id = $1', [person.user.id]);
    expect(rows).toHaveLength(1);
    expect(new Date(rows[0].expires_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('a password, role, organisation change or deactivation ends the tokens issued before it; other edits do not', async () => {
    const world = expectStatus(await admin.post('/organizations', { name: `会话组织${Date.now()}`, kind: 'DISTRICT' }), 201).body;
    const person = await makeUser(admin, 'versioned', ['APPROVER'], []);
    const login = (password = 'secret-password'): Promise<Http> => new Http(sys.baseUrl).login(person.user.username, password);
    let token = person.http;

    expectStatus(await admin.patch(`/users/${person.user.id}`, { displayName: '改名不影响登录' }), 200);
    expect((await token.get('/auth/me')).status).toBe(200);

    const changes: Array<[string, Record<string, unknown>, string]> = [
      ['password', { password: 'another-password-1' }, 'another-password-1'],
      ['roles', { roles: ['APPROVER', 'APPLICANT'] }, 'another-password-1'],
      ['organizationIds', { organizationIds: [world.id] }, 'another-password-1'],
    ];
    for (const [what, patch, password] of changes) {
      expectStatus(await admin.patch(`/users/${person.user.id}`, patch), 200);
      expect([what, (await token.get('/auth/me')).status]).toEqual([what, 401]);
      token = await login(password);
      expect((await token.get('/auth/me')).status).toBe(200);
    }
    expectStatus(await admin.patch(`/users/${person.user.id}`, { active: false }), 200);
    expectStatus(await admin.patch(`/users/${person.user.id}`, { active: true }), 200);
    expect((await token.get('/auth/me')).status).toBe(401);
    expect((await login('another-password-1').then((h) => h.get('/auth/me'))).status).toBe(200);
  });

  it('bounds a token by the configured lifetime whatever its expiry says', async () => {
    const key = deriveKeys(DEV_AUTH_SECRET).bearer; // the test system runs with the development secret
    expect(await me(sys.baseUrl, jwt(key, await claimsFor(sys.env.ADMIN_USERNAME!, 3600, 24 * 3600)))).toBe(200);
    expect(await me(sys.baseUrl, jwt(key, await claimsFor(sys.env.ADMIN_USERNAME!, 9 * 3600, 30 * 24 * 3600)))).toBe(401);
  });
});

describe('user audit (item 7)', () => {
  it('records every change of roles, organisations, password and active with who and when, append-only', async () => {
    const person = await makeUser(admin, 'audited', ['APPLICANT'], []);
    expectStatus(await admin.patch(`/users/${person.user.id}`, { roles: ['APPROVER'], password: 'changed-password-1' }), 200);
    expectStatus(await admin.patch(`/users/${person.user.id}`, { active: false }), 200);
    const audit = expectStatus(await admin.get(`/users/${person.user.id}/audit`), 200).body;
    expect(audit.map((a: any) => a.action)).toEqual(['CREATED', 'UPDATED', 'UPDATED']);
    const adminId = (await admin.get('/auth/me')).body.id;
    for (const a of audit) expect(a).toMatchObject({ userId: person.user.id, changedById: adminId, changedByName: sys.env.ADMIN_USERNAME });
    expect(audit[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'roles', before: ['APPLICANT'], after: ['APPROVER'] },
        { field: 'password', before: null, after: 'CHANGED' },
      ]),
    );
    expect(audit[2].changes).toEqual([{ field: 'active', before: true, after: false }]);
    expect(JSON.stringify(audit)).not.toContain('$argon2');
    expect((await person.http.get(`/users/${person.user.id}/audit`)).status).toBe(401);
    await expect(db.query('UPDATE user_audit SET changed_by_name = $1 WHERE user_id = $2', ['someone', person.user.id])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM user_audit WHERE user_id = $1', [person.user.id])).rejects.toThrow(/append-only/);
  });
});

describe('first admin (should fix)', () => {
  it('outside development requires ADMIN_PASSWORD, of at least 12 characters, and refuses the demo password', async () => {
    const state = readState();
    const empty = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_sec_noadmin`);
    const [missing, short, demo] = await Promise.all([
      apiRefusal(productionEnv({ DATABASE_URL: empty, ADMIN_USERNAME: undefined, ADMIN_PASSWORD: undefined })),
      apiRefusal(productionEnv({ DATABASE_URL: empty, ADMIN_PASSWORD: 'short-pw-1' })),
      apiRefusal(productionEnv({ DATABASE_URL: empty, ADMIN_PASSWORD: DEMO_DEFAULT_PASSWORD })),
    ]);
    for (const r of [missing, short, demo]) {
      expect(r.code).not.toBe(0);
      expect(r.output).toContain('ADMIN_PASSWORD');
    }
    expect(missing.output).not.toMatch(/password "/);
    const { Client: Pg } = await import('pg');
    const check = new Pg({ connectionString: empty });
    await check.connect();
    // No admin (nor any account but the inactive system account the migrations create).
    expect((await check.query(`SELECT count(*)::int AS n FROM users WHERE id <> $1`, [SYSTEM_USER_ID])).rows[0].n).toBe(0);
    await check.end();
  });
});

describe('responses (should fix)', () => {
  it('serves Swagger only in development (or when SWAGGER_ENABLED=true)', async () => {
    expect((await fetch(`${sys.baseUrl.replace('/v1', '')}/docs-json`)).status).toBe(200);
    expect((await fetch(`${prod.baseUrl.replace('/v1', '')}/docs-json`)).status).toBe(404);
    expect((await fetch(`${prod.baseUrl.replace('/v1', '')}/docs`)).status).toBe(404);
  });

  it('sends nosniff, no X-Powered-By, and HSTS only over TLS (as a trusted proxy reports it)', async () => {
    const plain = await fetch(`${sys.baseUrl}/health`);
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('x-powered-by')).toBeNull();
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const tls = await fetch(`${prod.baseUrl}/auth/me`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(tls.headers.get('x-powered-by')).toBeNull();
  });

  it('/health names the component that is down, with the raw error only for an admin', async () => {
    const anonymous = await new Http(prod.baseUrl).get('/health');
    expect(anonymous.status).toBe(503);
    expect(anonymous.body.down).toEqual(['smtp']);
    expect(anonymous.body.components.smtp).toEqual({ status: 'down' });
    expect(anonymous.body.components.database).toEqual({ status: 'ok' });
    const approver = await makeUser(admin, 'healthviewer', ['APPROVER'], []);
    const asApprover = await new Http(prod.baseUrl).login(approver.user.username, 'secret-password');
    expect((await asApprover.get('/health')).body.components.smtp).toEqual({ status: 'down' });
    const prodAdmin = await new Http(prod.baseUrl).login(sys.env.ADMIN_USERNAME!, sys.adminPassword);
    const detailed = await prodAdmin.get('/health');
    expect(detailed.body.components.smtp).toEqual({ status: 'down', error: expect.any(String) });
  });

  it('writes structured security log lines for failed logins, 403s and refused email actions', async () => {
    const approver = await makeUser(admin, 'logged', ['APPROVER'], []);
    expect((await new Http(prod.baseUrl).post('/auth/login', { username: approver.user.username, password: 'wrong-password' })).status).toBe(401);
    const asApprover = await new Http(prod.baseUrl).login(approver.user.username, 'secret-password');
    expect((await asApprover.get('/users')).status).toBe(403);
    expect((await fetch(`${prod.baseUrl}/email-actions/${'x'.repeat(43)}`)).status).toBe(404);
    // Each log line is one JSON object (pino); security events are the ones with a "security" field.
    const events = prod
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"security"'))
      .map((line) => JSON.parse(line))
      .filter((entry) => typeof entry.security === 'string');
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ security: 'login.failed', username: approver.user.username, channel: 'login' }),
        expect.objectContaining({ security: 'access.forbidden', userId: approver.user.id, method: 'GET', reqId: expect.any(String), app: 'api' }),
        expect.objectContaining({ security: 'email_action.refused', status: 404 }),
      ]),
    );
    expect(prod.output()).not.toContain('wrong-password');
  });
});
