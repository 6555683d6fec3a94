/**
 * The approval kernel: the one human-task engine every process workflow uses.
 *
 * A step is configured by data (candidate organisations, mode, due date, CC) and returns one outcome. Decisions,
 * transfers, 加签, 取回, urging, withdrawal and resubmission arrive as Updates; each has a validator, so a refused
 * request never reaches history, and each handler returns only once the main loop has applied it (the API answers
 * after the workflow accepted the change). Deadlines are durable timers on the working-day calendar.
 *
 * Only `@temporalio/workflow`, the contracts and the pure domain library are imported here.
 */
import { ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
import {
  UPDATE_REFUSALS,
  addSignerUpdate,
  decideUpdate,
  pullBackUpdate,
  resubmitUpdate,
  stateQuery,
  transferUpdate,
  urgeUpdate,
  withdrawUpdate,
  type ActorArgs,
  type ApprovalPolicy,
  type DecisionArgs,
  type DecisionOutcome,
  type ProcessActivities,
  type ProcessState,
  type TransferArgs,
} from '@app/contracts';
import { DECISIONS, addDays, addWorkingDays, endOfShanghaiDay, startOfShanghaiDay, toCalendarDate, type Decision } from '@app/domain';

const acts = proxyActivities<ProcessActivities>({
  // Every activity is a few queries; a worker that dies mid-activity is detected and retried sooner.
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export type ApprovalMode = 'SINGLE' | 'ALL' | 'ANY' | 'SEQUENTIAL';

export interface StepSpec {
  stepId: string;
  title: string;
  mode: ApprovalMode;
  /** Candidate organisations, in order (SEQUENTIAL asks them one after another). */
  candidates: Array<string | null>;
  /** Due after this many calendar days, or (default) the policy's working days. */
  dueCalendarDays?: number;
  /** Organisations copied (抄送): notified, never asked. */
  cc?: string[];
}

export type StepOutcome =
  | { kind: 'DECIDED'; decision: Decision; returnTo: string | null; data: Record<string, unknown>; actorId: string; decisionId: string }
  | { kind: 'WITHDRAWN' };

interface OpenTask {
  taskId: string;
  stepId: string;
  candidateOrgId: string;
  escalatedOrgId: string | null;
  assigneeId: string | null;
  dueAt: number;
  /** Deadline events not yet fired, in time order: reminders, then the escalation at dueAt. */
  events: Array<{ at: number; kind: 'REMIND' | 'ESCALATE' }>;
}

interface StepRun {
  spec: StepSpec;
  mode: ApprovalMode;
  todo: string[];
  /** Where the next 后加签 goes in `todo`: several added after one task sign in the order they were added. */
  afterInsert: number;
  /** Who held an organisation's task when it was set aside (前加签, 取回): its reopened task goes back to them. */
  heldBy: Map<string, string>;
}

/** Since this patch a task reopened after 前加签 or 取回 goes back to the person who held it, not to the whole organisation. */
const REOPEN_KEEPS_ASSIGNEE = 'kernel-reopen-keeps-assignee';

interface Pending {
  kind: 'decide' | 'transfer' | 'addSigner' | 'pullBack' | 'urge' | 'withdraw' | 'resubmit';
  id: string;
  args: unknown;
}


function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export class ApprovalKernel {
  readonly state: ProcessState = { status: 'RUNNING', currentStep: 'submitted', openTaskId: null, openTaskIds: [] };
  private readonly open = new Map<string, OpenTask>();
  /** Tasks decided in the current SEQUENTIAL chain that their decider may still pull back (取回). */
  private readonly pullable = new Map<string, { actorId: string; orgId: string }>();
  private readonly queue: Pending[] = [];
  private readonly results = new Map<string, unknown>();
  private readonly errors = new Map<string, Error>();
  private policy: ApprovalPolicy | null = null;
  private lastUrgeAt: number | null = null;
  private run: StepRun | null = null;
  /** The decision that ended a step is answered after the process applied its effects (see `settle`). */
  private pending: { item: Pending; answer: (status?: ProcessState['status']) => void } | null = null;
  private withdrawRequested = false;
  private resubmissions = 0;
  /** Steps in the order they first ran: a RETURN may name one before the current step. */
  private readonly stepOrder: string[] = [];

  constructor(private readonly processId: string) {}

  /** Registers every Update and the state Query; call once, before the first await. */
  install(): void {
    setHandler(stateQuery, () => this.state);
    const enqueue = async (kind: Pending['kind'], id: string, args: unknown): Promise<unknown> => {
      this.queue.push({ kind, id, args });
      await condition(() => this.results.has(id) || this.errors.has(id));
      const err = this.errors.get(id);
      if (err) throw err;
      return this.results.get(id);
    };
    setHandler(decideUpdate, (args) => enqueue('decide', args.decisionId, args) as Promise<DecisionOutcome>, {
      validator: (args) => this.validateDecision(args),
    });
    setHandler(withdrawUpdate, (args) => enqueue('withdraw', uuid4(), args) as Promise<ProcessState>, {
      validator: (_args) => {
        if (!this.isOpen() || this.withdrawRequested || this.queue.some((q) => q.kind === 'decide')) {
          refuse(UPDATE_REFUSALS.PROCESS_CLOSED, '流程已有最终结果，无法撤回');
        }
      },
    });
    setHandler(resubmitUpdate, (args) => enqueue('resubmit', uuid4(), args) as Promise<ProcessState>, {
      validator: (_args) => {
        if (this.state.status !== 'RETURNED' || this.queue.some((q) => q.kind === 'resubmit')) refuse(UPDATE_REFUSALS.NOT_RETURNED, '流程未被退回，无需重新提交');
      },
    });
    setHandler(urgeUpdate, (args) => enqueue('urge', uuid4(), args) as Promise<ProcessState>, {
      validator: (_args) => {
        if (this.state.status !== 'RUNNING' || this.open.size === 0) refuse(UPDATE_REFUSALS.PROCESS_CLOSED, '当前没有待办可催办');
        const sameDay = this.lastUrgeAt !== null && toCalendarDate(new Date(this.lastUrgeAt)) === toCalendarDate(new Date(Date.now()));
        if (sameDay || this.queue.some((q) => q.kind === 'urge')) refuse(UPDATE_REFUSALS.URGE_LIMIT, '每个流程每天只能催办一次');
      },
    });
    setHandler(transferUpdate, (args) => enqueue('transfer', uuid4(), args) as Promise<ProcessState>, {
      validator: (args) => this.validateActorOnTask(args, args.taskId, args.kind === 'REASSIGN'),
    });
    setHandler(addSignerUpdate, (args) => enqueue('addSigner', uuid4(), args) as Promise<ProcessState>, {
      validator: (args) => {
        this.validateActorOnTask(args, args.taskId, false);
        // 加签 makes the step sequential; with several tasks open in parallel (会签/或签) there is no "after".
        if (this.open.size > 1) refuse(UPDATE_REFUSALS.INVALID, 'taskId');
        const asked = [...this.open.values()].map((t) => t.candidateOrgId).concat(this.run?.todo ?? []);
        if (asked.includes(args.orgId)) refuse(UPDATE_REFUSALS.INVALID, 'orgId');
      },
    });
    setHandler(pullBackUpdate, (args) => enqueue('pullBack', uuid4(), args) as Promise<ProcessState>, {
      validator: (args) => {
        const p = this.pullable.get(args.taskId);
        if (!p || p.actorId !== args.actorId) refuse(UPDATE_REFUSALS.NOT_PULLABLE, '只能取回本人作出且下一环节尚未办理的决定');
      },
    });
  }

  isOpen(): boolean {
    return this.state.status === 'RUNNING' || this.state.status === 'RETURNED';
  }

  private validateDecision(args: DecisionArgs): void {
    if (!DECISIONS.includes(args.decision)) refuse(UPDATE_REFUSALS.INVALID, 'decision');
    const task = this.open.get(args.taskId);
    if (this.state.status !== 'RUNNING' || !task || this.queue.some((q) => q.kind === 'decide' && (q.args as DecisionArgs).taskId === args.taskId)) {
      refuse(UPDATE_REFUSALS.TASK_NOT_OPEN, '该待办已办结或不存在');
    }
    this.validateActorOnTask(args, args.taskId, false);
    if (args.returnTo !== undefined && args.returnTo !== null) {
      // Only a RETURN names where it goes: the applicant, or a step that ran before the current one.
      const here = this.stepOrder.indexOf(this.state.currentStep);
      const there = this.stepOrder.indexOf(args.returnTo);
      if (args.decision !== 'RETURN' || (args.returnTo !== 'APPLICANT' && (there < 0 || there >= here))) refuse(UPDATE_REFUSALS.INVALID, 'returnTo');
    }
  }

  private validateActorOnTask(actor: ActorArgs, taskId: string, adminOnly: boolean): void {
    const task = this.open.get(taskId);
    if (!task || this.state.status !== 'RUNNING') refuse(UPDATE_REFUSALS.TASK_NOT_OPEN, '该待办已办结或不存在');
    if (actor.admin) return;
    if (adminOnly) refuse(UPDATE_REFUSALS.NOT_CANDIDATE, '只有管理员可以改派待办');
    const orgs = [task.candidateOrgId, task.escalatedOrgId].filter((o): o is string => o !== null);
    // A task assigned to one person: that person, or their deputy (委托) while the delegation runs.
    const allowed =
      task.assigneeId !== null
        ? task.assigneeId === actor.actorId || (actor.actsForUserIds ?? []).includes(task.assigneeId)
        : orgs.some((o) => actor.actorOrgIds.includes(o));
    if (!allowed) refuse(UPDATE_REFUSALS.NOT_CANDIDATE, '您不是该待办的办理人');
    if (this.policy?.selfApproval === 'SKIP' && actor.actorId === this.policy.applicantId) {
      refuse(UPDATE_REFUSALS.NOT_CANDIDATE, '申请人不能审批本人的申请');
    }
  }

  /** Runs one approval step to its outcome. */
  async runStep(spec: StepSpec): Promise<StepOutcome> {
    this.policy = await acts.loadApprovalPolicy(this.processId);
    const resolved = await acts.resolveCandidates({ processId: this.processId, step: spec.stepId, orgIds: spec.candidates });
    const chain = resolved.map((r) => r.orgId);
    this.state.currentStep = spec.stepId;
    if (!this.stepOrder.includes(spec.stepId)) this.stepOrder.push(spec.stepId);
    if (spec.cc?.length) await acts.notifyCc({ processId: this.processId, step: spec.stepId, orgIds: spec.cc });

    // `todo`: organisations still to ask, in order (SEQUENTIAL; 加签 inserts into it). 加签 turns any mode sequential.
    const run: StepRun = { spec, mode: spec.mode, todo: spec.mode === 'SEQUENTIAL' ? [...chain] : [], afterInsert: 0, heldBy: new Map() };
    this.run = run;
    if (run.mode === 'SEQUENTIAL' || run.mode === 'SINGLE') {
      await this.openTask(spec, run.mode === 'SINGLE' ? chain[0]! : run.todo.shift()!, null);
    } else {
      for (const org of chain) await this.openTask(spec, org, null);
    }

    for (;;) {
      const next = this.nextDeadline();
      const ready = (): boolean => this.queue.length > 0;
      const woke = next === null ? (await condition(ready), true) : await condition(ready, Math.max(next - Date.now(), 1));
      if (!woke) {
        await this.fireDeadlines();
        continue;
      }
      const item = this.queue.shift()!;
      try {
        const outcome = await this.apply(run, item);
        if (outcome) return outcome;
      } catch (err) {
        this.errors.set(item.id, err as Error);
      }
    }
  }

  /** Applies one queued request; returns the step's outcome when it is decided. */
  private async apply(run: StepRun, item: Pending): Promise<StepOutcome | null> {
    const { spec, todo } = run;
    switch (item.kind) {
      case 'withdraw': {
        const a = item.args as { actorId: string; reason: string };
        await acts.recordWithdrawal({ processId: this.processId, actorId: a.actorId, reason: a.reason });
        await this.closeAll(spec, 'withdrawn');
        this.withdrawRequested = true;
        this.answerAfterEffects(item);
        return { kind: 'WITHDRAWN' };
      }
      case 'urge': {
        const a = item.args as ActorArgs;
        this.lastUrgeAt = Date.now();
        await acts.recordUrge({ processId: this.processId, actorId: a.actorId, taskIds: [...this.open.keys()], urgeKey: uuid4() });
        this.results.set(item.id, this.state);
        return null;
      }
      case 'transfer': {
        const a = item.args as TransferArgs;
        const task = this.open.get(a.taskId)!;
        await acts.assignTask({
          processId: this.processId,
          taskId: a.taskId,
          step: spec.stepId,
          assigneeId: a.toUserId,
          actorId: a.actorId,
          kind: a.kind,
          comment: a.comment,
          ...(a.reference ? { reference: a.reference } : {}),
        });
        task.assigneeId = a.toUserId;
        this.results.set(item.id, this.state);
        return null;
      }
      case 'addSigner': {
        const a = item.args as { taskId: string; orgId: string; position: 'BEFORE' | 'AFTER'; actorId: string; comment: string };
        const task = this.open.get(a.taskId)!;
        await acts.recordAddSigner({ processId: this.processId, taskId: a.taskId, step: spec.stepId, orgId: a.orgId, position: a.position, actorId: a.actorId, comment: a.comment });
        if (a.position === 'AFTER') {
          todo.splice(run.afterInsert++, 0, a.orgId);
        } else {
          // 前加签: the added organisation decides first, then the task comes back to its candidate (and its holder).
          await this.closeTask(spec, task.taskId, 'add-signer-before');
          this.holdFor(run, task);
          todo.unshift(task.candidateOrgId);
          run.afterInsert = 0;
          await this.openTask(spec, a.orgId, a.actorId);
        }
        run.mode = 'SEQUENTIAL';
        this.results.set(item.id, this.state);
        return null;
      }
      case 'pullBack': {
        const a = item.args as { taskId: string; actorId: string; comment: string };
        const p = this.pullable.get(a.taskId)!;
        // Close whatever is open after it and give the decider a fresh task for the same organisation.
        for (const t of [...this.open.values()]) {
          todo.unshift(t.candidateOrgId);
          await this.closeTask(spec, t.taskId, 'pulled-back');
          this.holdFor(run, t);
        }
        this.pullable.delete(a.taskId);
        run.afterInsert = 0;
        await acts.reopenTask({ processId: this.processId, taskId: a.taskId, step: spec.stepId, actorId: a.actorId, comment: a.comment });
        // The decider took the decision back to redo it: the fresh task is theirs.
        await this.openTask(spec, p.orgId, null, patched(REOPEN_KEEPS_ASSIGNEE) ? p.actorId : null);
        this.results.set(item.id, this.state);
        return null;
      }
      case 'resubmit':
        this.errors.set(item.id, ApplicationFailure.create({ type: UPDATE_REFUSALS.NOT_RETURNED, message: '流程未被退回，无需重新提交' }));
        return null;
      case 'decide':
        return this.applyDecision(run, item);
    }
  }

  private async applyDecision(run: StepRun, item: Pending): Promise<StepOutcome | null> {
    const { spec, todo } = run;
    const d = item.args as DecisionArgs;
    const task = this.open.get(d.taskId)!;
    await acts.recordDecision({
      processId: this.processId,
      taskId: d.taskId,
      step: spec.stepId,
      decisionId: d.decisionId,
      decision: d.decision,
      comment: d.comment,
      actorId: d.actorId,
      data: d.data,
      onBehalfOfId: d.onBehalfOfId ?? null,
      attachments: d.attachments,
      ...(d.decision === 'RETURN' && d.returnTo ? { returnTo: d.returnTo } : {}),
    });
    this.forget(d.taskId);
    const decided = (): StepOutcome => ({ kind: 'DECIDED', decision: d.decision, returnTo: d.returnTo ?? null, data: d.data ?? {}, actorId: d.actorId, decisionId: d.decisionId });
    const answer = (status = this.state.status): void => {
      this.results.set(item.id, { decisionId: d.decisionId, taskId: d.taskId, decision: d.decision, status } satisfies DecisionOutcome);
    };
    if (d.decision !== 'APPROVE') {
      // REJECT or RETURN decides the step in every mode (会签: one REJECT decides).
      await this.closeAll(spec, 'decided-elsewhere');
      this.pending = { item, answer };
      return decided();
    }
    if (run.mode === 'ALL' && this.open.size > 0) {
      answer();
      return null;
    }
    if (run.mode === 'ANY') await this.closeAll(spec, 'decided-elsewhere');
    if (run.mode === 'SEQUENTIAL' && todo.length > 0) {
      this.pullable.clear();
      this.pullable.set(d.taskId, { actorId: d.actorId, orgId: task.candidateOrgId });
      run.afterInsert = 0;
      const nextOrg = todo.shift()!;
      await this.openTask(spec, nextOrg, null, this.heldAssignee(run, nextOrg));
      answer();
      return null;
    }
    this.pending = { item, answer };
    return decided();
  }

  /** A withdrawal is answered, like a final decision, once the process has recorded its outcome. */
  private answerAfterEffects(item: Pending): void {
    this.pending = { item, answer: () => this.results.set(item.id, { ...this.state }) };
  }

  /** Answers the Update that decided the last step, with the process status after its effects. */
  settle(): void {
    this.pending?.answer(this.state.status);
    this.pending = null;
    this.pullable.clear();
  }

  /** Waits for the applicant after a RETURN: a resubmission (with its new payload) or a withdrawal. */
  async awaitResubmission(): Promise<{ kind: 'RESUBMITTED'; payload: Record<string, unknown> } | { kind: 'WITHDRAWN' }> {
    this.state.status = 'RETURNED';
    this.state.currentStep = 'revise';
    this.settle();
    for (;;) {
      await condition(() => this.queue.length > 0);
      const item = this.queue.shift()!;
      if (item.kind === 'withdraw') {
        const a = item.args as { actorId: string; reason: string };
        await acts.recordWithdrawal({ processId: this.processId, actorId: a.actorId, reason: a.reason });
        this.withdrawRequested = true;
        this.answerAfterEffects(item);
        return { kind: 'WITHDRAWN' };
      }
      if (item.kind === 'resubmit') {
        const a = item.args as { actorId: string; payload: Record<string, unknown> };
        this.resubmissions += 1;
        await acts.applyResubmission({ processId: this.processId, actorId: a.actorId, payload: a.payload, round: this.resubmissions });
        this.state.status = 'RUNNING';
        this.results.set(item.id, this.state);
        return { kind: 'RESUBMITTED', payload: a.payload };
      }
      this.errors.set(item.id, ApplicationFailure.create({ type: UPDATE_REFUSALS.PROCESS_CLOSED, message: '流程已退回申请人修改' }));
    }
  }

  /** Marks the process finished for queries and answers, then lets in-flight handlers return. */
  async finish(status: ProcessState['status'], step = 'done'): Promise<ProcessState> {
    this.state.status = status;
    this.state.currentStep = step;
    this.state.openTaskId = null;
    this.state.openTaskIds = [];
    this.settle();
    for (const q of this.queue.splice(0)) this.errors.set(q.id, ApplicationFailure.create({ type: UPDATE_REFUSALS.PROCESS_CLOSED, message: '流程已结束' }));
    await condition(allHandlersFinished);
    return this.state;
  }

  // ------------------------------------------------------------------ tasks and deadlines

  /** Remembers who held a task set aside, so its organisation's next task goes back to them (patched behaviour). */
  private holdFor(run: StepRun, task: OpenTask): void {
    if (task.assigneeId !== null && patched(REOPEN_KEEPS_ASSIGNEE)) run.heldBy.set(task.candidateOrgId, task.assigneeId);
  }

  private heldAssignee(run: StepRun, orgId: string): string | null {
    const held = run.heldBy.get(orgId) ?? null;
    run.heldBy.delete(orgId);
    return held;
  }

  private async openTask(spec: StepSpec, orgId: string, addedBy: string | null, assigneeId: string | null = null): Promise<void> {
    const policy = this.policy!;
    const now = Date.now();
    const today = toCalendarDate(new Date(now));
    const dueDate = spec.dueCalendarDays !== undefined ? addDays(today, spec.dueCalendarDays) : addWorkingDays(today, policy.approvalStepWorkingDays, policy.holidays, policy.extraWorkdays);
    const dueAt = endOfShanghaiDay(dueDate).getTime();
    const reminders = [...new Set(policy.approvalReminderWorkingDaysBefore.map((n) => addWorkingDays(dueDate, -n, policy.holidays, policy.extraWorkdays)))]
      .filter((d) => d > today)
      // 09:00 Beijing time on the reminder day.
      .map((d) => startOfShanghaiDay(d).getTime() + 9 * 3600 * 1000)
      .filter((at) => at > now && at < dueAt)
      .sort((a, b) => a - b);
    const taskId = uuid4();
    // Known to the validators before the inbox row exists: someone may act the moment it appears.
    this.open.set(taskId, {
      taskId,
      stepId: spec.stepId,
      candidateOrgId: orgId,
      escalatedOrgId: null,
      assigneeId,
      dueAt,
      events: [...reminders.map((at) => ({ at, kind: 'REMIND' as const })), { at: dueAt, kind: 'ESCALATE' as const }],
    });
    const opened = await acts.openTask({
      taskId,
      processId: this.processId,
      step: spec.stepId,
      title: spec.title,
      candidateOrgId: orgId,
      dueAt: new Date(dueAt).toISOString(),
      mode: spec.mode,
      remindAt: reminders.map((r) => new Date(r).toISOString()),
      addedBy,
      ...(assigneeId !== null ? { assigneeId } : {}),
    });
    // The holder may have left the organisation meanwhile: the activity then opened the task to the organisation.
    const task = this.open.get(taskId);
    if (assigneeId !== null && task) task.assigneeId = opened?.assigneeId ?? null;
    this.syncState();
  }

  private nextDeadline(): number | null {
    let next: number | null = null;
    for (const t of this.open.values()) {
      const e = t.events[0];
      if (e && (next === null || e.at < next)) next = e.at;
    }
    return next;
  }

  private async fireDeadlines(): Promise<void> {
    const now = Date.now();
    for (const t of [...this.open.values()]) {
      while (t.events[0] && t.events[0].at <= now && this.open.has(t.taskId)) {
        const e = t.events.shift()!;
        if (e.kind === 'REMIND') {
          await acts.remindTask({ processId: this.processId, taskId: t.taskId, step: t.stepId, at: new Date(e.at).toISOString(), due: false });
        } else {
          await acts.markTaskOverdue({ processId: this.processId, taskId: t.taskId, step: t.stepId });
          const { escalatedToOrgId } = await acts.escalateTask({ processId: this.processId, taskId: t.taskId, step: t.stepId });
          t.escalatedOrgId = escalatedToOrgId;
        }
      }
    }
  }

  private async closeTask(spec: StepSpec, taskId: string, reason: string): Promise<void> {
    await acts.cancelTask({ processId: this.processId, taskId, step: spec.stepId, reason });
    this.forget(taskId);
  }

  private async closeAll(spec: StepSpec, reason: string): Promise<void> {
    for (const id of [...this.open.keys()]) await this.closeTask(spec, id, reason);
  }

  private forget(taskId: string): void {
    this.open.delete(taskId);
    this.syncState();
  }

  private syncState(): void {
    const ids = [...this.open.keys()];
    this.state.openTaskIds = ids;
    this.state.openTaskId = ids[0] ?? null;
  }
}

