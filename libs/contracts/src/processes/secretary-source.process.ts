/**
 * secretary-source 调整党组织负责人产生方式 (R10; R8's default is the public builder's dispatch). Workflow:
 * workflows/secretary-source.workflow.ts; activities: apps/worker/src/activities/secretary-source.activities.ts.
 */
import { z } from 'zod';
import { SECRETARY_SOURCES, type Finding } from '@app/domain';
import { activityNames } from '../activity-names';
import type { ProcessWorkflowInput } from '../workflow-contracts';
import { defineProcess, enumField, textField, uuidField, type Admission, type AdmissionRequest } from './process-descriptor';

export const secretarySourcePayload = z.strictObject({
  institutionId: uuidField('institutionId（公建民营养老机构）'),
  source: enumField('source（党组织负责人产生方式）', SECRETARY_SOURCES),
  reason: textField('reason（申请理由）', 1, 500),
});
export type SecretarySourcePayload = z.infer<typeof secretarySourcePayload>;

export const secretarySourceSubject = (institutionId: string): string => `secretary-source:${institutionId}`;

export type SecretarySourceWorkflowInput = ProcessWorkflowInput;

export interface SecretarySourceCheck {
  allowed: boolean;
  findings: Finding[];
  /** The public builder's organisation (the township's without one). */
  approverOrgId: string | null;
}

export interface SecretarySourceResult {
  institutionId: string;
  from: string;
  to: string;
}

export interface SecretarySourceActivities {
  admitSecretarySource(req: AdmissionRequest): Promise<Admission>;
  checkSecretarySource(processId: string): Promise<SecretarySourceCheck>;
  /** The institution's secretary source changes (once: setting the same value again changes nothing). */
  applySecretarySource(input: { processId: string; actorId: string }): Promise<SecretarySourceResult>;
}

export const SECRETARY_SOURCE_ACTIVITIES = activityNames<SecretarySourceActivities>()({
  admitSecretarySource: true,
  checkSecretarySource: true,
  applySecretarySource: true,
});

const SOURCE_LABEL: Record<string, string> = { PUBLIC_BUILDER: '由公建方选派', OPERATOR: '由民营方党组织选派', ELECTION: '从机构内部选举产生' };

export const secretarySource = defineProcess({
  kind: 'secretary-source',
  workflowType: 'secretarySourceWorkflow',
  label: '调整党组织负责人产生方式',
  summary:
    '公建民营养老机构党组织健全、党的活动开展正常的，经公建方批准，党组织负责人可改由民营方党组织选派或从机构内部选举产生（R10）；党组织不健全（未建立、未按期换届、书记长期空缺、组织生活开展率低）的不得调整。',
  payload: secretarySourcePayload,
  steps: {
    check: { title: '规则检查（R10：党组织健全、党的活动开展正常）', decidedBy: '系统', system: true },
    approve: { title: '批准调整党组织负责人产生方式', decidedBy: '公建方党组织（未登记的由属地镇乡（街道）党组织）' },
    apply: { title: '变更党组织负责人产生方式', decidedBy: '系统', system: true },
  },
  admitActivity: 'admitSecretarySource',
  activities: SECRETARY_SOURCE_ACTIVITIES,
  describeRequest: (p, name) => [
    ['机构', name(String(p.institutionId))],
    ['调整为', SOURCE_LABEL[String(p.source)] ?? String(p.source)],
    ['申请理由', String(p.reason)],
  ],
  actionLabels: { SECRETARY_SOURCE_CHANGED: '党组织负责人产生方式已调整' },
});
