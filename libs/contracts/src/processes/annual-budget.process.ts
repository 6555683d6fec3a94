/**
 * annual-budget 党建工作经费年度预算 (DOMAIN.md process 4; R14). Workflow: workflows/annual-budget.workflow.ts;
 * activities: apps/worker/src/activities/annual-budget.activities.ts. The approved budget is kept by version
 * (`GET /budgets`, `POST /budgets/:id/expenses`: apps/api/src/funds).
 */
import { z } from 'zod';
import { BUDGET_CATEGORIES, BUDGET_CATEGORY_LABELS, type BudgetCategory, type Finding } from '@app/domain';
import { activityNames } from '../activity-names';
import type { ProcessWorkflowInput } from '../workflow-contracts';
import { defineProcess, enumField, fenField, say, textField, titled, uuidField, type Admission, type AdmissionRequest } from './process-descriptor';

export const budgetLineSchema = z.strictObject({
  category: enumField('category（预算科目）', BUDGET_CATEGORIES),
  amountFen: fenField('amountFen（预算金额，分）'),
  note: textField('note（说明）', 1, 500).optional(),
});

const budgetLines = (label: string) =>
  titled(
    z
      .array(budgetLineSchema, { error: say(label, '必须是预算科目列表') })
      .min(1, { error: `${label}至少 1 项` })
      .max(BUDGET_CATEGORIES.length, { error: `${label}最多 ${BUDGET_CATEGORIES.length} 项` }),
    label,
  );

export const annualBudgetPayload = z.strictObject({
  /** Optional (API.md's common field): when given it must be the organisation's institution. */
  institutionId: uuidField('institutionId（机构）').optional(),
  partyOrganizationId: uuidField('partyOrganizationId（党组织）'),
  year: titled(
    z
      .number({ error: say('year（预算年度）', '必须是年份') })
      .int({ error: 'year（预算年度）必须是整数年份' })
      .min(2000, { error: 'year（预算年度）不能早于 2000 年' })
      .max(2100, { error: 'year（预算年度）不能晚于 2100 年' }),
    'year（预算年度）',
  ),
  /** The lines as drafted; left out when the yearly cycle opens it (the secretary then drafts them in a step). */
  lines: budgetLines('lines（预算科目）').optional(),
});
export type AnnualBudgetPayload = z.infer<typeof annualBudgetPayload>;

/** One open annual-budget per organisation and year. */
export const annualBudgetSubject = (partyOrganizationId: string, year: number): string => `budget:${partyOrganizationId}:${year}`;

export type AnnualBudgetWorkflowInput = ProcessWorkflowInput;

/** The rules check of a submitted (or resubmitted) budget, as the workflow reads it. */
export interface AnnualBudgetCheck {
  allowed: boolean;
  /** No lines yet (opened by the yearly cycle): the secretary drafts them first. Absent in runs recorded before. */
  needsDraft?: boolean;
  /** Calendar days from now to the submission deadline (30 November by default). */
  draftDueDays?: number;
  /** Calendar days from now to the approval deadline (31 December of the year before), while it is ahead. */
  approveDueDays?: number;
  findings: Finding[];
  institutionId: string;
  /** The organisation's responsible body (its parent organisation), who approves. */
  responsibleBodyId: string;
}

/** One page of a yearly or monthly opening run: `next` is the organisation id to continue after (null: done). */
export interface FundsCyclePage {
  opened: number;
  existing: number;
  next?: string | null;
}

export interface FixedBudget {
  budgetId: string;
  partyOrganizationId: string;
  year: number;
  version: number;
  totalFen: number;
}

export interface AnnualBudgetActivities {
  admitAnnualBudget(req: AdmissionRequest): Promise<Admission>;
  checkAnnualBudget(processId: string): Promise<AnnualBudgetCheck>;
  /** The approved budget is fixed as the next version of (organisation, year); once per process. */
  fixBudget(input: { processId: string; actorId: string }): Promise<FixedBudget>;
  /** The draft step's data, checked against the rules before it is accepted (one line per category). */
  checkBudgetDraft(input: { processId: string; step: string; data: Record<string, unknown> }): Promise<Array<{ field: string; message: string }>>;
  /** The drafted lines become the request's lines (the rules check then runs on them). */
  recordBudgetDraft(input: { processId: string; actorId: string; lines: AnnualBudgetPayload['lines'] }): Promise<void>;
  /** The yearly cycle (1 October): one annual-budget per institution party organisation for `budgetYear`, once per key. */
  openBudgetCycle(input: { budgetYear: number; after?: string | null }): Promise<FundsCyclePage>;
}

export const ANNUAL_BUDGET_ACTIVITIES = activityNames<AnnualBudgetActivities>()({
  admitAnnualBudget: true,
  checkAnnualBudget: true,
  fixBudget: true,
  checkBudgetDraft: true,
  recordBudgetDraft: true,
  openBudgetCycle: true,
});

const yuan = (fen: unknown): string => (typeof fen === 'number' && Number.isInteger(fen) ? `${(fen / 100).toFixed(2)} 元` : '—');

export const annualBudget = defineProcess({
  kind: 'annual-budget',
  workflowType: 'annualBudgetWorkflow',
  label: '党建工作经费年度预算',
  matter: '党建工作经费年度预算',
  summary:
    '党组织书记编制下一年度党建工作经费预算（活动、培训、资料、书记补贴、场所、其他），养老机构管理层确认已纳入机构年度经费预算，负责管理的党组织审批（可退回修改）；批准后预算定版，支出按科目列支，不得超出（R14）。',
  payload: annualBudgetPayload,
  steps: {
    draft: {
      title: '编制党建工作经费年度预算（11 月 30 日前报送）',
      decidedBy: '党组织书记（机构的申请人账户）；年度预算编制周期开启时',
      decisions: ['APPROVE'],
      data: z.strictObject({ lines: budgetLines('data.lines（预算科目）') }),
      checkDataActivity: 'checkBudgetDraft',
    },
    check: { title: '规则检查（R14：科目、书记补贴是否覆盖 12 个月）', decidedBy: '系统', system: true },
    confirm: { title: '确认党建工作经费已纳入机构年度经费预算', decidedBy: '养老机构管理层（机构的申请人账户）' },
    approve: { title: '审批党建工作经费年度预算', decidedBy: '党组织的上级党组织（负责管理的党组织，R1–R3b）；可退回修改' },
    fix: { title: '预算定版（新版本）', decidedBy: '系统', system: true },
  },
  admitActivity: 'admitAnnualBudget',
  activities: ANNUAL_BUDGET_ACTIVITIES,
  describeRequest: (p, name) => [
    ['党组织', typeof p.partyOrganizationId === 'string' ? name(p.partyOrganizationId) : '—'],
    ['预算年度', String(p.year ?? '—')],
    ...(Array.isArray(p.lines) ? (p.lines as Array<Record<string, unknown>>) : []).map(
      (l): [string, string] => [BUDGET_CATEGORY_LABELS[l.category as BudgetCategory] ?? String(l.category), `${yuan(l.amountFen)}${typeof l.note === 'string' ? `（${l.note}）` : ''}`],
    ),
  ],
  actionLabels: { BUDGET_FIXED: '预算定版', BUDGET_DRAFTED: '编制预算' },
});
