/**
 * establish-branch, version 1 (the first version on the approval kernel). Kept unchanged so runs started before
 * the complete process (builder's designation step, founding election, CC of guiding organisations) replay and
 * finish exactly as they began; new runs take establish-branch.workflow.ts.
 *
 *   rules check → the responsible body decides (30 days) → APPROVE: the organisation and its term (from today) are
 *   created, a builder's approval may carry the secretary in its data → APPROVED. REJECT → REJECTED. RETURN → the
 *   applicant revises and resubmits (rules checked again) or withdraws.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { EstablishBranchActivities, EstablishBranchWorkflowInput, KernelActivities, ProcessState } from '@app/contracts';
import { ApprovalKernel } from './kernel/approval-kernel';

const acts = proxyActivities<KernelActivities & EstablishBranchActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const STEP = 'approve';

export async function establishBranchV1(input: EstablishBranchWorkflowInput): Promise<ProcessState> {
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
    if (outcome.kind !== 'DECIDED') {
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
    await acts.finishProcess({ processId: input.processId, status: 'RETURNED', step: 'revise', action: 'RETURNED', actorId: outcome.actorId });
    const next = await kernel.awaitResubmission();
    if (next.kind === 'WITHDRAWN') {
      await acts.finishProcess({ processId: input.processId, status: 'WITHDRAWN', step: 'revise', action: 'CLOSED' });
      return kernel.finish('WITHDRAWN', 'revise');
    }
  }
}
