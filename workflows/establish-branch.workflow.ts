/**
 * establish-branch 成立党支部 (DOMAIN.md process 1), on the approval kernel.
 *
 *   rules check (R4/R7; routing R1/R2/R3/R3b) → the responsible body decides (30 days to answer, reminders, then
 *   escalation to its parent) → APPROVE: for PUBLIC_BUILT_PRIVATE_RUN the builder may designate the secretary in
 *   its decision (R8); the organisation and its term are created → APPROVED.
 *   REJECT → REJECTED. RETURN → the applicant revises and resubmits (rules checked again) or withdraws.
 *
 * Runs started before the kernel existed carry no patch marker and continue on version 0, unchanged.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { ProcessActivities, ProcessState } from '@app/contracts';
import { establishBranchV0, type EstablishBranchWorkflowInput } from './establish-branch.v0';
import { ApprovalKernel } from './kernel/approval-kernel';

export type { EstablishBranchWorkflowInput };

const acts = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const APPROVAL_KERNEL_PATCH = 'approval-kernel-v1';
const STEP = 'approve';

export async function establishBranchWorkflow(input: EstablishBranchWorkflowInput): Promise<ProcessState> {
  if (!patched(APPROVAL_KERNEL_PATCH)) return establishBranchV0(input);

  const kernel = new ApprovalKernel(input.processId);
  kernel.install();
  for (;;) {
    const check = await acts.checkEstablishBranch(input.processId);
    if (!check.allowed || check.responsibleBodyId === null) {
      await acts.finishProcess({ processId: input.processId, status: 'FAILED', step: 'check', action: 'RULES_FAILED', findings: check.findings });
      return kernel.finish('FAILED', 'check');
    }
    const outcome = await kernel.runStep({
      stepId: STEP,
      title: '审批成立党支部申请',
      mode: 'SINGLE',
      candidates: [check.responsibleBodyId],
      dueCalendarDays: input.answerDays,
    });
    if (outcome.kind === 'WITHDRAWN') {
      await acts.finishProcess({ processId: input.processId, status: 'WITHDRAWN', step: STEP, action: 'CLOSED' });
      return kernel.finish('WITHDRAWN', STEP);
    }
    if (outcome.decision === 'APPROVE') {
      const secretary = typeof outcome.data.secretaryMemberId === 'string' ? outcome.data.secretaryMemberId : null;
      const created = await acts.createPartyOrganizationForProcess({ processId: input.processId, parentOrgId: check.responsibleBodyId, secretaryMemberId: secretary });
      await acts.finishProcess({
        processId: input.processId,
        status: 'APPROVED',
        step: 'done',
        action: 'ORGANIZATION_CREATED',
        actorId: outcome.actorId,
        result: { partyOrganizationId: created.partyOrganizationId },
      });
      return kernel.finish('APPROVED');
    }
    if (outcome.decision === 'REJECT') {
      await acts.finishProcess({ processId: input.processId, status: 'REJECTED', step: 'done', action: 'REJECTED', actorId: outcome.actorId });
      return kernel.finish('REJECTED');
    }
    // RETURN: one approval step, so "an earlier step" is the applicant's revision.
    await acts.finishProcess({ processId: input.processId, status: 'RETURNED', step: 'revise', action: 'RETURNED', actorId: outcome.actorId });
    const next = await kernel.awaitResubmission();
    if (next.kind === 'WITHDRAWN') {
      await acts.finishProcess({ processId: input.processId, status: 'WITHDRAWN', step: 'revise', action: 'CLOSED' });
      return kernel.finish('WITHDRAWN', 'revise');
    }
  }
}
