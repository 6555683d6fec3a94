/**
 * joint-organization 组建联合党组织 (DOMAIN.md process 2, R5; descriptor: libs/contracts/src/processes/
 * joint-organization.process.ts).
 *
 *   1. rules check: every unit below 3 FULL staff (R4), not covered, in no other open joint process; the pool (R5);
 *      who decides (libs/domain `resolveJointResponsibleBody`) and who is copied;
 *   2. consent: the APPLICANT users of every other unit that has not consented yet, in parallel (ALL); the
 *      initiator's submission is its own unit's consent. One refusal returns the request to the initiator, who
 *      amends the list and resubmits (back to 1); the consents given for units still on the list stand;
 *   3. the responsible body decides (the other units' bodies copied); RETURN → the initiator revises (back to 1);
 *   4. the JOINT organisation is created under it, every unit linked to it, its term from the approval's date
 *      → APPROVED, with the organisation as its result.
 *   REJECT at 3 → REJECTED. A withdrawal while open → WITHDRAWN.
 */
import { institutionCandidate, jointOrganization, type JointOrganizationActivities, type JointOrganizationWorkflowInput, type KernelActivities, type ProcessState } from '@app/contracts';
import { processActivities } from './kernel/activity-proxies';
import { ApprovalKernel } from './kernel/approval-kernel';
import { stepOf } from './kernel/process-steps';

export async function jointOrganizationWorkflow(input: JointOrganizationWorkflowInput): Promise<ProcessState> {
  const { processId } = input;
  const acts = processActivities<KernelActivities & JointOrganizationActivities>();
  const kernel = new ApprovalKernel(processId);
  kernel.install();
  /** Back to the initiator: true when they resubmitted (start again), false when they withdrew. */
  const revised = async (actorId: string): Promise<boolean> => {
    await acts.finishProcess({ processId, status: 'RETURNED', step: 'revise', action: 'RETURNED', actorId });
    return (await kernel.awaitResubmission()).kind === 'RESUBMITTED';
  };

  /** Units whose applicants consented (the initiator's is its submission); kept across amendments while listed. */
  let consented = new Set<string>();
  for (;;) {
    // 1. The policy, on the request as it stands now.
    const check = await acts.checkJointOrganization(processId);
    if (!check.allowed) {
      await acts.finishProcess({ processId, status: 'FAILED', step: 'check', action: 'RULES_FAILED', findings: check.findings });
      return kernel.finish('FAILED', 'check');
    }
    consented = new Set(check.unitIds.filter((u) => consented.has(u)));

    // 2. The other units consent, all of them, in parallel.
    const asked = check.unitIds.filter((u) => u !== check.initiatorId && !consented.has(u));
    if (asked.length > 0) {
      const consent = await kernel.runStep(stepOf(jointOrganization, 'consent', { mode: 'ALL', candidates: asked.map(institutionCandidate) }));
      if (consent.kind !== 'DECIDED') return kernel.end('WITHDRAWN', 'consent');
      if (consent.decision !== 'APPROVE') {
        for (const u of await acts.jointConsentsGiven({ processId, unitIds: asked })) consented.add(u);
        if (await revised(consent.actorId)) continue;
        return kernel.end('WITHDRAWN', 'revise');
      }
      for (const u of asked) consented.add(u);
    }

    // 3. The responsible body decides; the other units' bodies are copied.
    const answer = await kernel.runStep(stepOf(jointOrganization, 'approve', { candidates: [check.responsibleBodyId], cc: check.ccOrgIds }));
    if (answer.kind !== 'DECIDED') return kernel.end('WITHDRAWN', 'approve');
    if (answer.decision === 'REJECT') return kernel.end('REJECTED', 'done', answer.actorId);
    if (answer.decision === 'RETURN') {
      if (await revised(answer.actorId)) continue;
      return kernel.end('WITHDRAWN', 'revise');
    }

    // 4. The joint organisation exists: the request is granted and can no longer be withdrawn.
    kernel.closeWithdrawal();
    const { partyOrganizationId } = await acts.createJointOrganization({ processId, parentOrgId: check.responsibleBodyId, decisionId: answer.decisionId });
    await acts.finishProcess({ processId, status: 'APPROVED', step: 'done', action: 'APPROVED', actorId: answer.actorId, result: { partyOrganizationId } });
    return kernel.finish('APPROVED');
  }
}
