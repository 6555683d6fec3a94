/**
 * secretary-dispatch 选派书记/第一书记/党建工作指导员 (DOMAIN.md process 6; R8–R10). Workflow:
 * workflows/secretary-dispatch.workflow.ts (the approval, then the weekly duty loop `dispatchDutyWorkflow`);
 * activities: apps/worker/src/activities/secretary-dispatch.activities.ts. Records: `GET /dispatches`,
 * `POST /duty-logs` (apps/api/src/dispatches).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { DISPATCH_ROLES, type DutyWeekStatus, type Finding } from '@app/domain';
import { activityNames } from '../activity-names';
import type { ProcessWorkflowInput } from '../workflow-contracts';
import { dateField, defineProcess, enumField, textField, uuidField, type Admission, type AdmissionRequest } from './process-descriptor';

export const secretaryDispatchPayload = z
  .strictObject({
    institutionId: uuidField('institutionId（选派到的养老机构）'),
    role: enumField('role（选派职务）', DISPATCH_ROLES),
    personName: textField('personName（选派人员姓名）', 2, 50),
    /** The dispatched person's account: they record their weekly duty. */
    personUserId: uuidField('personUserId（选派人员的账号）').optional(),
    from: dateField('from（选派开始日期）'),
    to: dateField('to（选派结束日期）').optional(),
  })
  .refine((p) => p.to === undefined || p.to >= p.from, { path: ['to'], error: 'to（选派结束日期）不能早于开始日期' });
export type SecretaryDispatchPayload = z.infer<typeof secretaryDispatchPayload>;

/** One open dispatch process per institution and role. */
export const secretaryDispatchSubject = (institutionId: string, role: string): string => `dispatch:${institutionId}:${role}`;

export type SecretaryDispatchWorkflowInput = ProcessWorkflowInput;

/** The rules check of a submitted (or resubmitted) dispatch. */
export interface SecretaryDispatchCheck {
  allowed: boolean;
  findings: Finding[];
  /** Who dispatches and approves: the public builder's organisation (the township's without one), or the responsible body. */
  dispatchingOrgId: string | null;
}

export interface SecretaryDispatchResult {
  dispatchId: string;
  dutyWorkflowId: string;
  institutionId: string;
  role: string;
  personName: string;
  from: string;
  to: string | null;
}

/** The weekly duty loop's input; `next` carries the run's place across continueAsNew. */
export interface DispatchDutyInput {
  dispatchId: string;
  /** Weeks this run assesses before it continues as new (default DUTY_WEEKS_PER_RUN). */
  weeksPerRun?: number;
}

export interface DutyWeekOutcome {
  /** Null: the week was not assessed (outside the dispatch, or R9 does not apply to the institution). */
  status: DutyWeekStatus | null;
  consecutiveMissed: number;
  alerts: string[];
}

export interface DispatchDutyState {
  dispatchId: string;
  status: 'ACTIVE' | 'ENDED';
  /** Epoch ms of the next assessment (Monday 00:00 Beijing time). */
  nextAssessmentAt: number | null;
  weeksThisRun: number;
  lastWeek: string | null;
}

export interface EndDispatchArgs {
  actorId: string;
  reason: string;
}

/** The dispatch ends by a decision (the dispatching body or an ADMIN): the loop records the end and stops. */
export const endDispatchUpdate = defineUpdate<DispatchDutyState, [EndDispatchArgs]>('endDispatch');
export const dutyStateQuery = defineQuery<DispatchDutyState>('dutyState');

export interface SecretaryDispatchActivities {
  admitSecretaryDispatch(req: AdmissionRequest): Promise<Admission>;
  checkSecretaryDispatch(processId: string): Promise<SecretaryDispatchCheck>;
  /** The dispatch exists (once per process: its process id is unique). */
  createDispatch(input: { processId: string; actorId: string; dispatchingOrgId: string }): Promise<SecretaryDispatchResult>;
  /**
   * Starts the dispatch's weekly duty loop (`dispatchDutyWorkflow`, its workflow id from the dispatch) on the caller's
   * task queue; a loop already started is left as it is.
   */
  startDutyLoop(input: { dispatchId: string; dutyWorkflowId: string }): Promise<void>;
  /** The dispatch as the duty loop needs it: its dates and whether it is still active. */
  loadDispatch(dispatchId: string): Promise<{ status: 'ACTIVE' | 'ENDED'; from: string; to: string | null }>;
  /** One ISO week's verdict, its reminder and escalations; each recorded once. */
  assessDutyWeek(input: { dispatchId: string; week: string }): Promise<DutyWeekOutcome>;
  /** The dispatch ends (its end date, or a decision); once. */
  endDispatch(input: { dispatchId: string; endedOn: string; reason: string; actorId: string | null }): Promise<void>;
}

export const SECRETARY_DISPATCH_ACTIVITIES = activityNames<SecretaryDispatchActivities>()({
  admitSecretaryDispatch: true,
  checkSecretaryDispatch: true,
  createDispatch: true,
  startDutyLoop: true,
  loadDispatch: true,
  assessDutyWeek: true,
  endDispatch: true,
});

const ROLE_LABEL: Record<string, string> = { SECRETARY: '党组织书记', FIRST_SECRETARY: '第一书记', INSTRUCTOR: '党建工作指导员' };

export const secretaryDispatch = defineProcess({
  kind: 'secretary-dispatch',
  workflowType: 'secretaryDispatchWorkflow',
  label: '选派书记、第一书记、党建工作指导员',
  matter: '选派申请',
  summary:
    '公建方（或负责管理的党组织）选派党组织书记、第一书记或党建工作指导员（R8），经选派单位批准后开始驻点：选派人员每周至少半天到机构开展党建和服务活动，由机构确认（R9）；每周一零时（北京时间）评定上一周，缺勤一周提醒本人，连续两周上报选派单位，连续四周上报其上级党组织（R15）。',
  payload: secretaryDispatchPayload,
  steps: {
    check: { title: '规则检查（R8：按机构情况核对选派职务）', decidedBy: '系统', system: true },
    approve: { title: '批准选派', decidedBy: '选派单位：公建方党组织（未登记的由属地镇乡（街道）党组织），非公建民营机构为负责管理的党组织（R1–R3b）' },
    duty: { title: '每周驻点履职（R9），缺勤提醒、连续缺勤上报（R15），至结束日期或决定结束', decidedBy: '系统', system: true },
  },
  admitActivity: 'admitSecretaryDispatch',
  activities: SECRETARY_DISPATCH_ACTIVITIES,
  describeRequest: (p, name) => [
    ['选派到', name(String(p.institutionId))],
    ['选派职务', ROLE_LABEL[String(p.role)] ?? String(p.role)],
    ['选派人员', String(p.personName)],
    ['选派期限', `${String(p.from)} 至 ${p.to ? String(p.to) : '另行决定'}`],
  ],
  actionLabels: {
    DISPATCH_CREATED: '选派生效',
    DUTY_REMINDED: '驻点缺勤提醒',
    DUTY_ESCALATED: '连续缺勤上报',
    DISPATCH_ENDED: '选派结束',
  },
});
