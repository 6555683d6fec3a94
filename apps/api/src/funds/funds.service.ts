import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import writeXlsxFile, { type Cell } from 'write-excel-file/node';
import { BUDGET_CATEGORIES, BUDGET_CATEGORY_LABELS, checkExpense, fenToYuan, sumFen, type BudgetCategory } from '@app/domain';
import {
  BudgetEntity,
  BudgetExpenseEntity,
  BudgetLineEntity,
  currentBudget,
  InstitutionEntity,
  lockBudgetYear,
  OrganizationEntity,
  spentByCategory,
  StipendAdjustmentEntity,
  StipendPaymentEntity,
  TimelineWriter,
} from '@app/persistence';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { ApiError, conflict, fieldError, forbidden, notFound } from '../common/errors';
import { idempotencyRecordKey } from '../common/idempotency';
import { safeCell } from '../common/formula-injection';
import { keyset, limitOf, pageOf, type Page } from '../common/pagination';
import { ScopeService } from '../common/scope.service';
import { csvLine } from '../imports/csv.parser';
import type { AdjustmentDto, BudgetDto, BudgetExportQuery, BudgetQuery, CreateAdjustmentDto, CreateExpenseDto, ExpenseDto, PaymentDto, PaymentExportQuery, PaymentQuery } from './funds.dto';

export interface ExportFile {
  body: Buffer;
  asciiName: string;
  name: string;
  contentType: string;
}

type Sheet = { headers: string[]; rows: Array<Array<string | number>>; totals: Array<string | number>; title: string };

/**
 * R14 funds records over HTTP: budgets by version with what each line has spent, spending against a line (never
 * beyond it), stipend payments, and the finance exports (CSV with a BOM, or xlsx; amounts in yuan from fen; a
 * totals row equal to the rows' sum to the fen; text cells neutralised against formula injection).
 */
@Injectable()
export class FundsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly scope: ScopeService,
    private readonly timeline: TimelineWriter,
  ) {}

  async listBudgets(user: AuthUser, q: BudgetQuery): Promise<Page<BudgetDto>> {
    const qb = keyset(this.ds.getRepository(BudgetEntity).createQueryBuilder('b').leftJoin(InstitutionEntity, 'i', 'i.id = b.institution_id'), 'b', q, 'DESC', 'approvedAt');
    if (q.year !== undefined) qb.andWhere('b.year = :year', { year: q.year });
    if (q.partyOrganizationId) qb.andWhere('b.party_organization_id = :org', { org: q.partyOrganizationId });
    const filter = await this.scope.institutionFilter(user, 'i');
    if (filter) qb.andWhere(filter.sql, filter.params);
    const page = pageOf(await qb.getMany(), limitOf(q));
    return { items: await Promise.all(page.items.map((b) => this.view(b))), nextCursor: page.nextCursor };
  }

  async getBudget(user: AuthUser, id: string): Promise<BudgetDto> {
    return this.view(await this.readable(user, id));
  }

  async recordExpense(user: AuthUser, id: string, dto: CreateExpenseDto): Promise<ExpenseDto> {
    const budget = await this.readable(user, id);
    if (!isAdmin(user) && !(user.roles.includes('APPLICANT') && budget.institutionId !== null && user.institutionIds.includes(budget.institutionId))) {
      throw forbidden('只有管理员或该机构的申请人可以登记支出');
    }
    if (Number(dto.date.slice(0, 4)) !== budget.year) throw fieldError('date', `支出日期须在预算年度 ${budget.year} 年内`);
    return this.ds.transaction(async (m) => {
      await lockBudgetYear(m, budget.partyOrganizationId, budget.year);
      const current = await currentBudget(m, budget.partyOrganizationId, budget.year);
      if (!current || current.budget.id !== budget.id) throw conflict(`该预算已有新版本（第 ${current?.budget.version ?? '?'} 版），请按现行版本登记支出`);
      const line = current.lines.find((l) => l.category === dto.category) ?? null;
      const spent = (await spentByCategory(m, budget.partyOrganizationId, budget.year)).get(dto.category) ?? 0;
      const check = checkExpense({ category: dto.category, lineFen: line?.amountFen ?? null, spentFen: spent, amountFen: dto.amountFen });
      if (!check.allowed) {
        throw new ApiError(400, `R14：${check.findings[0]!.message}`, [{ field: 'amountFen', message: check.findings[0]!.message }, ...check.findings]);
      }
      const saved = await m.getRepository(BudgetExpenseEntity).save(
        m.getRepository(BudgetExpenseEntity).create({
          budgetId: budget.id,
          partyOrganizationId: budget.partyOrganizationId,
          year: budget.year,
          category: dto.category,
          amountFen: dto.amountFen,
          spentOn: dto.date,
          note: dto.note?.trim() || null,
          recordedById: user.id,
          paymentKey: null,
        }),
      );
      return { id: saved.id, budgetId: saved.budgetId, category: saved.category, amountFen: saved.amountFen, spentOn: saved.spentOn, note: saved.note, remainingFen: check.remainingFen - dto.amountFen };
    });
  }

  async listPayments(user: AuthUser, q: PaymentQuery): Promise<Page<PaymentDto>> {
    const qb = keyset(this.ds.getRepository(StipendPaymentEntity).createQueryBuilder('p').leftJoin(InstitutionEntity, 'i', 'i.id = p.institution_id'), 'p', q, 'DESC');
    if (q.month) qb.andWhere('p.month = :month', { month: q.month });
    if (q.partyOrganizationId) qb.andWhere('p.party_organization_id = :org', { org: q.partyOrganizationId });
    const filter = await this.scope.institutionFilter(user, 'i');
    if (filter) qb.andWhere(filter.sql, filter.params);
    const page = pageOf(await qb.getMany(), limitOf(q));
    const names = await this.memberNames(page.items.map((p) => p.memberId));
    const adjusted = await this.adjustedFen(this.ds.manager, page.items.map((p) => p.id));
    return {
      items: page.items.map((p) => ({
        id: p.id,
        reference: p.reference,
        paymentKey: p.paymentKey,
        partyOrganizationId: p.partyOrganizationId,
        memberId: p.memberId,
        memberName: names.get(p.memberId) ?? '',
        month: p.month,
        amountFen: p.amountFen,
        daysInOffice: p.daysInOffice,
        daysInMonth: p.daysInMonth,
        processId: p.processId,
        createdAt: p.createdAt,
        adjustedFen: adjusted.get(p.id) ?? 0,
        netFen: p.amountFen + (adjusted.get(p.id) ?? 0),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * A late correction of a paid stipend (R14): a record of its own, never an edit of the payment. The responsible
   * body's approver (who approved the payment) or an admin records it with a reason; a positive one is drawn on the
   * budget's stipend line (never beyond it), a negative one gives it back and cannot take back more than was paid.
   * The same Idempotency-Key again answers the first record.
   */
  async adjustPayment(user: AuthUser, paymentId: string, dto: CreateAdjustmentDto, idempotencyKey?: string): Promise<{ created: boolean; adjustment: AdjustmentDto }> {
    const claimed = idempotencyRecordKey(user.id, idempotencyKey);
    const payment = await this.ds.getRepository(StipendPaymentEntity).findOneBy({ id: paymentId });
    if (!payment) throw notFound('补贴发放记录');
    const org = await this.ds.getRepository(OrganizationEntity).findOneByOrFail({ id: payment.partyOrganizationId });
    const inst = payment.institutionId ? await this.ds.getRepository(InstitutionEntity).findOneBy({ id: payment.institutionId }) : null;
    if (!isAdmin(user) && !(inst && (await this.scope.canReadInstitution(user, inst)))) throw notFound('补贴发放记录');
    if (!isAdmin(user) && !(user.roles.includes('APPROVER') && org.parentId !== null && user.organizationIds.includes(org.parentId))) {
      throw forbidden('只有审批该补贴的上级党组织或管理员可以登记更正');
    }
    const requestKey = claimed ?? randomUUID();
    const year = Number(payment.month.slice(0, 4));
    const reason = dto.reason.trim();
    return this.ds.transaction(async (m) => {
      // One correction of an organisation's year at a time (the stipend line's balance), as payments and expenses.
      await lockBudgetYear(m, payment.partyOrganizationId, year);
      const repo = m.getRepository(StipendAdjustmentEntity);
      const again = await repo.findOneBy({ paymentId, requestKey });
      const adjustedBefore = (await this.adjustedFen(m, [paymentId])).get(paymentId) ?? 0;
      if (again) return { created: false, adjustment: this.adjustmentView(again, payment.amountFen + adjustedBefore) };
      const netFen = payment.amountFen + adjustedBefore + dto.amountFen;
      if (netFen < 0) throw fieldError('amountFen', `扣回金额超过实发金额：该笔实发 ${fenToYuan(payment.amountFen + adjustedBefore)} 元`);
      const current = await currentBudget(m, payment.partyOrganizationId, year);
      if (!current) throw fieldError('amountFen', `R14：${year} 年没有批准的党建工作经费预算`);
      if (dto.amountFen > 0) {
        const line = current.lines.find((l) => l.category === 'STIPEND') ?? null;
        const spent = (await spentByCategory(m, payment.partyOrganizationId, year)).get('STIPEND') ?? 0;
        const check = checkExpense({ category: 'STIPEND', lineFen: line?.amountFen ?? null, spentFen: spent, amountFen: dto.amountFen });
        if (!check.allowed) throw new ApiError(400, `R14：${check.findings[0]!.message}`, [{ field: 'amountFen', message: check.findings[0]!.message }, ...check.findings]);
      }
      const seq = (await repo.countBy({ paymentId })) + 1;
      const saved = await repo.save(
        repo.create({ paymentId, requestKey, reference: `${payment.reference}-T${seq}`, amountFen: dto.amountFen, reason, budgetId: current.budget.id, recordedById: user.id }),
      );
      const note = `${payment.month} 书记工作补贴更正（${saved.reference}）：${reason}`.slice(0, 500);
      await m.query(
        `INSERT INTO budget_expenses (budget_id, party_organization_id, year, category, amount_fen, spent_on, note, recorded_by_id, payment_key)
         VALUES ($1, $2, $3, 'STIPEND', $4, (now() AT TIME ZONE 'Asia/Shanghai')::date, $5, $6, $7)`,
        [current.budget.id, payment.partyOrganizationId, year, dto.amountFen, note, user.id, `adjust:${saved.id}`],
      );
      await this.timeline.append(m, {
        eventKey: `stipend-adjusted:${saved.id}`,
        processId: payment.processId,
        step: 'pay',
        actorId: user.id,
        action: 'STIPEND_ADJUSTED',
        comment: reason,
        data: { paymentId, reference: saved.reference, memberId: payment.memberId, month: payment.month, amountFen: dto.amountFen, netFen },
      });
      return { created: true, adjustment: this.adjustmentView(saved, netFen) };
    });
  }

  async listAdjustments(user: AuthUser, paymentId: string): Promise<AdjustmentDto[]> {
    const payment = await this.ds.getRepository(StipendPaymentEntity).findOneBy({ id: paymentId });
    const inst = payment?.institutionId ? await this.ds.getRepository(InstitutionEntity).findOneBy({ id: payment.institutionId }) : null;
    if (!payment || (!isAdmin(user) && !(inst && (await this.scope.canReadInstitution(user, inst))))) throw notFound('补贴发放记录');
    const rows = await this.ds.getRepository(StipendAdjustmentEntity).find({ where: { paymentId }, order: { createdAt: 'ASC', id: 'ASC' } });
    let net = payment.amountFen;
    return rows.map((a) => this.adjustmentView(a, (net += a.amountFen)));
  }

  private adjustmentView(a: StipendAdjustmentEntity, netFen: number): AdjustmentDto {
    return { id: a.id, paymentId: a.paymentId, reference: a.reference, amountFen: a.amountFen, reason: a.reason, recordedById: a.recordedById, createdAt: a.createdAt, netFen };
  }

  /** Each payment's corrections, summed (fen). */
  private async adjustedFen(m: EntityManager, paymentIds: string[]): Promise<Map<string, number>> {
    if (paymentIds.length === 0) return new Map();
    const rows: Array<{ payment_id: string; s: string }> = await m.query(
      `SELECT payment_id, sum(amount_fen)::text AS s FROM stipend_adjustments WHERE payment_id = ANY($1::uuid[]) GROUP BY payment_id`,
      [paymentIds],
    );
    return new Map(rows.map((r) => [r.payment_id, Number(r.s)]));
  }

  async exportPayments(user: AuthUser, q: PaymentExportQuery): Promise<ExportFile> {
    const filter = await this.scope.institutionFilter(user, 'i');
    const rows: Array<{ reference: string; month: string; org: string; inst: string | null; member: string; days_in_office: number; days_in_month: number; monthly_fen: string; amount_fen: string; adjusted_fen: string }> =
      await this.ds
        .createQueryBuilder()
        .select(['p.reference AS reference', 'p.month AS month', 'o.name AS org', 'i.name AS inst', 'm.name AS member', 'p.days_in_office AS days_in_office', 'p.days_in_month AS days_in_month'])
        .addSelect('p.monthly_fen::text', 'monthly_fen')
        .addSelect('p.amount_fen::text', 'amount_fen')
        .addSelect('(SELECT coalesce(sum(a.amount_fen), 0) FROM stipend_adjustments a WHERE a.payment_id = p.id)::text', 'adjusted_fen')
        .from('stipend_payments', 'p')
        .innerJoin('organizations', 'o', 'o.id = p.party_organization_id')
        .innerJoin('party_members', 'm', 'm.id = p.member_id')
        .leftJoin('institutions', 'i', 'i.id = p.institution_id')
        .where('p.month = :month', { month: q.month })
        .andWhere(filter ? filter.sql : 'TRUE', filter?.params ?? {})
        .orderBy('o.name')
        .addOrderBy('p.reference')
        .getRawMany();
    const total = sumFen(rows.map((r) => Number(r.amount_fen)));
    const adjusted = sumFen(rows.map((r) => Number(r.adjusted_fen)));
    const net = (r: { amount_fen: string; adjusted_fen: string }): number => Number(r.amount_fen) + Number(r.adjusted_fen);
    return this.file(q.format ?? 'xlsx', `payments-${q.month}`, `书记工作补贴发放表-${q.month}`, {
      title: '补贴发放',
      headers: ['发放编号', '月份', '党组织', '机构', '书记', '在任天数', '当月天数', '月补贴标准（元）', '发放金额（元）', '更正金额（元）', '实发金额（元）'],
      rows: rows.map((r) => [
        r.reference,
        r.month,
        r.org,
        r.inst ?? '',
        r.member,
        r.days_in_office,
        r.days_in_month,
        fenToYuan(Number(r.monthly_fen)),
        fenToYuan(Number(r.amount_fen)),
        fenToYuan(Number(r.adjusted_fen)),
        fenToYuan(net(r)),
      ]),
      totals: ['合计', '', '', '', `${rows.length} 人`, '', '', '', fenToYuan(total), fenToYuan(adjusted), fenToYuan(total + adjusted)],
    });
  }

  async exportBudgets(user: AuthUser, q: BudgetExportQuery): Promise<ExportFile> {
    const filter = await this.scope.institutionFilter(user, 'i');
    // The current version of each organisation's budget for the year, line by line, with what each line has spent.
    const rows: Array<{ org: string; inst: string | null; version: number; category: BudgetCategory; amount_fen: string; spent_fen: string }> = await this.ds
      .createQueryBuilder()
      .select(['o.name AS org', 'i.name AS inst', 'b.version AS version', 'l.category AS category'])
      .addSelect('l.amount_fen::text', 'amount_fen')
      .addSelect(
        `(SELECT coalesce(sum(e.amount_fen), 0)::text FROM budget_expenses e WHERE e.party_organization_id = b.party_organization_id AND e.year = b.year AND e.category = l.category)`,
        'spent_fen',
      )
      .from('budgets', 'b')
      .innerJoin('budget_lines', 'l', 'l.budget_id = b.id')
      .innerJoin('organizations', 'o', 'o.id = b.party_organization_id')
      .leftJoin('institutions', 'i', 'i.id = b.institution_id')
      .where('b.year = :year', { year: q.year })
      .andWhere('b.version = (SELECT max(v.version) FROM budgets v WHERE v.party_organization_id = b.party_organization_id AND v.year = b.year)')
      .andWhere(filter ? filter.sql : 'TRUE', filter?.params ?? {})
      .orderBy('o.name')
      .addOrderBy('b.party_organization_id')
      .getRawMany();
    const order = (c: BudgetCategory): number => BUDGET_CATEGORIES.indexOf(c);
    rows.sort((a, b) => (a.org === b.org ? order(a.category) - order(b.category) : 0));
    const amount = sumFen(rows.map((r) => Number(r.amount_fen)));
    const spent = sumFen(rows.map((r) => Number(r.spent_fen)));
    return this.file(q.format ?? 'xlsx', `budgets-${q.year}`, `党建工作经费预算表-${q.year}`, {
      title: '年度预算',
      headers: ['党组织', '机构', '年度', '版本', '科目', '预算金额（元）', '已支出（元）', '余额（元）'],
      rows: rows.map((r) => [
        r.org,
        r.inst ?? '',
        q.year,
        r.version,
        BUDGET_CATEGORY_LABELS[r.category],
        fenToYuan(Number(r.amount_fen)),
        fenToYuan(Number(r.spent_fen)),
        fenToYuan(Number(r.amount_fen) - Number(r.spent_fen)),
      ]),
      totals: ['合计', '', q.year, '', '', fenToYuan(amount), fenToYuan(spent), fenToYuan(amount - spent)],
    });
  }

  private async file(format: 'xlsx' | 'csv', asciiBase: string, name: string, sheet: Sheet): Promise<ExportFile> {
    if (format === 'csv') {
      const lines = [sheet.headers, ...sheet.rows, sheet.totals].map((r) => csvLine(r.map(String)));
      // The BOM makes spreadsheet programs read the file as UTF-8; CRLF is what Excel writes itself.
      return { body: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'), asciiName: `${asciiBase}.csv`, name: `${name}.csv`, contentType: 'text/csv; charset=utf-8' };
    }
    // Yuan columns hold the exact two-decimal text as numbers with a 0.00 format; other text is neutralised.
    const yuanColumns = new Set(sheet.headers.flatMap((h, i) => (h.includes('（元）') ? [i] : [])));
    const cell = (v: string | number, i: number, bold = false): Cell =>
      yuanColumns.has(i) && typeof v === 'string' && /^-?\d+\.\d{2}$/.test(v)
        ? { value: Number(v), format: '0.00', ...(bold ? { fontWeight: 'bold' as const } : {}) }
        : { value: typeof v === 'number' ? v : String(safeCell(v)), ...(bold ? { fontWeight: 'bold' as const } : {}) };
    const data: Cell[][] = [sheet.headers.map((h) => ({ value: h, fontWeight: 'bold' as const })), ...sheet.rows.map((r) => r.map((v, i) => cell(v, i))), sheet.totals.map((v, i) => cell(v, i, true))];
    const body = await writeXlsxFile(data, { sheet: sheet.title, stickyRowsCount: 1, columns: sheet.headers.map((h) => ({ width: Math.max(10, h.length * 2 + 2) })) }).toBuffer();
    return { body, asciiName: `${asciiBase}.xlsx`, name: `${name}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }

  private async readable(user: AuthUser, id: string): Promise<BudgetEntity> {
    const budget = await this.ds.getRepository(BudgetEntity).findOneBy({ id });
    if (!budget) throw notFound('预算');
    const inst = budget.institutionId ? await this.ds.getRepository(InstitutionEntity).findOneBy({ id: budget.institutionId }) : null;
    if (!isAdmin(user) && !(inst && (await this.scope.canReadInstitution(user, inst)))) throw forbidden('无权查看该预算');
    return budget;
  }

  private async view(b: BudgetEntity): Promise<BudgetDto> {
    const [lines, spent, current] = await Promise.all([
      this.ds.getRepository(BudgetLineEntity).find({ where: { budgetId: b.id } }),
      spentByCategory(this.ds.manager, b.partyOrganizationId, b.year),
      currentBudget(this.ds.manager, b.partyOrganizationId, b.year),
    ]);
    lines.sort((x, y) => BUDGET_CATEGORIES.indexOf(x.category) - BUDGET_CATEGORIES.indexOf(y.category));
    return {
      id: b.id,
      partyOrganizationId: b.partyOrganizationId,
      institutionId: b.institutionId,
      year: b.year,
      version: b.version,
      current: current?.budget.id === b.id,
      processId: b.processId,
      totalFen: b.totalFen,
      approvedAt: b.approvedAt,
      lines: lines.map((l) => {
        const s = spent.get(l.category) ?? 0;
        return { category: l.category, label: BUDGET_CATEGORY_LABELS[l.category], amountFen: l.amountFen, note: l.note, spentFen: s, remainingFen: l.amountFen - s };
      }),
    };
  }

  private async memberNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.ds.query(`SELECT id, name FROM party_members WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
