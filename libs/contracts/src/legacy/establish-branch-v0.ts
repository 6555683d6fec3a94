/**
 * establish-branch version 0 (workflows/establish-branch.v0.ts, before the approval kernel): the activities its runs
 * call. Not part of the live contract: it goes when v0 retires (README, "Retiring a workflow version").
 */
import { activityNames } from '../activity-names';
import type { EstablishBranchActivities } from '../processes/establish-branch.process';
import type { KernelActivities } from '../workflow-contracts';

export interface EstablishBranchV0Activities
  extends Pick<EstablishBranchActivities, 'checkEstablishBranch' | 'createPartyOrganizationForProcess'>,
    Pick<KernelActivities, 'openTask' | 'recordDecision' | 'finishProcess' | 'markTaskOverdue' | 'recordWithdrawal'> {
  cancelOpenTasks(input: { processId: string; reason: string }): Promise<void>;
}

export const ESTABLISH_BRANCH_V0_ACTIVITIES = activityNames<EstablishBranchV0Activities>()({
  checkEstablishBranch: true,
  createPartyOrganizationForProcess: true,
  openTask: true,
  recordDecision: true,
  finishProcess: true,
  markTaskOverdue: true,
  recordWithdrawal: true,
  cancelOpenTasks: true,
});
