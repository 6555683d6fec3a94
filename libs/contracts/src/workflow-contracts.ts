/**
 * Contracts shared by the API (client side), the worker (activities) and workflows/: workflow names, update and
 * query definitions and the activity interface. Imports only @temporalio/workflow definitions and pure domain
 * types, so the workflow bundle can take it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { activityNames } from './activity-names';
import type { Decision, Finding, ProcessKind, ProcessStatus, TaskActor } from '@app/domain';

export function workflowIdFor(kind: ProcessKind, processId: string): string {
  return `${kind}/${processId}`;
}

export interface ProcessWorkflowInput {
  processId: string;
}

export interface DecisionArgs extends ActorArgs {
  decisionId: string;
  taskId: string;
  decision: Decision;
  comment: string;
  /** Typed per step (the process descriptor says which keys a step accepts). */
  data?: Record<string, unknown>;
  /** Requests recorded before the kernel worked it out itself: whose task a deputy (委托) decided. */
  onBehalfOfId?: string | null;
  /** RETURN only: 'APPLICANT' (default) or the id of an earlier step of the same process. */
  returnTo?: string;
  /** Files the actor uploaded to this task and attaches to the decision (the API checked them). */
  attachments?: AttachmentRef[];
}

/** A decision attachment as the workflow and the timeline carry it: metadata only, never the bytes. */
export interface AttachmentRef {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  /** Hex sha256 of the bytes, recorded at upload. */
  sha256: string;
}

export interface DecisionOutcome {
  decisionId: string;
  taskId: string;
  decision: Decision;
  status: ProcessStatus;
}

export interface WithdrawArgs {
  actorId: string;
  reason: string;
}

export interface ProcessState {
  status: ProcessStatus;
  currentStep: string;
  openTaskId: string | null;
  /** Every open task of the current step (ALL / ANY open several). */
  openTaskIds?: string[];
}

export interface ActorArgs {
  actorId: string;
  /** Every organisation the actor may act for (own and through delegations); kept for requests recorded earlier. */
  actorOrgIds: string[];
  /** Users the actor stands in for today (委托): their personally assigned tasks are the actor's too. */
  actsForUserIds?: string[];
  /** Organisations the actor is an APPROVER of in their own right (absent in requests recorded before it existed). */
  ownOrgIds?: string[];
  /** Today's delegations to the actor, with the organisations each covers. */
  standsInFor?: Array<{ userId: string; orgIds: string[] }>;
  /** Institutions the actor is an APPLICANT of (tasks that ask an institution's applicants). */
  institutionIds?: string[];
  admin?: boolean;
}

/** The taskAuthority actor of a request (libs/domain), also for requests recorded before the structured fields. */
export function taskActorOf(a: ActorArgs): TaskActor {
  return {
    userId: a.actorId,
    ownOrgIds: a.ownOrgIds ?? a.actorOrgIds,
    institutionIds: a.institutionIds ?? [],
    standsInFor: a.standsInFor ?? (a.actsForUserIds ?? []).map((userId) => ({ userId, orgIds: null })),
  };
}

/** Candidate keys of a kernel step: an organisation id, or `institution:<id>` for an institution's applicants. */
const INSTITUTION_CANDIDATE = 'institution:';
export const institutionCandidate = (institutionId: string): string => `${INSTITUTION_CANDIDATE}${institutionId}`;
export function parseCandidate(key: string): { orgId: string | null; institutionId: string | null } {
  return key.startsWith(INSTITUTION_CANDIDATE) ? { orgId: null, institutionId: key.slice(INSTITUTION_CANDIDATE.length) } : { orgId: key, institutionId: null };
}

export interface ResubmitArgs {
  actorId: string;
  payload: Record<string, unknown>;
}

export interface TransferArgs extends ActorArgs {
  taskId: string;
  toUserId: string | null;
  comment: string;
  /** TRANSFER (转交, by a candidate) or REASSIGN (admin, or a user leaving the organisation). */
  kind: 'TRANSFER' | 'REASSIGN';
  /** What caused a system move (e.g. `secretary-change:<id>`), kept in the timeline event's data. */
  reference?: string;
}

export interface AddSignerArgs extends ActorArgs {
  taskId: string;
  orgId: string;
  position: 'BEFORE' | 'AFTER';
  comment: string;
}

export interface PullBackArgs extends ActorArgs {
  /** The task the actor decided and wants back (取回). */
  taskId: string;
  comment: string;
}

/** Failure types the workflow uses to refuse an update; the API maps them to HTTP statuses. */
export const UPDATE_REFUSALS = {
  TASK_NOT_OPEN: 'TaskNotOpen', // 409
  NOT_CANDIDATE: 'NotCandidate', // 403
  PROCESS_CLOSED: 'ProcessClosed', // 409
  INVALID: 'InvalidDecision', // 400
  URGE_LIMIT: 'UrgeLimit', // 429
  NOT_RETURNED: 'NotReturned', // 409
  NOT_PULLABLE: 'NotPullable', // 409
  /** The request carried data the database refuses (an activity's DataError); nothing was changed. */
  DATA_REFUSED: 'DataRefused', // 400
} as const;

/** Failure types activities raise (non-retryable). */
export const ACTIVITY_FAILURES = {
  /** PostgreSQL refused the data itself (class 22/23): retrying cannot help. */
  DATA_ERROR: 'DataError',
} as const;

export const decideUpdate = defineUpdate<DecisionOutcome, [DecisionArgs]>('decide');
export const withdrawUpdate = defineUpdate<ProcessState, [WithdrawArgs]>('withdraw');
export const resubmitUpdate = defineUpdate<ProcessState, [ResubmitArgs]>('resubmit');
export const urgeUpdate = defineUpdate<ProcessState, [ActorArgs]>('urge');
export const transferUpdate = defineUpdate<ProcessState, [TransferArgs]>('transfer');
export const addSignerUpdate = defineUpdate<ProcessState, [AddSignerArgs]>('addSigner');
export const pullBackUpdate = defineUpdate<ProcessState, [PullBackArgs]>('pullBack');
export const stateQuery = defineQuery<ProcessState>('state');

export interface OpenTaskInput {
  taskId: string;
  processId: string;
  step: string;
  title: string;
  candidateOrgId: string;
  dueAt: string; // ISO
  /** Kernel runs: the step's mode and the reminder instants (ISO), stored on the task for the inbox. */
  mode?: string;
  remindAt?: string[];
  /** Set when the task is a 加签 (added signer) task. */
  addedBy?: string | null;
  /** Reopened for the person who held it (前加签, 取回); ignored when they no longer act for the organisation. */
  assigneeId?: string | null;
}

export interface OpenTaskResult {
  /** Who the task is assigned to (null: the whole candidate organisation). */
  assigneeId: string | null;
}

export interface RecordDecisionInput {
  processId: string;
  taskId: string;
  step: string;
  decisionId: string;
  decision: Decision;
  comment: string;
  actorId: string;
  data?: Record<string, unknown>;
  onBehalfOfId?: string | null;
  /** Recorded in the timeline event's `data.attachments`; the rows get this decision's id. */
  attachments?: AttachmentRef[];
  /** RETURN only: 'APPLICANT' or the earlier step the process goes back to (the applicant is told differently). */
  returnTo?: string;
}

/** The approval policy a kernel run works with, read once per step opening (activity result, so replay-safe). */
export interface ApprovalPolicy {
  holidays: string[];
  extraWorkdays: string[];
  approvalStepWorkingDays: number;
  approvalReminderWorkingDaysBefore: number[];
  /** SKIP: an applicant never decides their own request; the step goes to whoever else may. */
  selfApproval: 'SKIP' | 'ALLOW';
  applicantId: string;
}

export interface ResolvedCandidate {
  requestedOrgId: string | null;
  orgId: string;
  /** Set when no approver could act for the requested organisation and the step went to its parent. */
  escalatedFrom: string | null;
}


export interface FinishProcessInput {
  processId: string;
  status: ProcessStatus;
  step: string;
  action: string;
  comment?: string;
  actorId?: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  result?: { [key: string]: any } | null;
  findings?: Finding[];
  /**
   * Whether the process closes (closedAt): by default when the status is final. A process granted (APPROVED) whose
   * workflow still records a follow-up (e.g. the founding election) stays open until it ends.
   */
  closes?: boolean;
}

export interface TaskDeadlineInput {
  processId: string;
  taskId: string;
  step: string;
}

/** The approval kernel's effects (workflows/kernel), implemented by apps/worker's approval activities. */
export interface KernelActivities {
  /** Histories recorded before assignees were kept hold no result here (undefined). */
  openTask(input: OpenTaskInput): Promise<OpenTaskResult | undefined>;
  recordDecision(input: RecordDecisionInput): Promise<void>;
  finishProcess(input: FinishProcessInput): Promise<void>;
  markTaskOverdue(input: TaskDeadlineInput): Promise<void>;
  recordWithdrawal(input: { processId: string; actorId: string; reason: string }): Promise<void>;
  loadApprovalPolicy(processId: string): Promise<ApprovalPolicy>;
  resolveCandidates(input: { processId: string; step: string; orgIds: Array<string | null> }): Promise<ResolvedCandidate[]>;
  cancelTask(input: { processId: string; taskId: string; step: string; reason: string }): Promise<void>;
  reopenTask(input: { processId: string; taskId: string; step: string; actorId: string; comment: string }): Promise<void>;
  remindTask(input: { processId: string; taskId: string; step: string; at: string; due: boolean }): Promise<void>;
  escalateTask(input: { processId: string; taskId: string; step: string }): Promise<{ escalatedToOrgId: string | null }>;
  assignTask(input: { processId: string; taskId: string; step: string; assigneeId: string | null; actorId: string; kind: 'TRANSFER' | 'REASSIGN'; comment: string; reference?: string }): Promise<void>;
  recordAddSigner(input: { processId: string; taskId: string; step: string; orgId: string; position: 'BEFORE' | 'AFTER'; actorId: string; comment: string }): Promise<void>;
  notifyCc(input: { processId: string; step: string; orgIds: string[] }): Promise<void>;
  recordUrge(input: { processId: string; actorId: string; taskIds: string[]; urgeKey: string }): Promise<void>;
  applyResubmission(input: { processId: string; actorId: string; payload: Record<string, unknown>; round: number }): Promise<void>;
}

export const KERNEL_ACTIVITIES = activityNames<KernelActivities>()({
  openTask: true,
  recordDecision: true,
  finishProcess: true,
  markTaskOverdue: true,
  recordWithdrawal: true,
  loadApprovalPolicy: true,
  resolveCandidates: true,
  cancelTask: true,
  reopenTask: true,
  remindTask: true,
  escalateTask: true,
  assignTask: true,
  recordAddSigner: true,
  notifyCc: true,
  recordUrge: true,
  applyResubmission: true,
});

/** Secretary succession (workflows/secretary-succession.workflow.ts). */
export interface SecretarySuccessionActivities {
  applySecretaryChange(input: SecretaryChangeInput): Promise<AppliedSecretaryChange>;
  inheritSecretaryTasks(input: { changeId: string }): Promise<{ tasksMoved: number }>;
}

export const SECRETARY_SUCCESSION_ACTIVITIES = activityNames<SecretarySuccessionActivities>()({ applySecretaryChange: true, inheritSecretaryTasks: true });

export const SECRETARY_SUCCESSION_WORKFLOW = 'secretarySuccessionWorkflow';

export function secretarySuccessionWorkflowId(changeId: string): string {
  return `secretary-succession/${changeId}`;
}

/** The comment every inherited task carries in its process's timeline. */
export const SECRETARY_INHERIT_COMMENT = '新任书记承接前任书记的待办';

/** Update id of one inherited task: a retried activity (or a repeated run) never moves a task twice. */
export function inheritUpdateId(changeId: string, taskId: string): string {
  return `inherit:${changeId}:${taskId}`;
}

export interface SecretaryChangeInput {
  changeId: string;
  organizationId: string;
  toMemberId: string;
  changedById: string;
  comment: string | null;
  /** Default true: the predecessor's user leaves the organisation (its organizationIds lose it). */
  predecessorLeaves: boolean;
}

export interface AppliedSecretaryChange {
  changeId: string;
  fromMemberId: string | null;
  fromUserId: string | null;
  toUserId: string | null;
}

export interface SecretarySuccessionResult extends AppliedSecretaryChange {
  tasksMoved: number;
}

/** Refusal types of the succession workflow's activities (non-retryable); the API maps them to HTTP statuses. */
export const SECRETARY_REFUSALS = {
  SAME_SECRETARY: 'SameSecretary', // 409
} as const;
