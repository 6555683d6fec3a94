/**
 * Issue #8, item 3: login throttling lives in Redis and is shared by API replicas. Two API processes on one
 * database and one Redis prefix, both behind "one proxy" (TRUST_PROXY=1: the test client plays nginx and sets
 * X-Forwarded-For), with the production limits (LOGIN_RATE_LIMIT 10 a minute per account and address, 10 failures
 * per account, 30 failures per address across accounts).
 */
import type { Client } from 'pg';
import { startApi, type ApiProcess } from '../support/api-process';
import { makeUser } from '../support/fixtures';
import type { Http } from '../support/http';
import { startSystemAsAdmin, type TestSystem } from '../support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
let replica: ApiProcess;

const LIMITS = { TRUST_PROXY: '1', LOGIN_RATE_LIMIT: '10', LOGIN_ACCOUNT_FAILURES: '10', LOGIN_ADDRESS_FAILURES: '30' };

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('sec_throttle', LIMITS));
  replica = await startApi(sys.env);
});

afterAll(async () => {
  await replica?.stop();
  await db?.end();
  await sys?.stop();
});

interface Attempt {
  status: number;
  retryAfter: string | null;
  body: any;
}

async function login(baseUrl: string, username: string, password: string, forwardedFor: string): Promise<Attempt> {
  const res = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

const replicas = (): string[] => [sys.baseUrl, replica.baseUrl];

describe('login throttling shared by replicas (item 3)', () => {
  it('11 bad logins for one account from two forwarded addresses, across two replicas, hit the shared limit', async () => {
    const victim = await makeUser(admin, 'victim', ['APPROVER'], []);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await login(replicas()[i % 2], victim.user.username, `wrong-${i}`, i % 2 ? '198.51.100.7' : '203.0.113.9')).status);
    }
    expect(statuses).toEqual(Array(10).fill(401));
    const eleventh = await login(replicas()[0], victim.user.username, 'wrong-10', '192.0.2.44');
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.retryAfter)).toBeGreaterThan(0);
    expect(Number(eleventh.retryAfter)).toBeLessThanOrEqual(60);
    expect(eleventh.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('秒后再试') });
    // Locked means locked: even the right password waits, on either replica.
    expect((await login(replicas()[1], victim.user.username, 'secret-password', '192.0.2.45')).status).toBe(429);
    // Another account is not affected.
    const bystander = await makeUser(admin, 'bystander', ['APPROVER'], []);
    expect((await login(replicas()[1], bystander.user.username, 'secret-password', '203.0.113.9')).status).toBe(200);
    // The refusal is in the security log of the replica that made it.
    await new Promise((r) => setTimeout(r, 200));
    expect(replica.output()).toMatch(new RegExp(`"security":"login.throttled".*"limit":"account".*"username":"${victim.user.username}"`));
  });

  it('limits one address across accounts (password spraying); a client cannot choose its address', async () => {
    const sprayer = '203.0.113.200';
    for (let i = 0; i < 30; i++) {
      const res = await login(replicas()[i % 2], `nobody-${i}`, 'Password1', `10.9.8.${i}, ${sprayer}`);
      expect(res.status).toBe(401);
    }
    // The address is the last hop the trusted proxy saw, whatever the client wrote before it.
    const next = await login(replicas()[0], 'nobody-x', 'Password1', `198.51.100.${Date.now() % 250}, ${sprayer}`);
    expect(next.status).toBe(429);
    expect(Number(next.retryAfter)).toBeGreaterThan(0);
    const someone = await makeUser(admin, 'someone', ['APPROVER'], []);
    expect((await login(replicas()[1], someone.user.username, 'secret-password', sprayer)).status).toBe(429);
    expect((await login(replicas()[1], someone.user.username, 'secret-password', '203.0.113.201')).status).toBe(200);
  });

  it('limits attempts per account and address per minute, successes included', async () => {
    const busy = await makeUser(admin, 'busy', ['APPROVER'], []);
    const results: number[] = [];
    for (let i = 0; i < 11; i++) results.push((await login(replicas()[i % 2], busy.user.username, 'secret-password', '198.51.100.77')).status);
    expect(results.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(results[10]).toBe(429);
    expect((await login(replicas()[0], busy.user.username, 'secret-password', '198.51.100.78')).status).toBe(200);
  });
});
