/**
 * stipend-disbursement 书记工作补贴发放 (DOMAIN.md process 5; R14). Workflow: workflows/stipend-disbursement.workflow.ts;
 * activities: apps/worker/src/activities/stipend-disbursement.activities.ts. Payments: `GET /payments`,
 * `GET /exports/payments` (apps/api/src/funds).
 */
import { z } from 'zod';
import type { Finding } from '@app/domain';
import { activityNames } from '../activity-names';
import type { ProcessWorkflowInput } from '../workflow-contracts';
import type { FundsCyclePage } from './annual-budget.process';
import { defineProcess, say, titled, uuidField, type Admission, type AdmissionRequest } from './process-descriptor';

export const stipendDisbursementPayload = z.strictObject({
  institutionId: uuidField('institutionId（机构）').optional(),
  partyOrganizationId: uuidField('partyOrganizationId（党组织）'),
  month: titled(
    z.string({ error: say('month（补贴月份）', '必须是 YYYY-MM 格式的月份') }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'month（补贴月份）必须是 YYYY-MM 格式的月份' }),
    'month（补贴月份）',
  ),
});
export type StipendDisbursementPayload = z.infer<typeof stipendDisbursementPayload>;

/** One open disbursement per organisation and month. */
export const stipendDisbursementSubject = (partyOrganizationId: string, month: string): string => `stipend:${partyOrganizationId}:${month}`;

export type StipendDisbursementWorkflowInput = ProcessWorkflowInput;

/** One secretary's stipend for the month, as computed (and, once approved, paid). */
export interface StipendLine {
  memberId: string;
  memberName: string;
  paymentKey: string;
  amountFen: number;
  monthlyFen: number;
  daysInOffice: number;
  daysInMonth: number;
}

export interface StipendComputationResult {
  allowed: boolean;
  findings: Finding[];
  institutionId: string;
  responsibleBodyId: string;
  /** The approved budget (latest version) of the month's year whose stipend line pays. */
  budgetId: string | null;
  lines: StipendLine[];
  totalFen: number;
}

export interface StipendPaymentView {
  paymentKey: string;
  reference: string;
  memberId: string;
  amountFen: number;
}

export interface StipendPayout {
  /** False: the stipend line no longer has room (nothing was paid). */
  paid: boolean;
  findings: Finding[];
  payments: StipendPaymentView[];
  totalFen: number;
}

export interface StipendDisbursementActivities {
  admitStipendDisbursement(req: AdmissionRequest): Promise<Admission>;
  computeStipends(processId: string): Promise<StipendComputationResult>;
  /**
   * Each line becomes one payment (its key unique in the database) drawn on the stipend line, and its secretary is
   * emailed; a retry or a second run finds the rows and pays nothing again.
   */
  payStipends(input: { processId: string; actorId: string; budgetId: string; lines: StipendLine[] }): Promise<StipendPayout>;
  /** The monthly run: a stipend-disbursement for `month` per organisation that had a secretary in it, once per key. */
  openStipendMonth(input: { month: string; after?: string | null }): Promise<FundsCyclePage>;
}

export const STIPEND_DISBURSEMENT_ACTIVITIES = activityNames<StipendDisbursementActivities>()({
  admitStipendDisbursement: true,
  computeStipends: true,
  payStipends: true,
  openStipendMonth: true,
});

export const stipendDisbursement = defineProcess({
  kind: 'stipend-disbursement',
  workflowType: 'stipendDisbursementWorkflow',
  label: '书记工作补贴发放',
  matter: '书记工作补贴发放',
  summary:
    '按月发放党组织书记工作补贴（R14）：按补贴标准和当月在任天数折算，从年度预算的书记补贴科目列支；机构财务确认金额，负责管理的党组织审批，每名书记每月只发放一次并通知本人。',
  payload: stipendDisbursementPayload,
  steps: {
    compute: { title: '计算补贴金额（在任天数折算，预算科目余额）', decidedBy: '系统', system: true },
    confirm: { title: '机构财务确认书记工作补贴金额', decidedBy: '养老机构财务（机构的申请人账户）' },
    approve: { title: '审批书记工作补贴发放', decidedBy: '党组织的上级党组织（负责管理的党组织，R1–R3b）' },
    pay: { title: '登记发放（每名书记每月一次）并通知本人', decidedBy: '系统', system: true },
  },
  admitActivity: 'admitStipendDisbursement',
  activities: STIPEND_DISBURSEMENT_ACTIVITIES,
  describeRequest: (p, name) => [
    ['党组织', typeof p.partyOrganizationId === 'string' ? name(p.partyOrganizationId) : '—'],
    ['补贴月份', String(p.month ?? '—')],
  ],
  actionLabels: { STIPENDS_COMPUTED: '计算补贴', STIPENDS_PAID: '登记发放' },
});
