import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ApprovalPolicy, ProcessActivities, ResolvedCandidate } from '@app/contracts';
import { OrganizationEntity, ProcessEntity, SettingEntity, TaskEntity, TimelineWriter, UserEntity, type JsonObject } from '@app/persistence';
import { NotificationService, type NotificationRequest, type TemplateName } from '@app/notifications';
import { ActivitySupport, activityEventKey, fmtDue } from './activity-support';

export type KernelActivities = Pick<
  ProcessActivities,
  | 'loadApprovalPolicy'
  | 'resolveCandidates'
  | 'cancelTask'
  | 'reopenTask'
  | 'remindTask'
  | 'escalateTask'
  | 'assignTask'
  | 'recordAddSigner'
  | 'notifyCc'
  | 'recordUrge'
  | 'applyResubmission'
>;

/**
 * The approval kernel's effects (workflows/kernel/approval-kernel.ts). Idempotent like every activity: task
 * updates are conditional, timeline keys and email dedupe keys come from the task, the date or the activity.
 */
@Injectable()
export class ApprovalActivitiesService implements KernelActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly notifications: NotificationService,
    private readonly timeline: TimelineWriter,
    private readonly support: ActivitySupport,
  ) {}

  async loadApprovalPolicy(processId: string): Promise<ApprovalPolicy> {
    const [policy, process, rows] = await Promise.all([
      this.support.settings.policy(),
      this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: processId }),
      this.ds.getRepository(SettingEntity).findBy([{ key: 'calendar' }, { key: 'approval' }]),
    ]);
    const calendar = (rows.find((r) => r.key === 'calendar')?.value ?? {}) as { holidays?: string[]; extraWorkdays?: string[] };
    const approval = (rows.find((r) => r.key === 'approval')?.value ?? {}) as { selfApproval?: 'SKIP' | 'ALLOW' };
    return {
      holidays: calendar.holidays ?? [],
      extraWorkdays: calendar.extraWorkdays ?? [],
      approvalStepWorkingDays: policy.approvalStepWorkingDays,
      approvalReminderWorkingDaysBefore: policy.approvalReminderWorkingDaysBefore,
      selfApproval: approval.selfApproval ?? 'SKIP',
      applicantId: process.applicantId,
    };
  }

  /**
   * An organisation with nobody who may act (no approver, or only the applicant under SKIP) hands the step to
   * its parent, and up; the timeline says so and the admin sees it on /admin/overdue's unroutable list.
   */
  async resolveCandidates(input: { processId: string; step: string; orgIds: Array<string | null> }): Promise<ResolvedCandidate[]> {
    const policy = await this.loadApprovalPolicy(input.processId);
    const exclude = policy.selfApproval === 'SKIP' ? policy.applicantId : null;
    const out: ResolvedCandidate[] = [];
    for (const [i, requested] of input.orgIds.entries()) {
      let orgId = requested;
      while (orgId && (await this.support.approversOf(this.ds.manager, orgId, exclude)).length === 0) {
        const org = await this.ds.getRepository(OrganizationEntity).findOneBy({ id: orgId });
        if (!org?.parentId) break;
        orgId = org.parentId;
      }
      const final = orgId ?? requested;
      if (!final) throw new Error(`step ${input.step}: candidate ${i} has no organisation`);
      if (final !== requested) {
        await this.timeline.append(this.ds.manager, {
          eventKey: activityEventKey(`no-candidate-${i}`),
          processId: input.processId,
          step: input.step,
          action: 'NO_CANDIDATE_ESCALATED',
          data: { requestedOrgId: requested, orgId: final },
        });
      }
      out.push({ requestedOrgId: requested, orgId: final, escalatedFrom: final !== requested ? requested : null });
    }
    return out;
  }

  async cancelTask(input: { processId: string; taskId: string; step: string; reason: string }): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.update(TaskEntity, { id: input.taskId, status: 'OPEN' }, { status: 'CANCELLED', comment: input.reason });
      await this.timeline.append(m, { eventKey: `task-cancelled:${input.taskId}`, processId: input.processId, step: input.step, action: 'TASK_CANCELLED', data: { taskId: input.taskId, reason: input.reason } });
    });
  }

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

  async remindTask(input: { processId: string; taskId: string; step: string; at: string; due: boolean }): Promise<void> {
    await this.notifyTaskPeople(input.processId, input.taskId, 'task-reminder', `remind:${input.taskId}:${input.at}`, async (m) => {
      await this.timeline.append(m, { eventKey: `remind:${input.taskId}:${input.at}`, processId: input.processId, step: input.step, action: 'REMINDED', data: { taskId: input.taskId } });
    });
  }

  async escalateTask(input: { processId: string; taskId: string; step: string }): Promise<{ escalatedToOrgId: string | null }> {
    let parent: string | null = null;
    await this.ds.transaction(async (m) => {
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: input.taskId });
      parent = (await m.getRepository(OrganizationEntity).findOneBy({ id: task.candidateOrgId }))?.parentId ?? null;
      if (parent) await m.update(TaskEntity, { id: task.id }, { escalatedOrgId: parent });
      await this.timeline.append(m, {
        eventKey: `escalated:${input.taskId}`,
        processId: input.processId,
        step: input.step,
        action: parent ? 'ESCALATED' : 'ESCALATION_UNROUTABLE',
        data: { taskId: input.taskId, fromOrgId: task.candidateOrgId, toOrgId: parent },
      });
    });
    if (parent) await this.notifyOrg(input.processId, input.taskId, parent, 'task-escalated', `escalated:${input.taskId}`);
    return { escalatedToOrgId: parent };
  }

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
      if (user) await this.notifyUsers(input.processId, input.taskId, [user], 'task-opened', key);
    }
  }

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

  async recordUrge(input: { processId: string; actorId: string; taskIds: string[]; urgeKey: string }): Promise<void> {
    await this.timeline.append(this.ds.manager, { eventKey: `urge:${input.urgeKey}`, processId: input.processId, step: 'urge', actorId: input.actorId, action: 'URGED', data: { taskIds: input.taskIds } });
    for (const taskId of input.taskIds) await this.notifyTaskPeople(input.processId, taskId, 'task-urged', `urge:${input.urgeKey}:${taskId}`);
  }

  /** The resubmitted request replaces the returned one (merging would keep fields the applicant dropped, e.g. a secretary). */
  async applyResubmission(input: { processId: string; actorId: string; payload: Record<string, unknown>; round: number }): Promise<void> {
    await this.ds.transaction(async (m) => {
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      await m.update(ProcessEntity, { id: process.id }, { payload: input.payload as JsonObject, status: 'RUNNING', currentStep: 'submitted' });
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

  /** Emails whoever may act on the task now: its assignee, else the approvers of its (and its escalation) organisation. */
  private async notifyTaskPeople(processId: string, taskId: string, template: TemplateName, key: string, inTx?: (m: EntityManager) => Promise<void>): Promise<void> {
    const staged = await this.ds.transaction(async (m) => {
      if (inTx) await inTx(m);
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
      if (task.status !== 'OPEN') return [];
      const people = task.assigneeId
        ? await m.getRepository(UserEntity).findBy({ id: task.assigneeId })
        : [...(await this.support.approversOf(m, task.candidateOrgId)), ...(task.escalatedOrgId ? await this.support.approversOf(m, task.escalatedOrgId) : [])];
      return this.stageTaskEmails(m, processId, task, people, template, key);
    });
    await this.notifications.enqueue(staged);
  }

  private async notifyOrg(processId: string, taskId: string, orgId: string, template: TemplateName, key: string): Promise<void> {
    const staged = await this.ds.transaction(async (m) => {
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
      return this.stageTaskEmails(m, processId, task, await this.support.approversOf(m, orgId), template, key);
    });
    await this.notifications.enqueue(staged);
  }

  private async notifyUsers(processId: string, taskId: string, users: UserEntity[], template: TemplateName, key: string): Promise<void> {
    const staged = await this.ds.transaction(async (m) => {
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
      return this.stageTaskEmails(m, processId, task, users, template, key);
    });
    await this.notifications.enqueue(staged);
  }

  private async stageTaskEmails(m: EntityManager, processId: string, task: TaskEntity, people: UserEntity[], template: TemplateName, key: string): Promise<string[]> {
    const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
    const vars = await this.support.processVars(m, process);
    const requests: Array<NotificationRequest<TemplateName>> = [];
    for (const u of await this.support.withDeputies(m, people)) {
      requests.push({
        dedupeKey: `${key}:${u.id}`,
        template,
        to: u.email,
        processId,
        vars: { ...vars, recipientName: u.displayName, stepTitle: task.title, dueAt: fmtDue(task.dueAt.toISOString()), taskUrl: await this.support.taskLink(m, task.id, u.id) },
      });
    }
    return this.notifications.stage(m, requests);
  }
}
