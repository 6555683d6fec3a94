/**
 * Issue #8 against the real API: spreadsheet bombs (item 4), registry writes that bypass a process (item 7:
 * relationOrgId refused, member history), formula injection in templates, attachments (permission before the body,
 * per-task quota, the sweep of unattached uploads) and the email-action page (same answer, no username).
 * Uploads for the memory measurements go to an extra API process whose memory the test can read.
 */
import http from 'node:http';
import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { DEV_AUTH_SECRET, deriveKeys, type AppConfig } from '@app/config';
import { parseCsv } from '../../apps/api/src/imports/csv.parser';
import { EmailActionTokensService } from '../../libs/notifications/src/email-action-tokens.service';
import { csvOf, download, readXlsx, upload } from '../fixtures/imports/import-files';
import { sheetXml, workbookWith } from '../fixtures/security/hostile-xlsx';
import { memoryOf, startApi, type ApiProcess } from '../support/api-process';
import { buildWorld, makeUser, type World } from '../support/fixtures';
import { expectStatus, type Http } from '../support/http';
import { waitFor } from '../support/net';
import { startSystemAsAdmin, type TestSystem } from '../support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
let replica: ApiProcess;
let adminToken: string;
let adminId: string;

const QUOTA = 300_000;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('sec_files', {
    ATTACHMENT_MAX_BYTES: '200000',
    ATTACHMENT_TASK_QUOTA_BYTES: String(QUOTA),
    MAINTENANCE_SWEEP_INTERVAL_MS: '1000',
  }));
  replica = await startApi(sys.env);
  adminToken = expectStatus(await admin.post('/auth/login', { username: sys.env.ADMIN_USERNAME, password: sys.adminPassword }), 200).body.accessToken;
  adminId = (await admin.get('/auth/me')).body.id;
});

afterAll(async () => {
  await replica?.stop();
  await db?.end();
  await sys?.stop();
});

const FORMULA_START = /^[=+\-@]/;

describe('formula injection (should fix)', () => {
  // First in the file: the template's example names the first township and builder registered.
  it('templates neutralise cells a spreadsheet would run as formulas, and still import as they are', async () => {
    const district = expectStatus(await admin.post('/organizations', { name: '-2+3 区委', kind: 'DISTRICT' }), 201).body;
    expectStatus(await admin.post('/organizations', { name: '=HYPERLINK("http://evil.example/","点我")', kind: 'TOWNSHIP', parentId: district.id }), 201);
    expectStatus(await admin.post('/organizations', { name: '@SUM(1+1)*cmd|calc', kind: 'PUBLIC_BUILDER', parentId: district.id }), 201);

    const csv = await download(sys.baseUrl, adminToken, '/imports/templates/institutions?format=csv');
    const fields = parseCsv(csv.bytes.toString('utf8')).flat();
    expect(fields.filter((f) => FORMULA_START.test(f))).toEqual([]);
    expect(fields).toEqual(expect.arrayContaining(["'=HYPERLINK(\"http://evil.example/\",\"点我\")", "'@SUM(1+1)*cmd|calc"]));

    const xlsx = await download(sys.baseUrl, adminToken, '/imports/templates/institutions');
    const cells = (await readXlsx(xlsx.bytes)).rows.flat().filter((c): c is string => typeof c === 'string');
    expect(cells.filter((c) => FORMULA_START.test(c))).toEqual([]);
    expect(cells).toContain("'=HYPERLINK(\"http://evil.example/\",\"点我\")");

    // The neutralised names still resolve: the templates import as they are.
    expect((await upload(sys.baseUrl, adminToken, '/imports/institutions', 't.csv', csv.bytes)).body).toMatchObject({ accepted: 1, rejected: [] });
    expect((await upload(sys.baseUrl, adminToken, '/imports/institutions', 't.xlsx', xlsx.bytes)).body).toMatchObject({ accepted: 1, unchanged: 1 });
  });
});

describe('spreadsheet bombs (item 4)', () => {
  const HEADER = ['姓名', '所在机构', '类别', '党员状态'];
  const ROW = ['张三', '不存在的养老院', '工作人员', '正式党员'];

  async function hostile(file: Buffer): Promise<{ status: number; body: any; ms: number; extraMiB: number }> {
    // Building a bomb blocks this process for seconds, long enough for the API to close the idle keep-alive socket
    // while fetch's own idle timer cannot run; a turn of the event loop lets fetch see the close before it picks a
    // socket (else the upload may go out on the closed one and fail with EPIPE, which says nothing about the API).
    await new Promise((r) => setTimeout(r, 200));
    const before = memoryOf(replica.pid);
    const started = Date.now();
    const res = await upload(replica.baseUrl, adminToken, '/imports/members', 'bomb.xlsx', file);
    const ms = Date.now() - started;
    const after = memoryOf(replica.pid);
    return { ...res, ms, extraMiB: Math.max(0, (after.peakMiB ?? 0) - (before.rssMiB ?? 0)) };
  }

  // The file: 1.1 million rows (about 150 MB of XML) in a few hundred kilobytes.
  const bomb = (): Buffer => sheetXml(HEADER, ROW, 1_100_000);

  it('a file of 1.1 million rows is refused from its declared sizes, fast and with bounded memory', async () => {
    const sheet = bomb();
    const file = workbookWith({ name: 'sheet', data: sheet });
    expect(file.length).toBeLessThan(10 * 1024 * 1024);
    const res = await hostile(file);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'file', message: expect.any(String) }]);
    expect(res.ms).toBeLessThan(2000);
    expect(res.extraMiB).toBeLessThan(200);
  });

  it('a zip bomb that lies about its sizes is stopped while it inflates', async () => {
    const res = await hostile(workbookWith({ name: 'sheet', data: bomb(), declaredSize: 1024 * 1024 }));
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('file');
    expect(res.ms).toBeLessThan(2000);
    expect(res.extraMiB).toBeLessThan(200);
  });

  it('rows past the cap stop the read while streaming, even when the sizes are small and true', async () => {
    const res = await hostile(workbookWith({ name: 'sheet', data: sheetXml(HEADER, ROW, 30_000) }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ details: [{ field: 'file', message: expect.stringContaining('20000') }] });
    expect(res.ms).toBeLessThan(2000);
    expect(res.extraMiB).toBeLessThan(200);
    // The API is still there and well.
    expect((await fetch(`${replica.baseUrl}/health`)).status).toBe(200);
  });
});

describe('registry writes that bypass a process (item 7)', () => {
  it('PATCH /members refuses relationOrgId, naming the field, and changes nothing', async () => {
    const world = await buildWorld(admin);
    const member = world.members[0];
    for (const relationOrgId of [world.township.id, null]) {
      const res = await admin.patch(`/members/${member.id}`, { relationOrgId, name: '改名' });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'relationOrgId' })]);
    }
    const { rows } = await db.query('SELECT relation_org_id, name FROM party_members WHERE id = $1', [member.id]);
    expect(rows[0]).toEqual({ relation_org_id: null, name: member.name });
    expect((await admin.get(`/members/${member.id}/history`)).body).toEqual([]);
  });

  it('records status and category changes in the member history with who and when, from edits and imports', async () => {
    const world = await buildWorld(admin);
    const probationary = world.members.find((m) => m.status === 'PROBATIONARY');
    const started = Date.now();
    expectStatus(await admin.patch(`/members/${probationary.id}`, { status: 'FULL' }), 200);
    const applicantId = (await world.applicant.get('/auth/me')).body.id;
    expectStatus(await world.applicant.patch(`/members/${probationary.id}`, { category: 'ELDERLY' }), 200);
    const history = expectStatus(await world.applicant.get(`/members/${probationary.id}/history`), 200).body;
    expect(history).toEqual([
      expect.objectContaining({ changedById: adminId, changedByName: sys.env.ADMIN_USERNAME, source: 'PATCH /members', changes: [{ field: 'status', before: 'PROBATIONARY', after: 'FULL' }] }),
      expect.objectContaining({ changedById: applicantId, source: 'PATCH /members', changes: [{ field: 'category', before: 'STAFF', after: 'ELDERLY' }] }),
    ]);
    expect(new Date(history[0].createdAt).getTime()).toBeGreaterThanOrEqual(started - 5000);
    expect((await world.outsider.get(`/members/${probationary.id}/history`)).status).toBe(403);

    // An import that changes a status is recorded as the import; one that moves a relation is refused on that row.
    const member = world.members[0];
    const headers = ['姓名', '所在机构', '类别', '党员状态', '出生日期', '组织关系所在党组织'];
    const rows = [
      [member.name, world.institution.name, '工作人员', '预备党员', '1980-05-01', ''],
      [world.members[1].name, world.institution.name, '工作人员', '正式党员', '1980-05-01', world.township.name],
    ];
    const whole = await upload(sys.baseUrl, adminToken, '/imports/members', 'm.csv', csvOf(headers, rows));
    expect(whole.body).toMatchObject({ committed: false, rejected: [{ row: 3, field: '组织关系所在党组织', message: expect.stringContaining('组织关系转接') }] });
    const partial = await upload(sys.baseUrl, adminToken, '/imports/members?partial=true', 'm.csv', csvOf(headers, rows));
    expect(partial.body).toMatchObject({ committed: true, accepted: 1, updated: 1 });
    const { rows: relation } = await db.query('SELECT relation_org_id FROM party_members WHERE id = $1', [world.members[1].id]);
    expect(relation[0].relation_org_id).toBeNull();
    expect((await admin.get(`/members/${member.id}/history`)).body).toEqual([
      expect.objectContaining({ changedById: adminId, source: 'import', changes: [{ field: 'status', before: 'FULL', after: 'PROBATIONARY' }] }),
    ]);
    await expect(db.query(`UPDATE member_history SET changed_by_name = 'x' WHERE member_id = $1`, [member.id])).rejects.toThrow(/append-only/);
  });
});

/** An open approval task of a fresh world (the builder's approver acts on it). */
async function openTask(world: World): Promise<any> {
  const process = expectStatus(
    await world.applicant.post('/processes/establish-branch', {
      institutionId: world.institution.id,
      name: `${world.institution.name}党支部`,
      memberIds: world.members.filter((m) => m.status === 'FULL').map((m) => m.id),
    }),
    201,
  ).body;
  return waitFor('the approval task', async () => (await world.approver.get('/tasks?status=OPEN')).body.items.find((t: any) => t.processId === process.id));
}

const text = (bytes: number, fill = 'a'): Buffer => Buffer.alloc(bytes, fill);

const tokenOf = (h: Http): string => h.token!;

describe('attachments (should fix)', () => {
  it('refuses someone who may not act on the task before reading the upload body', async () => {
    const world = await buildWorld(admin);
    const task = await openTask(world);
    const boundary = 'x-boundary';
    const answered = await new Promise<{ status: number; ms: number }>((resolve, reject) => {
      const started = Date.now();
      const url = new URL(`${sys.baseUrl}/tasks/${task.id}/attachments`);
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${tokenOf(world.outsider)}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(150_000) } },
        (res) => {
          resolve({ status: res.statusCode ?? 0, ms: Date.now() - started });
          res.resume();
          req.destroy();
        },
      );
      req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
      // The part starts but never ends: only a check made before reading the body can answer.
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${'a'.repeat(1000)}`);
      setTimeout(() => reject(new Error('no answer while the body was still incomplete')), 5000).unref();
    });
    expect(answered.status).toBe(403);
    expect(answered.ms).toBeLessThan(2000);
    expect((await db.query('SELECT count(*)::int AS n FROM attachments WHERE task_id = $1', [task.id])).rows[0].n).toBe(0);
  });

  it('keeps each task within its quota', async () => {
    const world = await buildWorld(admin);
    const task = await openTask(world);
    const token = tokenOf(world.approver);
    expect((await upload(sys.baseUrl, token, `/tasks/${task.id}/attachments`, '意见一.txt', text(160_000))).status).toBe(201);
    const over = await upload(sys.baseUrl, token, `/tasks/${task.id}/attachments`, '意见二.txt', text(160_000));
    expect(over.status).toBe(400);
    expect(over.body.details).toEqual([{ field: 'file', message: expect.stringContaining('总大小') }]);
    expect((await upload(sys.baseUrl, token, `/tasks/${task.id}/attachments`, '意见三.txt', text(100_000))).status).toBe(201);
    const full = await upload(sys.baseUrl, token, `/tasks/${task.id}/attachments`, '意见四.txt', text(100_000));
    expect(full.status).toBe(400);
    const { rows } = await db.query('SELECT sum(size_bytes)::int AS used FROM attachments WHERE task_id = $1', [task.id]);
    expect(rows[0].used).toBeLessThanOrEqual(QUOTA);
  });

  it('removes uploads never attached to a decision after a day, and only those', async () => {
    const world = await buildWorld(admin);
    const task = await openTask(world);
    const token = tokenOf(world.approver);
    const put = async (name: string): Promise<string> => expectStatus(await upload(sys.baseUrl, token, `/tasks/${task.id}/attachments`, name, text(1000, 'b')), 201).body.id;
    const [abandoned, attached, fresh] = [await put('弃用.txt'), await put('已用.txt'), await put('新传.txt')];
    await db.query(`UPDATE attachments SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`, [[abandoned, attached]]);
    await db.query(`UPDATE attachments SET decision_id = gen_random_uuid() WHERE id = $1`, [attached]);
    await waitFor('the sweep', async () => (await world.approver.get(`/attachments/${abandoned}`)).status === 404, 15_000);
    expect((await world.approver.get(`/attachments/${attached}`)).status).toBe(200);
    expect((await world.approver.get(`/attachments/${fresh}`)).status).toBe(200);
  });
});

describe('email-action page (should fix)', () => {
  it('does not show the username, and answers a wrong password and someone else\'s account alike', async () => {
    const world = await buildWorld(admin);
    const task = await openTask(world);
    const tokens = new EmailActionTokensService({ keys: deriveKeys(DEV_AUTH_SECRET), publicBaseUrl: sys.env.PUBLIC_BASE_URL } as AppConfig);
    const manager = { query: (sql: string, params: unknown[]) => db.query(sql, params).then((r) => r.rows) } as unknown as EntityManager;
    const url = await tokens.linkFor(manager, task.id, world.approverUser.id);
    const page = await (await fetch(url)).text();
    expect(page).not.toContain(world.approverUser.username);
    const proof = /name="proof" value="([^"]+)"/.exec(page)![1];
    const colleague = await makeUser(admin, 'colleague', ['APPROVER'], [world.builder.id]);
    const submit = async (username: string, password: string): Promise<{ status: number; notice: string | undefined }> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ proof, decision: 'APPROVE', comment: '', username, password }).toString(),
      });
      return { status: res.status, notice: /<p class="notice" role="alert">([^<]*)<\/p>/.exec(await res.text())?.[1] };
    };
    const wrongPassword = await submit(world.approverUser.username, 'not-the-password');
    const someoneElse = await submit(colleague.user.username, 'secret-password');
    expect(wrongPassword.status).toBe(403);
    expect(someoneElse).toEqual(wrongPassword);
    expect((await world.approver.get(`/tasks/${task.id}`)).body.status).toBe('OPEN');
  });
});
