import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  refusedAdmission,
  stipendDisbursementSubject,
  type Admission,
  type AdmissionRequest,
  type StipendComputationResult,
  type StipendDisbursementActivities,
  type StipendDisbursementPayload,
  type StipendLine,
  type StipendPayout,
  type FundsCyclePage,
} from '@app/contracts';
import {
  checkExpense,
  daysInOfficeInMonth,
  divideRoundHalfUp,
  fenToYuan,
  finding,
  firstDayOfNextMonth,
  parseYearMonth,
  stipendPaymentKey,
  sumFen,
  PARTY_ORG_KINDS,
  type Finding,
} from '@app/domain';
import { NotificationService } from '@app/notifications';
import {
  currentBudget,
  lockBudgetYear,
  OrganizationEntity,
  organizationTenures,
  PartyMemberEntity,
  ProcessEntity,
  SettingsService,
  spentByCategory,
  StipendPaymentEntity,
  TimelineWriter,
  UserEntity,
} from '@app/persistence';
import { Activity } from './activity.decorator';
import { ActivitySupport, activityEventKey, shanghaiDate } from './activity-support';
import { fundsSubject } from './funds-support';
import { ProcessLauncher } from './process-launcher.service';

/** Organisations the monthly run looks at per activity call (the workflow pages through them). */
export const STIPEND_MONTH_PAGE = 200;

type FieldError = { field: string; message: string };

/** A payment's reference for finance: the month and a digest of its payment key (stable across retries). */
export function paymentReference(paymentKey: string, month: string): string {
  return `BT${month.replace('-', '')}-${createHash('sha256').update(paymentKey).digest('hex').slice(0, 12).toUpperCase()}`;
}

/**
 * stipend-disbursement 书记工作补贴发放 (R14): who may open one, the month's amounts (the standard stipend prorated by
 * days in office, a (secretary, month) already paid left out, the budget's stipend line checked), and the payout:
 * one row per (secretary, month) whose key the database keeps unique, drawn on the stipend line, the secretary told.
 */
@Injectable()
export class StipendDisbursementActivitiesService implements StipendDisbursementActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly timeline: TimelineWriter,
    private readonly support: ActivitySupport,
    private readonly notifications: NotificationService,
    private readonly launcher: ProcessLauncher,
  ) {}

  /**
   * The monthly run (the 1st, for the month before): a stipend-disbursement for every institution party organisation
   * that had a secretary in office during `month`, each opened once whatever runs again (the launcher's key).
   */
  @Activity()
  async openStipendMonth(input: { month: string; after?: string | null }): Promise<FundsCyclePage> {
    const orgs = await this.ds
      .getRepository(OrganizationEntity)
      .createQueryBuilder('o')
      .where('o.kind IN (:...kinds)', { kinds: [...PARTY_ORG_KINDS] })
      .andWhere(input.after ? 'o.id > :after' : 'TRUE', { after: input.after })
      .orderBy('o.id')
      .limit(STIPEND_MONTH_PAGE)
      .getMany();
    let opened = 0;
    let existing = 0;
    for (const org of orgs) {
      const subject = await fundsSubject(this.ds.manager, { partyOrganizationId: org.id });
      if (!subject.inst) continue;
      const inOffice = (await organizationTenures(this.ds.manager, org)).some((t) => daysInOfficeInMonth(input.month, t.from, t.to).daysInOffice > 0);
      if (!inOffice) continue;
      // Paid already (by hand, or by a run before): nothing to open.
      if (await this.ds.getRepository(StipendPaymentEntity).existsBy({ partyOrganizationId: org.id, month: input.month })) {
        existing += 1;
        continue;
      }
      const launched = await this.launcher.open({
        kind: 'stipend-disbursement',
        key: `stipend:${org.id}:${input.month}`,
        payload: { partyOrganizationId: org.id, month: input.month },
        institutionId: subject.inst.id,
        subjectKey: stipendDisbursementSubject(org.id, input.month),
      });
      if (launched.created) opened += 1;
      else existing += 1;
    }
    return { opened, existing, next: orgs.length === STIPEND_MONTH_PAGE ? orgs[orgs.length - 1]!.id : null };
  }

  @Activity()
  async admitStipendDisbursement(req: AdmissionRequest): Promise<Admission> {
    const payload = req.payload as StipendDisbursementPayload;
    const subjectKey = stipendDisbursementSubject(payload.partyOrganizationId, payload.month);
    const c = await this.compute(this.ds.manager, payload);
    if (c.institutionId === '') return refusedAdmission(c.fieldErrors, subjectKey);
    return {
      fieldErrors: c.fieldErrors,
      conflict: c.fieldErrors.length === 0 && c.allPaid ? `该党组织 ${payload.month} 的书记工作补贴已发放，不重复发放` : null,
      allowed: c.fieldErrors.length === 0 && c.allowed,
      findings: c.findings,
      institutionId: c.institutionId,
      applicantInstitutionIds: [c.institutionId],
      applicantUserIds: [],
      subjectKey,
      workflowInput: {},
    };
  }

  @Activity()
  async computeStipends(processId: string): Promise<StipendComputationResult> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
    const c = await this.compute(this.ds.manager, process.payload as unknown as StipendDisbursementPayload);
    const findings = [...c.fieldErrors.map((e) => finding('R14', 'VIOLATION', `${e.field}：${e.message}`)), ...c.findings];
    if (c.allPaid) findings.push(finding('R14', 'VIOLATION', '该月的书记工作补贴已全部发放，不重复发放。'));
    const allowed = c.fieldErrors.length === 0 && c.allowed && !c.allPaid && c.responsibleBodyId !== null;
    if (c.responsibleBodyId === null && c.institutionId !== '') findings.push(finding('R14', 'VIOLATION', '党组织没有登记上级党组织，无法审批补贴发放。'));
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('stipends-computed'),
      processId,
      step: 'compute',
      action: allowed ? 'STIPENDS_COMPUTED' : 'RULES_FAILED',
      data: { findings, lines: c.lines as never, totalFen: c.totalFen, budgetId: c.budgetId },
    });
    return { allowed, findings, institutionId: c.institutionId, responsibleBodyId: c.responsibleBodyId ?? '', budgetId: c.budgetId, lines: c.lines, totalFen: c.totalFen };
  }

  @Activity()
  async payStipends(input: { processId: string; actorId: string; budgetId: string; lines: StipendLine[] }): Promise<StipendPayout> {
    const mailKey = `stipend-paid:${input.processId}`;
    const { payout, staged } = await this.ds.transaction(async (m) => {
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const payload = process.payload as unknown as StipendDisbursementPayload;
      const { year } = parseYearMonth(payload.month);
      await lockBudgetYear(m, payload.partyOrganizationId, year);
      const payments = m.getRepository(StipendPaymentEntity);
      const keys = input.lines.map((l) => l.paymentKey);
      const existing = keys.length ? await payments.createQueryBuilder('p').where('p.payment_key IN (:...keys)', { keys }).getMany() : [];
      const mine = existing.filter((p) => p.processId === process.id);
      const paidElsewhere = new Set(existing.filter((p) => p.processId !== process.id).map((p) => p.paymentKey));
      // A retry (or a run after a crash) finds this process's rows: nothing is paid again.
      if (mine.length > 0) return { payout: this.view(mine, []), staged: [] as string[] };
      const todo = input.lines.filter((l) => !paidElsewhere.has(l.paymentKey) && l.amountFen > 0);
      const budget = await currentBudget(m, payload.partyOrganizationId, year);
      const line = budget?.lines.find((l) => l.category === 'STIPEND') ?? null;
      const totalFen = sumFen(todo.map((l) => l.amountFen));
      const check = checkExpense({ category: 'STIPEND', lineFen: line?.amountFen ?? null, spentFen: (await spentByCategory(m, payload.partyOrganizationId, year)).get('STIPEND') ?? 0, amountFen: totalFen });
      if (!budget || !check.allowed) return { payout: { paid: false, findings: check.findings, payments: [], totalFen: 0 }, staged: [] as string[] };
      const today = shanghaiDate(new Date());
      for (const l of todo) {
        const reference = paymentReference(l.paymentKey, payload.month);
        // The unique payment key is the guard: a row another run wrote first is left as it is.
        const inserted: Array<{ id: string }> = await m.query(
          `INSERT INTO stipend_payments (payment_key, reference, party_organization_id, institution_id, member_id, month, amount_fen, monthly_fen, days_in_office, days_in_month, process_id, budget_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id`,
          [l.paymentKey, reference, payload.partyOrganizationId, process.institutionId, l.memberId, payload.month, l.amountFen, l.monthlyFen, l.daysInOffice, l.daysInMonth, process.id, budget.budget.id],
        );
        if (inserted.length === 0) continue;
        await m.query(
          `INSERT INTO budget_expenses (budget_id, party_organization_id, year, category, amount_fen, spent_on, note, recorded_by_id, payment_key)
           VALUES ($1, $2, $3, 'STIPEND', $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [budget.budget.id, payload.partyOrganizationId, year, l.amountFen, today, `${payload.month} 书记工作补贴（${reference}）`, input.actorId, l.paymentKey],
        );
      }
      const rows = await payments.find({ where: { processId: process.id }, order: { memberId: 'ASC' } });
      const payout = this.view(rows, []);
      await this.timeline.append(m, { eventKey: `stipends-paid:${process.id}`, processId: process.id, step: 'pay', actorId: input.actorId, action: 'STIPENDS_PAID', data: { ...payout } as never });
      const vars = await this.support.processVars(m, process);
      const mails = [];
      for (const p of rows) {
        const users = await m.getRepository(UserEntity).find({ where: { memberId: p.memberId, active: true } });
        for (const u of users) {
          mails.push({
            dedupeKey: `${mailKey}:${p.paymentKey}:${u.id}`,
            template: 'stipend-paid' as const,
            to: u.email,
            processId: process.id,
            vars: { recipientName: u.displayName, institutionName: vars.institutionName, month: p.month, amountYuan: fenToYuan(p.amountFen), reference: p.reference, daysInOffice: p.daysInOffice, daysInMonth: p.daysInMonth },
          });
        }
      }
      return { payout, staged: await this.notifications.stage(m, mails) };
    });
    if (staged.length) await this.notifications.enqueue(staged);
    return payout;
  }

  private view(rows: StipendPaymentEntity[], findings: Finding[]): StipendPayout {
    return {
      paid: true,
      findings,
      payments: rows.map((p) => ({ paymentKey: p.paymentKey, reference: p.reference, memberId: p.memberId, amountFen: p.amountFen })),
      totalFen: sumFen(rows.map((p) => p.amountFen)),
    };
  }

  /** The month's amounts and whether the budget can pay them; `institutionId` '' when the subject is unknown. */
  private async compute(m: EntityManager, payload: StipendDisbursementPayload) {
    const fieldErrors: FieldError[] = [];
    const findings: Finding[] = [];
    const subject = await fundsSubject(m, payload);
    fieldErrors.push(...subject.fieldErrors);
    const base = { fieldErrors, findings, allowed: false, allPaid: false, institutionId: subject.inst?.id ?? '', responsibleBodyId: subject.org?.parentId ?? null, budgetId: null as string | null, lines: [] as StipendLine[], totalFen: 0 };
    if (!subject.org || !subject.inst) return base;
    // A month is paid once it has ended (the monthly run opens on the 1st for the month before).
    if (firstDayOfNextMonth(payload.month) > shanghaiDate(new Date())) {
      fieldErrors.push({ field: 'month', message: '补贴按月结算，只能发放已结束的月份' });
      return base;
    }
    const settings = await this.settings.policy();
    const monthlyFen = settings.stipendMonthlyFen;
    if (monthlyFen === 0) {
      findings.push(finding('R14', 'VIOLATION', '未设置党支部书记工作补贴标准（月额为 0），无法计算补贴。'));
      return base;
    }
    // Days in office per secretary (a secretary who left and came back in the month counts both spells).
    const days = new Map<string, number>();
    let dim = 0;
    for (const t of await organizationTenures(m, subject.org)) {
      const d = daysInOfficeInMonth(payload.month, t.from, t.to);
      dim = d.daysInMonth;
      if (d.daysInOffice > 0) days.set(t.memberId, Math.min(d.daysInMonth, (days.get(t.memberId) ?? 0) + d.daysInOffice));
    }
    if (days.size === 0) {
      fieldErrors.push({ field: 'month', message: `该党组织 ${payload.month} 没有在任书记，无需发放补贴` });
      return base;
    }
    const members = await m.getRepository(PartyMemberEntity).findBy([...days.keys()].map((id) => ({ id })));
    const names = new Map(members.map((x) => [x.id, x.name]));
    const candidates = [...days].map(([memberId, d]): StipendLine => ({
      memberId,
      memberName: names.get(memberId) ?? memberId,
      paymentKey: stipendPaymentKey(memberId, payload.month),
      amountFen: Number(divideRoundHalfUp(BigInt(monthlyFen) * BigInt(d), BigInt(dim))),
      monthlyFen,
      daysInOffice: d,
      daysInMonth: dim,
    }));
    const paid = new Set(
      (await m.getRepository(StipendPaymentEntity).createQueryBuilder('p').where('p.payment_key IN (:...keys)', { keys: candidates.map((c) => c.paymentKey) }).getMany()).map((p) => p.paymentKey),
    );
    for (const c of candidates.filter((x) => paid.has(x.paymentKey))) findings.push(finding('R14', 'INFO', `${c.memberName} ${payload.month} 的工作补贴已发放，不重复发放。`));
    const lines = candidates.filter((c) => !paid.has(c.paymentKey));
    const totalFen = sumFen(lines.map((l) => l.amountFen));
    const { year } = parseYearMonth(payload.month);
    const budget = await currentBudget(m, subject.org.id, year);
    const stipendLine = budget?.lines.find((l) => l.category === 'STIPEND') ?? null;
    if (!budget) {
      findings.push(finding('R14', 'VIOLATION', `${year} 年度党建工作经费预算尚未批准，书记工作补贴无从列支。`));
    } else {
      findings.push(...checkExpense({ category: 'STIPEND', lineFen: stipendLine?.amountFen ?? null, spentFen: (await spentByCategory(m, subject.org.id, year)).get('STIPEND') ?? 0, amountFen: totalFen }).findings);
    }
    return {
      ...base,
      allowed: !findings.some((f) => f.severity === 'VIOLATION'),
      allPaid: lines.length === 0,
      budgetId: budget?.budget.id ?? null,
      lines,
      totalFen,
    };
  }
}
