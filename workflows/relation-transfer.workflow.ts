/**
 * relation-transfer 组织关系转接 (DOMAIN.md process 7; descriptor: libs/contracts/src/processes/relation-transfer.process.ts).
 *
 *   1. rules check: R11 (staff move in), R12 (advanced-age, disabled or dementia elderly members only as an exception:
 *      their own request and a reason), R13 (other elderly members only on their own request); who releases, who
 *      receives, who approves an exception;
 *   2. R12 exception only: the receiving organisation's responsible body approves first (R1–R3b; an elderly
 *      branch's is the township, R3);
 *   3. the releasing side confirms: its organisation when it is in the registry; otherwise the transfer letter the
 *      applicant hands in stands for it, checked by the receiving organisation while the letter is valid (90 days).
 *      When the letter lapses first the request goes back to the applicant for a new letter (resubmit) or a
 *      withdrawal: the transfer is still due, only the letter is stale, so the request and its history are kept;
 *   4. the receiving organisation accepts;
 *   5. the member's relation moves (only now) → APPROVED.
 *   REJECT at any step → REJECTED. RETURN → the applicant revises and resubmits (back to 1) or withdraws.
 */
import { relationTransfer, type KernelActivities, type ProcessState, type RelationTransferActivities, type RelationTransferWorkflowInput } from '@app/contracts';
import { processActivities } from './kernel/activity-proxies';
import { ApprovalKernel, type StepOutcome } from './kernel/approval-kernel';
import { decided, stepOf } from './kernel/process-steps';

/** What follows a step: the next step, the process again from its check (resubmitted), or its end. */
type Next = 'ON' | 'AGAIN' | ProcessState;

export async function relationTransferWorkflow(input: RelationTransferWorkflowInput): Promise<ProcessState> {
  const { processId } = input;
  const acts = processActivities<KernelActivities & RelationTransferActivities>();
  const kernel = new ApprovalKernel(processId);
  kernel.install();
  /** The applicant revises (AGAIN) or withdraws (the end). */
  const revise = async (): Promise<Next> => ((await kernel.awaitResubmission()).kind === 'RESUBMITTED' ? 'AGAIN' : kernel.end('WITHDRAWN', 'revise'));
  const follow = async (outcome: StepOutcome, step: string): Promise<Next> => {
    if (outcome.kind === 'WITHDRAWN') return kernel.end('WITHDRAWN', step);
    if (outcome.kind === 'EXPIRED') {
      await acts.returnForLetter({ processId, reason: 'EXPIRED' });
      return revise();
    }
    if (outcome.decision === 'REJECT') return kernel.end('REJECTED', 'done', outcome.actorId);
    if (outcome.decision === 'RETURN') {
      await acts.finishProcess({ processId, status: 'RETURNED', step: 'revise', action: 'RETURNED', actorId: outcome.actorId });
      return revise();
    }
    return 'ON';
  };

  for (;;) {
    // 1. The policy: may the member move, who releases, who receives, does R12 ask for its exception step.
    const check = await acts.checkRelationTransfer(processId);
    if (!check.allowed) {
      await acts.finishProcess({ processId, status: 'FAILED', step: 'check', action: 'RULES_FAILED', findings: check.findings });
      return kernel.finish('FAILED', 'check');
    }
    if (check.releasingOrgId === null && check.letterExpiresAt === null) {
      // Opened by the system for a member whose relation is not on record: only the applicant can bring the letter.
      await acts.returnForLetter({ processId, reason: 'MISSING' });
      const next = await revise();
      if (next === 'AGAIN') continue;
      return next as ProcessState;
    }

    // 2. R12: an exempt member moves only with the receiving organisation's responsible body's approval.
    if (check.exceptionBodyId !== null) {
      const next = await follow(await kernel.runStep(stepOf(relationTransfer, 'exception', { candidates: [check.exceptionBodyId] })), 'exception');
      if (next === 'AGAIN') continue;
      if (next !== 'ON') return next;
    }

    // 3. The releasing side: its organisation, or the transfer letter while it is valid.
    const release =
      check.releasingOrgId !== null
        ? stepOf(relationTransfer, 'release', { candidates: [check.releasingOrgId] })
        : stepOf(relationTransfer, 'letter', { candidates: [check.receivingOrgId], expiresAt: check.letterExpiresAt! });
    const released = await follow(await kernel.runStep(release), release.stepId);
    if (released === 'AGAIN') continue;
    if (released !== 'ON') return released;

    // 4. The receiving side accepts.
    const acceptance = await kernel.runStep(stepOf(relationTransfer, 'accept', { candidates: [check.receivingOrgId] }));
    const accepted = await follow(acceptance, 'accept');
    if (accepted === 'AGAIN') continue;
    if (accepted !== 'ON') return accepted;

    // 5. Only now the relation moves; the request can no longer be withdrawn.
    kernel.closeWithdrawal();
    const { actorId } = decided(acceptance);
    const result = await acts.applyRelationTransfer({ processId, actorId, fromOrganizationId: check.releasingOrgId });
    await acts.finishProcess({ processId, status: 'APPROVED', step: 'done', action: 'APPROVED', actorId, result: { ...result } });
    return kernel.finish('APPROVED');
  }
}
