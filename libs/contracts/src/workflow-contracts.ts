/**
 * Contracts shared by the API (client side), the worker (activities) and workflows/: workflow names, update and
 * query definitions and the activity interface. Imports only @temporalio/workflow definitions and pure domain
 * types, so the workflow bundle can take it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Decision, Finding, ProcessKind, ProcessStatus } from '@app/domain';

export const WORKFLOW_TYPES: Record<ProcessKind, string> = {
  'establish-branch': 'establishBranchWorkflow',
  'joint-organization': 'jointOrganizationWorkflow',
  'term-renewal': 'termRenewalWorkflow',
  'annual-budget': 'annualBudgetWorkflow',
  'stipend-disbursement': 'stipendDisbursementWorkflow',
  'secretary-dispatch': 'secretaryDispatchWorkflow',
  'relation-transfer': 'relationTransferWorkflow',
};

export function workflowIdFor(kind: ProcessKind, processId: string): string {
  return `${kind}/${processId}`;
}

export interface ProcessWorkflowInput {
  processId: string;
}

export interface DecisionArgs {
  decisionId: string;
  taskId: string;
  decision: Decision;
  comment: string;
  data?: Record<string, unknown>;
  actorId: string;
  /** The organisations the actor acts for when deciding (snapshot taken by the API). */
  actorOrgIds: string[];
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
}

/** Failure types the workflow uses to refuse an update; the API maps them to HTTP statuses. */
export const UPDATE_REFUSALS = {
  TASK_NOT_OPEN: 'TaskNotOpen', // 409
  NOT_CANDIDATE: 'NotCandidate', // 403
  PROCESS_CLOSED: 'ProcessClosed', // 409
  INVALID: 'InvalidDecision', // 400
} as const;

export const decideUpdate = defineUpdate<DecisionOutcome, [DecisionArgs]>('decide');
export const withdrawUpdate = defineUpdate<ProcessState, [WithdrawArgs]>('withdraw');
export const stateQuery = defineQuery<ProcessState>('state');

export interface RuleCheck {
  allowed: boolean;
  responsibleBodyId: string | null;
  findings: Finding[];
}

export interface OpenTaskInput {
  taskId: string;
  processId: string;
  step: string;
  title: string;
  candidateOrgId: string;
  dueAt: string; // ISO
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
}

export interface TaskDeadlineInput {
  processId: string;
  taskId: string;
  step: string;
}

/** Activities the process workflows call; implemented by Nest providers in apps/worker. */
export interface ProcessActivities {
  checkEstablishBranch(processId: string): Promise<RuleCheck>;
  openTask(input: OpenTaskInput): Promise<void>;
  recordDecision(input: RecordDecisionInput): Promise<void>;
  cancelOpenTasks(input: { processId: string; reason: string }): Promise<void>;
  createPartyOrganizationForProcess(input: { processId: string; parentOrgId: string; secretaryMemberId?: string | null }): Promise<{ partyOrganizationId: string }>;
  finishProcess(input: FinishProcessInput): Promise<void>;
  markTaskOverdue(input: TaskDeadlineInput): Promise<void>;
  recordWithdrawal(input: { processId: string; actorId: string; reason: string }): Promise<void>;
}
