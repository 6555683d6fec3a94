import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { parseCandidate, processTitle, type FinishProcessInput, type KernelActivities, type OpenTaskInput, type OpenTaskResult, type RecordDecisionInput } from '@app/contracts';
import { ProcessEntity, TaskEntity, TimelineWriter, UserEntity, type JsonObject } from '@app/persistence';
import { DECISION_LABELS, NotificationService, type NotificationRequest, type TemplateName } from '@app/notifications';
import { Activity } from './activity.decorator';
import { ActivitySupport, activityEventKey } from './activity-support';
import { TaskNotifier } from './task-notifier.service';

type LifecycleActivities = Omit<KernelActivities, 'loadApprovalPolicy' | 'resolveCandidates' | 'remindTask' | 'markTaskOverdue' | 'escalateTask'>;

const FINAL = new Set(['APPROVED', 'REJECTED', 'WITHDRAWN', 'FAILED']);

/** Keys of a decision's timeline data that only the system writes; decision data of that name is dropped. */
const SYSTEM_KEYS = new Set(['taskId', 'attachments']);

/**
 * The approval kernel's effects on tasks and processes (workflows/kernel/approval-kernel.ts): open, decide, cancel,
 * reopen, assign, 加签, urge, CC, withdraw, resubmit, finish. Idempotent like every activity: task updates are
 * conditional, inserts ignore an existing row, timeline keys and email dedupe keys come from the task, the
 * decision or the activity.
 */
@Injectable()
export class ApprovalActivities implements LifecycleActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly notifications: NotificationService,
    private readonly timeline: TimelineWriter,
    private readonly support: ActivitySupport,
    private readonly notifier: TaskNotifier,
  ) {}

  /** The inbox row, its timeline event and the emails to whoever may act, in one transaction. */
  @Activity()
  async openTask(input: OpenTaskInput): Promise<OpenTaskResult> {
    const candidate = parseCandidate(input.candidateOrgId);
    const { staged, assigneeId } = await this.ds.transaction(async (m) => {
      const p = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      // A task reopened for its former holder goes to them only while they are still an active approver of its
      // organisation; otherwise (they left, or an admin had lent it across organisations) to the organisation.
      const holder = input.assigneeId ? await m.getRepository(UserEntity).findOne({ where: { id: input.assigneeId, active: true } }) : null;
      const intended = holder && candidate.orgId && holder.roles.includes('APPROVER') && holder.organizationIds.includes(candidate.orgId) ? holder.id : null;
      const row: Omit<TaskEntity, 'createdAt' | 'overdue' | 'decision' | 'decisionId' | 'decidedById' | 'decidedAt' | 'comment'> = {
        id: input.taskId,
        processId: input.processId,
        kind: p.kind,
        step: input.step,
        title: input.title,
        candidateOrgId: candidate.orgId,
        candidateInstitutionId: candidate.institutionId,
        dueAt: new Date(input.dueAt),
        status: 'OPEN',
        payloadSummary: { name: p.payload.name, institutionId: p.institutionId, memberCount: (p.payload.memberIds as unknown[] | undefined)?.length ?? 0 },
        mode: input.mode ?? null,
        remindAt: input.remindAt ?? [],
        escalatedOrgId: null,
        addedBy: input.addedBy ?? null,
        assigneeId: intended,
      };
      await m.createQueryBuilder().insert().into(TaskEntity).values(row as TaskEntity).orIgnore().execute();
      // A retried activity answers with what the first attempt stored.
      const stored = await m.getRepository(TaskEntity).findOneByOrFail({ id: input.taskId });
      await m.update(ProcessEntity, { id: p.id }, { currentStep: input.step });
      await this.timeline.append(m, {
        eventKey: `task-opened:${input.taskId}`,
        processId: p.id,
        step: input.step,
        action: 'TASK_OPENED',
        data: {
          taskId: input.taskId,
          candidateOrgId: candidate.orgId,
          ...(candidate.institutionId ? { candidateInstitutionId: candidate.institutionId } : {}),
          dueAt: input.dueAt,
          ...(stored.assigneeId ? { assigneeId: stored.assigneeId } : {}),
        },
      });
      const people = stored.assigneeId
        ? [holder?.id === stored.assigneeId ? holder : await m.getRepository(UserEntity).findOneByOrFail({ id: stored.assigneeId })]
        : await this.support.candidatePeople(m, stored);
      return { staged: await this.notifier.stageTaskEmails(m, p.id, stored, people, 'task-opened', `task-opened:${input.taskId}`), assigneeId: stored.assigneeId };
    });
    await this.notifications.enqueue(staged);
    return { assigneeId };
  }

  /** The task closed with its decision, the timeline event, the attachments marked and the applicant told. */
  @Activity()
  async recordDecision(input: RecordDecisionInput): Promise<void> {
    const staged = await this.ds.transaction(async (m) => {
      await m
        .createQueryBuilder()
        .update(TaskEntity)
        .set({ status: 'COMPLETED', decision: input.decision, decisionId: input.decisionId, decidedById: input.actorId, decidedAt: () => 'now()', comment: input.comment })
        .where('id = :id AND status = :open', { id: input.taskId, open: 'OPEN' })
        .execute();
      const userData = Object.fromEntries(Object.entries(input.data ?? {}).filter(([k]) => !SYSTEM_KEYS.has(k)));
      await this.timeline.append(m, {
        eventKey: `decision:${input.decisionId}`,
        processId: input.processId,
        step: input.step,
        actorId: input.actorId,
        onBehalfOfId: input.onBehalfOfId ?? null,
        action: input.decision,
        comment: input.comment,
        data: { ...(userData as JsonObject), taskId: input.taskId, ...(input.attachments?.length ? { attachments: input.attachments } : {}) },
      });
      if (input.attachments?.length) {
        // Same transaction as the event; a retry finds the rows already carrying this decision and changes nothing.
        await m.query(`UPDATE attachments SET decision_id = $1 WHERE id = ANY($2::uuid[]) AND task_id = $3 AND decision_id IS NULL`, [
          input.decisionId,
          input.attachments.map((a) => a.id),
          input.taskId,
        ]);
      }
      // Who is told, in one read: the applicant, the deciding person's name, the institution.
      const [who] = (await m.query(
        `SELECT p.kind, p.applicant_id AS "applicantId", a.email, a.display_name AS "applicantName", a.active, x.display_name AS "actorName", i.name AS "institutionName"
           FROM processes p JOIN users a ON a.id = p.applicant_id LEFT JOIN users x ON x.id = $2 LEFT JOIN institutions i ON i.id = p.institution_id
          WHERE p.id = $1`,
        [input.processId, input.actorId],
      )) as Array<{ kind: string; applicantId: string; email: string; applicantName: string; active: boolean; actorName: string | null; institutionName: string | null }>;
      // The system's own processes (an inactive applicant) tell nobody.
      if (!who?.active) return [];
      // A RETURN to the applicant asks them to revise; one to an earlier step only tells them where it went.
      const toEarlierStep = input.decision === 'RETURN' && input.returnTo !== undefined && input.returnTo !== 'APPLICANT';
      return this.notifications.stage(m, [
        {
          dedupeKey: `decided:${input.decisionId}:${who.applicantId}`,
          template: input.decision === 'RETURN' && !toEarlierStep ? 'returned' : 'decided',
          to: who.email,
          processId: input.processId,
          vars: {
            processTitle: processTitle(who.kind),
            institutionName: who.institutionName ?? '',
            recipientName: who.applicantName,
            decisionLabel: toEarlierStep ? '退回前序环节重新审核' : (DECISION_LABELS[input.decision] ?? input.decision),
            actorName: who.actorName ?? '',
            comment: input.comment,
            processUrl: this.support.processUrl(input.processId),
          },
        },
      ]);
    });
    await this.notifications.enqueue(staged);
  }

  @Activity()
  async cancelTask(input: { processId: string; taskId: string; step: string; reason: string }): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.update(TaskEntity, { id: input.taskId, status: 'OPEN' }, { status: 'CANCELLED', comment: input.reason });
      await this.timeline.append(m, { eventKey: `task-cancelled:${input.taskId}`, processId: input.processId, step: input.step, action: 'TASK_CANCELLED', data: { taskId: input.taskId, reason: input.reason } });
    });
  }

  @Activity()
  async reopenTask(input: { processId: string; taskId: string; step: string; actorId: string; comment: string }): Promise<void> {
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('pulled-back'),
      processId: input.processId,
      step: input.step,
      actorId: input.actorId,
      action: 'PULLED_BACK',
      comment: input.comment,
      data: { taskId: input.taskId },
    });
  }

  @Activity()
  async assignTask(input: { processId: string; taskId: string; step: string; assigneeId: string | null; actorId: string; kind: 'TRANSFER' | 'REASSIGN'; comment: string; reference?: string }): Promise<void> {
    const key = activityEventKey('assigned');
    await this.ds.transaction(async (m) => {
      await m.update(TaskEntity, { id: input.taskId, status: 'OPEN' }, { assigneeId: input.assigneeId });
      await this.timeline.append(m, {
        eventKey: key,
        processId: input.processId,
        step: input.step,
        actorId: input.actorId,
        action: input.kind === 'TRANSFER' ? 'TRANSFERRED' : 'REASSIGNED',
        comment: input.comment,
        data: { taskId: input.taskId, toUserId: input.assigneeId, ...(input.reference ? { reference: input.reference } : {}) },
      });
    });
    if (input.assigneeId) {
      const user = await this.ds.getRepository(UserEntity).findOneBy({ id: input.assigneeId });
      if (user) await this.notifier.notifyUsers(input.processId, input.taskId, [user], 'task-opened', key);
    }
  }

  @Activity()
  async recordAddSigner(input: { processId: string; taskId: string; step: string; orgId: string; position: 'BEFORE' | 'AFTER'; actorId: string; comment: string }): Promise<void> {
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('add-signer'),
      processId: input.processId,
      step: input.step,
      actorId: input.actorId,
      action: input.position === 'BEFORE' ? 'ADD_SIGNER_BEFORE' : 'ADD_SIGNER_AFTER',
      comment: input.comment,
      data: { taskId: input.taskId, orgId: input.orgId },
    });
  }

  /** 抄送: the organisations are told about the step; they are never asked. */
  @Activity()
  async notifyCc(input: { processId: string; step: string; orgIds: string[] }): Promise<void> {
    const key = activityEventKey('cc');
    const staged = await this.ds.transaction(async (m) => {
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      await this.timeline.append(m, { eventKey: key, processId: input.processId, step: input.step, action: 'CC', data: { orgIds: input.orgIds } });
      const vars = await this.support.processVars(m, process);
      const requests: Array<NotificationRequest<TemplateName>> = [];
      for (const orgId of input.orgIds) {
        for (const u of await this.support.approversOf(m, orgId)) {
          requests.push({ dedupeKey: `${key}:${u.id}`, template: 'cc', to: u.email, processId: process.id, vars: { ...vars, recipientName: u.displayName, stepTitle: input.step, processUrl: this.support.processUrl(process.id) } });
        }
      }
      return this.notifications.stage(m, requests);
    });
    await this.notifications.enqueue(staged);
  }

  @Activity()
  async recordUrge(input: { processId: string; actorId: string; taskIds: string[]; urgeKey: string }): Promise<void> {
    await this.timeline.append(this.ds.manager, { eventKey: `urge:${input.urgeKey}`, processId: input.processId, step: 'urge', actorId: input.actorId, action: 'URGED', data: { taskIds: input.taskIds } });
    for (const taskId of input.taskIds) await this.notifier.notifyTaskPeople(input.processId, taskId, 'task-urged', `urge:${input.urgeKey}:${taskId}`);
  }

  /** The withdrawal in the timeline, and the people asked so far told. */
  @Activity()
  async recordWithdrawal(input: { processId: string; actorId: string; reason: string }): Promise<void> {
    const staged = await this.ds.transaction(async (m) => {
      await this.timeline.append(m, { eventKey: activityEventKey('withdrawn'), processId: input.processId, step: 'withdraw', actorId: input.actorId, action: 'WITHDRAWN', comment: input.reason });
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const vars = await this.support.processVars(m, process);
      const requests: Array<NotificationRequest<TemplateName>> = [];
      for (const task of await m.getRepository(TaskEntity).findBy({ processId: input.processId, status: 'OPEN' })) {
        for (const u of await this.support.candidatePeople(m, task)) {
          requests.push({ dedupeKey: `withdrawn:${task.id}:${u.id}`, template: 'withdrawn', to: u.email, processId: process.id, vars: { ...vars, recipientName: u.displayName, reason: input.reason } });
        }
      }
      return this.notifications.stage(m, requests);
    });
    await this.notifications.enqueue(staged);
  }

  /** The resubmitted request replaces the returned one (merging would keep fields the applicant dropped, e.g. a secretary). */
  @Activity()
  async applyResubmission(input: { processId: string; actorId: string; payload: Record<string, unknown>; round: number }): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.update(ProcessEntity, { id: input.processId }, { payload: input.payload as JsonObject, status: 'RUNNING', currentStep: 'submitted' });
      await this.timeline.append(m, {
        eventKey: `resubmitted:${input.processId}:${input.round}`,
        processId: input.processId,
        step: 'submitted',
        actorId: input.actorId,
        action: 'RESUBMITTED',
        data: input.payload as JsonObject,
      });
    });
  }

  /** The process's status and step (final or not), its result, and the timeline event saying so. */
  @Activity()
  async finishProcess(input: FinishProcessInput): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.update(
        ProcessEntity,
        { id: input.processId },
        {
          status: input.status,
          currentStep: input.step,
          ...(input.result !== undefined ? { result: input.result } : {}),
          ...(input.findings ? { findings: input.findings } : {}),
          ...((input.closes ?? FINAL.has(input.status)) ? { closedAt: () => 'now()' } : {}),
        },
      );
      await this.timeline.append(m, {
        eventKey: activityEventKey(`finish-${input.status}`),
        processId: input.processId,
        step: input.step,
        actorId: input.actorId ?? null,
        action: `STATUS_${input.status}`,
        comment: input.comment ?? null,
        data: input.result ?? null,
      });
    });
  }
}
