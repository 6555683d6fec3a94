/**
 * establish-branch 成立党支部 (DOMAIN.md process 1; also an ELDERLY_BRANCH, R7). Workflow:
 * workflows/establish-branch.workflow.ts; activities: apps/worker/src/activities/establish-branch.activities.ts.
 */
import { z } from 'zod';
import type { Finding } from '@app/domain';
import { activityNames } from '../activity-names';
import type { ProcessWorkflowInput } from '../workflow-contracts';
import { dateField, defineProcess, idList, textField, titled, uuidField, type Admission, type AdmissionRequest } from './process-descriptor';

export const establishBranchPayload = z.strictObject({
  institutionId: uuidField('institutionId（申请机构）'),
  name: textField('name（支部名称）', 2, 100),
  memberIds: idList('memberIds（支部党员）', 1, 500),
  secretaryMemberId: uuidField('secretaryMemberId（拟任书记）').optional(),
  elderly: titled(z.boolean({ error: 'elderly 必须是 true 或 false' }), 'elderly（申请成立老年人党支部）').optional(),
});
export type EstablishBranchPayload = z.infer<typeof establishBranchPayload>;

/** Today's date in Beijing time, for "not in the future" checks of recorded dates. */
const beijingToday = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export interface EstablishBranchWorkflowInput extends ProcessWorkflowInput {
  /** Days the responsible body has to answer (DOMAIN.md default 30). */
  answerDays: number;
  /** Days after approval within which the founding election is held (DOMAIN.md default 30; absent in v1 runs). */
  foundingElectionDays?: number;
}

/** The rules check of a submitted (or resubmitted) request, as the workflow reads it. */
export interface RuleCheck {
  allowed: boolean;
  responsibleBodyId: string | null;
  findings: Finding[];
  /** R8: the public builder's organisation designates the secretary (PUBLIC_BUILT_PRIVATE_RUN only). */
  builderOrgId?: string | null;
  /** Guiding organisations (指导, e.g. the township when it is not the responsible body): copied, never asked. */
  guidingOrgIds?: string[];
}

export interface EstablishBranchActivities {
  admitEstablishBranch(req: AdmissionRequest): Promise<Admission>;
  checkEstablishBranch(processId: string): Promise<RuleCheck>;
  /** A decision's data the step accepts by its type but the registry must confirm (e.g. the secretary is a member). */
  checkEstablishBranchDecision(input: { processId: string; step: string; data: Record<string, unknown> }): Promise<Array<{ field: string; message: string }>>;
  createPartyOrganizationForProcess(input: { processId: string; parentOrgId: string; secretaryMemberId?: string | null; termFromElection?: boolean }): Promise<{ partyOrganizationId: string }>;
  recordFoundingElection(input: { processId: string; organizationId: string; electionDate: string; secretaryMemberId: string | null; actorId: string }): Promise<void>;
  /**
   * R11/R12 once the organisation exists: a relation-transfer for every staff member of the branch whose relation is
   * elsewhere; a reporting (报到) record for every R12-exempt member of an elderly branch. Once per branch and member.
   */
  openRelationFollowUps(input: { processId: string; organizationId: string }): Promise<RelationFollowUpsOpened>;
}

export interface RelationFollowUpsOpened {
  /** The relation-transfer processes (opened now, or already open for the member). */
  transferProcessIds: string[];
  /** Members recorded as reporting to the new elderly branch. */
  reportedMemberIds: string[];
}

export const ESTABLISH_BRANCH_ACTIVITIES = activityNames<EstablishBranchActivities>()({
  admitEstablishBranch: true,
  checkEstablishBranch: true,
  checkEstablishBranchDecision: true,
  createPartyOrganizationForProcess: true,
  recordFoundingElection: true,
  openRelationFollowUps: true,
});

export const establishBranch = defineProcess({
  kind: 'establish-branch',
  workflowType: 'establishBranchWorkflow',
  label: '成立党支部',
  summary: '养老机构申请成立党支部（或老年人党支部），由负责管理的党组织审批，批准后建立党组织并在 30 日内完成成立选举。',
  payload: establishBranchPayload,
  steps: {
    check: { title: '规则检查（R4/R7，确定审批党组织 R1–R3b）', decidedBy: '系统', system: true },
    approve: { title: '审批成立党支部申请', decidedBy: '负责管理的党组织：公办为举办单位党组织（R1），公建民营为公建方或属地镇乡（街道）党组织（R2），老年人党支部及其他类型为属地党组织（R3、R3b）' },
    designate: {
      title: '公建方指定党支部书记（R8）',
      decidedBy: '公建方党组织（仅公建民营养老机构）',
      decisions: ['APPROVE', 'RETURN'],
      data: z.strictObject({ secretaryMemberId: uuidField('data.secretaryMemberId（书记人选）') }),
      checkDataActivity: 'checkEstablishBranchDecision',
    },
    create: { title: '建立党组织', decidedBy: '系统', system: true },
    'relation-follow-ups': { title: '为组织关系在外的工作人员党员开启组织关系转接（R11），登记高龄、失能、失智老年人党员报到（R12）', decidedBy: '系统', system: true },
    'founding-election': {
      title: '登记成立选举结果',
      decidedBy: '新成立的党组织（无人办理时由负责管理的党组织登记）',
      decisions: ['APPROVE'],
      data: z.strictObject({
        electionDate: dateField('data.electionDate（选举日期）').refine((d) => d <= beijingToday(), { error: 'data.electionDate（选举日期）不能晚于今天' }),
        secretaryMemberId: uuidField('data.secretaryMemberId（当选书记）').optional(),
      }),
      checkDataActivity: 'checkEstablishBranchDecision',
    },
  },
  admitActivity: 'admitEstablishBranch',
  activities: ESTABLISH_BRANCH_ACTIVITIES,
  describeRequest: (p, name) => [
    ['组织名称', String(p.name ?? '—')],
    ['组织类型', p.elderly === true ? '老年人党支部' : '党支部'],
    ['党员人数', `${Array.isArray(p.memberIds) ? p.memberIds.length : 0} 名`],
    ['书记人选', typeof p.secretaryMemberId === 'string' ? name(p.secretaryMemberId) : '未提名'],
  ],
  actionLabels: { FOUNDING_ELECTION_RECORDED: '登记成立选举' },
});

