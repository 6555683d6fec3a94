/**
 * Party-work funds (R14) over HTTP against the real API and worker: annual-budget (a short stipend line is flagged
 * with its shortfall, returned with comments, resubmitted, confirmed, approved and fixed as version 1; spending
 * against a line and never beyond it; an amendment as version 2), stipend-disbursement (prorated by days in office,
 * confirmed by finance, approved, paid exactly once with a unique key, the secretary emailed; drawn on the stipend
 * line) and the finance exports with their totals checked against the database.
 */
import type { Client } from 'pg';
import { previousMonth, prorateStipendFen } from '@app/domain';
import { buildWorld, grantEstablishBranch, makeUser, openStepTask, shanghaiDate, type Person, type World } from './support/fixtures';
import { fetchHistory, maybeRecord, replay } from './support/histories';
import { expectStatus, type Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';
import { createActivitiesContext, testActivities } from './support/activities-context';

const MONTHLY = 50_000;
let sys: TestSystem;
let admin: Http;
let db: Client;
let world: World;
/** The institution's management and finance office (APPLICANT users who are not the applicant). */
let office: Person;
let secretary: Person;
let branchId: string;
let termStart: string;
let budgetId: string;

const today = shanghaiDate();
const thisMonth = today.slice(0, 7);
const lastMonth = previousMonth(thisMonth);
const year = Number(lastMonth.slice(0, 4));

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('funds'));
  expectStatus(await admin.patch('/admin/settings/policy', { stipendMonthlyFen: MONTHLY }), 200);
  world = await buildWorld(admin, 3);
  office = await makeUser(admin, 'office', ['APPLICANT'], [], [world.institution.id]);
  const created = expectStatus(
    await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds: world.members.slice(0, 3).map((x) => x.id), secretaryMemberId: world.members[0].id }),
    201,
  ).body;
  branchId = (await grantEstablishBranch(admin, world, created.id, world.members[0].id)).result.partyOrganizationId;
  // The branch was elected on the 16th of last month (an election cannot be recorded before its request, so the
  // record is moved back here): its secretary was in office for part of last month.
  termStart = `${lastMonth}-16`;
  await db.query(`UPDATE organizations SET term_start = $2 WHERE id = $1`, [branchId, termStart]);
  secretary = await makeUser(admin, 'secretary', ['APPLICANT'], [], [world.institution.id], { memberId: world.members[0].id });
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

const proc = async (id: string): Promise<any> => expectStatus(await admin.get(`/processes/${id}`), 200).body;
const until = (what: string, id: string, done: (p: any) => boolean): Promise<any> =>
  waitFor(what, async () => {
    const p = await proc(id);
    return done(p) ? p : null;
  });
async function decide(as: Http, processId: string, step: string, decision = 'APPROVE', comment = '同意'): Promise<any> {
  const task = await openStepTask(as, processId, step);
  return expectStatus(await as.post(`/tasks/${task.id}/decision`, { decision, comment }), 200).body;
}
/** The raw bytes of a download (fetch's text() would drop the BOM). */
async function download(as: Http, path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const res = await fetch(`${as.baseUrl}${path}`, { headers: { authorization: `Bearer ${as.token}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}
const csvRows = (bytes: Buffer): string[][] =>
  bytes
    .subarray(3)
    .toString('utf8')
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));
const yuanToFen = (s: string): number => {
  const [i, d] = s.replace(/^-/, '').split('.') as [string, string];
  return (s.startsWith('-') ? -1 : 1) * (Number(i) * 100 + Number(d));
};

describe('annual-budget 党建工作经费年度预算', () => {
  const lines = (stipend: number) => [
    { category: 'ACTIVITIES', amountFen: 200_000, note: '主题党日等活动' },
    { category: 'TRAINING', amountFen: 100_000 },
    { category: 'STIPEND', amountFen: stipend, note: '书记工作补贴' },
  ];

  it('refuses bad requests by field and other institutions; flags a short stipend line with its shortfall (R14 WARNING)', async () => {
    const ask = (as: Http, body: Record<string, unknown>) => as.post('/processes/annual-budget', body);
    const dup = expectStatus(await ask(world.applicant, { partyOrganizationId: branchId, year, lines: [{ category: 'TRAINING', amountFen: 1 }, { category: 'TRAINING', amountFen: 2 }] }), 400).body;
    expect(dup.details.map((d: any) => d.field)).toEqual(['lines[1].category']);
    const frac = expectStatus(await ask(world.applicant, { partyOrganizationId: branchId, year, lines: [{ category: 'TRAINING', amountFen: 1.5 }] }), 400).body;
    expect(frac.details.map((d: any) => d.field)).toEqual(['lines[0].amountFen']);
    const badCat = expectStatus(await ask(world.applicant, { partyOrganizationId: branchId, year, lines: [{ category: 'PARTY', amountFen: 1 }] }), 400).body;
    expect(badCat.details.map((d: any) => d.field)).toEqual(['lines[0].category']);
    expect(expectStatus(await ask(world.applicant, { partyOrganizationId: world.builder.id, year, lines: lines(1) }), 400).body.details.map((d: any) => d.field)).toEqual(['partyOrganizationId']);
    expectStatus(await ask(world.outsider, { partyOrganizationId: branchId, year, lines: lines(1) }), 403);

    // R14 on the compliance card: the organisation has no approved budget for this year yet; it was established this
    // year, after the year's approval deadline, so it is told to submit one (a WARNING), not found in violation.
    const r14 = async (): Promise<any[]> => expectStatus(await admin.get(`/institutions/${world.institution.id}/compliance`), 200).body.findings.filter((f: any) => f.ruleId === 'R14');
    const thisYear = Number(today.slice(0, 4));
    if (year === thisYear) expect(await r14()).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'WARNING', message: expect.stringContaining(`尚无 ${year} 年度`) })]));

    const created = expectStatus(await ask(world.applicant, { partyOrganizationId: branchId, year, lines: lines(500_000) }), 201).body;
    expect(created).toMatchObject({ kind: 'annual-budget', institutionId: world.institution.id, status: 'RUNNING' });
    expectStatus(await ask(world.applicant, { partyOrganizationId: branchId, year, lines: lines(600_000) }), 409);
    const p = await proc(created.id);
    expect(p.findings).toEqual([expect.objectContaining({ ruleId: 'R14', severity: 'WARNING', message: expect.stringContaining('缺口 1000.00 元') })]);

    // The management confirms; the responsible body returns it with comments; the applicant raises the stipend line.
    await decide(office.http, created.id, 'confirm');
    await decide(world.approver, created.id, 'approve', 'RETURN', '书记补贴须覆盖 12 个月');
    await until('returned', created.id, (x) => x.status === 'RETURNED');
    expectStatus(await world.applicant.post(`/processes/${created.id}/resubmit`, { partyOrganizationId: branchId, year, lines: lines(600_000) }), 200);
    await decide(office.http, created.id, 'confirm');
    await decide(world.approver, created.id, 'approve');
    const done = await until('approved', created.id, (x) => x.status === 'APPROVED');
    expect(done.result).toMatchObject({ partyOrganizationId: branchId, year, version: 1, totalFen: 900_000 });
    budgetId = done.result.budgetId;
    if (year === thisYear) expect((await r14()).filter((f) => f.severity === 'VIOLATION')).toEqual([]);
    expect(done.timeline.map((e: any) => e.action)).toEqual(expect.arrayContaining(['RULES_PASSED', 'RETURN', 'RESUBMITTED', 'BUDGET_FIXED']));

    const budget = expectStatus(await world.applicant.get(`/budgets/${budgetId}`), 200).body;
    expect(budget).toMatchObject({ version: 1, current: true, year, totalFen: 900_000 });
    expect(budget.lines.map((l: any) => [l.category, l.amountFen, l.spentFen])).toEqual([
      ['ACTIVITIES', 200_000, 0],
      ['TRAINING', 100_000, 0],
      ['STIPEND', 600_000, 0],
    ]);
    expectStatus(await world.outsider.get(`/budgets/${budgetId}`), 403);
    expect(expectStatus(await admin.get(`/budgets?year=${year}&partyOrganizationId=${branchId}`), 200).body.items.map((b: any) => b.id)).toEqual([budgetId]);
    // Fixed: the database refuses any change to an approved version.
    await expect(db.query(`UPDATE budget_lines SET amount_fen = 1 WHERE budget_id = $1`, [budgetId])).rejects.toThrow(/append-only/);

    const history = await fetchHistory(created.workflowId);
    await replay(history, created.workflowId);
    maybeRecord('annual-budget-returned-approved', created.workflowId);
  });

  it('records spending against a line, never beyond it (400 naming R14); an amendment is version 2 and keeps what was spent', async () => {
    const spend = (as: Http, id: string, body: Record<string, unknown>) => as.post(`/budgets/${id}/expenses`, body);
    const date = `${year}-03-01`;
    const first = expectStatus(await spend(world.applicant, budgetId, { category: 'ACTIVITIES', amountFen: 150_000, date, note: '七一活动' }), 201).body;
    expect(first).toMatchObject({ category: 'ACTIVITIES', amountFen: 150_000, remainingFen: 50_000 });
    const over = expectStatus(await spend(world.applicant, budgetId, { category: 'ACTIVITIES', amountFen: 50_001, date }), 400).body;
    expect(over.message).toContain('R14');
    expect(over.details[0]).toMatchObject({ field: 'amountFen' });
    expect(expectStatus(await spend(world.applicant, budgetId, { category: 'VENUE', amountFen: 1, date }), 400).body.message).toContain('R14');
    expect(expectStatus(await spend(world.applicant, budgetId, { category: 'ACTIVITIES', amountFen: 1, date: `${year + 1}-01-01` }), 400).body.details).toEqual([{ field: 'date', message: expect.any(String) }]);
    expect(expectStatus(await spend(world.applicant, budgetId, { category: 'ACTIVITIES', amountFen: 0, date }), 400).body.details.map((d: any) => d.field)).toEqual(['amountFen']);
    expectStatus(await spend(world.approver, budgetId, { category: 'ACTIVITIES', amountFen: 1, date }), 403);
    expectStatus(await spend(office.http, budgetId, { category: 'ACTIVITIES', amountFen: 50_000, date }), 201);
    expect(expectStatus(await world.applicant.get(`/budgets/${budgetId}`), 200).body.lines[0]).toMatchObject({ category: 'ACTIVITIES', spentFen: 200_000, remainingFen: 0 });

    // An amendment may not cut a line below what it has spent; a proper one becomes version 2.
    const cut = expectStatus(await world.applicant.post('/processes/annual-budget', { partyOrganizationId: branchId, year, lines: [{ category: 'ACTIVITIES', amountFen: 100_000 }, { category: 'STIPEND', amountFen: 600_000 }] }), 400).body;
    expect(cut.details.map((d: any) => d.field)).toEqual(['lines[0].amountFen']);
    const amend = expectStatus(
      await world.applicant.post('/processes/annual-budget', { partyOrganizationId: branchId, year, lines: [{ category: 'ACTIVITIES', amountFen: 300_000 }, { category: 'STIPEND', amountFen: 600_000 }] }),
      201,
    ).body;
    await decide(office.http, amend.id, 'confirm');
    await decide(world.approver, amend.id, 'approve');
    const v2 = (await until('amendment approved', amend.id, (x) => x.status === 'APPROVED')).result;
    expect(v2).toMatchObject({ version: 2, totalFen: 900_000 });
    expect(expectStatus(await spend(world.applicant, budgetId, { category: 'ACTIVITIES', amountFen: 1, date }), 409).body.message).toContain('新版本');
    const current = expectStatus(await world.applicant.get(`/budgets/${v2.budgetId}`), 200).body;
    expect(current.lines.map((l: any) => [l.category, l.amountFen, l.spentFen, l.remainingFen])).toEqual([
      ['ACTIVITIES', 300_000, 200_000, 100_000],
      ['STIPEND', 600_000, 0, 600_000],
    ]);
    expect(expectStatus(await world.applicant.get(`/budgets/${budgetId}`), 200).body.current).toBe(false);
    budgetId = v2.budgetId;
  });
});

describe('stipend-disbursement 书记工作补贴发放', () => {
  it('refuses a month not yet ended and a month without a secretary, by field', async () => {
    const now = expectStatus(await world.applicant.post('/processes/stipend-disbursement', { partyOrganizationId: branchId, month: thisMonth }), 400).body;
    expect(now.details).toEqual([{ field: 'month', message: expect.stringContaining('已结束') }]);
    const before = expectStatus(await world.applicant.post('/processes/stipend-disbursement', { partyOrganizationId: branchId, month: previousMonth(lastMonth) }), 400).body;
    expect(before.details).toEqual([{ field: 'month', message: expect.stringContaining('没有在任书记') }]);
    expect(expectStatus(await world.applicant.post('/processes/stipend-disbursement', { partyOrganizationId: branchId, month: '2026-13' }), 400).body.details.map((d: any) => d.field)).toEqual(['month']);
  });

  it('prorates by days in office, finance confirms, the responsible body approves; paid exactly once, drawn on the stipend line, the secretary emailed', async () => {
    const expected = prorateStipendFen(MONTHLY, lastMonth, termStart);
    const created = expectStatus(await world.applicant.post('/processes/stipend-disbursement', { partyOrganizationId: branchId, month: lastMonth }), 201).body;
    expect(created).toMatchObject({ kind: 'stipend-disbursement', institutionId: world.institution.id });
    expectStatus(await world.applicant.post('/processes/stipend-disbursement', { partyOrganizationId: branchId, month: lastMonth }), 409);
    await decide(office.http, created.id, 'confirm');
    await decide(world.approver, created.id, 'approve');
    const done = await until('paid', created.id, (x) => x.status === 'APPROVED');
    expect(done.result.payments).toEqual([{ paymentKey: `stipend:${world.members[0].id}:${lastMonth}`, reference: expect.stringMatching(/^BT\d{6}-[0-9A-F]{12}$/), memberId: world.members[0].id, amountFen: expected }]);
    expect(done.result.totalFen).toBe(expected);
    const computed = done.timeline.find((e: any) => e.action === 'STIPENDS_COMPUTED');
    // In office from the 16th to the month's last day (the 28th to the 31st).
    const [y, m] = lastMonth.split('-').map(Number) as [number, number];
    const daysInLastMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
    expect(computed.data.lines).toEqual([expect.objectContaining({ daysInOffice: daysInLastMonth - 15, daysInMonth: daysInLastMonth, amountFen: expected, monthlyFen: MONTHLY })]);

    const payments = expectStatus(await world.applicant.get(`/payments?month=${lastMonth}`), 200).body.items;
    expect(payments).toEqual([expect.objectContaining({ memberId: world.members[0].id, memberName: world.members[0].name, amountFen: expected, reference: done.result.payments[0].reference })]);
    expect(expectStatus(await world.outsider.get(`/payments?month=${lastMonth}`), 200).body.items).toEqual([]);
    // Drawn on the stipend line.
    const stipendLine = expectStatus(await world.applicant.get(`/budgets/${budgetId}`), 200).body.lines.find((l: any) => l.category === 'STIPEND');
    expect(stipendLine).toMatchObject({ spentFen: expected, remainingFen: 600_000 - expected });
    await waitFor('the secretary is told', async () => sys.mail.to(secretary.user.email).filter((m) => m.subject.includes('【补贴发放】')).length === 1);

    // Never twice: a second request is a conflict, and the database refuses a second row for the key.
    expect(expectStatus(await world.applicant.post('/processes/stipend-disbursement', { partyOrganizationId: branchId, month: lastMonth }), 409).body.message).toContain('已发放');
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM stipend_payments WHERE member_id = $1 AND month = $2`, [world.members[0].id, lastMonth]);
    expect(rows[0].n).toBe(1);
    const again = db.query(
      `INSERT INTO stipend_payments (payment_key, reference, party_organization_id, member_id, month, amount_fen, monthly_fen, days_in_office, days_in_month, process_id, budget_id)
       SELECT payment_key, reference || '-2', party_organization_id, member_id, month, amount_fen, monthly_fen, days_in_office, days_in_month, process_id, budget_id FROM stipend_payments WHERE member_id = $1`,
      [world.members[0].id],
    );
    await expect(again).rejects.toMatchObject({ code: '23505' });
    expect((await db.query(`SELECT count(*)::int AS n FROM budget_expenses WHERE payment_key IS NOT NULL`)).rows[0].n).toBe(1);

    const history = await fetchHistory(created.workflowId);
    await replay(history, created.workflowId);
    maybeRecord('stipend-disbursement-approved', created.workflowId);
  });

  it('the payout run again — a retry, a crashed worker\'s rerun, two at once — and the monthly run repeated pay and open nothing more', async () => {
    // The worker's own activities in this process, on the same database (no worker polls the queue named here).
    const ctx = await createActivitiesContext({ DATABASE_URL: sys.databaseUrl, REDIS_PREFIX: `${sys.env.REDIS_PREFIX}-acts`, SMTP_URL: 'smtp://127.0.0.1:9', TEMPORAL_TASK_QUEUE: `funds-idle-${Date.now()}` });
    try {
      const acts = testActivities(ctx) as unknown as Record<string, (i: unknown) => Promise<any>>;
      const [p] = expectStatus(await admin.get(`/processes?kind=stipend-disbursement&status=APPROVED&limit=5`), 200).body.items;
      const full = await proc(p.id);
      const computed = full.timeline.find((e: any) => e.action === 'STIPENDS_COMPUTED').data;
      const input = { processId: p.id, actorId: world.approverUser.id, budgetId: computed.budgetId, lines: computed.lines };
      const [a, b] = await Promise.all([acts.payStipends!(input), acts.payStipends!(input)]);
      expect(a).toEqual(full.result);
      expect(b).toEqual(full.result);
      const count = async (sql: string): Promise<number> => (await db.query(sql)).rows[0].n;
      expect(await count(`SELECT count(*)::int AS n FROM stipend_payments`)).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM budget_expenses WHERE payment_key IS NOT NULL`)).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM email_outbox WHERE dedupe_key LIKE 'stipend-paid:%'`)).toBe(1);
      // The monthly run for a month already paid (twice, as a duplicated schedule run would): nothing opens.
      for (let i = 0; i < 2; i++) expect(await acts.openStipendMonth!({ month: lastMonth })).toEqual({ opened: 0, existing: 1, next: null });
      expect(await count(`SELECT count(*)::int AS n FROM processes WHERE kind = 'stipend-disbursement'`)).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('corrects a paid month by an adjustment of its own, never an edit: drawn on the stipend line, never beyond it or below zero, once per Idempotency-Key', async () => {
    const [payment] = expectStatus(await world.approver.get(`/payments?month=${lastMonth}`), 200).body.items;
    expect(payment).toMatchObject({ adjustedFen: 0, netFen: payment.amountFen });
    const paid: number = payment.amountFen;
    const stipendLine = async (): Promise<any> => expectStatus(await world.applicant.get(`/budgets/${budgetId}`), 200).body.lines.find((l: any) => l.category === 'STIPEND');
    const before = await stipendLine();
    const url = `/payments/${payment.id}/adjustments`;
    const count = async (): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM stipend_adjustments`)).rows[0].n;

    // Refused by field, changing nothing: zero, a fraction, no reason, taking back more than was paid, beyond the line.
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ amountFen: 0, reason: '更正' }, 'amountFen'],
      [{ amountFen: 1.5, reason: '更正' }, 'amountFen'],
      [{ amountFen: 100 }, 'reason'],
      [{ amountFen: 100, reason: '   ' }, 'reason'],
      [{ amountFen: -(paid + 1), reason: '多扣' }, 'amountFen'],
      [{ amountFen: before.remainingFen + 1, reason: '超出科目' }, 'amountFen'],
    ];
    for (const [body, field] of bad) {
      const res = expectStatus(await world.approver.post(url, body), 400);
      expect(res.body.details.map((d: any) => d.field)).toContain(field);
    }
    expect((await world.approver.post(url, { amountFen: before.remainingFen + 1, reason: '超出科目' })).body.message).toContain('R14');
    // Only the responsible body (or an admin): the institution's applicant is refused, another organisation sees nothing.
    expectStatus(await world.applicant.post(url, { amountFen: 100, reason: '更正' }), 403);
    expectStatus(await world.outsider.post(url, { amountFen: 100, reason: '更正' }), 404);
    expectStatus(await world.approver.post(`/payments/00000000-0000-4000-8000-00000000abcd/adjustments`, { amountFen: 100, reason: '更正' }), 404);
    expect(await count()).toBe(0);

    // A day in office was missed: paid on top, sent twice with one Idempotency-Key, recorded once.
    const key = { 'Idempotency-Key': `adjust-${payment.id}` };
    const first = expectStatus(await world.approver.post(url, { amountFen: 1_234, reason: '在任天数少算 1 天' }, key), 201).body;
    expect(first).toMatchObject({ paymentId: payment.id, amountFen: 1_234, netFen: paid + 1_234, reference: `${payment.reference}-T1`, reason: '在任天数少算 1 天' });
    expect(expectStatus(await world.approver.post(url, { amountFen: 1_234, reason: '在任天数少算 1 天' }, key), 200).body).toEqual(first);
    // Then part of it taken back.
    const second = expectStatus(await world.approver.post(url, { amountFen: -234, reason: '多补 234 分，扣回' }), 201).body;
    expect(second).toMatchObject({ amountFen: -234, netFen: paid + 1_000, reference: `${payment.reference}-T2` });
    expect(await count()).toBe(2);

    // The payment is as it was; its corrections are beside it, and the stipend line carries them.
    expect(expectStatus(await world.approver.get(`/payments?month=${lastMonth}`), 200).body.items[0]).toMatchObject({ id: payment.id, amountFen: paid, adjustedFen: 1_000, netFen: paid + 1_000 });
    expect(expectStatus(await world.applicant.get(url), 200).body.map((a: any) => [a.amountFen, a.netFen])).toEqual([
      [1_234, paid + 1_234],
      [-234, paid + 1_000],
    ]);
    expect(await stipendLine()).toMatchObject({ spentFen: before.spentFen + 1_000, remainingFen: before.remainingFen - 1_000 });
    expect((await db.query(`SELECT amount_fen::int AS a FROM stipend_payments WHERE id = $1`, [payment.id])).rows[0].a).toBe(paid);
    await expect(db.query(`UPDATE stipend_adjustments SET amount_fen = 1`)).rejects.toThrow();
    await expect(db.query(`INSERT INTO budget_expenses (budget_id, party_organization_id, year, category, amount_fen, spent_on, recorded_by_id) SELECT budget_id, party_organization_id, year, category, -1, spent_on, recorded_by_id FROM budget_expenses LIMIT 1`)).rejects.toMatchObject({ code: '23514' });
    const timeline = (await proc(payment.processId)).timeline.filter((e: any) => e.action === 'STIPEND_ADJUSTED');
    expect(timeline.map((e: any) => [e.data.amountFen, e.comment])).toEqual([
      [1_234, '在任天数少算 1 天'],
      [-234, '多补 234 分，扣回'],
    ]);
  });

  it('exports payments and budgets for finance (CSV with BOM, xlsx), totals equal to the database to the fen', async () => {
    const pay = await download(admin, `/exports/payments?month=${lastMonth}&format=csv`);
    expect(pay.status).toBe(200);
    expect(pay.type).toContain('text/csv');
    expect([...pay.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(pay.bytes);
    expect(rows[0]).toEqual(['发放编号', '月份', '党组织', '机构', '书记', '在任天数', '当月天数', '月补贴标准（元）', '发放金额（元）', '更正金额（元）', '实发金额（元）']);
    const dbTotal = Number((await db.query(`SELECT coalesce(sum(amount_fen), 0)::text AS s FROM stipend_payments WHERE month = $1`, [lastMonth])).rows[0].s);
    const dbAdjusted = Number(
      (await db.query(`SELECT coalesce(sum(a.amount_fen), 0)::text AS s FROM stipend_adjustments a JOIN stipend_payments p ON p.id = a.payment_id WHERE p.month = $1`, [lastMonth])).rows[0].s,
    );
    expect(dbAdjusted).toBe(1_000);
    const body = rows.slice(1, -1);
    expect(body).toHaveLength(1);
    const sumOf = (col: number): number => body.map((r) => yuanToFen(r[col]!)).reduce((a, b) => a + b, 0);
    expect([sumOf(8), sumOf(9), sumOf(10)]).toEqual([dbTotal, dbAdjusted, dbTotal + dbAdjusted]);
    expect(rows.at(-1)![0]).toBe('合计');
    expect([8, 9, 10].map((c) => yuanToFen(rows.at(-1)![c]!))).toEqual([dbTotal, dbAdjusted, dbTotal + dbAdjusted]);

    const bud = await download(world.applicant, `/exports/budgets?year=${year}&format=csv`);
    expect(bud.status).toBe(200);
    const brows = csvRows(bud.bytes);
    const lineTotal = Number(
      (await db.query(`SELECT sum(l.amount_fen)::text AS s FROM budget_lines l JOIN budgets b ON b.id = l.budget_id WHERE b.id = $1`, [budgetId])).rows[0].s,
    );
    expect(brows.slice(1, -1).map((r) => r[4])).toEqual(['党组织活动经费', '党组织书记工作补贴']);
    expect(yuanToFen(brows.at(-1)![5]!)).toBe(lineTotal);
    expect(brows.slice(1, -1).map((r) => yuanToFen(r[5]!)).reduce((a, b) => a + b, 0)).toBe(lineTotal);
    // Another organisation's approver sees no rows, only the totals row of nothing.
    expect(csvRows((await download(world.outsider, `/exports/budgets?year=${year}&format=csv`)).bytes)).toHaveLength(2);

    const xlsx = await download(admin, `/exports/payments?month=${lastMonth}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toContain('spreadsheetml');
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
    expectStatus(await admin.get(`/exports/payments?month=2026-1`), 400);
  });
});
