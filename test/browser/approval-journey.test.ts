/**
 * The web application end to end, in Chromium, against the real system (API, worker, Temporal, PostgreSQL, Redis,
 * the SMTP sink): issue #12's journey, the same journey for every other kind that is available, access and
 * escaping, and screenshots of every page on a desktop and a 390 px phone (test-artifacts/screenshots/).
 */
import type { Client } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { csvOf } from '../fixtures/imports/import-files';
import { buildWorld, grantEstablishBranch, makeUser, shanghaiDate, type World } from '../support/fixtures';
import { expectStatus, type Http } from '../support/http';
import { startSystemAsAdmin, type TestSystem } from '../support/system';
import { launchBrowser, newContext, PHONE, shotsOf, signIn } from './support/browser';
import { decideOnTaskPage, deciderFor, fillSchemaForm, nextOpenTask, type Facts, type KindInfo } from './support/journey';
import { previousMonth } from '@app/domain';

const PASSWORD = 'secret-password';
const XSS = '<img src=x onerror="window.__xss=1">请补充党员名单';

let sys: TestSystem;
let admin: Http;
let db: Client;
let browser: Browser;
let origin: string;
let kinds: KindInfo[];
const open: BrowserContext[] = [];

/** A signed-in page for one person. */
async function personPage(username: string, password: string, viewport?: typeof PHONE): Promise<Page> {
  const ctx = await newContext(browser, origin, viewport);
  open.push(ctx);
  const page = await ctx.newPage();
  await signIn(page, username, password);
  return page;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const emailLink = (text: string): string | null => /https?:\/\/\S+\/email-actions\/[A-Za-z0-9_-]+/.exec(text)?.[0] ?? null;

async function coverageOrgCount(page: Page): Promise<number> {
  await page.goto('/admin/coverage');
  return Number(await page.getByTestId('coverage-org').innerText());
}

/**
 * One process of a kind through the application: submitted on its form, returned with a comment from the inbox,
 * resubmitted, approved from the email link (when the approver got one), every further step decided on its task
 * page, until the process ends. Returns the process id.
 */
async function journey(kind: KindInfo, world: World, applicant: Page, facts: Facts = { institutionName: world.institution.name, fullMembers: world.members.length - 1 }): Promise<string> {
  // 1. The applicant submits through the form drawn from the kind's schema.
  await applicant.goto(`/apply/${kind.kind}?institutionId=${world.institution.id}`);
  await applicant.getByRole('button', { name: '提交申请' }).click();
  // The form's own check, with the server's Chinese message, beside the field (nothing was sent).
  await applicant.locator('.ant-form-item-explain-error', { hasText: '为必填项' }).first().waitFor();
  await fillSchemaForm(applicant, kind.payloadSchema!, facts, ['institutionId']);
  // Enter in the last field (confirming a month) may already have submitted the form.
  const sent = await applicant.waitForURL(/\/processes\/[0-9a-f-]{36}$/, { timeout: 2_000 }).then(
    () => true,
    () => false,
  );
  if (!sent) await applicant.getByRole('button', { name: '提交申请' }).click();
  await applicant.waitForURL(/\/processes\/[0-9a-f-]{36}$/);
  const processId = applicant.url().split('/').pop()!;
  await applicant.getByTestId('process-status').getByText('办理中').waitFor();
  await applicant.getByTestId('process-diagram').waitFor();

  // Steps that cannot send the request back (a secretary drafting the budget lines) are done first, on their page.
  const sendsBack = (t: { step: string }) => kind.steps?.find((s) => s.id === t.step)?.decisions.some((d) => d === 'RETURN' || d === 'REJECT') !== false;
  let first = await nextOpenTask(db, processId);
  while (first && !sendsBack(first)) {
    const who = await deciderFor(admin, world, first);
    await decideOnTaskPage(await personPage(who.username, who.password), first.id, '同意', '同意', kind.steps?.find((s) => s.id === first!.step), facts);
    const done = first.id;
    first = await waitFor('the next step', async () => {
      const next = await nextOpenTask(db, processId);
      return next === null || next.id !== done ? { next } : null;
    }).then((x) => x.next);
  }

  // 2. The approver's email arrives; the approver finds the task in the inbox and returns it with a comment.
  expect(first).not.toBeNull();
  const decider = await deciderFor(admin, world, first!);
  const approverEmail = decider.username === world.approverUser.username ? world.approverUser.email : null;
  if (approverEmail) await waitFor('the task email', async () => sys.mail.to(approverEmail).find((m) => emailLink(m.text)));
  const approver = await personPage(decider.username, decider.password);
  await approver.goto('/inbox');
  const row = approver.getByTestId('todo-table').locator('tr', { has: approver.locator(`a[href="/tasks/${first!.id}"]`) });
  await row.locator('a').first().click();
  await approver.waitForURL(`**/tasks/${first!.id}`);
  // The first decision sends the request back: a RETURN, or a refusal where the step has none (a unit's consent to a
  // joint organisation, whose refusal returns it to the initiator).
  const firstStep = kind.steps?.find((s) => s.id === first!.step);
  // The approver's emails so far: the next task's email comes after this decision.
  const mailsBefore = approverEmail ? sys.mail.to(approverEmail).length : 0;
  await decideOnTaskPage(approver, first!.id, firstStep?.decisions.includes('RETURN') === false ? '不同意' : '退回修改', XSS, firstStep, facts);

  // 3. The applicant sees the comment as text (never as HTML) and resubmits. (A kind whose RETURN goes back to an
  // earlier step of the organisation, such as a term renewal's plan, stays under way: nothing to resubmit.)
  const sentBack = await waitFor('the request sent back', async () => {
    const p = expectStatus(await admin.get(`/processes/${processId}`), 200).body;
    if (p.status === 'RETURNED') return p;
    const open = (await db.query(`SELECT step FROM tasks WHERE process_id = $1 AND status = 'OPEN'`, [processId])).rows;
    return open.some((t) => t.step !== first!.step) && p;
  });
  await applicant.reload();
  await applicant.getByTestId('timeline').getByText(XSS).waitFor();
  expect(await applicant.locator('[data-testid="timeline"] img').count()).toBe(0);
  expect(await applicant.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
  if (sentBack.status === 'RETURNED') {
    await applicant.getByTestId('process-status').getByText('已退回待修改').waitFor();
    await applicant.getByTestId('resubmit-card').getByRole('button', { name: '重新提交' }).click();
  }
  await applicant.getByTestId('process-status').getByText('办理中').waitFor();

  // 4. The approver approves from the email link (the server-rendered confirmation page), when there is one.
  let task = await nextOpenTask(db, processId);
  // (A step that needs typed data, such as a term renewal's plan, is decided on its task page, not from an email.)
  const needsData = (t: { step: string }) => Boolean(kind.steps?.find((s) => s.id === t.step)?.dataSchema);
  if (approverEmail && task && task.candidateOrgId === world.builder.id && !needsData(task)) {
    const mail = await waitFor('the new task email', async () => sys.mail.to(approverEmail).slice(mailsBefore).find((m) => emailLink(m.text)));
    await approver.goto(emailLink(mail.text)!.replace(/^https?:\/\/[^/]+/, ''));
    await approver.getByRole('link', { name: '在审批系统中打开此待办' }).waitFor();
    await approver.getByLabel('同意', { exact: true }).check();
    await approver.locator('textarea[name="comment"]').fill('同意成立');
    await approver.locator('input[name="username"]').fill(decider.username);
    await approver.locator('input[name="password"]').fill(decider.password);
    await approver.getByRole('button', { name: '确认提交' }).click();
    await approver.getByText('您的审批决定已提交').waitFor();
    const decided = task.id;
    task = await waitFor('the email decision to be applied', async () => {
      const next = await nextOpenTask(db, processId);
      return next === null || next.id !== decided ? { next } : null;
    }).then((x) => x.next);
  }
  // Every further step (e.g. the founding election), on its task page with its typed data.
  while (task) {
    const who = await deciderFor(admin, world, task);
    const page = who.username === decider.username ? approver : await personPage(who.username, who.password);
    await decideOnTaskPage(page, task.id, '同意', '同意', kind.steps?.find((s) => s.id === task!.step), facts);
    const done = task.id;
    task = await waitFor('the next step', async () => {
      const next = await nextOpenTask(db, processId);
      return next === null || next.id !== done ? { next } : null;
    }).then((x) => x.next);
  }
  await applicant.reload();
  await applicant.getByTestId('process-status').getByText('已通过').waitFor();
  return processId;
}


/** Every step of a process approved over HTTP (set-up, not the journey), each by someone who may decide it. */
async function approveOverHttp(world: World, processId: string): Promise<void> {
  for (let task = await nextOpenTask(db, processId); task; ) {
    const who = await deciderFor(admin, world, task);
    const http = await admin.as('').login(who.username, who.password);
    expectStatus(await http.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意' }), 200);
    const done = task.id;
    task = await waitFor('the next step', async () => {
      const next = await nextOpenTask(db, processId);
      return next === null || next.id !== done ? { next } : null;
    }).then((x) => x.next);
  }
  expect(expectStatus(await admin.get(`/processes/${processId}`), 200).body.status).toBe('APPROVED');
}

/**
 * A world in which a process of the kind may start, who submits it, and what the form filler needs to know. Most kinds
 * start from the acceptance world; a joint organisation needs units below 3 FULL staff (R5), submitted by the admin
 * (who sees every unit); a relation transfer needs the institution's branch and a member whose relation is elsewhere;
 * funds and a term renewal need the branch, and stipends a month in office and an approved budget to draw on.
 */
async function prepared(kind: string): Promise<{ world: World; facts: Facts; applicant: Page }> {
  if (kind === 'joint-organization') {
    const world = await buildWorld(admin, 2);
    const second = expectStatus(
      await admin.post('/institutions', { name: `联办康养院${Date.now()}`, type: 'PUBLIC', sponsorOrgId: world.builder.id, district: '海曙区', townshipOrgId: world.township.id, bedCount: 40 }),
      201,
    ).body;
    for (const n of [1, 2]) expectStatus(await admin.post('/members', { name: `联办党员${n}`, institutionId: second.id, category: 'STAFF', status: 'FULL', birthDate: '1983-01-01' }), 201);
    const facts = { institutionName: world.institution.name, institutionNames: [world.institution.name, second.name], fullMembers: 4 };
    return { world, facts, applicant: await personPage(sys.env.ADMIN_USERNAME!, sys.adminPassword) };
  }
  if (kind === 'secretary-dispatch') {
    // R8: the public builder's approvers name a secretary for a publicly built, privately run institution; another of
    // them (the world's approver) decides.
    const world = await buildWorld(admin, 3, 'PUBLIC_BUILT_PRIVATE_RUN');
    const namer = await makeUser(admin, 'namer', ['APPROVER'], [world.builder.id]);
    const facts: Facts = { institutionName: world.institution.name, fullMembers: 3, choices: { role: '书记' } };
    return { world, facts, applicant: await personPage(namer.user.username, PASSWORD) };
  }
  if (kind === 'secretary-source') {
    // R10: a sound organisation (its branch set up, the builder's secretary) may switch to the operator's.
    const world = await buildWorld(admin, 3, 'PUBLIC_BUILT_PRIVATE_RUN');
    const staff = world.members.filter((m) => m.status === 'FULL').map((m) => m.id);
    const created = expectStatus(await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds: staff }), 201).body;
    await grantEstablishBranch(admin, world, created.id, staff[0]);
    const facts: Facts = { institutionName: world.institution.name, fullMembers: 3, choices: { source: '民营方' } };
    return { world, facts, applicant: await personPage(world.applicantUser.username, PASSWORD) };
  }
  const world = await buildWorld(admin);
  const applicant = await personPage(world.applicantUser.username, PASSWORD);
  if (kind === 'relation-transfer' || kind === 'annual-budget' || kind === 'stipend-disbursement' || kind === 'term-renewal') {
    // The institution's branch, granted with its secretary.
    const created = expectStatus(
      await world.applicant.post('/processes/establish-branch', {
        institutionId: world.institution.id,
        name: `${world.institution.name}党支部`,
        memberIds: world.members.slice(0, 3).map((m) => m.id),
        secretaryMemberId: world.members[0].id,
      }),
      201,
    ).body;
    const granted = await grantEstablishBranch(admin, world, created.id, world.members[0].id);
    const branch = expectStatus(await admin.get(`/organizations/${granted.result.partyOrganizationId}`), 200).body;
    const facts: Facts = { institutionName: world.institution.name, fullMembers: 1, organizationName: branch.name };
    if (kind === 'annual-budget') return { world, facts, applicant };
    if (kind === 'term-renewal') {
      // A branch of 3 FULL members elects a secretary (1 seat): 2 candidates (R4's 20% margin), the first elected with
      // the one vote of the one member present; the secretary became a FULL member years ago (R4: 1 year's standing).
      return { world, facts: { ...facts, fullMembers: 2, dates: { secretaryFullMemberSince: '2015-07-01' } }, applicant };
    }
    if (kind === 'stipend-disbursement') {
      // Last month with a secretary in office (an election cannot be recorded before its request: moved back here), a
      // standard stipend, and this year's approved budget with a stipend line to draw on.
      const month = previousMonth(shanghaiDate().slice(0, 7));
      await db.query(`UPDATE organizations SET term_start = $2 WHERE id = $1`, [branch.id, `${month}-01`]);
      expectStatus(await admin.patch('/admin/settings/policy', { stipendMonthlyFen: 50_000 }), 200);
      const budget = expectStatus(
        await world.applicant.post('/processes/annual-budget', { partyOrganizationId: branch.id, year: Number(month.slice(0, 4)), lines: [{ category: 'STIPEND', amountFen: 600_000 }] }),
        201,
      ).body;
      await approveOverHttp(world, budget.id);
      return { world, facts: { ...facts, month }, applicant };
    }
    const name = `新调入党员${Date.now() % 100000}`;
    expectStatus(await admin.post('/members', { name, institutionId: world.institution.id, category: 'STAFF', status: 'FULL', birthDate: '1990-01-01', relationOrgId: world.otherOrg.id }), 201);
    return { world, facts: { ...facts, memberName: name }, applicant };
  }
  return { world, facts: { institutionName: world.institution.name, fullMembers: world.members.length - 1 }, applicant };
}

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('web_journey'));
  origin = new URL(sys.baseUrl).origin;
  browser = await launchBrowser();
  kinds = expectStatus(await admin.get('/process-kinds'), 200).body;
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await db?.end();
  await sys?.stop();
});

describe('the web application in a browser', () => {
  let world: World;
  let processId: string;

  it('an applicant submits establish-branch, the approver returns it from the inbox, the applicant resubmits, the approver approves from the email link, the admin sees it completed and the coverage changed', async () => {
    world = await buildWorld(admin);
    const adminPage = await personPage(sys.env.ADMIN_USERNAME!, sys.adminPassword);
    const coveredBefore = await coverageOrgCount(adminPage);
    const applicant = await personPage(world.applicantUser.username, PASSWORD);
    await applicant.goto('/apply');
    await applicant.getByTestId('kind-establish-branch').getByRole('link', { name: '填写申请' }).waitFor();

    processId = await journey(kinds.find((k) => k.kind === 'establish-branch')!, world, applicant);

    // 5. The admin sees it completed on the dashboard, and the coverage page has changed.
    await adminPage.goto('/admin');
    const counts = adminPage.getByTestId('process-counts');
    await counts.locator('tr', { hasText: '成立党支部' }).filter({ hasText: '已通过' }).waitFor();
    expect(Number(await adminPage.getByTestId('count-APPROVED').innerText())).toBeGreaterThanOrEqual(1);
    expect(await coverageOrgCount(adminPage)).toBe(coveredBefore + 1);
    const p = expectStatus(await admin.get(`/processes/${processId}`), 200).body;
    expect(p.status).toBe('APPROVED');
    expect(p.result.partyOrganizationId).toEqual(expect.any(String));
  });

  it('runs the same journey for every other process kind that is available, and shows the others as not yet open', async () => {
    const others = kinds.filter((k) => k.available && k.kind !== 'establish-branch');
    for (const kind of others) {
      const { world: w, facts, applicant } = await prepared(kind.kind);
      const id = await journey(kind, w, applicant, facts).catch((err: Error) => {
        throw new Error(`${kind.kind}: ${err.message}`);
      });
      expect(expectStatus(await admin.get(`/processes/${id}`), 200).body.status).toBe('APPROVED');
    }
    const applicant = await personPage(world.applicantUser.username, PASSWORD);
    await applicant.goto('/apply');
    for (const k of kinds) {
      const card = applicant.getByTestId(`kind-${k.kind}`);
      if (k.available) await card.getByRole('link', { name: '填写申请' }).waitFor();
      else await card.getByText('尚未开放', { exact: true }).waitFor();
    }
    expect(kinds.filter((k) => !k.available).length + others.length + 1).toBe(kinds.length);
    // Seven journeys end to end, each through every step of its kind.
  }, 900_000);

  it('shows no admin navigation to a user without the role, and the admin endpoints answer them 403', async () => {
    for (const [who, http] of [
      [world.applicantUser, world.applicant],
      [world.approverUser, world.approver],
    ] as const) {
      const page = await personPage(who.username, PASSWORD);
      const nav = page.getByRole('menu', { name: '主导航' });
      await nav.waitFor();
      expect(await nav.innerText()).not.toMatch(/系统管理|运行概况|流程监控|覆盖率/);
      await page.goto('/admin/processes');
      await page.getByText('无权访问').waitFor();
      for (const path of ['/admin/processes', '/admin/processes/summary', '/admin/coverage', '/admin/overdue', '/admin/queues', '/admin/settings/policy', '/users']) {
        expect((await http.get(path)).status).toBe(403);
      }
    }
    const adminPage = await personPage(sys.env.ADMIN_USERNAME!, sys.adminPassword, PHONE);
    await adminPage.getByRole('button', { name: '打开菜单' }).click();
    await adminPage.getByRole('menu', { name: '主导航' }).getByText('运行概况').waitFor();
  });

  it('takes a screenshot of every page on a desktop and on a 390 px phone', async () => {
    const task = (await db.query(`SELECT id FROM tasks WHERE process_id = $1 ORDER BY created_at LIMIT 1`, [processId])).rows[0].id as string;
    const table = (p: Page) => p.locator('.ant-table-row, .ant-empty').first().waitFor();
    await shotsOf(browser, origin, { username: world.applicantUser.username, password: PASSWORD }, [
      { path: '/institutions', name: 'applicant-institutions', ready: (p) => p.getByTestId('required-action').first().waitFor() },
      { path: `/institutions/${world.institution.id}/members`, name: 'applicant-members', ready: table },
      { path: '/apply', name: 'applicant-apply', ready: (p) => p.getByTestId('kind-establish-branch').waitFor() },
      { path: `/apply/establish-branch?institutionId=${world.institution.id}`, name: 'applicant-form', ready: (p) => p.getByRole('button', { name: '提交申请' }).waitFor() },
      { path: '/processes', name: 'applicant-processes', ready: table },
      { path: `/processes/${processId}`, name: 'applicant-process', ready: (p) => p.getByTestId('timeline').waitFor() },
    ]);
    await shotsOf(browser, origin, { username: world.approverUser.username, password: PASSWORD }, [
      { path: '/inbox?tab=done', name: 'approver-inbox-done', ready: table },
      { path: '/inbox', name: 'approver-inbox', ready: table },
      { path: `/tasks/${task}`, name: 'approver-task', ready: (p) => p.getByTestId('process-diagram').waitFor() },
      { path: '/delegations', name: 'approver-delegations', ready: (p) => p.getByText('新增委托').waitFor() },
    ]);
    await shotsOf(browser, origin, { username: sys.env.ADMIN_USERNAME!, password: sys.adminPassword }, [
      { path: '/admin', name: 'admin-dashboard', ready: (p) => p.getByTestId('chart-processes').locator('canvas').waitFor() },
      { path: '/admin/processes', name: 'admin-processes', ready: table },
      { path: `/admin/processes/${processId}`, name: 'admin-process', ready: (p) => p.getByTestId('history').locator('.ant-table-row').first().waitFor() },
      { path: '/admin/coverage', name: 'admin-coverage', ready: (p) => p.getByTestId('chart-by-type').locator('canvas').waitFor() },
      { path: '/admin/registry', name: 'admin-registry', ready: table },
      { path: '/admin/imports', name: 'admin-imports', ready: (p) => p.getByTestId('import-members').waitFor() },
      { path: '/admin/settings', name: 'admin-settings', ready: table },
      { path: '/funds', name: 'funds-budgets', ready: table },
      { path: '/funds?tab=payments', name: 'funds-payments', ready: table },
      { path: '/dispatches', name: 'dispatches', ready: table },
    ]);
    const ctx = await newContext(browser, origin, PHONE);
    open.push(ctx);
    const login = await ctx.newPage();
    await login.goto('/login');
    await login.getByLabel('用户名').waitFor();
    const { shot } = await import('./support/browser');
    await shot(login, 'login');
  });

  it('lists the stipend the journey paid; a correction recorded on the funds page shows beside it, the payment unchanged; a dispatch opens with its weeks', async () => {
    // The stipend-disbursement journey above paid one month.
    const paid = (await db.query(`SELECT id, reference, month, amount_fen::int AS amount FROM stipend_payments ORDER BY created_at LIMIT 1`)).rows[0];
    expect(paid).toBeDefined();
    const page = await personPage(sys.env.ADMIN_USERNAME!, sys.adminPassword);
    await page.goto(`/funds?tab=payments&month=${paid.month}`);
    const row = page.getByTestId('payments').locator('.ant-table-row', { hasText: paid.reference });
    await row.getByRole('button', { name: '登记更正' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('更正金额').fill('-1.50');
    await dialog.getByLabel('更正原因').fill('<b>多发 1.50 元</b>，扣回');
    await dialog.getByRole('button', { name: '确认登记' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const yuan = (fen: number): string => `¥${Math.floor(fen / 100).toLocaleString('zh-CN')}.${String(fen % 100).padStart(2, '0')}`;
    await row.getByText(yuan(paid.amount - 150)).waitFor();
    await row.getByText('-¥1.50').waitFor();
    const adjustments = (await db.query(`SELECT amount_fen::int AS amount, reason FROM stipend_adjustments WHERE payment_id = $1`, [paid.id])).rows;
    expect(adjustments).toEqual([{ amount: -150, reason: '<b>多发 1.50 元</b>，扣回' }]);
    expect((await db.query(`SELECT amount_fen::int AS amount FROM stipend_payments WHERE id = $1`, [paid.id])).rows[0].amount).toBe(paid.amount);
    // Its correction record, with the reason shown as text.
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByText('<b>多发 1.50 元</b>，扣回').waitFor();

    // The dispatch the secretary-dispatch journey approved, opened with its weeks and duty logs.
    const dispatch = (await db.query(`SELECT person_name FROM dispatches ORDER BY created_at LIMIT 1`)).rows[0];
    expect(dispatch).toBeDefined();
    await page.goto('/dispatches');
    await page.locator('.ant-table-row', { hasText: dispatch.person_name }).first().click();
    await page.getByText('每周评定（每周一零时评定上一周）').waitFor();
    await page.getByText('驻点记录', { exact: true }).waitFor();
  });

  it("lets the institution's applicant import members from a spreadsheet on the members page: a row for another institution is reported, the good row imported on request", async () => {
    const name = (await db.query(`SELECT name FROM institutions WHERE id = $1`, [world.institution.id])).rows[0].name as string;
    const newcomer = `表格导入党员${Date.now()}`;
    const file = csvOf(['姓名', '所在机构', '类别', '党员状态', '出生日期'], [
      [newcomer, name, '工作人员', '正式党员', '1986-06-06'],
      ['越界党员', '别家养老院', '工作人员', '正式党员', '1986-06-06'],
    ]);
    const page = await personPage(world.applicantUser.username, PASSWORD);
    await page.goto(`/institutions/${world.institution.id}/members`);
    const upload = async (): Promise<void> => {
      const chooser = page.waitForEvent('filechooser');
      await page.getByTestId('import-members').click();
      await (await chooser).setFiles({ name: '本院党员.csv', mimeType: 'text/csv', buffer: file });
    };
    await upload();
    const report = page.getByTestId('import-report');
    await report.getByText('“别家养老院”不是您负责的机构，只能导入本机构的党员').waitFor();
    expect(await report.locator('.ant-table-row').first().innerText()).toMatch(/^3\s+所在机构/);
    await page.getByText('（整个文件未导入）').waitFor();
    expect((await db.query(`SELECT count(*)::int AS n FROM party_members WHERE name = $1`, [newcomer])).rows[0].n).toBe(0);

    await page.getByLabel('只导入正确的行（跳过有误的行）').check();
    await upload();
    await page.getByText('已导入 1 行，1 处有误（已跳过）').waitFor();
    await page.locator('.ant-table-row', { hasText: newcomer }).waitFor();
    expect((await db.query(`SELECT institution_id FROM party_members WHERE name = $1`, [newcomer])).rows).toEqual([{ institution_id: world.institution.id }]);
  });

  it('renders what people type as text: an institution named like markup shows its name', async () => {
    const name = `<img src=x onerror="window.__xss=2">康乐苑${Date.now()}`;
    expectStatus(await admin.patch(`/institutions/${world.institution.id}`, { name }), 200);
    const page = await personPage(world.applicantUser.username, PASSWORD);
    await page.goto('/institutions');
    await page.getByTestId('institution-card').getByText(name).waitFor();
    expect(await page.locator('[data-testid="institution-card"] img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });
});
