/**
 * establish-branch, version 0 (before the approval kernel). Kept unchanged so workflows started before the
 * kernel replay and finish exactly as they began; new runs take the kernel path (see establish-branch.workflow.ts).
 *
 *   rules check (R4/R7, routing R1–R3b) → the responsible body decides → APPROVE creates the organisation and its
 *   term; REJECT ends it; RETURN waits for the applicant to resubmit (or withdraw).
 *
 * Decisions arrive as Updates (not signals) so the API can answer only after the workflow accepted the decision,
 * and a validator refuses a decision on a closed task before anything is written to history.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  uuid4,
} from '@temporalio/workflow';
import {
  UPDATE_REFUSALS,
  decideUpdate,
  stateQuery,
  withdrawUpdate,
  type DecisionArgs,
  type DecisionOutcome,
  type EstablishBranchV0Activities,
  type EstablishBranchWorkflowInput,
  type ProcessState,
} from '@app/contracts';
import { DECISIONS } from '@app/domain';

const acts = proxyActivities<EstablishBranchV0Activities>({
  // Short: every activity is a few queries; a worker that dies mid-activity is detected and retried sooner.
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const APPROVE_STEP = 'approve';
const DAY_MS = 24 * 60 * 60 * 1000;

interface OpenTask {
  taskId: string;
  candidateOrgId: string;
}

export async function establishBranchV0(input: EstablishBranchWorkflowInput): Promise<ProcessState> {
  const state: ProcessState = { status: 'RUNNING', currentStep: 'check', openTaskId: null };
  let openTask: OpenTask | null = null;
  let deciding: DecisionArgs | null = null;
  let applied: DecisionOutcome | null = null;
  let withdrawn = false;

  setHandler(stateQuery, () => state);

  setHandler(
    decideUpdate,
    async (args) => {
      deciding = args;
      await condition(() => applied?.decisionId === args.decisionId);
      return applied as DecisionOutcome;
    },
    {
      validator: (args) => {
        if (!DECISIONS.includes(args.decision)) throw ApplicationFailure.create({ type: UPDATE_REFUSALS.INVALID, message: 'decision' });
        if (state.status !== 'RUNNING' || openTask === null || deciding !== null || openTask.taskId !== args.taskId) {
          throw ApplicationFailure.create({ type: UPDATE_REFUSALS.TASK_NOT_OPEN, message: '该待办已办结或不存在' });
        }
        if (!args.actorOrgIds.includes(openTask.candidateOrgId)) {
          throw ApplicationFailure.create({ type: UPDATE_REFUSALS.NOT_CANDIDATE, message: '您不是该待办的办理人' });
        }
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async (args) => {
      withdrawn = true;
      await acts.recordWithdrawal({ processId: input.processId, actorId: args.actorId, reason: args.reason });
      await condition(() => state.status === 'WITHDRAWN');
      return state;
    },
    {
      validator: (_args) => {
        if ((state.status !== 'RUNNING' && state.status !== 'RETURNED') || deciding !== null || withdrawn) {
          throw ApplicationFailure.create({ type: UPDATE_REFUSALS.PROCESS_CLOSED, message: '流程已有最终结果，无法撤回' });
        }
      },
    },
  );

  const check = await acts.checkEstablishBranch(input.processId);
  if (!check.allowed || check.responsibleBodyId === null) {
    state.status = 'FAILED';
    state.currentStep = 'check';
    await acts.finishProcess({ processId: input.processId, status: 'FAILED', step: 'check', action: 'RULES_FAILED', findings: check.findings });
    return state;
  }
  const candidateOrgId = check.responsibleBodyId;

  for (;;) {
    const taskId = uuid4();
    const dueAt = new Date(Date.now() + input.answerDays * DAY_MS).toISOString();
    await acts.openTask({ taskId, processId: input.processId, step: APPROVE_STEP, title: '审批成立党支部申请', candidateOrgId, dueAt });
    openTask = { taskId, candidateOrgId };
    state.currentStep = APPROVE_STEP;
    state.openTaskId = taskId;

    // Wait for a decision or a withdrawal; when the answer period ends, mark the task overdue once and keep waiting.
    const answered = await condition(() => deciding !== null || withdrawn, input.answerDays * DAY_MS);
    if (!answered) {
      await acts.markTaskOverdue({ processId: input.processId, taskId, step: APPROVE_STEP });
      await condition(() => deciding !== null || withdrawn);
    }

    if (withdrawn) {
      await acts.cancelOpenTasks({ processId: input.processId, reason: 'withdrawn' });
      await acts.finishProcess({ processId: input.processId, status: 'WITHDRAWN', step: APPROVE_STEP, action: 'CLOSED' });
      state.status = 'WITHDRAWN';
      state.openTaskId = null;
      break;
    }

    const d = deciding as unknown as DecisionArgs;
    await acts.recordDecision({
      processId: input.processId,
      taskId,
      step: APPROVE_STEP,
      decisionId: d.decisionId,
      decision: d.decision,
      comment: d.comment,
      actorId: d.actorId,
      data: d.data,
    });
    openTask = null;
    state.openTaskId = null;

    if (d.decision === 'APPROVE') {
      const secretaryMemberId = typeof d.data?.secretaryMemberId === 'string' ? d.data.secretaryMemberId : null;
      const created = await acts.createPartyOrganizationForProcess({ processId: input.processId, parentOrgId: candidateOrgId, secretaryMemberId });
      state.status = 'APPROVED';
      state.currentStep = 'done';
      await acts.finishProcess({
        processId: input.processId,
        status: 'APPROVED',
        step: 'done',
        action: 'ORGANIZATION_CREATED',
        actorId: d.actorId,
        result: { partyOrganizationId: created.partyOrganizationId },
      });
      applied = { decisionId: d.decisionId, taskId, decision: d.decision, status: state.status };
      break;
    }
    if (d.decision === 'REJECT') {
      state.status = 'REJECTED';
      state.currentStep = 'done';
      await acts.finishProcess({ processId: input.processId, status: 'REJECTED', step: 'done', action: 'REJECTED', actorId: d.actorId });
      applied = { decisionId: d.decisionId, taskId, decision: d.decision, status: state.status };
      break;
    }
    // RETURN: the applicant revises; resubmission comes with the approval kernel (issue 4). Until then the
    // applicant may withdraw.
    state.status = 'RETURNED';
    state.currentStep = 'revise';
    await acts.finishProcess({ processId: input.processId, status: 'RETURNED', step: 'revise', action: 'RETURNED', actorId: d.actorId });
    applied = { decisionId: d.decisionId, taskId, decision: d.decision, status: state.status };
    deciding = null;
    await condition(() => withdrawn);
    await acts.finishProcess({ processId: input.processId, status: 'WITHDRAWN', step: 'revise', action: 'CLOSED' });
    state.status = 'WITHDRAWN';
    break;
  }

  // Let in-flight update handlers return their results before the run closes.
  await condition(allHandlersFinished);
  return state;
}
