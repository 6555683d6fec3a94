/**
 * The kernel's Update validators, as pure functions of a read-only view of its state. A refused request never
 * reaches the workflow's history. The same checks run again when a queued request is applied (the state may have
 * moved on while it waited), so they are one piece of code for both.
 */
import { ApplicationFailure } from '@temporalio/common';
import { UPDATE_REFUSALS, parseCandidate, taskActorOf, type ActorArgs, type AddSignerArgs, type ApprovalPolicy, type DecisionArgs, type PullBackArgs } from '@app/contracts';
import { DECISIONS, taskAuthority, toCalendarDate, type ProcessStatus, type TaskAuthority } from '@app/domain';
import type { OpenTask, Pending, StepRun } from './kernel-types';

export interface KernelView {
  readonly status: ProcessStatus;
  readonly currentStep: string;
  readonly open: ReadonlyMap<string, OpenTask>;
  /** Tasks with a decision accepted and not yet answered (closed to a second decision). */
  readonly deciding: ReadonlySet<string>;
  readonly queue: readonly Pending[];
  readonly pullable: ReadonlyMap<string, { actorId: string; orgId: string }>;
  readonly policy: ApprovalPolicy | null;
  readonly stepOrder: readonly string[];
  readonly run: StepRun | null;
  readonly withdrawRequested: boolean;
  readonly withdrawalClosed: boolean;
  readonly lastUrgeAt: number | null;
}

export function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

const isOpen = (v: KernelView): boolean => v.status === 'RUNNING' || v.status === 'RETURNED';

/** The task still open to requests: not decided, and no decision for it accepted and on its way in. */
export function openTaskOrRefuse(v: KernelView, taskId: string): OpenTask {
  const task = v.open.get(taskId);
  if (!task || v.deciding.has(taskId) || v.status !== 'RUNNING') refuse(UPDATE_REFUSALS.TASK_NOT_OPEN, '该待办已办结或不存在');
  return task;
}

/**
 * The actor may act on the task (libs/domain's taskAuthority, the rule the API applies too). An admin may reassign
 * any task; requests recorded before decisions stopped carrying `admin` keep their old meaning.
 */
export function authorityOrRefuse(v: KernelView, task: OpenTask, actor: ActorArgs, adminOnly: boolean): TaskAuthority & { allowed: true } {
  if (actor.admin) return { allowed: true, onBehalfOfId: null };
  if (adminOnly) refuse(UPDATE_REFUSALS.NOT_CANDIDATE, '只有管理员可以改派待办');
  const { orgId, institutionId } = parseCandidate(task.candidateOrgId);
  const authority = taskAuthority(
    { candidateOrgId: orgId, candidateInstitutionId: institutionId, escalatedOrgId: task.escalatedOrgId, assigneeId: task.assigneeId },
    taskActorOf(actor),
    { applicantId: v.policy?.applicantId ?? '', selfApproval: v.policy?.selfApproval ?? 'SKIP' },
  );
  if (!authority.allowed) refuse(UPDATE_REFUSALS.NOT_CANDIDATE, authority.message);
  return authority;
}

export function validateDecision(v: KernelView, args: DecisionArgs): void {
  const spec = v.run?.spec;
  const allowed = spec?.decisions ?? DECISIONS;
  if (!allowed.includes(args.decision)) refuse(UPDATE_REFUSALS.INVALID, 'decision');
  if (v.withdrawRequested || v.queue.some((q) => q.kind === 'withdraw')) refuse(UPDATE_REFUSALS.PROCESS_CLOSED, '申请人已撤回该流程');
  authorityOrRefuse(v, openTaskOrRefuse(v, args.taskId), args, false);
  if (spec?.dataKeys) {
    const extra = Object.keys(args.data ?? {}).find((k) => !spec.dataKeys!.includes(k));
    if (extra !== undefined) refuse(UPDATE_REFUSALS.INVALID, `data.${extra}`);
  }
  if (args.returnTo !== undefined && args.returnTo !== null) {
    // Only a RETURN names where it goes: the applicant, or a step that ran before the current one.
    const here = v.stepOrder.indexOf(v.currentStep);
    const there = v.stepOrder.indexOf(args.returnTo);
    if (args.decision !== 'RETURN' || (args.returnTo !== 'APPLICANT' && (there < 0 || there >= here))) refuse(UPDATE_REFUSALS.INVALID, 'returnTo');
  }
}

export function validateWithdraw(v: KernelView): void {
  if (!isOpen(v) || v.withdrawRequested || v.withdrawalClosed || v.deciding.size > 0) refuse(UPDATE_REFUSALS.PROCESS_CLOSED, '流程已有最终结果，无法撤回');
}

export function validateResubmit(v: KernelView): void {
  if (v.status !== 'RETURNED' || v.queue.some((q) => q.kind === 'resubmit')) refuse(UPDATE_REFUSALS.NOT_RETURNED, '流程未被退回，无需重新提交');
}

export function validateUrge(v: KernelView, now: number): void {
  if (v.status !== 'RUNNING' || v.open.size === 0) refuse(UPDATE_REFUSALS.PROCESS_CLOSED, '当前没有待办可催办');
  const sameDay = v.lastUrgeAt !== null && toCalendarDate(new Date(v.lastUrgeAt)) === toCalendarDate(new Date(now));
  if (sameDay || v.queue.some((q) => q.kind === 'urge')) refuse(UPDATE_REFUSALS.URGE_LIMIT, '每个流程每天只能催办一次');
}

export function validateAddSigner(v: KernelView, args: AddSignerArgs): void {
  authorityOrRefuse(v, openTaskOrRefuse(v, args.taskId), args, false);
  // 加签 makes the step sequential; with several tasks open in parallel (会签/或签) there is no "after".
  if (v.open.size > 1) refuse(UPDATE_REFUSALS.INVALID, 'taskId');
  const asked = [...v.open.values()].map((t) => t.candidateOrgId).concat(v.run?.todo ?? []);
  if (asked.includes(args.orgId)) refuse(UPDATE_REFUSALS.INVALID, 'orgId');
}

/** 取回 only while the next approver has not acted: nothing decided after it, and no decision on its way in. */
export function validatePullBack(v: KernelView, args: PullBackArgs): { actorId: string; orgId: string } {
  const p = v.pullable.get(args.taskId);
  if (!p || p.actorId !== args.actorId || v.deciding.size > 0) refuse(UPDATE_REFUSALS.NOT_PULLABLE, '只能取回本人作出且下一环节尚未办理的决定');
  return p;
}
