import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  annualBudgetSubject,
  refusedAdmission,
  type Admission,
  type AdmissionRequest,
  type AnnualBudgetActivities,
  type AnnualBudgetCheck,
  type AnnualBudgetPayload,
  type FixedBudget,
  type FundsCyclePage,
} from '@app/contracts';
import { BUDGET_CATEGORY_LABELS, budgetCycle, budgetLineErrors, daysBetween, fenToYuan, finding, PARTY_ORG_KINDS, stipendLineCoverage, sumFen, type BudgetLineInput, type Finding } from '@app/domain';
import { BudgetEntity, BudgetLineEntity, lockBudgetYear, ProcessEntity, SettingsService, spentByCategory, TimelineWriter, type JsonObject } from '@app/persistence';
import { Activity } from './activity.decorator';
import { activityEventKey, shanghaiDate } from './activity-support';
import { fundsSubject } from './funds-support';
import { ProcessLauncher } from './process-launcher.service';

/** Organisations the yearly cycle opens per activity call (the workflow pages through them). */
export const BUDGET_CYCLE_PAGE = 200;

type FieldError = { field: string; message: string };

interface Assessment {
  fieldErrors: FieldError[];
  findings: Finding[];
  institutionId: string | null;
  responsibleBodyId: string | null;
  secretaryUserIds: string[];
}

/**
 * annual-budget 党建工作经费年度预算 (R14): who may submit, the rules check (one line per category; an amendment may not
 * cut a line below what has been spent; the stipend line against 12 months of the standard stipend), and the
 * approved budget fixed as the next version of (organisation, year).
 */
@Injectable()
export class AnnualBudgetActivitiesService implements AnnualBudgetActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly timeline: TimelineWriter,
    private readonly launcher: ProcessLauncher,
  ) {}

  /** APPLICANT users of the organisation's institution and the secretary's own account, or an ADMIN. */
  @Activity()
  async admitAnnualBudget(req: AdmissionRequest): Promise<Admission> {
    const payload = req.payload as AnnualBudgetPayload;
    const subjectKey = annualBudgetSubject(payload.partyOrganizationId, payload.year);
    const a = await this.assess(this.ds.manager, payload);
    if (a.institutionId === null) return refusedAdmission(a.fieldErrors, subjectKey);
    return {
      fieldErrors: a.fieldErrors,
      conflict: null,
      allowed: a.fieldErrors.length === 0 && !a.findings.some((f) => f.severity === 'VIOLATION'),
      findings: a.findings,
      institutionId: a.institutionId,
      applicantInstitutionIds: [a.institutionId],
      applicantUserIds: a.secretaryUserIds,
      subjectKey,
      workflowInput: {},
    };
  }

  /** The rules check at every (re)submission, recorded on the timeline. */
  @Activity()
  async checkAnnualBudget(processId: string): Promise<AnnualBudgetCheck> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
    const a = await this.assess(this.ds.manager, process.payload as unknown as AnnualBudgetPayload);
    const findings = [...a.fieldErrors.map((e) => finding('R14', 'VIOLATION', `${e.field}：${e.message}`)), ...a.findings];
    if (a.institutionId !== null && a.responsibleBodyId === null) findings.push(finding('R14', 'VIOLATION', '党组织没有登记上级党组织，无法审批预算。'));
    const allowed = a.institutionId !== null && a.responsibleBodyId !== null && !findings.some((f) => f.severity === 'VIOLATION');
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('rules-checked'),
      processId,
      step: 'check',
      action: allowed ? 'RULES_PASSED' : 'RULES_FAILED',
      data: { findings, responsibleBodyId: a.responsibleBodyId },
    });
    const payload = process.payload as unknown as AnnualBudgetPayload;
    const needsDraft = payload.lines === undefined;
    const settings = await this.settings.policy();
    const cycle = budgetCycle(payload.year, settings);
    const today = shanghaiDate(new Date());
    const draftDueDays = Math.max(1, daysBetween(today, cycle.submissionDueOn));
    // The cycle's approval deadline while it is ahead; a budget asked for later (an amendment) has the usual term.
    const approveDays = daysBetween(today, cycle.approvalDueOn);
    return { allowed, needsDraft, draftDueDays, ...(approveDays >= 1 ? { approveDueDays: approveDays } : {}), findings, institutionId: a.institutionId ?? '', responsibleBodyId: a.responsibleBodyId ?? '' };
  }

  @Activity()
  async checkBudgetDraft(input: { processId: string; step: string; data: Record<string, unknown> }): Promise<FieldError[]> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
    const payload = process.payload as unknown as AnnualBudgetPayload;
    const lines = (input.data.lines ?? []) as BudgetLineInput[];
    return (await this.lineErrors(this.ds.manager, payload.partyOrganizationId, payload.year, lines)).map((e) => ({ ...e, field: `data.${e.field}` }));
  }

  /** The drafted lines become the request's lines; the same lines again change nothing. */
  @Activity()
  async recordBudgetDraft(input: { processId: string; actorId: string; lines: AnnualBudgetPayload['lines'] }): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE processes SET payload = payload || jsonb_build_object('lines', $2::jsonb), updated_at = now() WHERE id = $1`, [input.processId, JSON.stringify(input.lines ?? [])]);
      await this.timeline.append(m, {
        eventKey: activityEventKey('budget-drafted'),
        processId: input.processId,
        step: 'draft',
        actorId: input.actorId,
        action: 'BUDGET_DRAFTED',
        data: { lines: (input.lines ?? []) as unknown as JsonObject[] },
      });
    });
  }

  /**
   * The yearly cycle: an annual-budget for `budgetYear` for every institution party organisation that has no
   * approved budget for it yet, each opened once whatever runs again (the launcher's key). Pages by organisation id.
   */
  @Activity()
  async openBudgetCycle(input: { budgetYear: number; after?: string | null }): Promise<FundsCyclePage> {
    const orgs: Array<{ id: string; institution_id: string | null; budgeted: boolean }> = await this.ds.query(
      `SELECT o.id, coalesce(o.institution_id, (SELECT i.id FROM institutions i WHERE i.party_organization_id = o.id ORDER BY i.created_at LIMIT 1)) AS institution_id,
              EXISTS (SELECT 1 FROM budgets b WHERE b.party_organization_id = o.id AND b.year = $2) AS budgeted
         FROM organizations o
        WHERE o.kind = ANY($1::text[]) AND ($3::uuid IS NULL OR o.id > $3::uuid)
        ORDER BY o.id LIMIT $4`,
      [[...PARTY_ORG_KINDS], input.budgetYear, input.after ?? null, BUDGET_CYCLE_PAGE],
    );
    let opened = 0;
    let existing = 0;
    for (const o of orgs) {
      if (o.institution_id === null || o.budgeted) {
        existing += 1;
        continue;
      }
      const launched = await this.launcher.open({
        kind: 'annual-budget',
        key: `budget:${o.id}:${input.budgetYear}`,
        payload: { partyOrganizationId: o.id, year: input.budgetYear },
        institutionId: o.institution_id,
        subjectKey: annualBudgetSubject(o.id, input.budgetYear),
      });
      if (launched.created) opened += 1;
      else existing += 1;
    }
    return { opened, existing, next: orgs.length === BUDGET_CYCLE_PAGE ? orgs[orgs.length - 1]!.id : null };
  }

  /** Once per process: a retry finds the version it wrote. */
  @Activity()
  async fixBudget(input: { processId: string; actorId: string }): Promise<FixedBudget> {
    return this.ds.transaction(async (m) => {
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const payload = process.payload as unknown as AnnualBudgetPayload;
      await lockBudgetYear(m, payload.partyOrganizationId, payload.year);
      const view = (b: BudgetEntity): FixedBudget => ({ budgetId: b.id, partyOrganizationId: b.partyOrganizationId, year: b.year, version: b.version, totalFen: b.totalFen });
      const done = await m.getRepository(BudgetEntity).findOneBy({ processId: process.id });
      if (done) return view(done);
      const [{ max }] = (await m.query(`SELECT coalesce(max(version), 0) AS max FROM budgets WHERE party_organization_id = $1 AND year = $2`, [
        payload.partyOrganizationId,
        payload.year,
      ])) as [{ max: number }];
      const budget = await m.getRepository(BudgetEntity).save(
        m.getRepository(BudgetEntity).create({
          partyOrganizationId: payload.partyOrganizationId,
          institutionId: process.institutionId,
          year: payload.year,
          version: Number(max) + 1,
          processId: process.id,
          totalFen: sumFen((payload.lines ?? []).map((l) => l.amountFen)),
          approvedById: input.actorId,
        }),
      );
      await m.getRepository(BudgetLineEntity).insert((payload.lines ?? []).map((l) => ({ budgetId: budget.id, category: l.category, amountFen: l.amountFen, note: l.note ?? null })));
      const fixed = view(budget);
      await this.timeline.append(m, { eventKey: `budget-fixed:${process.id}`, processId: process.id, step: 'fix', actorId: input.actorId, action: 'BUDGET_FIXED', data: { ...fixed } });
      return fixed;
    });
  }

  private async assess(m: EntityManager, payload: AnnualBudgetPayload): Promise<Assessment> {
    const subject = await fundsSubject(m, payload);
    const fieldErrors = [...subject.fieldErrors];
    const none = { fieldErrors, findings: [], institutionId: null, responsibleBodyId: null, secretaryUserIds: [] };
    if (!subject.org || !subject.inst) return none;
    const base = { fieldErrors, findings: [] as Finding[], institutionId: subject.inst.id, responsibleBodyId: subject.org.parentId, secretaryUserIds: subject.secretaryUserIds };
    // Opened without lines (the yearly cycle): the secretary drafts them in its first step.
    if (payload.lines === undefined) return base;
    fieldErrors.push(...(await this.lineErrors(m, subject.org.id, payload.year, payload.lines)));
    const settings = await this.settings.policy();
    const stipendLine = payload.lines.find((l) => l.category === 'STIPEND');
    // One secretary per organisation (a vacancy is filled within the year, so it is budgeted too).
    const findings = stipendLineCoverage({ stipendLineFen: stipendLine?.amountFen ?? 0, monthlyFen: settings.stipendMonthlyFen, secretaries: 1 }).findings;
    return { ...base, findings };
  }

  /** One line per category; an amendment (a version after the first) may not cut a line below what it has spent. */
  private async lineErrors(m: EntityManager, partyOrganizationId: string, year: number, lines: readonly BudgetLineInput[]): Promise<FieldError[]> {
    const errors = budgetLineErrors(lines);
    for (const [category, fen] of await spentByCategory(m, partyOrganizationId, year)) {
      const i = lines.findIndex((l) => l.category === category);
      const label = BUDGET_CATEGORY_LABELS[category];
      if (i < 0) errors.push({ field: 'lines', message: `「${label}」科目已支出 ${fenToYuan(fen)} 元，调整后的预算须保留该科目（R14）` });
      else if (lines[i]!.amountFen < fen) errors.push({ field: `lines[${i}].amountFen`, message: `「${label}」科目已支出 ${fenToYuan(fen)} 元，预算不能少于已支出金额（R14）` });
    }
    return errors;
  }
}
