/**
 * Email-action links over HTTP against the real API, worker, Temporal, Postgres and Redis. The task emails do not
 * carry these links yet, so each test mints its link with the token service itself (same secret as the system).
 */
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { deriveKeys, type AppConfig } from '@app/config';
import { EmailActionTokensService, emailActionToken, hashEmailActionToken } from '../libs/notifications/src/email-action-tokens.service';
import { buildWorld, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystem, type TestSystem } from './support/system';

const AUTH_SECRET = 'email-actions-test-secret-0123456789abcdef';
const KEY = deriveKeys(AUTH_SECRET).emailActionToken;

interface Page {
  status: number;
  html: string;
  headers: Headers;
}

/** One system per describe block, with the helpers its tests share. */
function harness(name: string, extraEnv: NodeJS.ProcessEnv) {
  const h = {} as { sys: TestSystem; admin: Http; db: Client; tokens: EmailActionTokensService };

  beforeAll(async () => {
    h.sys = await startSystem(name, { AUTH_SECRET, ...extraEnv });
    h.admin = await new Http(h.sys.baseUrl).login(h.sys.env.ADMIN_USERNAME!, h.sys.adminPassword);
    h.db = new Client({ connectionString: h.sys.databaseUrl });
    h.db.on('error', (e) => console.warn(`[test db] ${e.message}`));
    await h.db.connect();
    h.tokens = new EmailActionTokensService({ keys: deriveKeys(AUTH_SECRET), publicBaseUrl: h.sys.env.PUBLIC_BASE_URL } as AppConfig);
  });

  afterAll(async () => {
    await h.db?.end();
    await h.sys?.stop();
  });

  /** A manager stand-in: linkFor only needs `query` (in the activities it is the transaction's manager). */
  const manager = (): EntityManager => ({ query: (sql: string, params: unknown[]) => h.db.query(sql, params).then((r) => r.rows) }) as unknown as EntityManager;

  return {
    h,
    async openTask(world: World): Promise<{ process: any; task: any }> {
      const process = expectStatus(
        await world.applicant.post('/processes/establish-branch', {
          institutionId: world.institution.id,
          name: `${world.institution.name}党支部`,
          memberIds: world.members.map((m) => m.id),
          secretaryMemberId: world.members[0].id,
        }),
        201,
      ).body;
      const task = await waitFor('the approval task in the inbox', async () => {
        const inbox = expectStatus(await world.approver.get('/tasks?status=OPEN'), 200).body;
        return inbox.items.find((t: any) => t.processId === process.id);
      });
      return { process, task };
    },
    async mint(taskId: string, userId: string): Promise<string> {
      const url = await h.tokens.linkFor(manager(), taskId, userId);
      const token = emailActionToken(KEY, taskId, userId);
      expect(url).toBe(`${h.sys.baseUrl}/email-actions/${token}`);
      return token;
    },
    async get(token: string): Promise<Page> {
      const res = await fetch(`${h.sys.baseUrl}/email-actions/${token}`, { redirect: 'manual' });
      return { status: res.status, html: await res.text(), headers: res.headers };
    },
    async post(token: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
      const res = await fetch(`${h.sys.baseUrl}/email-actions/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      return { status: res.status, html: await res.text(), headers: res.headers };
    },
    async state(world: World, processId: string, taskId: string): Promise<{ task: any; process: any }> {
      const task = expectStatus(await world.approver.get(`/tasks/${taskId}`), 200).body;
      const process = expectStatus(await h.admin.get(`/processes/${processId}`), 200).body;
      return { task, process };
    },
  };
}

const proofOf = (html: string): string => {
  const m = /name="proof" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no proof field in the page: ${html.slice(0, 500)}`);
  return m[1]!;
};

function expectPageHeaders(page: Page): void {
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('x-robots-tag')).toContain('noindex');
}

describe('email-action links (sign-in required, the default)', () => {
  const t = harness('mailact', {});

  it('mints a deterministic 256-bit link stored only as its hash, idempotently', async () => {
    const world = await buildWorld(t.h.admin, 3);
    const { task } = await t.openTask(world);
    const first = await t.mint(task.id, world.approverUser.id);
    const second = await t.mint(task.id, world.approverUser.id);
    expect(second).toBe(first);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = (await t.h.db.query('SELECT token_hash, task_id, user_id, expires_at, used_at FROM email_action_tokens WHERE task_id = $1', [task.id])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ token_hash: hashEmailActionToken(first), user_id: world.approverUser.id, used_at: null });
    const days = (new Date(rows[0].expires_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    // Bound to the user, the task and the secret.
    expect(emailActionToken(KEY, task.id, world.applicantUser.id)).not.toBe(first);
    expect(emailActionToken(deriveKeys(`${AUTH_SECRET}x`).emailActionToken, task.id, world.approverUser.id)).not.toBe(first);
  });

  it('GET only shows the task; the right user POST decides once; the used link changes nothing', async () => {
    const world = await buildWorld(t.h.admin, 3);
    const { process, task } = await t.openTask(world);
    const token = await t.mint(task.id, world.approverUser.id);
    const before = await t.state(world, process.id, task.id);

    // A mail scanner and the person both open the link: nothing is decided.
    const page = await t.get(token);
    expect(page.status).toBe(200);
    expectPageHeaders(page);
    expect(page.html).toContain('审批确认');
    expect(page.html).toContain('成立党支部申请');
    expect(page.html).toContain(world.institution.name);
    expect(page.html).toContain(task.title);
    expect(page.html).toMatch(/value="APPROVE"[^>]*> 同意/);
    expect(page.html).toMatch(/value="REJECT"[^>]*> 不同意/);
    expect(page.html).toMatch(/value="RETURN"[^>]*> 退回修改/);
    // The page asks for the username and never shows it: the link alone does not tell whose account it is.
    expect(page.html).toContain('name="username" required');
    expect(page.html).not.toContain(world.approverUser.username);
    expect(page.html).toContain('type="password"');
    expect(page.html).toMatch(/<form method="post" action="[A-Za-z0-9_-]{43}"/);
    expect((await t.get(token)).status).toBe(200);
    expect((await fetch(`${t.h.sys.baseUrl}/email-actions/${token}`, { method: 'HEAD' })).status).toBe(200);
    const after = await t.state(world, process.id, task.id);
    expect(after.task.status).toBe('OPEN');
    expect(after.process.status).toBe('RUNNING');
    expect(after.process.timeline).toHaveLength(before.process.timeline.length);
    expect((await t.h.db.query('SELECT used_at FROM email_action_tokens WHERE token_hash = $1', [hashEmailActionToken(token)])).rows[0].used_at).toBeNull();

    const decided = await t.post(token, {
      proof: proofOf(page.html),
      decision: 'APPROVE',
      comment: '同意成立<script>alert(1)</script>',
      username: world.approverUser.username,
      password: 'secret-password',
    });
    expect(decided.status).toBe(200);
    expectPageHeaders(decided);
    expect(decided.html).toContain('审批已提交');
    expect(decided.html).toContain('已通过');
    expect(decided.html).toContain('同意成立&lt;script&gt;');
    expect(decided.html).not.toContain('<script>');
    const done = await t.state(world, process.id, task.id);
    expect(done.task).toMatchObject({ status: 'COMPLETED', decision: 'APPROVE', decidedById: world.approverUser.id });
    expect(done.process.status).toBe('APPROVED');
    expect(done.process.timeline.find((e: any) => e.action === 'APPROVE')).toMatchObject({ actorId: world.approverUser.id, comment: '同意成立<script>alert(1)</script>' });
    expect((await t.h.db.query('SELECT used_at FROM email_action_tokens WHERE token_hash = $1', [hashEmailActionToken(token)])).rows[0].used_at).not.toBeNull();

    // Submitting again (a double click, the back button) shows "used" and decides nothing.
    const again = await t.post(token, { proof: proofOf(page.html), decision: 'REJECT', comment: '再次', username: world.approverUser.username, password: 'secret-password' });
    expect(again.status).toBe(410);
    expect(again.html).toContain('已使用');
    expect(again.html).not.toContain('<form');
    expect((await t.get(token)).status).toBe(410);
    const final = await t.state(world, process.id, task.id);
    expect(final.process.timeline.filter((e: any) => ['APPROVE', 'REJECT', 'RETURN'].includes(e.action))).toHaveLength(1);
    expect(final.task.decision).toBe('APPROVE');
  });

  it('refuses tampered, expired, foreign-credential, forged-form and malformed submissions without changing anything', async () => {
    const world = await buildWorld(t.h.admin, 3);
    const { process, task } = await t.openTask(world);
    const token = await t.mint(task.id, world.approverUser.id);
    const before = await t.state(world, process.id, task.id);
    const proof = proofOf((await t.get(token)).html);
    const mine = { proof, decision: 'APPROVE', comment: '', username: world.approverUser.username, password: 'secret-password' };

    // Tampered: one character changed, or not a token at all.
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const bad of [tampered, 'not-a-token', `${token}x`]) {
      const page = await t.get(bad);
      expect(page.status).toBe(404);
      expectPageHeaders(page);
      expect(page.html).toContain('链接无效');
      expect(page.html).not.toContain('<form');
      expect((await t.post(bad, mine)).status).toBe(404);
    }

    // Another approver of the same organisation, with a correct password of their own: still not the recipient.
    const colleague = expectStatus(
      await t.h.admin.post('/users', {
        username: `colleague${Date.now().toString(36)}`,
        password: 'colleague-password',
        displayName: '同事',
        email: `colleague${Date.now().toString(36)}@example.test`,
        roles: ['APPROVER'],
        organizationIds: [world.builder.id],
        institutionIds: [],
      }),
      201,
    ).body;
    const foreign = await t.post(token, { ...mine, username: colleague.username, password: 'colleague-password' });
    expect(foreign.status).toBe(403);
    const wrongPassword = await t.post(token, { ...mine, password: 'wrong-password' });
    expect(wrongPassword.status).toBe(403);
    // One answer for both: the page does not tell a wrong password from someone else's account.
    const notice = (html: string): string | undefined => /<p class="notice" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    expect(notice(foreign.html)).toBe(notice(wrongPassword.html));
    expect(notice(wrongPassword.html)).toContain('用户名或密码错误');
    const noPassword = await t.post(token, { proof, decision: 'APPROVE', comment: '' });
    expect(noPassword.status).toBe(403);

    // Forged form: no proof, a wrong proof, or a POST from another site.
    const noProof = await t.post(token, { ...mine, proof: '' });
    expect(noProof.status).toBe(403);
    expect(noProof.html).toContain('表单无效');
    expect((await t.post(token, { ...mine, proof: proof.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).status).toBe(403);
    expect((await t.post(token, mine, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await t.post(token, mine, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);

    // A decision outside the three is a 400 naming the field.
    const maybe = await t.post(token, { ...mine, decision: 'MAYBE' });
    expect(maybe.status).toBe(400);
    expect(maybe.html).toContain('decision');
    const tooLong = await t.post(token, { ...mine, comment: '长'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('comment');

    const unchanged = await t.state(world, process.id, task.id);
    expect(unchanged.task.status).toBe('OPEN');
    expect(unchanged.process.timeline).toHaveLength(before.process.timeline.length);

    // Expired: the same refusals, 410, and no form.
    await t.h.db.query(`UPDATE email_action_tokens SET expires_at = now() - interval '1 hour' WHERE token_hash = $1`, [hashEmailActionToken(token)]);
    const expired = await t.get(token);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('已过期');
    expect(expired.html).not.toContain('<form');
    expect((await t.post(token, mine)).status).toBe(410);
    expect((await t.state(world, process.id, task.id)).task.status).toBe('OPEN');

    // JSON bodies are accepted too (an unexpired link on the same task, the colleague's own).
    const colleagues = await t.mint(task.id, colleague.id);
    const json = await fetch(`${t.h.sys.baseUrl}/email-actions/${colleagues}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ proof: proofOf((await t.get(colleagues)).html), decision: 'RETURN', comment: '请补充材料', username: colleague.username, password: 'colleague-password' }),
    });
    expect(json.status).toBe(200);
    expect(await json.text()).toContain('退回修改');
    expect((await t.state(world, process.id, task.id)).task).toMatchObject({ status: 'COMPLETED', decision: 'RETURN', decidedById: colleague.id });
  });

  it('a link to a task already decided in the inbox shows 409 and changes nothing', async () => {
    const world = await buildWorld(t.h.admin, 3);
    const { process, task } = await t.openTask(world);
    const token = await t.mint(task.id, world.approverUser.id);
    const proof = proofOf((await t.get(token)).html);
    expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'REJECT', comment: '在待办中办理' }), 200);

    const page = await t.get(token);
    expect(page.status).toBe(409);
    expectPageHeaders(page);
    expect(page.html).toContain('已办结');
    expect(page.html).toContain('不同意');
    expect(page.html).not.toContain('<form');
    const post = await t.post(token, { proof, decision: 'APPROVE', comment: '', username: world.approverUser.username, password: 'secret-password' });
    expect(post.status).toBe(409);
    const after = await t.state(world, process.id, task.id);
    expect(after.task.decision).toBe('REJECT');
    expect(after.process.status).toBe('REJECTED');
    expect(after.process.timeline.filter((e: any) => ['APPROVE', 'REJECT', 'RETURN'].includes(e.action))).toHaveLength(1);
  });
});

describe('email-action links with EMAIL_ACTION_REQUIRE_LOGIN=false', () => {
  const t = harness('mailrelax', { EMAIL_ACTION_REQUIRE_LOGIN: 'false' });

  it('asks for no credentials and decides as the link user', async () => {
    const world = await buildWorld(t.h.admin, 3);
    const { process, task } = await t.openTask(world);
    const token = await t.mint(task.id, world.approverUser.id);
    const page = await t.get(token);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('type="password"');
    expect(page.html).not.toContain('name="username"');
    expect((await t.state(world, process.id, task.id)).task.status).toBe('OPEN');

    // The form proof is still required.
    expect((await t.post(token, { decision: 'REJECT', comment: '' })).status).toBe(403);
    const decided = await t.post(token, { proof: proofOf(page.html), decision: 'REJECT', comment: '条件不成熟' });
    expect(decided.status).toBe(200);
    expect(decided.html).toContain('不同意');
    expect(decided.html).toContain('未通过');
    const done = await t.state(world, process.id, task.id);
    expect(done.task).toMatchObject({ status: 'COMPLETED', decision: 'REJECT', decidedById: world.approverUser.id });
    expect(done.process.status).toBe('REJECTED');
    expect((await t.post(token, { proof: proofOf(page.html), decision: 'REJECT', comment: '' })).status).toBe(410);
  });
});
