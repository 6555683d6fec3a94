/**
 * term-renewal 换届选举 (DOMAIN.md process 3; R4 「按期进行换届」, R15). Workflow: workflows/term-renewal.workflow.ts;
 * activities: apps/worker/src/activities/term-renewal.activities.ts. Opened by the organisation's term watch
 * (workflows/term-watch.workflow.ts) 60 days before the term ends, or by hand.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import type { Finding } from '@app/domain';
import { activityNames } from '../activity-names';
import type { ProcessWorkflowInput } from '../workflow-contracts';
import { dateField, defineProcess, idList, textField, titled, uuidField, type Admission, type AdmissionRequest } from './process-descriptor';

export const termRenewalPayload = z.strictObject({
  /** Optional (API.md's common field): when given it must be the organisation's institution. */
  institutionId: uuidField('institutionId（所在机构）').optional(),
  partyOrganizationId: uuidField('partyOrganizationId（换届的党组织）'),
  reason: textField('reason（说明）', 1, 500).optional(),
});
export type TermRenewalPayload = z.infer<typeof termRenewalPayload>;

/** One open renewal per organisation. */
export const termRenewalSubject = (organizationId: string): string => `term:${organizationId}`;

const count = (label: string, max = 10_000) =>
  titled(
    z
      .number({ error: `${label}必须是整数` })
      .int({ error: `${label}必须是整数` })
      .min(0, { error: `${label}不能为负数` })
      .max(max, { error: `${label}超出上限` }),
    label,
  );

/** Today's date in Beijing time, for "not in the future" checks of recorded dates. */
const beijingToday = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export const electionPlanData = z.strictObject({
  /** Seats: committee members (7+ FULL members), or 1 secretary / 2 with a deputy. */
  seats: titled(z.number({ error: 'data.seats（应选人数）必须是整数' }).int({ error: 'data.seats（应选人数）必须是整数' }).min(1, { error: 'data.seats（应选人数）至少为 1' }).max(15, { error: 'data.seats（应选人数）最多 15' }), 'data.seats（应选人数）'),
  candidateMemberIds: idList('data.candidateMemberIds（候选人）', 1, 50),
  plannedDate: dateField('data.plannedDate（拟选举日期）'),
});

export const electionResultData = z.strictObject({
  electionDate: dateField('data.electionDate（选举日期）').refine((d) => d <= beijingToday(), { error: 'data.electionDate（选举日期）不能晚于今天' }),
  /** Members due to attend (应到会人数), before exclusions. */
  dueToAttend: count('data.dueToAttend（应到会人数）'),
  /** Bed-ridden elderly members excluded from the count with the superior's consent. */
  excludedFromCount: count('data.excludedFromCount（经上级同意不计入应到会人数）').optional(),
  present: count('data.present（实到会人数）'),
  votes: titled(
    z
      .array(z.strictObject({ memberId: uuidField('data.votes.memberId（候选人）'), votes: count('data.votes.votes（得票数）') }), { error: 'data.votes（得票）必须是列表' })
      .min(1, { error: 'data.votes（得票）至少 1 项' })
      .max(50, { error: 'data.votes（得票）最多 50 项' }),
    'data.votes（得票）',
  ),
  /** The secretary chosen among the elected (by the committee, or the secretary elected directly). */
  secretaryMemberId: uuidField('data.secretaryMemberId（书记）'),
  /** The day the secretary became a FULL member (转正日期): at least 1 year of party standing (R4 defaults). */
  secretaryFullMemberSince: dateField('data.secretaryFullMemberSince（书记转为正式党员日期）'),
  deputyMemberId: uuidField('data.deputyMemberId（副书记）').optional(),
});
export type ElectionPlanData = z.infer<typeof electionPlanData>;
export type ElectionResultData = z.infer<typeof electionResultData>;

export type TermRenewalWorkflowInput = ProcessWorkflowInput;

export interface TermRenewalCheck {
  allowed: boolean;
  findings: Finding[];
  organizationId: string;
  /** The superior (上级党组织) that approves the plan and the result: the organisation's parent. */
  superiorOrgId: string;
}

export interface ElectionRecorded {
  organizationId: string;
  termStart: string;
  termEnd: string;
  electedMemberIds: string[];
  secretaryMemberId: string;
  /** The secretary before the election; a different one hands over through the secretary succession. */
  previousSecretaryMemberId: string | null;
}

export interface TermRenewalActivities {
  admitTermRenewal(req: AdmissionRequest): Promise<Admission>;
  checkTermRenewal(processId: string): Promise<TermRenewalCheck>;
  /** The plan's and the result's election rules (R4) on the registry's facts; an empty list passes. */
  checkTermRenewalData(input: { processId: string; step: string; data: Record<string, unknown> }): Promise<Array<{ field: string; message: string }>>;
  /** The new committee or secretary and the new term from the election date; once per process. */
  recordElection(input: { processId: string; actorId: string; plan: Record<string, unknown>; result: Record<string, unknown> }): Promise<ElectionRecorded>;
}

export const TERM_RENEWAL_ACTIVITIES = activityNames<TermRenewalActivities>()({
  admitTermRenewal: true,
  checkTermRenewal: true,
  checkTermRenewalData: true,
  recordElection: true,
});

export const termRenewal = defineProcess({
  kind: 'term-renewal',
  workflowType: 'termRenewalWorkflow',
  label: '换届选举',
  summary:
    '党组织按期换届：党组织报送选举方案（应选人数、候选人），上级党组织批准；选举后登记结果（应到、实到、得票），上级党组织审查批准；新一届委员会或书记产生，新任期自选举之日起算（R4）。',
  payload: termRenewalPayload,
  steps: {
    check: { title: '规则检查（换届的党组织与审批的上级党组织）', decidedBy: '系统', system: true },
    plan: {
      title: '报送换届选举方案（应选人数、候选人名单）',
      decidedBy: '换届的党组织（无人办理时由上级党组织代为办理）',
      decisions: ['APPROVE'],
      data: electionPlanData,
      checkDataActivity: 'checkTermRenewalData',
    },
    'approve-plan': { title: '审批换届选举方案', decidedBy: '上级党组织（负责管理的党组织）' },
    result: {
      title: '登记选举结果（应到会、实到会人数，候选人得票）',
      decidedBy: '换届的党组织（无人办理时由上级党组织代为办理）',
      decisions: ['APPROVE'],
      data: electionResultData,
      checkDataActivity: 'checkTermRenewalData',
    },
    'approve-result': { title: '审查批准选举结果', decidedBy: '上级党组织（负责管理的党组织）' },
    record: { title: '登记新一届委员会或书记，新任期自选举之日起算', decidedBy: '系统', system: true },
  },
  admitActivity: 'admitTermRenewal',
  activities: TERM_RENEWAL_ACTIVITIES,
  describeRequest: (p, name) => [
    ['换届的党组织', typeof p.partyOrganizationId === 'string' ? name(p.partyOrganizationId) : '—'],
    ['说明', typeof p.reason === 'string' ? p.reason : '按期换届'],
  ],
  actionLabels: { ELECTION_RECORDED: '登记换届选举结果' },
});

// The term watch (workflows/term-watch.workflow.ts): one per party organisation, not a process kind.

/** The watch's workflow id: one per organisation. */
export const termWatchWorkflowId = (organizationId: string): string => `term-watch/${organizationId}`;
export const TERM_WATCH_WORKFLOW = 'termWatchWorkflow';

/** The organisation's term changed (an election, a founding election, a dissolution): the watch reloads it. */
export const termChangedSignal = defineSignal('termChanged');

/** What the watch is waiting for. */
export interface TermWatchState {
  organizationId: string;
  termEnd: string | null;
  phase: 'NO_TERM' | 'BEFORE_REMINDER' | 'BEFORE_RENEWAL' | 'BEFORE_END' | 'OVERDUE' | 'ENDED';
  /** The instant the watch wakes next (epoch ms), if a timer runs. */
  nextAt: number | null;
  renewalProcessId: string | null;
}
export const termWatchQuery = defineQuery<TermWatchState>('termWatch');

export interface TermWatchInput {
  organizationId: string;
}

/** The term as the watch reads it at the start of each run (epoch ms instants are Beijing midnights). */
export interface WatchedTerm {
  /** False once the organisation no longer exists: the watch ends. */
  exists: boolean;
  termStart: string | null;
  termEnd: string | null;
  /** Term end − 180 days: the secretary and the responsible body are reminded. */
  reminderAt: number | null;
  /** Term end − 60 days: a term-renewal opens. */
  renewalAt: number | null;
  /** The day after the term end: without a new term it is OVERDUE. */
  overdueAt: number | null;
}

export interface TermWatchActivities {
  loadWatchedTerm(input: { organizationId: string }): Promise<WatchedTerm>;
  remindTermRenewal(input: { organizationId: string; termEnd: string }): Promise<void>;
  /** The renewal process (once per term), or the one already open for the organisation. */
  openTermRenewal(input: { organizationId: string; termEnd: string }): Promise<{ processId: string }>;
  markTermOverdue(input: { organizationId: string; termEnd: string }): Promise<void>;
}

export const TERM_WATCH_ACTIVITIES = activityNames<TermWatchActivities>()({
  loadWatchedTerm: true,
  remindTermRenewal: true,
  openTermRenewal: true,
  markTermOverdue: true,
});
