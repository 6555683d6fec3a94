/**
 * The approval kernel: the one human-task engine every process workflow uses.
 *
 * A step is configured by data (candidates, mode, due date, CC, the decisions and decision data it accepts) and
 * returns one outcome. Decisions, transfers, 加签, 取回, urging, withdrawal and resubmission arrive as Updates; each
 * has a validator (validators.ts), so a refused request never reaches history, and each handler returns only once
 * the loop has applied it (the API answers after the workflow accepted the change). Deadlines are durable timers
 * on the working-day calendar (deadlines.ts).
 *
 * The decision that ends a step is answered once the process has applied its effects: at the process's next call
 * into the kernel (the next step, waiting for a resubmission, or `finish`), so a workflow cannot forget to.
 *
 * Only `@temporalio/workflow`, the contracts and the pure domain library are imported here.
 */
import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, patched, setHandler, uuid4 } from '@temporalio/workflow';
import {
  ACTIVITY_FAILURES,
  UPDATE_REFUSALS,
  addSignerUpdate,
  decideUpdate,
  pullBackUpdate,
  resubmitUpdate,
  stateQuery,
  transferUpdate,
  urgeUpdate,
  withdrawUpdate,
  type ApprovalPolicy,
  type DecisionOutcome,
  type KernelActivities,
  type ProcessState,
} from '@app/contracts';
import { LOCAL_ACTIVITIES_PATCH, localActivities, remoteActivities } from './activity-proxies';
import { taskDeadlines } from './deadlines';
import type { OpenTask, Pending, StepOutcome, StepRun, StepSpec } from './kernel-types';
import {
  authorityOrRefuse,
  openTaskOrRefuse,
  refuse,
  validateAddSigner,
  validateDecision,
  validatePullBack,
  validateResubmit,
  validateUrge,
  validateWithdraw,
  type KernelView,
} from './validators';

export type { ApprovalMode, StepOutcome, StepSpec } from './kernel-types';

const remote = remoteActivities<KernelActivities>();
const local = localActivities<KernelActivities>();

/** Since this patch a task reopened after 前加签 or 取回 goes back to the person who held it, not to the whole organisation. */
const REOPEN_KEEPS_ASSIGNEE = 'kernel-reopen-keeps-assignee';

/**
 * What a request's Update answers when applying it failed. An activity that the database refused the request's
 * data (DataError, never retried) refuses the request: nothing was recorded and the process stays where it was.
 */
function refusalOf(err: unknown): Error {
  // An ordinary activity's failure arrives as ActivityFailure with the activity's error as its cause; a local
  // activity's may arrive as that error itself.
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === ACTIVITY_FAILURES.DATA_ERROR) {
    return ApplicationFailure.create({ type: UPDATE_REFUSALS.DATA_REFUSED, message: '提交的内容无法保存，请检查后重试', nonRetryable: true });
  }
  return err as Error;
}

export class ApprovalKernel implements KernelView {
  readonly state: ProcessState = { status: 'RUNNING', currentStep: 'submitted', openTaskId: null, openTaskIds: [] };
  readonly open = new Map<string, OpenTask>();
  /** Tasks decided in the current SEQUENTIAL chain that their decider may still pull back (取回). */
  readonly pullable = new Map<string, { actorId: string; orgId: string }>();
  readonly queue: Pending[] = [];
  /**
   * Tasks with a decision accepted and not yet answered. A task is closed to a second decision from the moment the
   * first is accepted (its validator ran), not only once it is recorded: the loop takes a decision off the queue
   * before its activities run, and a second decision arriving meanwhile must not find the task still open.
   */
  readonly deciding = new Set<string>();
  private readonly results = new Map<string, unknown>();
  private readonly errors = new Map<string, Error>();
  policy: ApprovalPolicy | null = null;
  lastUrgeAt: number | null = null;
  run: StepRun | null = null;
  /** The decision that ended a step (or a withdrawal) is answered after the process applied its effects. */
  private pending: { answer: () => void } | null = null;
  withdrawRequested = false;
  /** Set once the process has made effects a withdrawal cannot undo (e.g. the organisation exists). */
  withdrawalClosed = false;
  private resubmissions = 0;
  /** Steps in the order they first ran: a RETURN may name one before the current step. */
  readonly stepOrder: string[] = [];

  constructor(private readonly processId: string) {}

  get status(): ProcessState['status'] {
    return this.state.status;
  }

  get currentStep(): string {
    return this.state.currentStep;
  }

  /** The kernel's effects: local activities for runs started since the patch, ordinary ones for earlier runs. */
  private acts: KernelActivities = remote;

  /** Registers every Update and the state Query; call once, before the first await. */
  install(): void {
    if (patched(LOCAL_ACTIVITIES_PATCH)) this.acts = local;
    setHandler(stateQuery, () => this.state);
    const enqueue = async <P extends Pending>(p: P): Promise<unknown> => {
      this.queue.push(p);
      await condition(() => this.results.has(p.id) || this.errors.has(p.id));
      const err = this.errors.get(p.id);
      if (err) throw err;
      return this.results.get(p.id);
    };
    setHandler(
      decideUpdate,
      async (args) => {
        // Runs right after its validator, before any other update of the same activation is validated.
        this.deciding.add(args.taskId);
        try {
          return (await enqueue({ kind: 'decide', id: args.decisionId, args })) as DecisionOutcome;
        } finally {
          // Answered: the task is closed (or, if the decision was refused, open to another one again).
          this.deciding.delete(args.taskId);
        }
      },
      { validator: (args) => validateDecision(this, args) },
    );
    setHandler(withdrawUpdate, (args) => enqueue({ kind: 'withdraw', id: uuid4(), args }) as Promise<ProcessState>, { validator: (_args) => validateWithdraw(this) });
    setHandler(resubmitUpdate, (args) => enqueue({ kind: 'resubmit', id: uuid4(), args }) as Promise<ProcessState>, { validator: (_args) => validateResubmit(this) });
    setHandler(urgeUpdate, (args) => enqueue({ kind: 'urge', id: uuid4(), args }) as Promise<ProcessState>, { validator: (_args) => validateUrge(this, Date.now()) });
    setHandler(transferUpdate, (args) => enqueue({ kind: 'transfer', id: uuid4(), args }) as Promise<ProcessState>, {
      validator: (args) => void authorityOrRefuse(this, openTaskOrRefuse(this, args.taskId), args, args.kind === 'REASSIGN'),
    });
    setHandler(addSignerUpdate, (args) => enqueue({ kind: 'addSigner', id: uuid4(), args }) as Promise<ProcessState>, { validator: (args) => validateAddSigner(this, args) });
    setHandler(pullBackUpdate, (args) => enqueue({ kind: 'pullBack', id: uuid4(), args }) as Promise<ProcessState>, { validator: (args) => void validatePullBack(this, args) });
  }

  isOpen(): boolean {
    return this.state.status === 'RUNNING' || this.state.status === 'RETURNED';
  }

  /** From now on the applicant can no longer withdraw (the process has a final decision and acts on it). */
  closeWithdrawal(): void {
    this.withdrawalClosed = true;
  }

  /**
   * Runs one approval step to its outcome. Its set-up runs as ordinary activities: the decision that ended the
   * previous step is answered with the workflow task that schedules them, not after them (a local activity would
   * hold that workflow task, and the answer with it, until it finished).
   */
  async runStep(spec: StepSpec): Promise<StepOutcome> {
    this.settle();
    const setup = remote;
    this.policy = await setup.loadApprovalPolicy(this.processId);
    const resolved = await setup.resolveCandidates({ processId: this.processId, step: spec.stepId, orgIds: spec.candidates });
    const chain = resolved.map((r) => r.orgId);
    this.state.currentStep = spec.stepId;
    if (!this.stepOrder.includes(spec.stepId)) this.stepOrder.push(spec.stepId);
    if (spec.cc?.length) await setup.notifyCc({ processId: this.processId, step: spec.stepId, orgIds: spec.cc });

    // `todo`: candidates still to ask, in order (SEQUENTIAL; 加签 inserts into it). 加签 turns any mode sequential.
    const run: StepRun = { spec, mode: spec.mode, todo: spec.mode === 'SEQUENTIAL' ? [...chain] : [], afterInsert: 0, heldBy: new Map() };
    this.run = run;
    if (run.mode === 'SEQUENTIAL' || run.mode === 'SINGLE') {
      await this.openTask(spec, run.mode === 'SINGLE' ? chain[0]! : run.todo.shift()!, null, null, setup);
    } else {
      for (const org of chain) await this.openTask(spec, org, null, null, setup);
    }

    for (;;) {
      const next = this.nextDeadline(spec);
      const ready = (): boolean => this.queue.length > 0;
      const woke = next === null ? (await condition(ready), true) : await condition(ready, Math.max(next - Date.now(), 1));
      if (!woke) {
        if (spec.expiresAt !== undefined && Date.now() >= spec.expiresAt) {
          await this.closeAll(spec, 'expired');
          return { kind: 'EXPIRED' };
        }
        await this.fireDeadlines();
        continue;
      }
      const item = this.queue.shift()!;
      try {
        const outcome = await this.apply(run, item);
        if (outcome) return outcome;
      } catch (err) {
        this.errors.set(item.id, refusalOf(err));
      }
    }
  }

  /** Applies one queued request; returns the step's outcome when it is decided. Each re-checks what it needs. */
  private async apply(run: StepRun, item: Pending): Promise<StepOutcome | null> {
    const { spec, todo } = run;
    switch (item.kind) {
      case 'withdraw': {
        const a = item.args;
        await this.acts.recordWithdrawal({ processId: this.processId, actorId: a.actorId, reason: a.reason });
        await this.closeAll(spec, 'withdrawn');
        this.withdrawRequested = true;
        this.answerAfterEffects(item);
        return { kind: 'WITHDRAWN' };
      }
      case 'urge': {
        this.lastUrgeAt = Date.now();
        await this.acts.recordUrge({ processId: this.processId, actorId: item.args.actorId, taskIds: [...this.open.keys()], urgeKey: uuid4() });
        this.results.set(item.id, this.state);
        return null;
      }
      case 'transfer': {
        const a = item.args;
        // A request queued behind another may find the task decided or moved meanwhile.
        const task = openTaskOrRefuse(this, a.taskId);
        authorityOrRefuse(this, task, a, a.kind === 'REASSIGN');
        await this.acts.assignTask({
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
        const a = item.args;
        const task = openTaskOrRefuse(this, a.taskId);
        authorityOrRefuse(this, task, a, false);
        await this.acts.recordAddSigner({ processId: this.processId, taskId: a.taskId, step: spec.stepId, orgId: a.orgId, position: a.position, actorId: a.actorId, comment: a.comment });
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
        const a = item.args;
        const p = validatePullBack(this, a);
        // Close whatever is open after it and give the decider a fresh task for the same organisation.
        for (const t of [...this.open.values()]) {
          todo.unshift(t.candidateOrgId);
          await this.closeTask(spec, t.taskId, 'pulled-back');
          this.holdFor(run, t);
        }
        this.pullable.delete(a.taskId);
        run.afterInsert = 0;
        await this.acts.reopenTask({ processId: this.processId, taskId: a.taskId, step: spec.stepId, actorId: a.actorId, comment: a.comment });
        // The decider took the decision back to redo it: the fresh task is theirs.
        await this.openTask(spec, p.orgId, null, patched(REOPEN_KEEPS_ASSIGNEE) ? p.actorId : null);
        this.results.set(item.id, this.state);
        return null;
      }
      case 'resubmit':
        refuse(UPDATE_REFUSALS.NOT_RETURNED, '流程未被退回，无需重新提交');
        return null;
      case 'decide':
        return this.applyDecision(run, item);
    }
  }

  private async applyDecision(run: StepRun, item: Extract<Pending, { kind: 'decide' }>): Promise<StepOutcome | null> {
    const { spec, todo } = run;
    const d = item.args;
    // Defence in depth: the validator closed the task to other decisions; applying one re-checks it is still open
    // (and that the actor may still act on it) before any activity runs.
    const task = this.open.get(d.taskId);
    if (!task || this.state.status !== 'RUNNING') refuse(UPDATE_REFUSALS.TASK_NOT_OPEN, '该待办已办结或不存在');
    const authority = authorityOrRefuse(this, task, d, false);
    await this.acts.recordDecision({
      processId: this.processId,
      taskId: d.taskId,
      step: spec.stepId,
      decisionId: d.decisionId,
      decision: d.decision,
      comment: d.comment,
      actorId: d.actorId,
      data: d.data,
      // Worked out here for requests that carry the actor's delegations; earlier ones said it themselves.
      onBehalfOfId: d.standsInFor ? authority.onBehalfOfId : (d.onBehalfOfId ?? null),
      attachments: d.attachments,
      ...(d.decision === 'RETURN' && d.returnTo ? { returnTo: d.returnTo } : {}),
    });
    this.forget(d.taskId);
    const decided: StepOutcome = { kind: 'DECIDED', decision: d.decision, returnTo: d.returnTo ?? null, data: d.data ?? {}, actorId: d.actorId, decisionId: d.decisionId };
    const answer = (): void => {
      this.results.set(item.id, { decisionId: d.decisionId, taskId: d.taskId, decision: d.decision, status: this.state.status } satisfies DecisionOutcome);
    };
    if (d.decision !== 'APPROVE') {
      // REJECT or RETURN decides the step in every mode (会签: one REJECT decides).
      await this.closeAll(spec, 'decided-elsewhere');
      this.pending = { answer };
      return decided;
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
    this.pending = { answer };
    return decided;
  }

  /** A withdrawal is answered, like a final decision, once the process has recorded its outcome. */
  private answerAfterEffects(item: Pending): void {
    this.pending = { answer: () => this.results.set(item.id, { ...this.state }) };
  }

  /**
   * Answers the Update that decided the last step (or withdrew), with the process status after its effects. Called
   * by the kernel itself on the process's next call into it; a workflow may call it earlier.
   */
  settle(): void {
    this.pending?.answer();
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
      try {
        if (item.kind === 'withdraw') {
          await this.acts.recordWithdrawal({ processId: this.processId, actorId: item.args.actorId, reason: item.args.reason });
          this.withdrawRequested = true;
          this.answerAfterEffects(item);
          return { kind: 'WITHDRAWN' };
        }
        if (item.kind === 'resubmit') {
          const a = item.args;
          await this.acts.applyResubmission({ processId: this.processId, actorId: a.actorId, payload: a.payload, round: this.resubmissions + 1 });
          this.resubmissions += 1;
          this.state.status = 'RUNNING';
          this.results.set(item.id, this.state);
          return { kind: 'RESUBMITTED', payload: a.payload };
        }
        refuse(UPDATE_REFUSALS.PROCESS_CLOSED, '流程已退回申请人修改');
      } catch (err) {
        this.errors.set(item.id, refusalOf(err));
      }
    }
  }

  /** Ends the process REJECTED, WITHDRAWN or FAILED at `step`: its record first, then the answers. */
  async end(status: 'REJECTED' | 'WITHDRAWN' | 'FAILED', step: string, actorId: string | null = null): Promise<ProcessState> {
    await this.acts.finishProcess({ processId: this.processId, status, step, action: status, actorId });
    return this.finish(status, step);
  }

  /**
   * The usual reading of an approval step's outcome: a withdrawal or a REJECT ends the process; a RETURN waits for
   * the applicant ('AGAIN' once resubmitted, ended WITHDRAWN otherwise); an approval goes 'ON'.
   */
  async follow(outcome: StepOutcome, step: string): Promise<'ON' | 'AGAIN' | ProcessState> {
    if (outcome.kind !== 'DECIDED') return this.end('WITHDRAWN', step);
    if (outcome.decision === 'REJECT') return this.end('REJECTED', 'done', outcome.actorId);
    if (outcome.decision === 'RETURN') {
      await this.acts.finishProcess({ processId: this.processId, status: 'RETURNED', step: 'revise', action: 'RETURNED', actorId: outcome.actorId });
      return (await this.awaitResubmission()).kind === 'RESUBMITTED' ? 'AGAIN' : this.end('WITHDRAWN', 'revise');
    }
    return 'ON';
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

  private async openTask(spec: StepSpec, orgId: string, addedBy: string | null, assigneeId: string | null = null, fx: KernelActivities = this.acts): Promise<void> {
    const now = Date.now();
    const { dueAt, remindAt } = taskDeadlines(now, this.policy!, spec.dueCalendarDays);
    const taskId = uuid4();
    // Known to the validators before the inbox row exists: someone may act the moment it appears.
    this.open.set(taskId, {
      taskId,
      stepId: spec.stepId,
      candidateOrgId: orgId,
      escalatedOrgId: null,
      assigneeId,
      dueAt,
      events: [...remindAt.map((at) => ({ at, kind: 'REMIND' as const })), { at: dueAt, kind: 'ESCALATE' as const }],
    });
    const opened = await fx.openTask({
      taskId,
      processId: this.processId,
      step: spec.stepId,
      title: spec.title,
      candidateOrgId: orgId,
      dueAt: new Date(dueAt).toISOString(),
      mode: spec.mode,
      remindAt: remindAt.map((r) => new Date(r).toISOString()),
      addedBy,
      ...(assigneeId !== null ? { assigneeId } : {}),
    });
    // The holder may have left the organisation meanwhile: the activity then opened the task to the organisation.
    const task = this.open.get(taskId);
    if (assigneeId !== null && task) task.assigneeId = opened?.assigneeId ?? null;
    this.syncState();
  }

  private nextDeadline(spec: StepSpec): number | null {
    let next: number | null = spec.expiresAt ?? null;
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
          await this.acts.remindTask({ processId: this.processId, taskId: t.taskId, step: t.stepId, at: new Date(e.at).toISOString(), due: false });
        } else {
          await this.acts.markTaskOverdue({ processId: this.processId, taskId: t.taskId, step: t.stepId });
          const { escalatedToOrgId } = await this.acts.escalateTask({ processId: this.processId, taskId: t.taskId, step: t.stepId });
          t.escalatedOrgId = escalatedToOrgId;
        }
      }
    }
  }

  private async closeTask(spec: StepSpec, taskId: string, reason: string): Promise<void> {
    await this.acts.cancelTask({ processId: this.processId, taskId, step: spec.stepId, reason });
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
