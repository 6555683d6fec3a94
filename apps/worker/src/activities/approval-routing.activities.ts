import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { parseCandidate, type ApprovalPolicy, type KernelActivities, type ResolvedCandidate, type TaskDeadlineInput } from '@app/contracts';
import { InstitutionEntity, OrganizationEntity, ProcessEntity, SettingEntity, TaskEntity, TimelineWriter } from '@app/persistence';
import { Activity } from './activity.decorator';
import { ActivitySupport, activityEventKey } from './activity-support';
import { TaskNotifier } from './task-notifier.service';

type RoutingActivities = Pick<KernelActivities, 'loadApprovalPolicy' | 'resolveCandidates' | 'remindTask' | 'markTaskOverdue' | 'escalateTask'>;

/**
 * The approval kernel's routing and deadlines: the policy a step works with, who is asked when the named candidate
 * has nobody to act, reminders, overdue and escalation. Idempotent: timeline keys and email dedupe keys come from
 * the task, the reminder instant or the activity.
 */
@Injectable()
export class ApprovalRoutingActivities implements RoutingActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly timeline: TimelineWriter,
    private readonly support: ActivitySupport,
    private readonly notifier: TaskNotifier,
  ) {}

  @Activity()
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
   * A candidate with nobody who may act (an organisation without approvers, an institution without applicants, or
   * only the applicant under SKIP) hands the step up: an organisation to its parent, and up; an institution to its
   * township. The timeline says so.
   */
  @Activity()
  async resolveCandidates(input: { processId: string; step: string; orgIds: Array<string | null> }): Promise<ResolvedCandidate[]> {
    const policy = await this.loadApprovalPolicy(input.processId);
    const exclude = policy.selfApproval === 'SKIP' ? policy.applicantId : null;
    const m = this.ds.manager;
    const out: ResolvedCandidate[] = [];
    for (const [i, requested] of input.orgIds.entries()) {
      let key = requested;
      const { institutionId } = requested ? parseCandidate(requested) : { institutionId: null };
      if (institutionId && (await this.support.applicantsOf(m, institutionId, exclude)).length === 0) {
        key = (await m.getRepository(InstitutionEntity).findOneBy({ id: institutionId }))?.townshipOrgId ?? null;
      }
      while (key && parseCandidate(key).orgId && (await this.support.approversOf(m, key, exclude)).length === 0) {
        const org = await m.getRepository(OrganizationEntity).findOneBy({ id: key });
        if (!org?.parentId) break;
        key = org.parentId;
      }
      const final = key ?? requested;
      if (!final) throw new Error(`step ${input.step}: candidate ${i} has no organisation`);
      if (final !== requested) {
        await this.timeline.append(m, {
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

  @Activity()
  async remindTask(input: { processId: string; taskId: string; step: string; at: string; due: boolean }): Promise<void> {
    await this.notifier.notifyTaskPeople(input.processId, input.taskId, 'task-reminder', `remind:${input.taskId}:${input.at}`, async (m) => {
      await this.timeline.append(m, { eventKey: `remind:${input.taskId}:${input.at}`, processId: input.processId, step: input.step, action: 'REMINDED', data: { taskId: input.taskId } });
    });
  }

  @Activity()
  async markTaskOverdue(input: TaskDeadlineInput): Promise<void> {
    await this.notifier.notifyTaskPeople(input.processId, input.taskId, 'task-overdue', `task-overdue:${input.taskId}`, async (m) => {
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: input.taskId });
      await m.update(TaskEntity, { id: input.taskId }, { overdue: true });
      await this.timeline.append(m, { eventKey: `overdue:${input.taskId}`, processId: input.processId, step: input.step, action: 'TASK_OVERDUE', data: { dueAt: task.dueAt.toISOString() } });
    });
  }

  /** Past due, the task is escalated: its organisation's parent (an institution's township) may act on it too. */
  @Activity()
  async escalateTask(input: { processId: string; taskId: string; step: string }): Promise<{ escalatedToOrgId: string | null }> {
    let parent: string | null = null;
    await this.ds.transaction(async (m) => {
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: input.taskId });
      parent = task.candidateOrgId
        ? ((await m.getRepository(OrganizationEntity).findOneBy({ id: task.candidateOrgId }))?.parentId ?? null)
        : ((await m.getRepository(InstitutionEntity).findOneBy({ id: task.candidateInstitutionId ?? '' }))?.townshipOrgId ?? null);
      if (parent) await m.update(TaskEntity, { id: task.id }, { escalatedOrgId: parent });
      await this.timeline.append(m, {
        eventKey: `escalated:${input.taskId}`,
        processId: input.processId,
        step: input.step,
        action: parent ? 'ESCALATED' : 'ESCALATION_UNROUTABLE',
        data: { taskId: input.taskId, fromOrgId: task.candidateOrgId, ...(task.candidateInstitutionId ? { fromInstitutionId: task.candidateInstitutionId } : {}), toOrgId: parent },
      });
    });
    if (parent) await this.notifier.notifyOrg(input.processId, input.taskId, parent, 'task-escalated', `escalated:${input.taskId}`);
    return { escalatedToOrgId: parent };
  }
}
