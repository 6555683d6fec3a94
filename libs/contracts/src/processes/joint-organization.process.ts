/**
 * joint-organization 组建联合党组织 (DOMAIN.md process 2, R5). Workflow: workflows/joint-organization.workflow.ts;
 * activities: apps/worker/src/activities/joint-organization.activities.ts.
 */
import { z } from 'zod';
import { JOINT_MODES, type Finding } from '@app/domain';
import { activityNames } from '../activity-names';
import type { ProcessWorkflowInput } from '../workflow-contracts';
import { defineProcess, enumField, idList, textField, uuidField, type Admission, type AdmissionRequest } from './process-descriptor';

export const jointOrganizationPayload = z
  .strictObject({
    institutionId: uuidField('institutionId（发起单位）'),
    institutionIds: idList('institutionIds（参加单位）', 2, 5),
    mode: enumField('mode（组建方式）', JOINT_MODES),
    hostOrganizationId: uuidField('hostOrganizationId（挂靠党组织）').optional(),
    name: textField('name（联合党组织名称）', 2, 100),
    memberIds: idList('memberIds（联合党组织党员）', 1, 500),
  })
  .superRefine((p, ctx) => {
    if (!p.institutionIds.includes(p.institutionId)) {
      ctx.addIssue({ code: 'custom', path: ['institutionIds'], message: 'institutionIds（参加单位）必须包含发起单位 institutionId' });
    }
    if (p.mode === 'AFFILIATE' && !p.hostOrganizationId) {
      ctx.addIssue({ code: 'custom', path: ['hostOrganizationId'], message: 'hostOrganizationId（挂靠党组织）挂靠组建时为必填项' });
    }
    if (p.mode === 'CO_BUILD' && p.hostOrganizationId) {
      ctx.addIssue({ code: 'custom', path: ['hostOrganizationId'], message: 'hostOrganizationId（挂靠党组织）仅挂靠组建时填写' });
    }
  });
export type JointOrganizationPayload = z.infer<typeof jointOrganizationPayload>;

export type JointOrganizationWorkflowInput = ProcessWorkflowInput;

/** The rules check of a submitted (or resubmitted) request, as the workflow reads it. */
export interface JointCheck {
  allowed: boolean;
  findings: Finding[];
  /** The initiating unit: its submission is its consent. */
  initiatorId: string;
  /** Every unit on the request, the initiator included, in the request's order. */
  unitIds: string[];
  /** Who decides (DOMAIN.md process 2; libs/domain `resolveJointResponsibleBody`), and who is copied. */
  responsibleBodyId: string;
  ccOrgIds: string[];
}

export interface JointOrganizationActivities {
  admitJointOrganization(req: AdmissionRequest): Promise<Admission>;
  checkJointOrganization(processId: string): Promise<JointCheck>;
  /** Of `unitIds`, the units whose own applicants consented in the current round (since the last resubmission). */
  jointConsentsGiven(input: { processId: string; unitIds: string[] }): Promise<string[]>;
  /** The JOINT organisation under the responsible body, every unit linked to it, its term from the approval's date. */
  createJointOrganization(input: { processId: string; parentOrgId: string; decisionId: string }): Promise<{ partyOrganizationId: string }>;
}

export const JOINT_ORGANIZATION_ACTIVITIES = activityNames<JointOrganizationActivities>()({
  admitJointOrganization: true,
  checkJointOrganization: true,
  jointConsentsGiven: true,
  createJointOrganization: true,
});

export const jointOrganization = defineProcess({
  kind: 'joint-organization',
  workflowType: 'jointOrganizationWorkflow',
  label: '组建联合党组织',
  summary:
    '工作人员正式党员不足 3 名的 2 至 5 个单位以同业共建或挂靠组建方式组成联合党组织（R5）：其他参加单位同意后，由负责管理的党组织审批，批准后建立联合党组织并与各单位关联。',
  payload: jointOrganizationPayload,
  steps: {
    check: { title: '规则检查（R4/R5，确定审批党组织）', decidedBy: '系统', system: true },
    consent: {
      title: '参加单位同意组建联合党组织',
      decidedBy: '其他参加单位的申请人，并行会签，全部同意（发起单位提交即视为同意）；一个单位不同意即退回发起单位修改',
      decisions: ['APPROVE', 'REJECT'],
    },
    approve: {
      title: '审批组建联合党组织',
      decidedBy:
        '负责管理的党组织：各单位的管理党组织（R1–R3b）一致时为该组织；挂靠组建为挂靠党组织的上级党组织；否则为发起单位属地镇乡（街道）党组织，其他单位的管理党组织抄送',
    },
    create: { title: '建立联合党组织，关联各参加单位', decidedBy: '系统', system: true },
  },
  admitActivity: 'admitJointOrganization',
  activities: JOINT_ORGANIZATION_ACTIVITIES,
  describeRequest: (p, name) => [
    ['组织名称', String(p.name ?? '—')],
    ['组建方式', p.mode === 'AFFILIATE' ? '挂靠组建' : '同业共建'],
    ['参加单位', Array.isArray(p.institutionIds) ? p.institutionIds.map((id) => name(String(id))).join('、') : '—'],
    ...(typeof p.hostOrganizationId === 'string' ? [['挂靠党组织', name(p.hostOrganizationId)] as [string, string]] : []),
    ['党员人数', `${Array.isArray(p.memberIds) ? p.memberIds.length : 0} 名`],
  ],
});
