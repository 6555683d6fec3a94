/**
 * Access and input, proved over every route of the OpenAPI document (issue #13 section 4).
 *
 * The authorisation matrix: every route × {no token, an expired token, a role that may not, the right role on
 * another organisation, the right one} → the status its entry in route-access.ts implies. A route without an entry
 * fails the test, so a new route cannot ship without saying who may call it.
 *
 * Bad input: for every route that takes a body or query parameters, fast-check builds requests that are wrong in at
 * least one way (a wrong type, a missing required field, an unknown field, control characters, broken UTF-16,
 * negative or fractional money), mixed with SQL and script payloads in the other fields, sent by a user who may call
 * the route. Never a 5xx, a 400 names the field in Chinese, and the database is unchanged afterwards.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Client } from 'pg';
import { DEV_AUTH_SECRET, deriveKeys } from '@app/config';
import { upload } from '../fixtures/imports/import-files';
import { buildWorld, makeUser, type World } from '../support/fixtures';
import { expectStatus, Http, type HttpResult } from '../support/http';
import { waitFor } from '../support/net';
import { startSystemAsAdmin, type TestSystem } from '../support/system';
import { jwt } from '../support/tokens';
import { ROUTE_ACCESS, type Fixture, type Persona, type RouteAccess } from './route-access';

const CASES_PER_ROUTE = Number(process.env.FUZZ_CASES_PER_ROUTE ?? 200);
const CJK = /[\u4e00-\u9fff]/;

let sys: TestSystem;
let admin: Http;
let db: Client;
let a: World;
let b: World;
let people: Record<Persona, Http>;
let fixtures: Record<Fixture, string>;
let expired: Http;
let doc: { paths: Record<string, Record<string, OpenApiOperation>>; components: { schemas: Record<string, Schema> } };

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  nullable?: boolean;
  title?: string;
  format?: string;
}

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('sec_matrix', { SWAGGER_ENABLED: 'true' }));
  [a, b] = await Promise.all([buildWorld(admin, 3), buildWorld(admin, 3)]);
  people = { admin, applicantA: a.applicant, approverA: a.approver, applicantB: b.applicant, approverB: b.approver };
  const memberIds = a.members.filter((m) => m.status === 'FULL').map((m) => m.id);
  const processA = expectStatus(await a.applicant.post('/processes/establish-branch', { institutionId: a.institution.id, name: '矩阵党支部', memberIds }), 201).body;
  const taskA = await waitFor('the task', async () => (await db.query(`SELECT id FROM tasks WHERE process_id = $1 AND status = 'OPEN'`, [processA.id])).rows[0]);
  const colleague = await makeUser(admin, 'matrix_colleague', ['APPROVER'], [a.builder.id]);
  const delegation = expectStatus(await a.approver.post('/delegations', { deputyId: colleague.user.id, startsOn: '2030-01-01', endsOn: '2030-01-02' }), 201).body;
  const attached = await upload(sys.baseUrl, a.approver.token!, `/tasks/${taskA.id}/attachments`, '说明.txt', Buffer.from('矩阵测试附件'));
  if (attached.status !== 201) throw new Error(`upload: ${attached.status} ${JSON.stringify(attached.body)}`);
  fixtures = {
    process: processA.id,
    task: taskA.id,
    institution: a.institution.id,
    member: memberIds[0]!,
    organization: a.builder.id,
    user: a.applicantUser.id,
    delegation: delegation.id,
    attachment: (attached.body as { id: string }).id,
    kind: 'establish-branch',
    template: 'members',
    token: 'x'.repeat(43),
  };
  const { rows } = await db.query('SELECT id, token_version FROM users WHERE id = $1', [a.approverUser.id]);
  const now = Math.floor(Date.now() / 1000);
  expired = new Http(sys.baseUrl, jwt(deriveKeys(DEV_AUTH_SECRET).bearer, { sub: rows[0].id, ver: rows[0].token_version, jti: randomUUID(), iat: now - 7200, exp: now - 3600 }));
  doc = (await new Http(sys.baseUrl.replace(/\/api\/v1$/, '')).get('/api/docs-json')).body;
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

/** Every route of the OpenAPI document, as `METHOD /path` without the /api/v1 prefix. */
function routes(): Array<{ key: string; method: string; path: string; op: OpenApiOperation }> {
  return Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([m, op]) => {
        const path = p.replace(/^\/api\/v1/, '');
        return { key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path, op };
      }),
  );
}

function url(path: string, access: RouteAccess, query = ''): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => fixtures[access.params?.[name] ?? (name as Fixture)] ?? randomUUID());
  const q = [access.query?.(fixtures), query].filter(Boolean).join('&');
  return q ? `${filled}?${q}` : filled;
}

const call = (as: Http, method: string, path: string, body?: unknown): Promise<HttpResult> =>
  as.request(method, path, method === 'GET' || method === 'DELETE' ? undefined : (body ?? {}));

/** The persona that may call the route: its `as`, else by its roles. */
function rightPersona(access: RouteAccess): Persona {
  if (access.as) return access.as;
  if (access.roles !== 'any' && access.roles?.includes('ADMIN') && !access.roles.includes('APPLICANT')) return 'admin';
  return 'applicantA';
}

describe('the authorisation matrix', () => {
  it('has an entry for every route of the OpenAPI document, and none for a route that does not exist', () => {
    const keys = routes().map((r) => r.key);
    expect(keys.filter((k) => !ROUTE_ACCESS[k])).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('answers every route as its entry says: no token, an expired token, another role, another organisation, the right one', async () => {
    const wrong: string[] = [];
    const expect_ = (key: string, who: string, res: HttpResult, ok: (s: number) => boolean, want: string): void => {
      if (!ok(res.status)) wrong.push(`${key} as ${who}: ${res.status} (expected ${want}) ${JSON.stringify(res.body).slice(0, 160)}`);
    };
    for (const { key, method, path } of routes()) {
      const access = ROUTE_ACCESS[key]!;
      const target = url(path, access);
      const body = access.body?.(fixtures);
      const anon = await call(new Http(sys.baseUrl), method, target, body);
      if (access.public) {
        expect_(key, 'nobody', anon, (s) => s !== 401 && s !== 403 && s < 500, 'not 401/403');
        continue;
      }
      expect_(key, 'nobody', anon, (s) => s === 401, '401');
      expect_(key, 'an expired token', await call(expired, method, target, body), (s) => s === 401, '401');
      if (access.roles !== 'any' && access.roles) {
        const lacking: Persona = access.roles.includes('APPLICANT') ? 'approverA' : 'applicantA';
        expect_(key, `${lacking} (role)`, await call(people[lacking], method, target, body), (s) => s === 403, '403');
      }
      if (access.scope) {
        const other = access.otherAs ?? 'applicantB';
        expect_(key, `${other} (other organisation)`, await call(people[other], method, target, body), (s) => s === (access.otherStatus ?? 403), String(access.otherStatus ?? 403));
      }
      // The right caller passes authorisation (the request may still be refused for what it says).
      const rightBody = access.rightBody?.(fixtures);
      const right = key === 'POST /auth/logout' ? admin.as(expectStatus(await admin.post('/auth/login', { username: sys.env.ADMIN_USERNAME, password: sys.adminPassword }), 200).body.accessToken) : people[rightPersona(access)];
      expect_(key, rightPersona(access), await call(right, method, target, rightBody), (s) => s !== 401 && s !== 403 && s < 500, 'not 401/403/5xx');
    }
    expect(wrong).toEqual([]);
  });
});

// ------------------------------------------------------------------ bad input

const resolve = (s: Schema | undefined): Schema | undefined => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);
const typeOf = (s: Schema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type) ?? (s.enum ? typeof s.enum[0] : s.properties ? 'object' : undefined);

/** A value that this schema refuses whatever else it allows. */
function wrongValue(s: Schema, field: string): fc.Arbitrary<unknown> {
  const t = typeOf(s);
  const control = fc.constantFrom('a\u0000b', 'x\u0007y', '\u001b[31m', '\ud800', 'z\udfff');
  const options: Array<fc.Arbitrary<unknown>> = [];
  if (t === 'string') options.push(fc.integer(), fc.boolean(), fc.constant({ nested: 1 }), control);
  if (t === 'integer' || t === 'number') options.push(fc.constantFrom('12', 'NaN', '一百'), fc.constant(true), fc.constant([1]));
  if ((t === 'integer' || t === 'number') && /fen$/i.test(field)) options.push(fc.constantFrom(-1, -100, 1.5, 0.01));
  if (t === 'integer') options.push(fc.constantFrom(1.5, -0.25, 1e20));
  if (t === 'boolean') options.push(fc.constantFrom('yes', 1, 'true '));
  if (t === 'array') options.push(fc.constant('not-an-array'), fc.constant({ 0: 'x' }), fc.array(control, { minLength: 1, maxLength: 3 }));
  if (t === 'object') options.push(fc.constant('not-an-object'), fc.constant([1, 2]));
  if (options.length === 0) options.push(control);
  return fc.oneof(...options);
}

/** Text a person might paste, or an attacker send, where the schema wants text: tried alongside the fault. */
const nasty = fc.constantFrom("' OR 1=1 --", '"; DROP TABLE processes; --', '<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '${7*7}', '../../etc/passwd', '正常的中文', '', 'x'.repeat(3000));

/** Requests wrong in at least one way: one field broken (or missing when required, or an unknown field added). */
function badBodies(s: Schema): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {}).map(([k, v]) => [k, resolve(v) ?? {}] as const);
  const required = s.required ?? [];
  const filler = fc.record(Object.fromEntries(props.map(([k, v]) => [k, typeOf(v) === 'string' ? nasty : fc.constant(undefined)])), { requiredKeys: [] });
  const faults: Array<fc.Arbitrary<(b: Record<string, unknown>) => Record<string, unknown>>> = [
    fc.constantFrom('__extra', 'constructor', 'prototype', '未知字段').map((k) => (x) => ({ ...x, [k]: 'x' })),
  ];
  if (props.length) faults.push(fc.constantFrom(...props).chain(([k, v]) => wrongValue(v, k).map((w) => (x) => ({ ...x, [k]: w }))));
  if (required.length) faults.push(fc.constantFrom(...required).map((k) => (x) => Object.fromEntries(Object.entries(x).filter(([kk]) => kk !== k))));
  return fc.tuple(filler, fc.oneof(...faults)).map(([base, fault]) => {
    const clean = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined));
    return fault(clean);
  });
}

/** A query string wrong in one of its parameters (or an unknown one). */
function badQueries(params: NonNullable<OpenApiOperation['parameters']>): fc.Arbitrary<string> {
  const query = params.filter((p) => p.in === 'query');
  const faults: Array<fc.Arbitrary<string>> = [fc.constantFrom('__extra=1', 'constructor=x')];
  if (query.length) {
    faults.push(
      fc.constantFrom(...query).chain((p) => {
        const t = typeOf(resolve(p.schema) ?? {});
        const bad =
          t === 'integer' || t === 'number'
            ? fc.constantFrom('abc', '-5', '1.5', '1e999')
            : resolve(p.schema)?.enum || p.schema?.format
              ? fc.constantFrom('NOT_A_VALUE', '%00')
              : // NUL, BEL, and the UTF-8 bytes of an unpaired surrogate (already percent-encoded)
                fc.constantFrom('a%00b', 'z%07', '%ED%A0%80');
        return bad.map((v) => `${encodeURIComponent(p.name)}=${v}`);
      }),
    );
  }
  return fc.oneof(...faults);
}

/** A fingerprint of the data a refused request must not touch. */
async function fingerprint(): Promise<string> {
  const tables = ['organizations', 'institutions', 'party_members', 'users', 'processes', 'tasks', 'process_events', 'delegations', 'attachments', 'settings', 'settings_audit', 'email_outbox', 'idempotency_records', 'member_history', 'user_audit'];
  const parts = await Promise.all(tables.map(async (t) => `${t}:${(await db.query(`SELECT count(*) AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`)).rows[0].h}`));
  return parts.join(',');
}

const PARALLEL = 8;

describe('bad input over every route', () => {
  it(`never answers 5xx, names the field in Chinese and changes nothing (${CASES_PER_ROUTE} cases per route)`, async () => {
    const before = await fingerprint();
    const problems: string[] = [];
    let sent = 0;
    for (const { key, method, path, op } of routes()) {
      const access = ROUTE_ACCESS[key]!;
      if (access.public && key !== 'POST /auth/login') continue;
      const bodySchemas = (() => {
        const s = resolve(op.requestBody?.content['application/json']?.schema);
        if (!s) return [];
        return s.oneOf ? s.oneOf.map((o) => resolve(o)!).filter((o) => !o.title || o.title === fixtures.kind) : [s];
      })();
      const hasQuery = (op.parameters ?? []).some((p) => p.in === 'query');
      if (bodySchemas.length === 0 && !hasQuery) continue;
      const as = key === 'POST /auth/login' ? new Http(sys.baseUrl) : people[rightPersona(access)];
      const requests: fc.Arbitrary<{ body?: unknown; query: string }> = bodySchemas.length
        ? badBodies(bodySchemas[0]!).map((body) => ({ body, query: '' }))
        : badQueries(op.parameters ?? []).map((query) => ({ query }));
      const cases = fc.sample(requests, { numRuns: CASES_PER_ROUTE, seed: 20261130 });
      // A few at a time, as several clients would send them.
      for (let i = 0; i < cases.length && problems.length <= 20; i += PARALLEL) {
        const batch = cases.slice(i, i + PARALLEL);
        const answers = await Promise.all(batch.map((r) => call(as, method, url(path, access, r.query), r.body)));
        batch.forEach((r, j) => {
          const res = answers[j]!;
          sent += 1;
          if (res.status >= 500 || res.status === 0) problems.push(`${key} ${JSON.stringify(r).slice(0, 200)} → ${res.status}`);
          else if (res.status === 400) {
            const details = (res.body?.details ?? []) as Array<{ field?: string; message?: string }>;
            const named = details.some((d) => d.field) || /[a-zA-Z]+\S*[:：]/.test(String(res.body?.message));
            if (!named || !CJK.test(String(res.body?.message))) problems.push(`${key} ${JSON.stringify(r).slice(0, 200)} → 400 without a named field in Chinese: ${JSON.stringify(res.body).slice(0, 200)}`);
          } else if (res.status < 400) problems.push(`${key} ${JSON.stringify(r).slice(0, 200)} → ${res.status} (accepted)`);
        });
      }
    }
    // eslint-disable-next-line no-console
    console.log(`bad input: ${sent} requests over ${routes().length} routes, ${problems.length} problems`);
    expect(problems).toEqual([]);
    expect(await fingerprint()).toBe(before);
  });
});
