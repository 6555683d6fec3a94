/**
 * secretary-dispatch 选派书记/第一书记/党建工作指导员 (DOMAIN.md process 6; R8–R10; descriptor:
 * libs/contracts/src/processes/secretary-dispatch.process.ts).
 *
 *   1. rules check: the named role against the institution (R8; R6 for an instructor elsewhere; R10 after a switch);
 *   2. the dispatching body approves (the public builder's organisation, or the responsible body);
 *   3. the dispatch exists → APPROVED, and its weekly duty loop starts (`dispatchDutyWorkflow`, below).
 *   REJECT → REJECTED. RETURN → the applicant revises and resubmits (back to 1) or withdraws.
 *
 * The duty runs in a workflow of its own, started by an activity (idempotent: its workflow id is the dispatch's):
 * the process (its approval, its inbox tasks, its Updates) ends with its decision as every other kind does, and the
 * duty loop, which lives for months or years, carries none of the approval kernel's handlers and history. Not a
 * child workflow: nothing of the closed process is linked to the loop (an abandoned child still reports its end to
 * its parent), and the loop is started the same way however it is started (a back-fill, a restarted dispatch).
 */
import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  dutyStateQuery,
  endDispatchUpdate,
  secretaryDispatch,
  UPDATE_REFUSALS,
  type DispatchDutyInput,
  type DispatchDutyState,
  type EndDispatchArgs,
  type KernelActivities,
  type ProcessState,
  type SecretaryDispatchActivities,
  type SecretaryDispatchWorkflowInput,
} from '@app/contracts';
import { dutyWeekBefore, endOfShanghaiDay, nextDutyAssessmentAt, toCalendarDate } from '@app/domain';
import { processActivities } from './kernel/activity-proxies';
import { ApprovalKernel } from './kernel/approval-kernel';
import { decided, stepOf } from './kernel/process-steps';

export async function secretaryDispatchWorkflow(input: SecretaryDispatchWorkflowInput): Promise<ProcessState> {
  const { processId } = input;
  const acts = processActivities<KernelActivities & SecretaryDispatchActivities>();
  const kernel = new ApprovalKernel(processId);
  kernel.install();

  for (;;) {
    // 1. R8: may this role be dispatched to this institution now; who dispatches.
    const check = await acts.checkSecretaryDispatch(processId);
    if (!check.allowed || check.dispatchingOrgId === null) {
      await acts.finishProcess({ processId, status: 'FAILED', step: 'check', action: 'RULES_FAILED', findings: check.findings });
      return kernel.finish('FAILED', 'check');
    }

    // 2. The dispatching body approves.
    const approval = await kernel.runStep(stepOf(secretaryDispatch, 'approve', { candidates: [check.dispatchingOrgId] }));
    const approved = await kernel.follow(approval, 'approve');
    if (approved === 'AGAIN') continue;
    if (approved !== 'ON') return approved;
    const { actorId } = decided(approval);

    // 3. The dispatch exists; its duty loop runs on its own (it outlives this workflow).
    kernel.closeWithdrawal();
    const result = await acts.createDispatch({ processId, actorId, dispatchingOrgId: check.dispatchingOrgId });
    await acts.startDutyLoop({ dispatchId: result.dispatchId, dutyWorkflowId: result.dutyWorkflowId });
    await acts.finishProcess({ processId, status: 'APPROVED', step: 'done', action: 'APPROVED', actorId, result: { ...result } });
    return kernel.finish('APPROVED');
  }
}

/**
 * How many weeks one run of the duty loop assesses before it continues as new: 4 (about a month). A week costs
 * about ten history events (a timer, a local activity, workflow tasks), so a run stays near 40 events, however many
 * years the dispatch lasts, and a worker that lost its cache replays a month at most. Short runs also bring a
 * deploy to every running loop within a month: the new run starts on the new code, so a change to this loop needs
 * patched() only for the weeks of the run in flight. The loop's state is all in the database (the weeks, the
 * alerts and their unique keys); a run carries only the dispatch id. A Temporal Schedule was not chosen: the loop
 * must also end on the dispatch's end date or by a decision, which a workflow holds in one place (its timer and an
 * Update), and each assessment needs no schedule's catch-up semantics (a missed Monday is assessed on wake-up).
 */
export const DUTY_WEEKS_PER_RUN = 4;

/**
 * R9/R15: the weekly duty of one dispatch. Every Monday 00:00 Beijing time the week before is assessed (met, missed
 * or exempt; reminders and escalations each once, by unique keys in the database); the loop ends on the day after
 * the dispatch's end date, or when a decision ends it (`endDispatchUpdate`).
 */
export async function dispatchDutyWorkflow(input: DispatchDutyInput): Promise<DispatchDutyState> {
  const acts = processActivities<SecretaryDispatchActivities>();
  const perRun = input.weeksPerRun ?? DUTY_WEEKS_PER_RUN;
  const state: DispatchDutyState = { dispatchId: input.dispatchId, status: 'ACTIVE', nextAssessmentAt: null, weeksThisRun: 0, lastWeek: null };
  let endRequest: EndDispatchArgs | null = null;
  setHandler(dutyStateQuery, () => state);
  setHandler(
    endDispatchUpdate,
    async (args) => {
      endRequest ??= args;
      await condition(() => state.status === 'ENDED');
      return state;
    },
    {
      validator: (args) => {
        if (state.status === 'ENDED' || endRequest !== null) throw ApplicationFailure.create({ type: UPDATE_REFUSALS.PROCESS_CLOSED, message: '选派已结束', nonRetryable: true });
        if (typeof args?.reason !== 'string' || args.reason.trim() === '') throw ApplicationFailure.create({ type: UPDATE_REFUSALS.INVALID, message: 'reason', nonRetryable: true });
      },
    },
  );
  const finish = async (endedOn: string, reason: string, actorId: string | null): Promise<DispatchDutyState> => {
    await acts.endDispatch({ dispatchId: input.dispatchId, endedOn, reason, actorId });
    state.status = 'ENDED';
    state.nextAssessmentAt = null;
    await condition(allHandlersFinished);
    return state;
  };

  const dispatch = await acts.loadDispatch(input.dispatchId);
  if (dispatch.status === 'ENDED') {
    state.status = 'ENDED';
    return state;
  }
  // The dispatch runs through its end date: it ends at 00:00 Beijing time the day after.
  const endsAt = dispatch.to === null ? null : endOfShanghaiDay(dispatch.to).getTime() + 1;

  while (state.weeksThisRun < perRun && !workflowInfo().continueAsNewSuggested) {
    const monday = nextDutyAssessmentAt(Date.now());
    const wakeAt = endsAt === null ? monday : Math.min(monday, endsAt);
    state.nextAssessmentAt = wakeAt;
    if (await condition(() => endRequest !== null, Math.max(wakeAt - Date.now(), 1))) {
      const req = endRequest!;
      return finish(toCalendarDate(new Date(Date.now())), req.reason, req.actorId);
    }
    if (wakeAt === monday) {
      const week = dutyWeekBefore(monday);
      await acts.assessDutyWeek({ dispatchId: input.dispatchId, week });
      state.lastWeek = week;
      state.weeksThisRun += 1;
    }
    if (endsAt !== null && wakeAt === endsAt) return finish(dispatch.to!, '选派期满', null);
  }
  await condition(allHandlersFinished);
  return continueAsNew<typeof dispatchDutyWorkflow>({ dispatchId: input.dispatchId, ...(input.weeksPerRun !== undefined ? { weeksPerRun: input.weeksPerRun } : {}) });
}
