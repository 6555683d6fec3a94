/**
 * Decision attachments over HTTP against the real API and worker: upload to an open task (type decided by the
 * bytes, extension must agree, size capped by ATTACHMENT_MAX_BYTES), refusals as 400 naming `file` with nothing
 * stored, the decision carrying the refs into the timeline (sha256 recorded), download with identical bytes and
 * checksum header, scope (403/404), reuse refused (400 naming attachmentIds), a decided task refuses uploads (409),
 * and the printable record listing the files.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { download, upload } from './fixtures/imports/import-files';
import { buildWorld, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystem, type TestSystem } from './support/system';

const MAX_BYTES = 4096;

let sys: TestSystem;
let admin: Http;
let adminToken: string;

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function tokenOf(username: string, password = 'secret-password'): Promise<string> {
  return expectStatus(await new Http(sys.baseUrl).post<{ accessToken: string }>('/auth/login', { username, password }), 200).body.accessToken;
}

/** A real 2x2 RGB PNG. */
function pngBytes(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A small, well-formed one-page PDF (offsets in the xref table computed). */
function pdfBytes(text = 'approval'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 12 Tf 20 50 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 12 Tf 20 50 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const fieldsOf = (body: any): string[] => (body?.details ?? []).map((d: any) => d.field);

async function openTaskOf(processId: string): Promise<any> {
  return waitFor(`an open task of ${processId}`, async () => {
    const p = expectStatus(await admin.get(`/processes/${processId}`), 200).body;
    const ids: string[] = p.timeline.filter((e: any) => e.action === 'TASK_OPENED').map((e: any) => e.data.taskId);
    for (const id of ids) {
      const t = expectStatus(await admin.get(`/tasks/${id}`), 200).body;
      if (t.status === 'OPEN') return t;
    }
    return undefined;
  });
}

async function submit(world: World): Promise<any> {
  const memberIds = world.members.filter((m) => m.status === 'FULL').map((m) => m.id);
  return expectStatus(await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds }), 201).body;
}

let a: World;
let b: World;
let approverToken: string;
let applicantToken: string;
let outsiderToken: string;
let colleagueToken: string;
let processA: any;
let taskA: any;
let taskB: any;
let approverBToken: string;

beforeAll(async () => {
  sys = await startSystem('attachments', { ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
  adminToken = await tokenOf(sys.env.ADMIN_USERNAME!, sys.adminPassword);
  admin = new Http(sys.baseUrl).as(adminToken);
  [a, b] = await Promise.all([buildWorld(admin), buildWorld(admin)]);
  // A second approver of A's builder: a candidate too, but not the uploader of A's approver's files.
  const colleague = `colleague${Date.now().toString(36)}`;
  expectStatus(
    await admin.post('/users', { username: colleague, password: 'secret-password', displayName: '同事', email: `${colleague}@example.test`, roles: ['APPROVER'], organizationIds: [a.builder.id], institutionIds: [] }),
    201,
  );
  [approverToken, applicantToken, outsiderToken, colleagueToken, approverBToken] = await Promise.all([
    tokenOf(a.approverUser.username),
    tokenOf(a.applicantUser.username),
    tokenOf(await outsiderName(a)),
    tokenOf(colleague),
    tokenOf(b.approverUser.username),
  ]);
  processA = await submit(a);
  const processB = await submit(b);
  [taskA, taskB] = await Promise.all([openTaskOf(processA.id), openTaskOf(processB.id)]);
});

/** buildWorld keeps the outsider's Http only; its username comes from /auth/me. */
async function outsiderName(world: World): Promise<string> {
  return expectStatus(await world.outsider.get('/auth/me'), 200).body.username;
}

afterAll(async () => {
  await sys?.stop();
});

const pdf = pdfBytes('decision');
const png = pngBytes();
const uploaded: Record<string, any> = {};

describe('decision attachments', () => {
  it('stores a PDF and a PNG uploaded by a candidate, with size and sha256; a Chinese file name round-trips', async () => {
    const res = await upload(sys.baseUrl, approverToken, `/tasks/${taskA.id}/attachments`, '审批意见.pdf', pdf);
    expect(res.status).toBe(201);
    const body = res.body as any;
    expect(body).toEqual({
      id: expect.any(String),
      taskId: taskA.id,
      processId: processA.id,
      fileName: '审批意见.pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: sha256(pdf),
      uploadedById: a.approverUser.id,
      decisionId: null,
      createdAt: expect.any(String),
    });
    uploaded.pdf = body;
    const pngRes = await upload(sys.baseUrl, approverToken, `/tasks/${taskA.id}/attachments`, '现场照片 2026年3月.PNG', png);
    expect(pngRes.status).toBe(201);
    expect(pngRes.body).toMatchObject({ fileName: '现场照片 2026年3月.PNG', contentType: 'image/png', sizeBytes: png.length, sha256: sha256(png) });
    uploaded.png = pngRes.body;
    const list = expectStatus(await admin.get(`/tasks/${taskA.id}/attachments`), 200).body;
    expect(list.map((x: any) => x.fileName)).toEqual(['审批意见.pdf', '现场照片 2026年3月.PNG']);
    expect(list[0]).not.toHaveProperty('content');
  });

  it('refuses an .exe, bytes that do not match the extension, an over-limit file, an empty file and a request without a file: 400 naming file, nothing stored', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode.\r\n')]);
    const cases: Array<[string, string, Buffer, string?]> = [
      ['exe', 'setup.exe', exe],
      ['exe renamed', 'setup.pdf', exe],
      ['pdf named png', 'photo.png', pdf],
      ['png named txt', 'notes.txt', png],
      ['too large', 'big.txt', Buffer.alloc(MAX_BYTES + 1, 'a')],
      ['empty', 'empty.pdf', Buffer.alloc(0)],
      ['wrong field', 'a.pdf', pdf, 'upload'],
    ];
    for (const [label, name, bytes, field] of cases) {
      const res = await upload(sys.baseUrl, approverToken, `/tasks/${taskA.id}/attachments`, name, bytes, field);
      expect([label, res.status]).toEqual([label, 400]);
      expect([label, fieldsOf(res.body)]).toEqual([label, ['file']]);
      expect((res.body as any).message).toMatch(/^file: /);
    }
    const noFile = await fetch(`${sys.baseUrl}/tasks/${taskA.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${approverToken}` } });
    expect(noFile.status).toBe(400);
    expect(fieldsOf(await noFile.json())).toEqual(['file']);
    const emptyForm = new FormData();
    emptyForm.append('comment', '没有文件');
    const noPart = await fetch(`${sys.baseUrl}/tasks/${taskA.id}/attachments`, { method: 'POST', body: emptyForm, headers: { authorization: `Bearer ${approverToken}` } });
    expect(noPart.status).toBe(400);
    expect(fieldsOf(await noPart.json())).toEqual(['file']);
    expect(expectStatus(await admin.get(`/tasks/${taskA.id}/attachments`), 200).body).toHaveLength(2);
  });

  it('lets only someone who may act on the task upload (403), and names unknown tasks (404)', async () => {
    expect((await upload(sys.baseUrl, outsiderToken, `/tasks/${taskA.id}/attachments`, 'a.pdf', pdf)).status).toBe(403);
    expect((await upload(sys.baseUrl, applicantToken, `/tasks/${taskA.id}/attachments`, 'a.pdf', pdf)).status).toBe(403);
    expect((await upload(sys.baseUrl, approverToken, `/tasks/00000000-0000-4000-8000-000000000000/attachments`, 'a.pdf', pdf)).status).toBe(404);
    expect(expectStatus(await admin.get(`/tasks/${taskA.id}/attachments`), 200).body).toHaveLength(2);
  });

  it('refuses attachmentIds that are someone else\'s upload or unknown: 400 naming attachmentIds, the task stays open', async () => {
    const theirs = await upload(sys.baseUrl, colleagueToken, `/tasks/${taskA.id}/attachments`, '同事的附件.txt', Buffer.from('同事上传的说明\n'));
    expect(theirs.status).toBe(201);
    expect((theirs.body as any).contentType).toBe('text/plain; charset=utf-8');
    const approver = new Http(sys.baseUrl).as(approverToken);
    const other = await approver.post(`/tasks/${taskA.id}/decision`, { decision: 'APPROVE', comment: '同意', attachmentIds: [uploaded.pdf.id, (theirs.body as any).id] });
    expectStatus(other, 400);
    expect(fieldsOf(other.body)).toEqual(['attachmentIds']);
    const unknown = await approver.post(`/tasks/${taskA.id}/decision`, { decision: 'APPROVE', comment: '同意', attachmentIds: ['00000000-0000-4000-8000-000000000000'] });
    expectStatus(unknown, 400);
    expect(fieldsOf(unknown.body)).toEqual(['attachmentIds']);
    const dup = await approver.post(`/tasks/${taskA.id}/decision`, { decision: 'APPROVE', comment: '同意', attachmentIds: [uploaded.pdf.id, uploaded.pdf.id] });
    expectStatus(dup, 400);
    expect(fieldsOf(dup.body)).toEqual(['attachmentIds']);
    expect(expectStatus(await admin.get(`/tasks/${taskA.id}`), 200).body.status).toBe('OPEN');
  });

  it('APPROVE with attachmentIds puts the refs (with their sha256) into the timeline and marks the files with the decision', async () => {
    const approver = new Http(sys.baseUrl).as(approverToken);
    const res = expectStatus(
      await approver.post(`/tasks/${taskA.id}/decision`, { decision: 'APPROVE', comment: '同意，附审查意见', attachmentIds: [uploaded.pdf.id, uploaded.png.id] }, { 'Idempotency-Key': `att-${taskA.id}` }),
      200,
    );
    expect(res.body.task.status).toBe('COMPLETED');
    const p = expectStatus(await admin.get(`/processes/${processA.id}`), 200).body;
    const event = p.timeline.find((e: any) => e.action === 'APPROVE');
    expect(event.data.attachments).toEqual([
      { id: uploaded.pdf.id, fileName: '审批意见.pdf', contentType: 'application/pdf', sizeBytes: pdf.length, sha256: sha256(pdf) },
      { id: uploaded.png.id, fileName: '现场照片 2026年3月.PNG', contentType: 'image/png', sizeBytes: png.length, sha256: sha256(png) },
    ]);
    const decisionId = res.body.task.decisionId;
    expect(decisionId).toEqual(expect.any(String));
    const list = expectStatus(await admin.get(`/tasks/${taskA.id}/attachments`), 200).body;
    expect(Object.fromEntries(list.map((x: any) => [x.id, x.decisionId]))).toEqual({
      [uploaded.pdf.id]: decisionId,
      [uploaded.png.id]: decisionId,
      [list.find((x: any) => x.fileName === '同事的附件.txt').id]: null,
    });
    // The same request again (same Idempotency-Key) answers the first answer, it does not decide or attach twice.
    const again = await approver.post(`/tasks/${taskA.id}/decision`, { decision: 'APPROVE', comment: '同意，附审查意见', attachmentIds: [uploaded.pdf.id, uploaded.png.id] }, { 'Idempotency-Key': `att-${taskA.id}` });
    expect(again.status).toBe(200);
    // A different request under that key (other attachments) is refused.
    const changed = await approver.post(`/tasks/${taskA.id}/decision`, { decision: 'APPROVE', comment: '同意，附审查意见', attachmentIds: [uploaded.pdf.id] }, { 'Idempotency-Key': `att-${taskA.id}` });
    expect(changed.status).toBe(400);
  });

  it('downloads identical bytes with the type, a UTF-8 file name and the checksum, for whoever may read the process', async () => {
    for (const token of [applicantToken, approverToken, adminToken]) {
      const got = await download(sys.baseUrl, token, `/attachments/${uploaded.pdf.id}`);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(pdf)).toBe(true);
      expect(got.headers.get('content-type')).toBe('application/pdf');
      expect(got.headers.get('x-content-sha256')).toBe(sha256(pdf));
      expect(got.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('审批意见.pdf')}`);
    }
    const pngGot = await download(sys.baseUrl, applicantToken, `/attachments/${uploaded.png.id}`);
    expect(pngGot.bytes.equals(png)).toBe(true);
    expect(sha256(pngGot.bytes)).toBe(pngGot.headers.get('x-content-sha256'));
    expect((await download(sys.baseUrl, outsiderToken, `/attachments/${uploaded.pdf.id}`)).status).toBe(403);
    expect((await download(sys.baseUrl, approverBToken, `/attachments/${uploaded.pdf.id}`)).status).toBe(403);
    expect((await download(sys.baseUrl, adminToken, '/attachments/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await new Http(sys.baseUrl).as(outsiderToken).get(`/tasks/${taskA.id}/attachments`)).status).toBe(403);
  });

  it('refuses an upload to a decided task (409) and an attached file on another decision (400 naming attachmentIds)', async () => {
    expect((await upload(sys.baseUrl, approverToken, `/tasks/${taskA.id}/attachments`, 'late.pdf', pdf)).status).toBe(409);
    const reuse = await new Http(sys.baseUrl).as(approverBToken).post(`/tasks/${taskB.id}/decision`, { decision: 'APPROVE', comment: '同意', attachmentIds: [uploaded.pdf.id] });
    expectStatus(reuse, 400);
    expect(fieldsOf(reuse.body)).toEqual(['attachmentIds']);
    // B's approver with its own file on its own task is fine.
    const own = await upload(sys.baseUrl, approverBToken, `/tasks/${taskB.id}/attachments`, 'B.pdf', pdfBytes('b'));
    expect(own.status).toBe(201);
    expectStatus(await new Http(sys.baseUrl).as(approverBToken).post(`/tasks/${taskB.id}/decision`, { decision: 'RETURN', comment: '请补充', attachmentIds: [(own.body as any).id] }), 200);
  });

  it('lists each decision\'s attachments on the printable record (name, size, start of the sha256)', async () => {
    const res = await fetch(`${sys.baseUrl}/processes/${processA.id}/record`, { headers: { authorization: `Bearer ${applicantToken}` } });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('附件：审批意见.pdf');
    expect(page).toContain(sha256(pdf).slice(0, 16));
    expect(page).not.toContain(sha256(pdf));
    expect(page).toContain('现场照片 2026年3月.PNG');
    expect(page).toContain(sha256(png).slice(0, 16));
  });
});
