import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type {
  FinishProcessInput,
  OpenTaskInput,
  OpenTaskResult,
  ProcessActivities,
  RecordDecisionInput,
  RuleCheck,
  TaskDeadlineInput,
} from '@app/contracts';
import { evaluateEstablishBranch, institutionFacts, termEnd, type PartyOrgKind } from '@app/domain';
import {
  InstitutionEntity,
  OrganizationEntity,
  PartyMemberEntity,
  ProcessEntity,
  SettingsService,
  TaskEntity,
  TimelineWriter,
  UserEntity,
} from '@app/persistence';
import { DECISION_LABELS, NotificationService, PROCESS_TITLES, type NotificationRequest, type TemplateName } from '@app/notifications';
import type { KernelActivities } from './approval-activities.service';
import type { SecretarySuccessionActivities } from './secretary-succession.activities';
import { ActivitySupport, activityEventKey, fmtDue, shanghaiDate } from './activity-support';


const FINAL = new Set(['APPROVED', 'REJECTED', 'WITHDRAWN', 'FAILED']);

/**
 * Every effect of a process workflow. Each method is idempotent: it may run again after a worker crash or a
 * retry, so writes are upserts keyed by ids the workflow chose, and emails go through the outbox with keys
 * derived from the task or decision they are about.
 */
@Injectable()
export class ProcessActivitiesService implements Omit<ProcessActivities, keyof KernelActivities | keyof SecretarySuccessionActivities> {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly settings: SettingsService,
    private readonly notifications: NotificationService,
    private readonly timeline: TimelineWriter,
    private readonly support: ActivitySupport,
  ) {}

  async checkEstablishBranch(processId: string): Promise<RuleCheck> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: process.institutionId ?? '' });
    const memberIds = (process.payload.memberIds as string[] | undefined) ?? [];
    const members = memberIds.length ? await this.ds.getRepository(PartyMemberEntity).findBy({ id: In(memberIds) }) : [];
    const verdict = evaluateEstablishBranch(
      { institution: institutionFacts(inst), members, elderly: process.payload.elderly === true },
      await this.settings.policy(),
    );
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('rules-checked'),
      processId,
      step: 'check',
      action: verdict.allowed ? 'RULES_PASSED' : 'RULES_FAILED',
      data: { findings: verdict.findings, responsibleBodyId: verdict.responsibleBodyId },
    });
    return verdict;
  }

  async openTask(input: OpenTaskInput): Promise<OpenTaskResult> {
    const { staged, assigneeId } = await this.ds.transaction(async (m) => {
      const p = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      // A task reopened for its former holder goes to them only while they are still an active approver of its
      // organisation; otherwise (they left, or an admin had lent it across organisations) to the organisation.
      const holder = input.assigneeId
        ? await m.getRepository(UserEntity).findOne({ where: { id: input.assigneeId, active: true } })
        : null;
      const intended = holder && holder.roles.includes('APPROVER') && holder.organizationIds.includes(input.candidateOrgId) ? holder.id : null;
      const row: Omit<TaskEntity, 'createdAt' | 'overdue' | 'decision' | 'decisionId' | 'decidedById' | 'decidedAt' | 'comment'> = {
        id: input.taskId,
        processId: input.processId,
        kind: p.kind,
        step: input.step,
        title: input.title,
        candidateOrgId: input.candidateOrgId,
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
      const assigneeId = (await m.getRepository(TaskEntity).findOneByOrFail({ id: input.taskId })).assigneeId;
      await m.update(ProcessEntity, { id: p.id }, { currentStep: input.step });
      await this.timeline.append(m, {
        eventKey: `task-opened:${input.taskId}`,
        processId: p.id,
        step: input.step,
        action: 'TASK_OPENED',
        data: { taskId: input.taskId, candidateOrgId: input.candidateOrgId, dueAt: input.dueAt, ...(assigneeId ? { assigneeId } : {}) },
      });
      const vars = await this.support.processVars(m, p);
      const approvers = await this.support.withDeputies(
        m,
        assigneeId ? [holder?.id === assigneeId ? holder : await m.getRepository(UserEntity).findOneByOrFail({ id: assigneeId })] : await this.support.approversOf(m, input.candidateOrgId),
      );
      const requests: Array<NotificationRequest<TemplateName>> = [];
      for (const u of approvers) {
        requests.push({
          dedupeKey: `task-opened:${input.taskId}:${u.id}`,
          template: 'task-opened',
          to: u.email,
          processId: p.id,
          vars: { ...vars, recipientName: u.displayName, stepTitle: input.title, dueAt: fmtDue(input.dueAt), taskUrl: await this.support.taskLink(m, input.taskId, u.id) },
        });
      }
      return { staged: await this.notifications.stage(m, requests), assigneeId };
    });
    await this.notifications.enqueue(staged);
    return { assigneeId };
  }

  async recordDecision(input: RecordDecisionInput): Promise<void> {
    const staged = await this.ds.transaction(async (m) => {
      await m
        .createQueryBuilder()
        .update(TaskEntity)
        .set({ status: 'COMPLETED', decision: input.decision, decisionId: input.decisionId, decidedById: input.actorId, decidedAt: () => 'now()', comment: input.comment })
        .where('id = :id AND status = :open', { id: input.taskId, open: 'OPEN' })
        .execute();
      await this.timeline.append(m, {
        eventKey: `decision:${input.decisionId}`,
        processId: input.processId,
        step: input.step,
        actorId: input.actorId,
        onBehalfOfId: input.onBehalfOfId ?? null,
        action: input.decision,
        comment: input.comment,
        data: {
          ...(input.data ?? {}),
          taskId: input.taskId,
          ...(input.attachments?.length ? { attachments: input.attachments } : {}),
        },
      });
      if (input.attachments?.length) {
        // Same transaction as the event; a retry finds the rows already carrying this decision and changes nothing.
        await m.query(`UPDATE attachments SET decision_id = $1 WHERE id = ANY($2::uuid[]) AND task_id = $3 AND decision_id IS NULL`, [
          input.decisionId,
          input.attachments.map((a) => a.id),
          input.taskId,
        ]);
      }
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const [applicant, actor] = await Promise.all([
        m.getRepository(UserEntity).findOneBy({ id: process.applicantId }),
        m.getRepository(UserEntity).findOneBy({ id: input.actorId }),
      ]);
      if (!applicant) return [];
      // A RETURN to the applicant asks them to revise; one to an earlier step only tells them where it went.
      const toEarlierStep = input.decision === 'RETURN' && input.returnTo !== undefined && input.returnTo !== 'APPLICANT';
      return this.notifications.stage(m, [
        {
          dedupeKey: `decided:${input.decisionId}:${applicant.id}`,
          template: input.decision === 'RETURN' && !toEarlierStep ? 'returned' : 'decided',
          to: applicant.email,
          processId: process.id,
          vars: {
            ...(await this.support.processVars(m, process)),
            recipientName: applicant.displayName,
            decisionLabel: toEarlierStep ? '退回前序环节重新审核' : (DECISION_LABELS[input.decision] ?? input.decision),
            actorName: actor?.displayName ?? '',
            comment: input.comment,
            processUrl: this.support.processUrl(process.id),
          },
        },
      ]);
    });
    await this.notifications.enqueue(staged);
  }

  async cancelOpenTasks(input: { processId: string; reason: string }): Promise<void> {
    await this.ds.getRepository(TaskEntity).update({ processId: input.processId, status: 'OPEN' }, { status: 'CANCELLED', comment: input.reason });
  }

  async createPartyOrganizationForProcess(input: { processId: string; parentOrgId: string; secretaryMemberId?: string | null }): Promise<{ partyOrganizationId: string }> {
    const settings = await this.settings.policy();
    return this.ds.transaction(async (m) => {
      const existing = await m.getRepository(OrganizationEntity).findOneBy({ createdByProcessId: input.processId });
      if (existing) return { partyOrganizationId: existing.id };
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const elderly = process.payload.elderly === true;
      const kind: PartyOrgKind = elderly ? 'ELDERLY_BRANCH' : 'BRANCH';
      const start = shanghaiDate(new Date());
      const secretary = input.secretaryMemberId ?? (process.payload.secretaryMemberId as string | undefined) ?? null;
      const org = await m.getRepository(OrganizationEntity).save({
        name: String(process.payload.name),
        kind,
        parentId: input.parentOrgId,
        institutionId: process.institutionId,
        termStart: start,
        termEnd: termEnd(start, kind, settings),
        secretaryMemberId: secretary,
        createdByProcessId: input.processId,
      });
      if (!elderly && process.institutionId) {
        await m.update(InstitutionEntity, { id: process.institutionId }, { partyOrganizationId: org.id });
      }
      await this.timeline.append(m, {
        eventKey: `org-created:${input.processId}`,
        processId: input.processId,
        step: 'done',
        action: 'ORGANIZATION_CREATED',
        data: { partyOrganizationId: org.id, kind, termStart: org.termStart, termEnd: org.termEnd },
      });
      return { partyOrganizationId: org.id };
    });
  }

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
          ...(FINAL.has(input.status) ? { closedAt: () => 'now()' } : {}),
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

  async markTaskOverdue(input: TaskDeadlineInput): Promise<void> {
    const staged = await this.ds.transaction(async (m) => {
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: input.taskId });
      await m.update(TaskEntity, { id: input.taskId }, { overdue: true });
      await this.timeline.append(m, { eventKey: `overdue:${input.taskId}`, processId: input.processId, step: input.step, action: 'TASK_OVERDUE', data: { dueAt: task.dueAt.toISOString() } });
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const vars = await this.support.processVars(m, process);
      const approvers = await this.support.approversOf(m, task.candidateOrgId);
      const requests: Array<NotificationRequest<TemplateName>> = [];
      for (const u of approvers) {
        requests.push({
          dedupeKey: `task-overdue:${input.taskId}:${u.id}`,
          template: 'task-overdue',
          to: u.email,
          processId: process.id,
          vars: { ...vars, recipientName: u.displayName, stepTitle: task.title, dueAt: fmtDue(task.dueAt.toISOString()), taskUrl: await this.support.taskLink(m, task.id, u.id) },
        });
      }
      return this.notifications.stage(m, requests);
    });
    await this.notifications.enqueue(staged);
  }

  async recordWithdrawal(input: { processId: string; actorId: string; reason: string }): Promise<void> {
    const staged = await this.ds.transaction(async (m) => {
      await this.timeline.append(m, {
        eventKey: activityEventKey('withdrawn'),
        processId: input.processId,
        step: 'withdraw',
        actorId: input.actorId,
        action: 'WITHDRAWN',
        comment: input.reason,
      });
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const vars = await this.support.processVars(m, process);
      const requests: Array<NotificationRequest<TemplateName>> = [];
      for (const task of await m.getRepository(TaskEntity).findBy({ processId: input.processId, status: 'OPEN' })) {
        for (const u of await this.support.approversOf(m, task.candidateOrgId)) {
          requests.push({
            dedupeKey: `withdrawn:${task.id}:${u.id}`,
            template: 'withdrawn',
            to: u.email,
            processId: process.id,
            vars: { ...vars, recipientName: u.displayName, reason: input.reason },
          });
        }
      }
      return this.notifications.stage(m, requests);
    });
    await this.notifications.enqueue(staged);
  }
}
