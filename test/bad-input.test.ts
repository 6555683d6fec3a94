/**
 * Bad input over HTTP against the real API and worker (issue 15): one test per cause the fuzzing found. Unclean
 * text (NUL, other C0 controls, broken UTF-16) in bodies, query parameters and spreadsheet cells; failures while
 * reading the body; deep nesting; null in PATCH; numbers past the integer column; prototype keys; date-times where
 * the contract says YYYY-MM-DD; one Chinese message per field. Each refusal is a 4xx in the contract's error shape
 * and changes nothing. A property-based test sends arbitrary strings to text fields of six routes: never a 5xx.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Client } from 'pg';
import { csvOf, upload } from './fixtures/imports/import-files';
import { buildWorld, makeUser, type Person, type World } from './support/fixtures';
import { expectStatus, type Http, type HttpResult } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
let world: World;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('bad_input'));
  world = await buildWorld(admin, 3, 'PUBLIC_BUILT_PRIVATE_RUN');
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

const NUL = '\u0000';
const CJK = /[\u4e00-\u9fff]/;

interface Raw {
  status: number;
  body: any;
  text: string;
  contentType: string;
  ms: number;
}

/** A request with a body exactly as given (string or bytes), timed. */
async function raw(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string> = {}, as: Http | null = admin): Promise<Raw> {
  const token = (as as unknown as { token?: string } | null)?.token;
  const started = Date.now();
  const res = await fetch(`${sys.baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
    redirect: 'manual',
    // A refusal is immediate; a request the server never answers (the NUL that hung a workflow) fails here, not at the suite's timeout.
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* an HTML page */
  }
  return { status: res.status, body: parsed, text, contentType: res.headers.get('content-type') ?? '', ms: Date.now() - started };
}

const json = (method: string, path: string, body: string, as: Http | null = admin): Promise<Raw> => raw(method, path, body, { 'content-type': 'application/json' }, as);

/** The contract's error shape, a Chinese message, and (when given) the field named in `details`. */
function expectRefusal(res: HttpResult | Raw, status: number, field?: string): void {
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.stringMatching(CJK) });
  if (field !== undefined) expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
}

async function openTaskOf(processId: string, as: Http): Promise<any> {
  return waitFor('the approval task in the inbox', async () => {
    const inbox = expectStatus(await as.get('/tasks?status=OPEN'), 200).body;
    return inbox.items.find((t: any) => t.processId === processId);
  });
}

describe('unclean text', () => {
  it('a NUL in a comment is refused within a second by a decision, the email-action POST and a withdraw; the process can still be decided', async () => {
    const w = await buildWorld(admin, 3);
    const colleague = await makeUser(admin, 'colleague', ['APPROVER'], [w.builder.id]);
    const process = expectStatus(
      await w.applicant.post('/processes/establish-branch', { institutionId: w.institution.id, name: `${w.institution.name}党支部`, memberIds: w.members.slice(0, 3).map((m) => m.id) }),
      201,
    ).body;
    const task = await openTaskOf(process.id, w.approver);
    const mail = await waitFor('the task email with its link', async () => sys.mail.to(w.approverUser.email).find((m) => /email-actions\/[A-Za-z0-9_-]+/.test(m.text)));
    const token = /email-actions\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const timeline = async (): Promise<number> => expectStatus(await admin.get(`/processes/${process.id}`), 200).body.timeline.length;
    const eventsBefore = await timeline();

    const decision = await json('POST', `/tasks/${task.id}/decision`, JSON.stringify({ decision: 'APPROVE', comment: `同意${NUL}` }), w.approver);
    expectRefusal(decision, 400, 'comment');
    expect(decision.body.details[0].message).toContain('U+0000');

    const page = await fetch(`${sys.baseUrl}/email-actions/${token}`);
    const proof = /name="proof" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(proof).toBeDefined();
    const form = (comment: string): string =>
      new URLSearchParams({ decision: 'APPROVE', comment, proof: proof!, username: w.approverUser.username, password: 'secret-password' }).toString();
    const emailed = await raw('POST', `/email-actions/${token}`, form(`同意${NUL}`), { 'content-type': 'application/x-www-form-urlencoded' }, null);
    expect(emailed.status).toBe(400);
    expect(emailed.contentType).toContain('text/html');
    expect(emailed.text).toContain('comment');

    const withdraw = await raw('POST', `/processes/${process.id}/withdraw`, JSON.stringify({ reason: `不再需要${NUL}` }), { 'content-type': 'application/json' }, w.applicant);
    expectRefusal(withdraw, 400, 'reason');
    for (const ms of [decision.ms, emailed.ms, withdraw.ms]) expect(ms).toBeLessThan(1000);

    // The other routes that carry a comment to the workflow.
    expectRefusal(await w.approver.post(`/tasks/${task.id}/transfer`, { toUserId: colleague.user.id, comment: `转交${NUL}` }), 400, 'comment');
    expectRefusal(await admin.post(`/tasks/${task.id}/reassign`, { toUserId: null, comment: `改派${NUL}` }), 400, 'comment');
    expectRefusal(await admin.post('/tasks/batch-decision', { taskIds: [task.id], decision: 'APPROVE', comment: `批量${NUL}` }), 400, 'comment');
    expect(await timeline()).toBe(eventsBefore);
    expect(expectStatus(await w.approver.get(`/tasks/${task.id}`), 200).body.status).toBe('OPEN');

    // The same link still decides, with line breaks (CRLF, as browsers send a textarea) and a tab in the comment.
    const decided = await raw('POST', `/email-actions/${token}`, form('同意。\r\n材料齐全\t无误'), { 'content-type': 'application/x-www-form-urlencoded' }, null);
    expect(decided.status).toBe(200);
    const done = await waitFor('the approved process', async () => {
      const p = expectStatus(await admin.get(`/processes/${process.id}`), 200).body;
      return p.status === 'APPROVED' ? p : null;
    });
    expect(done.timeline.some((e: any) => e.comment === '同意。\r\n材料齐全\t无误')).toBe(true);
  });

  it('other control characters and broken UTF-16 are refused like NUL', async () => {
    for (const bad of ['\u0007', '\u001b[31m', '\u000b', 'a\ud800b', '\udfff']) {
      const res = await admin.post('/organizations', { name: `组织${bad}`, kind: 'DISTRICT' });
      expectRefusal(res, 400, 'name');
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM organizations WHERE name LIKE '组织%'`)).rows[0].n).toBe(0);
  });

  it('a NUL in names, district, operatorName, displayName, username (login too), a delegation reason or ?district= is a 400 naming the field', async () => {
    const person = await makeUser(admin, 'nul', ['APPROVER'], [world.builder.id]);
    const member = world.members[0];
    const cases: Array<[string, () => Promise<HttpResult | Raw>, string]> = [
      ['POST /organizations', () => admin.post('/organizations', { name: `区委${NUL}`, kind: 'DISTRICT' }), 'name'],
      ['POST /institutions', () => admin.post('/institutions', { name: '某院', type: 'PRIVATE', district: `海曙${NUL}区`, townshipOrgId: world.township.id }), 'district'],
      ['PATCH /institutions', () => admin.patch(`/institutions/${world.institution.id}`, { operatorName: `公司${NUL}` }), 'operatorName'],
      ['POST /members', () => admin.post('/members', { name: `张${NUL}三`, institutionId: world.institution.id, category: 'STAFF', status: 'FULL' }), 'name'],
      ['PATCH /members', () => admin.patch(`/members/${member.id}`, { name: `李${NUL}` }), 'name'],
      ['POST /users', () => admin.post('/users', { username: 'nul_user', password: 'secret-password', displayName: `王${NUL}`, email: 'n@example.test', roles: ['APPLICANT'] }), 'displayName'],
      ['PATCH /users', () => admin.patch(`/users/${person.user.id}`, { username: `nul${NUL}x` }), 'username'],
      ['POST /auth/login', () => raw('POST', '/auth/login', JSON.stringify({ username: `admin${NUL}`, password: 'x' }), { 'content-type': 'application/json' }, null), 'username'],
      ['POST /delegations', () => person.http.post('/delegations', { deputyId: world.approverUser.id, startsOn: '2030-01-01', endsOn: '2030-01-02', reason: `出差${NUL}` }), 'reason'],
      ['GET /institutions?district=', () => admin.get('/institutions?district=%00'), 'district'],
      ['POST /processes/establish-branch', () => world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `党支部${NUL}`, memberIds: [member.id] }), 'name'],
      ['PUT /organizations/:id/secretary', () => admin.request('PUT', `/organizations/${world.builder.id}/secretary`, { secretaryMemberId: member.id, comment: `换届${NUL}` }), 'comment'],
    ];
    for (const [name, send, field] of cases) {
      const res = await send();
      try {
        expectRefusal(res, 400, field);
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}`);
      }
    }
    const inst = (await db.query('SELECT operator_name FROM institutions WHERE id = $1', [world.institution.id])).rows[0];
    expect(inst.operator_name).toBe('某养老服务公司');
    expect((await db.query('SELECT count(*)::int AS n FROM delegations')).rows[0].n).toBe(0);
  });

  it('a spreadsheet cell with a NUL past the first 4 KB is refused in the row report, naming the row and column', async () => {
    const headers = ['机构名称', '机构类型', '所在区县', '属地镇街党组织', '运营方'];
    const rows = Array.from({ length: 80 }, (_, i) => [`导入卫生测试机构${i}号（填充行，使文件超过四千字节）`, '民营', '卫生测试区', world.township.name, '某公司']);
    rows.push(['坏运营方院', '民营', '卫生测试区', world.township.name, `公司${NUL}名`]);
    rows.push(['坏镇街院', '民营', '卫生测试区', `${world.township.name}${NUL}`, null as unknown as string]);
    const file = csvOf(headers, rows);
    expect(file.indexOf(0)).toBeGreaterThan(4096);
    const res = await upload(sys.baseUrl, (admin as unknown as { token: string }).token, '/imports/institutions', '机构.csv', file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ committed: false, accepted: 0, valid: 80, total: 82 });
    expect(res.body.rejected).toEqual([
      { row: 82, field: '运营方', message: expect.stringContaining('U+0000') },
      { row: 83, field: '属地镇街党组织', message: expect.stringContaining('U+0000') },
    ]);
  });
});

describe('reading the body', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const jsonType = { 'content-type': 'application/json' };

  it('answers every body-reading failure with a 4xx in the contract shape', async () => {
    const cases: Array<[string, () => Promise<Raw>, number]> = [
      ['a 2 MB body', () => raw('POST', '/organizations', JSON.stringify({ name: 'x', kind: 'DISTRICT', pad: 'y'.repeat(2 * 1024 * 1024) }), jsonType), 413],
      ['a 300 KB string', () => raw('POST', '/organizations', JSON.stringify({ name: '党'.repeat(100_000), kind: 'DISTRICT' }), jsonType), 413],
      ['an unsupported charset', () => raw('POST', '/organizations', JSON.stringify({ name: 'x', kind: 'DISTRICT' }), { 'content-type': 'application/json; charset=latin1' }), 415],
      ['an unsupported form charset', () => raw('POST', '/auth/login', 'username=a&password=b', { 'content-type': 'application/x-www-form-urlencoded; charset=shift_jis' }, null), 415],
      ['gzip that is not gzip', () => raw('POST', '/organizations', JSON.stringify({ name: 'x', kind: 'DISTRICT' }), { ...jsonType, 'content-encoding': 'gzip' }), 415],
      ['1,500 form parameters', () => raw('POST', '/auth/login', Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&'), form, null), 400],
      ['form nesting too deep', () => raw('POST', '/auth/login', 'a[b][c][d][e][f][g][h][i]=1', form, null), 400],
      ['JSON that does not parse', () => raw('POST', '/organizations', '{"name": ', jsonType), 400],
    ];
    for (const [what, send, status] of cases) {
      const res = await send();
      try {
        expectRefusal(res, status);
      } catch (err) {
        throw new Error(`${what}: ${(err as Error).message}`);
      }
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM organizations WHERE name = 'x'`)).rows[0].n).toBe(0);
  });

  it('refuses JSON nested 5,000 levels before validation, and keeps serving', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const decision = await json('POST', `/tasks/${randomUUID()}/decision`, `{"decision":"APPROVE","comment":"ok","data":${deep}}`);
    expectRefusal(decision, 400);
    expect(decision.body.details[0].field.startsWith('data.a.a')).toBe(true);
    expect(decision.body.message).toContain('嵌套层级过深');
    const arrays = await json('POST', '/organizations', `{"name":${'['.repeat(5000)}${']'.repeat(5000)},"kind":"DISTRICT"}`);
    expectRefusal(arrays, 400);
    expect(arrays.body.details[0].field).toMatch(/^name\[0\]/);
    expectStatus(await admin.get('/auth/me'), 200);
  });
});

describe('numbers, nulls, keys and dates', () => {
  it('PATCH clears with null only where the column allows it, and refuses null elsewhere (users, members, institutions)', async () => {
    const person: Person = await makeUser(admin, 'nulls', ['APPLICANT'], [], [world.institution.id], { memberId: world.members[1].id });
    for (const body of [{ displayName: null }, { email: null }, { roles: null }, { organizationIds: null }, { active: null }, { password: null }]) {
      expectRefusal(await admin.patch(`/users/${person.user.id}`, body), 400, Object.keys(body)[0]);
    }
    expect(expectStatus(await admin.patch(`/users/${person.user.id}`, { memberId: null }), 200).body.memberId).toBeNull();

    const member = world.members[2];
    for (const body of [{ name: null }, { category: null }, { status: null }, { disabled: null }, { dementia: null }]) {
      expectRefusal(await admin.patch(`/members/${member.id}`, body), 400, Object.keys(body)[0]);
    }
    expect(expectStatus(await admin.patch(`/members/${member.id}`, { birthDate: null }), 200).body.birthDate).toBeNull();

    const inst = world.institution.id;
    for (const body of [{ name: null }, { district: null }, { townshipOrgId: null }, { hasInstructor: null }]) {
      expectRefusal(await admin.patch(`/institutions/${inst}`, body), 400, Object.keys(body)[0]);
    }
    expectRefusal(await admin.patch(`/institutions/${inst}`, { publicBuilderOrgId: null }), 400, 'publicBuilderOrgId'); // R2 needs it
    const cleared = expectStatus(await admin.patch(`/institutions/${inst}`, { operatorName: null, bedCount: null }), 200).body;
    expect(cleared).toMatchObject({ operatorName: null, bedCount: null, name: world.institution.name, district: world.institution.district });
  });

  it('keeps bedCount and residentCount inside the integer column (POST and PATCH)', async () => {
    const base = { name: `容量院${Date.now()}`, type: 'PRIVATE', district: '海曙区', townshipOrgId: world.township.id };
    expectRefusal(await admin.post('/institutions', { ...base, bedCount: 2_147_483_648 }), 400, 'bedCount');
    expectRefusal(await admin.post('/institutions', { ...base, residentCount: 1e20 }), 400, 'residentCount');
    const created = expectStatus(await admin.post('/institutions', { ...base, bedCount: 2_147_483_647 }), 201).body;
    expectRefusal(await admin.patch(`/institutions/${created.id}`, { residentCount: 2_147_483_648 }), 400, 'residentCount');
    expectRefusal(await admin.patch(`/institutions/${created.id}`, { bedCount: 99_999_999_999 }), 400, 'bedCount');
    expect(expectStatus(await admin.get(`/institutions/${created.id}`), 200).body.bedCount).toBe(2_147_483_647);
  });

  it('a lone surrogate in email is a 400 naming email (POST and PATCH /users)', async () => {
    const body = { username: `surrogate${Date.now()}`, password: 'secret-password', displayName: '代理项', roles: ['APPLICANT'] };
    expectRefusal(await admin.post('/users', { ...body, email: 'a\ud800@example.test' }), 400, 'email');
    const person = await makeUser(admin, 'email', ['APPLICANT'], []);
    expectRefusal(await admin.patch(`/users/${person.user.id}`, { email: '\udc00x@example.test' }), 400, 'email');
    expect(expectStatus(await admin.get(`/users/${person.user.id}`), 200).body.email).toBe(person.user.email);
  });

  it('refuses prototype keys in bodies, forms and query strings', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await json('POST', '/organizations', `{"name":"原型${key}","kind":"DISTRICT","${key}":{"polluted":true}}`);
      expectRefusal(res, 400, key);
      expectRefusal(await json('POST', '/organizations', `{"name":"原型","kind":"DISTRICT","x":[{"${key}":1}]}`), 400, `x[0].${key}`);
    }
    expectRefusal(await admin.get('/institutions?constructor=1'), 400, 'constructor');
    expectRefusal(await raw('POST', '/auth/login', 'username=a&password=b&constructor=1', { 'content-type': 'application/x-www-form-urlencoded' }, null), 400, 'constructor');
    expect((await db.query(`SELECT count(*)::int AS n FROM organizations WHERE name LIKE '原型%'`)).rows[0].n).toBe(0);
  });

  it('takes dates exactly as YYYY-MM-DD where the contract says so (birthDate, startsOn, endsOn)', async () => {
    const member = { name: '日期测试', institutionId: world.institution.id, category: 'STAFF', status: 'FULL' };
    expectRefusal(await admin.post('/members', { ...member, birthDate: '1950-01-31T00:00:00Z' }), 400, 'birthDate');
    expectRefusal(await admin.patch(`/members/${world.members[0].id}`, { birthDate: '1950-01-31T08:00:00+08:00' }), 400, 'birthDate');
    const person = await makeUser(admin, 'dates', ['APPROVER'], [world.builder.id]);
    const delegation = { deputyId: world.approverUser.id, startsOn: '2030-01-01', endsOn: '2030-01-05' };
    expectRefusal(await person.http.post('/delegations', { ...delegation, startsOn: '2030-01-01T00:00:00Z' }), 400, 'startsOn');
    expectRefusal(await person.http.post('/delegations', { ...delegation, endsOn: '2030-01-05T00:00' }), 400, 'endsOn');
    expectStatus(await person.http.post('/delegations', delegation), 201);
  });

  it('says one Chinese message per field, for the rule it broke', async () => {
    const empty = await admin.post('/organizations', {});
    expectRefusal(empty, 400);
    expect(empty.body.details).toEqual([
      { field: 'name', message: 'name 为必填项' },
      { field: 'kind', message: 'kind 为必填项' },
    ]);
    const wrong = await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: 7, memberIds: 'all' });
    expect(wrong.body.details).toEqual([
      { field: 'name', message: 'name（支部名称）必须是文本' },
      { field: 'memberIds', message: 'memberIds（支部党员）必须是 ID 列表' },
    ]);
    for (const d of [...empty.body.details, ...wrong.body.details]) expect(d.message).not.toMatch(/\b(must|should|each value)\b/);
  });
});

describe('arbitrary text (property-based)', () => {
  /** An independent statement of the rule: C0 controls other than tab, LF and CR, and unpaired surrogates. */
  // eslint-disable-next-line no-control-regex
  const breaksRule = (s: string): boolean => /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
  const nasty = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u001f', '\t', '\n', '\r', '\u007f', '\u0085', '\ud800', '\udbff', '\udc00', '\udfff', '\ufffe', '\u2028', '"', '\\', '%', '&', '=', '\u3000', '党');
  const unit = fc.oneof(nasty, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)));
  const text = fc.array(unit, { minLength: 1, maxLength: 30 }).map((parts) => parts.join(''));
  /** Percent-encodes the UTF-8 bytes, as a client does (a lone surrogate becomes U+FFFD on the way). */
  const query = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

  it('never answers a 5xx, and refuses text that breaks the rule with a 400 naming the field, on six routes', async () => {
    const inst = expectStatus(await admin.post('/institutions', { name: `模糊测试院${Date.now()}`, type: 'PRIVATE', district: '模糊区', townshipOrgId: world.township.id }), 201).body;
    const member = expectStatus(await admin.post('/members', { name: '模糊党员', institutionId: inst.id, category: 'STAFF', status: 'FULL' }), 201).body;
    const delegator = await makeUser(admin, 'fuzz', ['APPROVER'], [world.builder.id]);
    const routes: Array<{ name: string; field: string; send: (s: string) => Promise<HttpResult | Raw>; checksText: boolean }> = [
      { name: 'POST /organizations', field: 'name', checksText: true, send: (s) => admin.post('/organizations', { name: s, kind: 'DISTRICT' }) },
      { name: 'PATCH /institutions', field: 'operatorName', checksText: true, send: (s) => admin.patch(`/institutions/${inst.id}`, { operatorName: s }) },
      { name: 'PATCH /members', field: 'name', checksText: true, send: (s) => admin.patch(`/members/${member.id}`, { name: s }) },
      {
        name: 'POST /delegations',
        field: 'reason',
        checksText: true,
        send: (s) => delegator.http.post('/delegations', { deputyId: world.approverUser.id, startsOn: '2031-01-01', endsOn: '2031-01-02', reason: s }),
      },
      { name: 'POST /auth/login', field: 'username', checksText: true, send: (s) => raw('POST', '/auth/login', JSON.stringify({ username: s, password: s }), { 'content-type': 'application/json' }, null) },
      // Query strings are UTF-8 bytes: a lone surrogate cannot be sent, so only controls are expected back as 400.
      { name: 'GET /institutions?district=', field: 'district', checksText: false, send: (s) => admin.get(`/institutions?district=${query(s)}`) },
    ];
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(text, async (s) => {
          const res = await route.send(s);
          if (res.status >= 500) throw new Error(`${route.name} ${JSON.stringify(s)} → ${res.status} ${JSON.stringify(res.body)}`);
          const refused = route.checksText ? breaksRule(s) : breaksRule(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
          if (refused) {
            expect(res.status).toBe(400);
            expect(res.body.details[0].field).toBe(route.field);
          }
        }),
        { numRuns: route.name.startsWith('POST /auth') ? 15 : 30 },
      );
    }
  });
});
