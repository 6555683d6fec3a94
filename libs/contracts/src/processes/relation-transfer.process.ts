/**
 * relation-transfer 组织关系转接 (DOMAIN.md process 7; R11–R13). Workflow: workflows/relation-transfer.workflow.ts;
 * activities: apps/worker/src/activities/relation-transfer.activities.ts. Elderly members may report (报到) instead:
 * `POST /members/:id/report` (apps/api/src/reporting), no process.
 */
import { z } from 'zod';
import type { Finding } from '@app/domain';
import { activityNames } from '../activity-names';
import type { ProcessWorkflowInput } from '../workflow-contracts';
import { dateField, defineProcess, textField, uuidField, type Admission, type AdmissionRequest } from './process-descriptor';

export const relationTransferPayload = z.strictObject({
  /** Optional (API.md's common field): when given it must be the member's institution. */
  institutionId: uuidField('institutionId（党员所在机构）').optional(),
  memberId: uuidField('memberId（转接的党员）'),
  toOrganizationId: uuidField('toOrganizationId（接收党组织）'),
  /** The releasing organisation when it is not in the registry (the member's relation is not on record). */
  fromOrganizationName: textField('fromOrganizationName（转出党组织名称）', 2, 200).optional(),
  /** The transfer letter (介绍信) that stands for a releasing side outside the registry: its number and issue date. */
  letterNumber: textField('letterNumber（介绍信编号）', 1, 50).optional(),
  letterIssuedOn: dateField('letterIssuedOn（介绍信开具日期）').optional(),
  /**
   * Why the member moves. For an elderly member submitted by someone else it records the member's own request
   * (R13: 老年人可自愿选择迁移党组织关系), and is then required.
   */
  reason: textField('reason（申请理由）', 1, 500).optional(),
  /** R12: why an advanced-age, disabled or dementia member should move all the same (adds the responsible body's approval). */
  exceptionReason: textField('exceptionReason（例外理由，R12）', 1, 500).optional(),
});
export type RelationTransferPayload = z.infer<typeof relationTransferPayload>;

/** One open relation-transfer per member. */
export const relationTransferSubject = (memberId: string): string => `member:${memberId}`;

export type RelationTransferWorkflowInput = ProcessWorkflowInput;

/** The rules check of a submitted (or resubmitted) transfer, as the workflow reads it. */
export interface RelationTransferCheck {
  allowed: boolean;
  findings: Finding[];
  /** The organisation the relation moves into (accepts it). */
  receivingOrgId: string;
  /** R12 exception: the receiving organisation's responsible body approves first; null when no exception is asked. */
  exceptionBodyId: string | null;
  /** The releasing organisation when it is in the registry; null when a transfer letter stands for it. */
  releasingOrgId: string | null;
  /** A releasing side outside the registry: when its letter lapses (epoch ms); null while the request has no letter. */
  letterExpiresAt: number | null;
}

export interface RelationTransferResult {
  memberId: string;
  fromOrganizationId: string | null;
  fromOrganizationName: string | null;
  toOrganizationId: string;
}

export interface RelationTransferActivities {
  admitRelationTransfer(req: AdmissionRequest): Promise<Admission>;
  checkRelationTransfer(processId: string): Promise<RelationTransferCheck>;
  /** The request goes back to its applicant for a transfer letter: none was given (MISSING) or it lapsed (EXPIRED). */
  returnForLetter(input: { processId: string; reason: 'MISSING' | 'EXPIRED' }): Promise<void>;
  /** The member's relation moves (the member history records it); once per process. */
  applyRelationTransfer(input: { processId: string; actorId: string; fromOrganizationId: string | null }): Promise<RelationTransferResult>;
}

export const RELATION_TRANSFER_ACTIVITIES = activityNames<RelationTransferActivities>()({
  admitRelationTransfer: true,
  checkRelationTransfer: true,
  returnForLetter: true,
  applyRelationTransfer: true,
});

export const relationTransfer = defineProcess({
  kind: 'relation-transfer',
  workflowType: 'relationTransferWorkflow',
  label: '组织关系转接',
  summary:
    '党员组织关系转入养老机构的党组织：转出方确认（系统外的转出方以申请人交来的介绍信为准，有效期 90 天），接收方接收后变更组织关系；高龄、失能、失智老年人党员例外转移须先经接收党组织的上级党组织审批（R12）。',
  payload: relationTransferPayload,
  steps: {
    check: { title: '规则检查（R11–R13，确定转出方、接收方和 R12 例外的审批党组织）', decidedBy: '系统', system: true },
    exception: {
      title: '审批高龄、失能、失智老年人党员组织关系转移的例外（R12）',
      decidedBy: '接收党组织的上级党组织：机构党组织由负责管理的党组织（R1–R3b），老年人党支部由属地镇乡（街道）党组织（R3）审批',
    },
    release: { title: '转出党组织确认转出组织关系', decidedBy: '党员组织关系所在的党组织（系统内登记的）' },
    letter: {
      title: '核验转出方介绍信（介绍信有效期内办理）',
      decidedBy: '接收党组织：转出方不在系统内时，以申请人交来的介绍信为准，核验人上传介绍信扫描件；介绍信过期则退回申请人重开介绍信',
    },
    accept: { title: '接收党组织接收组织关系', decidedBy: '接收党组织（无人办理时由其上级党组织办理）' },
    move: { title: '变更党员组织关系', decidedBy: '系统', system: true },
  },
  admitActivity: 'admitRelationTransfer',
  activities: RELATION_TRANSFER_ACTIVITIES,
});
