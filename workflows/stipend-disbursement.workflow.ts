/**
 * stipend-disbursement 书记工作补贴发放 (DOMAIN.md process 5; descriptor: libs/contracts/src/processes/stipend-disbursement.process.ts).
 *
 *   1. compute: each secretary in office that month, the standard stipend prorated by days in office, less any
 *      (secretary, month) already paid; the approved budget's stipend line must have room (R14);
 *   2. the institution's finance confirms the amounts;
 *   3. the responsible body approves;
 *   4. each line is paid exactly once (a unique payment key in the database; the activity is idempotent), drawn on
 *      the stipend line, and its secretary is emailed → APPROVED.
 *   REJECT → REJECTED. RETURN → the applicant resubmits (computed again) or withdraws.
 */
import {
  institutionCandidate,
  stipendDisbursement,
  type KernelActivities,
  type ProcessState,
  type StipendDisbursementActivities,
  type StipendDisbursementWorkflowInput,
} from '@app/contracts';
import { processActivities } from './kernel/activity-proxies';
import { ApprovalKernel } from './kernel/approval-kernel';
import { decided, stepOf } from './kernel/process-steps';


export async function stipendDisbursementWorkflow(input: StipendDisbursementWorkflowInput): Promise<ProcessState> {
  const { processId } = input;
  const acts = processActivities<KernelActivities & StipendDisbursementActivities>();
  const kernel = new ApprovalKernel(processId);
  kernel.install();

  for (;;) {
    // 1. The amounts, and whether the budget's stipend line can pay them.
    const computed = await acts.computeStipends(processId);
    if (!computed.allowed || computed.budgetId === null) {
      await acts.finishProcess({ processId, status: 'FAILED', step: 'compute', action: 'RULES_FAILED', findings: computed.findings });
      return kernel.finish('FAILED', 'compute');
    }

    // 2. The institution's finance confirms the amounts.
    const confirmed = await kernel.follow(await kernel.runStep(stepOf(stipendDisbursement, 'confirm', { candidates: [institutionCandidate(computed.institutionId)] })), 'confirm');
    if (confirmed === 'AGAIN') continue;
    if (confirmed !== 'ON') return confirmed;

    // 3. The responsible body approves.
    const approval = await kernel.runStep(stepOf(stipendDisbursement, 'approve', { candidates: [computed.responsibleBodyId] }));
    const approved = await kernel.follow(approval, 'approve');
    if (approved === 'AGAIN') continue;
    if (approved !== 'ON') return approved;

    // 4. Paid once each, drawn on the stipend line, the secretaries told.
    kernel.closeWithdrawal();
    const { actorId } = decided(approval);
    const payout = await acts.payStipends({ processId, actorId, budgetId: computed.budgetId, lines: computed.lines });
    if (!payout.paid) {
      await acts.finishProcess({ processId, status: 'FAILED', step: 'pay', action: 'RULES_FAILED', actorId, findings: payout.findings });
      return kernel.finish('FAILED', 'pay');
    }
    await acts.finishProcess({ processId, status: 'APPROVED', step: 'done', action: 'APPROVED', actorId, result: { ...payout } });
    return kernel.finish('APPROVED');
  }
}
