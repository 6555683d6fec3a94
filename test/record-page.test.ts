/**
 * The printable approval record (审批单) over HTTP: a zh-CN HTML page for anyone who may read the process, with
 * every timeline entry in words and every value escaped (a comment cannot inject markup).
 */
import { randomUUID } from 'node:crypto';
import { buildWorld, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystem, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;

beforeAll(async () => {
  sys = await startSystem('record');
  admin = await new Http(sys.baseUrl).login(sys.env.ADMIN_USERNAME!, sys.adminPassword);
});

afterAll(async () => {
  await sys?.stop();
});

async function token(username: string, password = 'secret-password'): Promise<string> {
  return expectStatus(await new Http(sys.baseUrl).post('/auth/login', { username, password }), 200).body.accessToken;
}

/** The raw response: the page is HTML, not JSON, and its headers matter. */
async function getRecord(processId: string, bearer?: string): Promise<{ status: number; type: string; csp: string; body: string }> {
  const res = await fetch(`${sys.baseUrl}/processes/${processId}/record`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  return { status: res.status, type: res.headers.get('content-type') ?? '', csp: res.headers.get('content-security-policy') ?? '', body: await res.text() };
}

async function submitAndDecide(world: World, decision: 'APPROVE' | 'REJECT', comment: string): Promise<any> {
  const memberIds = world.members.map((m) => m.id);
  const created = expectStatus(
    await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds, secretaryMemberId: memberIds[0] }),
    201,
  ).body;
  const task = await waitFor('the approval task in the inbox', async () => {
    const inbox = expectStatus(await world.approver.get('/tasks?status=OPEN'), 200).body;
    return inbox.items.find((t: any) => t.processId === created.id);
  });
  expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision, comment }), 200);
  return created;
}

const EVIL = '同意成立<script>alert("x")</script> & <img src=x onerror=alert(1)>';

describe('GET /processes/:id/record', () => {
  it('is a print-styled zh-CN page of the whole approval, with the comment escaped', async () => {
    const world = await buildWorld(admin, 3);
    const created = await submitAndDecide(world, 'APPROVE', EVIL);
    const page = await getRecord(created.id, await token(world.applicantUser.username));

    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.csp).toContain("default-src 'none'");
    expect(page.body).toMatch(/^<!DOCTYPE html>/);
    expect(page.body).toContain('<html lang="zh-CN">');
    expect(page.body).toContain('@media print');
    expect(page.body).toContain('size: A4');

    // The form: 事项, 机构, 申请人, 提交时间, 当前状态.
    for (const label of ['审批单', '事项', '机构', '申请人', '提交时间', '当前状态', '审批记录', '办理结果']) expect(page.body).toContain(label);
    expect(page.body).toContain(`成立党支部申请：${world.institution.name}党支部`);
    expect(page.body).toContain(world.institution.name);
    expect(page.body).toContain(world.applicantUser.displayName);
    expect(page.body).toContain('已同意');
    expect(page.body).toContain(`${world.members.length} 名`);
    expect(page.body).toContain(world.members[0].name); // the nominated secretary, by name

    // The log, in order, in words: who, what, when (Beijing time).
    for (const head of ['时间', '环节', '办理人', '操作', '意见']) expect(page.body).toContain(`<th>${head}</th>`);
    const order = ['<td>提交</td>', '<td>待办生成</td>', '<td>同意</td>', '<td>组织成立</td>'].map((a) => page.body.indexOf(a));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page.body).toContain(world.builder.name); // the task went to the builder's organization
    expect(page.body).toMatch(/<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/td>/);
    expect(page.body).toContain('已成立：');

    // The comment is there, as text.
    expect(page.body).toContain('同意成立&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(page.body).not.toContain('<script');
    expect(page.body).not.toContain('<img');
  });

  it('shows a rejection and its opinion as the result', async () => {
    const world = await buildWorld(admin, 3);
    const created = await submitAndDecide(world, 'REJECT', '条件不成熟');
    const page = await getRecord(created.id, await token(world.approverUser.username));
    expect(page.status).toBe(200);
    expect(page.body).toContain('<td>不同意</td>');
    expect(page.body).toMatch(/审批意见：[^<]*不同意，“条件不成熟”/);
  });

  it('is for those who may read the process: 403 outside the scope, 404 unknown, 401 without a token', async () => {
    const world = await buildWorld(admin, 3);
    const created = await submitAndDecide(world, 'APPROVE', '同意');
    expect((await getRecord(created.id, await token(world.approverUser.username))).status).toBe(200);
    expect((await getRecord(created.id, await token(sys.env.ADMIN_USERNAME!, sys.adminPassword))).status).toBe(200);

    const other = await buildWorld(admin, 0);
    const outsider = await getRecord(created.id, await token(other.applicantUser.username));
    expect(outsider.status).toBe(403);
    expect(outsider.type).toContain('application/json');
    expect(JSON.parse(outsider.body)).toMatchObject({ statusCode: 403, error: 'Forbidden', message: '无权查看该流程' });

    const adminToken = await token(sys.env.ADMIN_USERNAME!, sys.adminPassword);
    const unknown = await getRecord(randomUUID(), adminToken);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ statusCode: 404, message: '流程不存在' });
    expect((await getRecord('not-a-uuid', adminToken)).status).toBe(404);
    expect((await getRecord(created.id)).status).toBe(401);
  });
});
