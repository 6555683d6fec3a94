/**
 * term-renewal 换届选举 (DOMAIN.md process 3; descriptor: libs/contracts/src/processes/term-renewal.process.ts).
 * Opened by the organisation's term watch 60 days before its term ends, or by hand.
 *
 *   1. check: the organisation exists and has a superior;
 *   2. the organisation submits its election plan: seats and candidates (the API checks R4 on the data: a committee
 *      of 3–5 at 7+ FULL members, else a secretary and optionally a deputy; 20% more candidates, rounded up);
 *   3. the superior approves the plan (due in 30 days); RETURN sends it back to the organisation (2);
 *   4. the organisation records the result: members due, present, votes per candidate, the secretary (the API checks
 *      the quorum of 4/5, the majority of those present and the secretary's year of standing);
 *   5. the superior approves the result; RETURN sends it back to the organisation (4);
 *   6. the new committee or secretary is recorded and the new term starts on the election date; a new secretary
 *      takes over through the secretary succession (the predecessor's open tasks move); the term watch is told and
 *      moves on to the new term → APPROVED.
 *   REJECT → REJECTED. The applicant may withdraw until the result is approved.
 */
import { ChildWorkflowFailure, executeChild, getExternalWorkflowHandle, uuid4 } from '@temporalio/workflow';
import {
  SECRETARY_SUCCESSION_WORKFLOW,
  secretarySuccessionWorkflowId,
  termChangedSignal,
  termRenewal,
  termWatchWorkflowId,
  type KernelActivities,
  type ProcessState,
  type SecretaryChangeInput,
  type TermRenewalActivities,
  type TermRenewalWorkflowInput,
} from '@app/contracts';
import { processActivities } from './kernel/activity-proxies';
import { ApprovalKernel } from './kernel/approval-kernel';
import { stepOf } from './kernel/process-steps';

/** The superior's reply to a renewal request is due in 30 days (DOMAIN.md "Terms"). */
const REPLY_DAYS = 30;

export async function termRenewalWorkflow(input: TermRenewalWorkflowInput): Promise<ProcessState> {
  const { processId } = input;
  const acts = processActivities<KernelActivities & TermRenewalActivities>();
  const kernel = new ApprovalKernel(processId);
  kernel.install();

  // 1. The organisation and who approves.
  const check = await acts.checkTermRenewal(processId);
  if (!check.allowed) {
    await acts.finishProcess({ processId, status: 'FAILED', step: 'check', action: 'RULES_FAILED', findings: check.findings });
    return kernel.finish('FAILED', 'check');
  }
  const org = [check.organizationId];
  const superior = [check.superiorOrgId];

  // 2–3. The plan and its approval.
  let plan: Record<string, unknown>;
  for (;;) {
    const submitted = await kernel.runStep(stepOf(termRenewal, 'plan', { candidates: org }));
    if (submitted.kind !== 'DECIDED') return kernel.end('WITHDRAWN', 'plan');
    plan = submitted.data;
    const answer = await kernel.runStep(stepOf(termRenewal, 'approve-plan', { candidates: superior, dueCalendarDays: REPLY_DAYS }));
    if (answer.kind !== 'DECIDED') return kernel.end('WITHDRAWN', 'approve-plan');
    if (answer.decision === 'REJECT') return kernel.end('REJECTED', 'done', answer.actorId);
    if (answer.decision === 'APPROVE') break;
  }

  // 4–5. The result and its approval.
  let result: Record<string, unknown>;
  let approvedBy: string;
  for (;;) {
    const recorded = await kernel.runStep(stepOf(termRenewal, 'result', { candidates: org }));
    if (recorded.kind !== 'DECIDED') return kernel.end('WITHDRAWN', 'result');
    result = recorded.data;
    const answer = await kernel.runStep(stepOf(termRenewal, 'approve-result', { candidates: superior }));
    if (answer.kind !== 'DECIDED') return kernel.end('WITHDRAWN', 'approve-result');
    if (answer.decision === 'REJECT') return kernel.end('REJECTED', 'done', answer.actorId);
    if (answer.decision === 'APPROVE') {
      approvedBy = answer.actorId;
      break;
    }
  }

  // 6. The new term; a new secretary takes over; the watch moves on.
  kernel.closeWithdrawal();
  const election = await acts.recordElection({ processId, actorId: approvedBy, plan, result });
  // The approval of the result is answered now that the election is on record, not after the hand-over.
  kernel.settle();
  if (election.previousSecretaryMemberId !== election.secretaryMemberId) {
    const change: SecretaryChangeInput = {
      changeId: uuid4(),
      organizationId: election.organizationId,
      toMemberId: election.secretaryMemberId,
      changedById: approvedBy,
      comment: '换届选举产生新任书记',
      predecessorLeaves: true,
    };
    try {
      await executeChild(SECRETARY_SUCCESSION_WORKFLOW, { workflowId: secretarySuccessionWorkflowId(change.changeId), args: [change] });
    } catch (err) {
      // Refused only when the member became secretary meanwhile (SameSecretary): nothing left to hand over.
      if (!(err instanceof ChildWorkflowFailure)) throw err;
    }
  }
  try {
    await getExternalWorkflowHandle(termWatchWorkflowId(election.organizationId)).signal(termChangedSignal);
  } catch {
    // No watch runs for the organisation (yet): the worker's back-fill starts one on the new term.
  }
  await acts.finishProcess({ processId, status: 'APPROVED', step: 'done', action: 'APPROVED', actorId: approvedBy, result: { ...election } });
  return kernel.finish('APPROVED');
}
