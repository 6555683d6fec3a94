/**
 * annual-budget 党建工作经费年度预算 (DOMAIN.md process 4; descriptor: libs/contracts/src/processes/annual-budget.process.ts).
 *
 *   0. opened by the yearly cycle (no lines yet): the secretary drafts the lines (the institution's applicants, due
 *      30 November), then the process goes on as one submitted with them;
 *   1. rules check: the organisation, its institution, one line per category, the stipend line against 12 months
 *      of the standard stipend for its secretary (R14: a WARNING with the shortfall, never a refusal);
 *   2. the institution's management confirms the budget is in the institution's own budget;
 *   3. the responsible body (the organisation's parent) approves, or returns it with comments;
 *   4. the budget is fixed as the next version of (organisation, year) → APPROVED.
 *   REJECT at any step → REJECTED. RETURN → the applicant revises the lines and resubmits (back to 1) or withdraws.
 */
import { annualBudget, institutionCandidate, type AnnualBudgetActivities, type AnnualBudgetPayload, type AnnualBudgetWorkflowInput, type KernelActivities, type ProcessState } from '@app/contracts';
import { processActivities } from './kernel/activity-proxies';
import { ApprovalKernel } from './kernel/approval-kernel';
import { decided, stepOf } from './kernel/process-steps';


export async function annualBudgetWorkflow(input: AnnualBudgetWorkflowInput): Promise<ProcessState> {
  const { processId } = input;
  const acts = processActivities<KernelActivities & AnnualBudgetActivities>();
  const kernel = new ApprovalKernel(processId);
  kernel.install();

  for (;;) {
    // 1. The rules: may it go ahead, who confirms, who approves (findings such as a short stipend line are kept).
    const check = await acts.checkAnnualBudget(processId);
    if (!check.allowed) {
      await acts.finishProcess({ processId, status: 'FAILED', step: 'check', action: 'RULES_FAILED', findings: check.findings });
      return kernel.finish('FAILED', 'check');
    }
    if (check.needsDraft === true) {
      // Opened by the yearly cycle: the secretary (the institution's applicants) drafts the lines by 30 November.
      const draft = await kernel.runStep(
        stepOf(annualBudget, 'draft', { candidates: [institutionCandidate(check.institutionId)], ...(check.draftDueDays ? { dueCalendarDays: check.draftDueDays } : {}) }),
      );
      if (draft.kind !== 'DECIDED') return kernel.end('WITHDRAWN', 'draft');
      await acts.recordBudgetDraft({ processId, actorId: draft.actorId, lines: draft.data.lines as AnnualBudgetPayload['lines'] });
      continue;
    }

    // 2. The institution's management: it is in the institution's own budget.
    const confirmed = await kernel.follow(await kernel.runStep(stepOf(annualBudget, 'confirm', { candidates: [institutionCandidate(check.institutionId)] })), 'confirm');
    if (confirmed === 'AGAIN') continue;
    if (confirmed !== 'ON') return confirmed;

    // 3. The responsible body approves or returns it with comments.
    const approval = await kernel.runStep(
      stepOf(annualBudget, 'approve', { candidates: [check.responsibleBodyId], ...(check.approveDueDays ? { dueCalendarDays: check.approveDueDays } : {}) }),
    );
    const approved = await kernel.follow(approval, 'approve');
    if (approved === 'AGAIN') continue;
    if (approved !== 'ON') return approved;

    // 4. Fixed: the next version of the year's budget.
    kernel.closeWithdrawal();
    const { actorId } = decided(approval);
    const fixed = await acts.fixBudget({ processId, actorId });
    await acts.finishProcess({ processId, status: 'APPROVED', step: 'done', action: 'APPROVED', actorId, result: { ...fixed } });
    return kernel.finish('APPROVED');
  }
}
