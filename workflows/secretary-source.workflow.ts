/**
 * secretary-source 调整党组织负责人产生方式 (R10; descriptor: libs/contracts/src/processes/secretary-source.process.ts).
 *
 *   1. rules check: a PUBLIC_BUILT_PRIVATE_RUN institution whose organisation is sound (R10: exists, term not
 *      OVERDUE, the secretary post not vacant too long, meetings held) — switching back to the builder always is;
 *   2. the public builder's organisation approves;
 *   3. the institution's secretary source changes → APPROVED (R8 then asks the builder for no secretary).
 *   REJECT → REJECTED. RETURN → the applicant revises and resubmits (back to 1) or withdraws.
 */
import { secretarySource, type KernelActivities, type ProcessState, type SecretarySourceActivities, type SecretarySourceWorkflowInput } from '@app/contracts';
import { processActivities } from './kernel/activity-proxies';
import { ApprovalKernel } from './kernel/approval-kernel';
import { decided, stepOf } from './kernel/process-steps';

export async function secretarySourceWorkflow(input: SecretarySourceWorkflowInput): Promise<ProcessState> {
  const { processId } = input;
  const acts = processActivities<KernelActivities & SecretarySourceActivities>();
  const kernel = new ApprovalKernel(processId);
  kernel.install();

  for (;;) {
    // 1. R10: is the organisation sound; who approves.
    const check = await acts.checkSecretarySource(processId);
    if (!check.allowed || check.approverOrgId === null) {
      await acts.finishProcess({ processId, status: 'FAILED', step: 'check', action: 'RULES_FAILED', findings: check.findings });
      return kernel.finish('FAILED', 'check');
    }

    // 2. The builder approves.
    const approval = await kernel.runStep(stepOf(secretarySource, 'approve', { candidates: [check.approverOrgId] }));
    const approved = await kernel.follow(approval, 'approve');
    if (approved === 'AGAIN') continue;
    if (approved !== 'ON') return approved;
    const { actorId } = decided(approval);

    // 3. The source changes.
    kernel.closeWithdrawal();
    const result = await acts.applySecretarySource({ processId, actorId });
    await acts.finishProcess({ processId, status: 'APPROVED', step: 'done', action: 'APPROVED', actorId, result: { ...result } });
    return kernel.finish('APPROVED');
  }
}
