/**
 * establish-branch 成立党支部 (DOMAIN.md process 1; descriptor: libs/contracts/src/processes/establish-branch.process.ts).
 *
 *   1. rules check: R4 (3+ FULL staff) or R7 (3+ FULL elderly, the count basis setting), and who decides (R1–R3b);
 *   2. the responsible body decides within 30 days (reminders, then escalation to its parent); the guiding
 *      organisation (the township, when it is not the responsible body) is copied, never asked;
 *   3. R8: for a publicly built, privately run institution the builder designates the secretary;
 *   4. the organisation is created (the institution points at it; an elderly branch stands beside its staff branch);
 *      a relation-transfer opens for every staff member of the branch whose relation is elsewhere (R11), and the
 *      R12-exempt members of an elderly branch are recorded as reporting (报到) instead → APPROVED, with the
 *      organisation as its result;
 *   5. the founding election within 30 days of approval (reminders, then overdue and escalation); its date starts
 *      the term, and the process ends.
 *   REJECT → REJECTED. RETURN (at 2 or 3) → the applicant revises and resubmits (back to 1) or withdraws.
 *
 * Runs started before the approval kernel continue on version 0, runs started before the designation step and the
 * founding election on version 1; runs started before the relation follow-ups skip them (`patched`).
 */
import { patched } from '@temporalio/workflow';
import { establishBranch, type EstablishBranchActivities, type EstablishBranchWorkflowInput, type KernelActivities, type ProcessState } from '@app/contracts';
import { establishBranchV0 } from './establish-branch.v0';
import { establishBranchV1 } from './establish-branch.v1';
import { processActivities } from './kernel/activity-proxies';
import { ApprovalKernel } from './kernel/approval-kernel';
import { decided, stepOf } from './kernel/process-steps';

export const APPROVAL_KERNEL_PATCH = 'approval-kernel-v1';
export const ESTABLISH_BRANCH_V2_PATCH = 'establish-branch-v2';
export const RELATION_FOLLOW_UPS_PATCH = 'establish-branch-relation-follow-ups';

export async function establishBranchWorkflow(input: EstablishBranchWorkflowInput): Promise<ProcessState> {
  if (!patched(APPROVAL_KERNEL_PATCH)) return establishBranchV0(input);
  if (!patched(ESTABLISH_BRANCH_V2_PATCH)) return establishBranchV1(input);

  const { processId } = input;
  const acts = processActivities<KernelActivities & EstablishBranchActivities>();
  const kernel = new ApprovalKernel(processId);
  kernel.install();
  /** After a RETURN: true when the applicant resubmitted (start again), false when they withdrew. */
  const revised = async (actorId: string): Promise<boolean> => {
    await acts.finishProcess({ processId, status: 'RETURNED', step: 'revise', action: 'RETURNED', actorId });
    return (await kernel.awaitResubmission()).kind === 'RESUBMITTED';
  };

  for (;;) {
    // 1. The policy: may it start, who decides, who designates, who is copied.
    const check = await acts.checkEstablishBranch(processId);
    if (!check.allowed || check.responsibleBodyId === null) {
      await acts.finishProcess({ processId, status: 'FAILED', step: 'check', action: 'RULES_FAILED', findings: check.findings });
      return kernel.finish('FAILED', 'check');
    }

    // 2. The responsible body decides.
    const answer = await kernel.runStep(stepOf(establishBranch, 'approve', { candidates: [check.responsibleBodyId], dueCalendarDays: input.answerDays, cc: check.guidingOrgIds ?? [] }));
    if (answer.kind !== 'DECIDED') return kernel.end('WITHDRAWN', 'approve');
    if (answer.decision === 'REJECT') return kernel.end('REJECTED', 'done', answer.actorId);
    if (answer.decision === 'RETURN') {
      if (await revised(answer.actorId)) continue;
      return kernel.end('WITHDRAWN', 'revise');
    }

    // 3. R8: the public builder designates the secretary.
    let secretaryMemberId: string | null = null;
    if (check.builderOrgId) {
      const designation = await kernel.runStep(stepOf(establishBranch, 'designate', { candidates: [check.builderOrgId] }));
      if (designation.kind !== 'DECIDED') return kernel.end('WITHDRAWN', 'designate');
      if (designation.decision === 'RETURN') {
        if (await revised(designation.actorId)) continue;
        return kernel.end('WITHDRAWN', 'revise');
      }
      secretaryMemberId = designation.data.secretaryMemberId as string;
    }

    // 4. The organisation exists: the request is granted (APPROVED) and can no longer be withdrawn.
    kernel.closeWithdrawal();
    const { partyOrganizationId } = await acts.createPartyOrganizationForProcess({ processId, parentOrgId: check.responsibleBodyId, secretaryMemberId, termFromElection: true });
    const result = { partyOrganizationId };
    if (patched(RELATION_FOLLOW_UPS_PATCH)) await acts.openRelationFollowUps({ processId, organizationId: partyOrganizationId });
    await acts.finishProcess({ processId, status: 'APPROVED', step: 'founding-election', action: 'APPROVED', actorId: answer.actorId, result, closes: false });
    // The granting decision is answered now that its effects exist, not after the next step has been set up.
    kernel.settle();

    // 5. The founding election, asked of the new organisation (its secretary), else of the responsible body.
    const election = decided(await kernel.runStep(stepOf(establishBranch, 'founding-election', { candidates: [partyOrganizationId], dueCalendarDays: input.foundingElectionDays ?? 30 })));
    await acts.recordFoundingElection({
      processId,
      organizationId: partyOrganizationId,
      electionDate: election.data.electionDate as string,
      secretaryMemberId: (election.data.secretaryMemberId as string | undefined) ?? null,
      actorId: election.actorId,
    });
    await acts.finishProcess({ processId, status: 'APPROVED', step: 'done', action: 'APPROVED', actorId: election.actorId, result });
    return kernel.finish('APPROVED');
  }
}
