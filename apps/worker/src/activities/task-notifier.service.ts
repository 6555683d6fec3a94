import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ProcessEntity, TaskEntity, UserEntity } from '@app/persistence';
import { NotificationService, type NotificationRequest, type TemplateName } from '@app/notifications';
import { ActivitySupport, fmtDue } from './activity-support';

/**
 * Task emails (opened, reminders, overdue, escalation, urge, assignment): staged in the outbox in the caller's
 * transaction with a dedupe key per recipient, so a retried activity never sends one twice, and sent to whoever
 * stands in for a recipient today (委托) too.
 */
@Injectable()
export class TaskNotifier {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly notifications: NotificationService,
    private readonly support: ActivitySupport,
  ) {}

  /** Whoever may act on the task now: its assignee, else its candidate's people and its escalation organisation's. */
  async notifyTaskPeople(processId: string, taskId: string, template: TemplateName, key: string, inTx?: (m: EntityManager) => Promise<void>): Promise<void> {
    await this.stageAndSend(async (m) => {
      if (inTx) await inTx(m);
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
      if (task.status !== 'OPEN') return [];
      const people = task.assigneeId
        ? await m.getRepository(UserEntity).findBy({ id: task.assigneeId })
        : [...(await this.support.candidatePeople(m, task)), ...(task.escalatedOrgId ? await this.support.approversOf(m, task.escalatedOrgId) : [])];
      return this.stageTaskEmails(m, processId, task, people, template, key);
    });
  }

  async notifyOrg(processId: string, taskId: string, orgId: string, template: TemplateName, key: string): Promise<void> {
    await this.stageAndSend(async (m) => {
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
      return this.stageTaskEmails(m, processId, task, await this.support.approversOf(m, orgId), template, key);
    });
  }

  async notifyUsers(processId: string, taskId: string, users: UserEntity[], template: TemplateName, key: string): Promise<void> {
    await this.stageAndSend(async (m) => {
      const task = await m.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
      return this.stageTaskEmails(m, processId, task, users, template, key);
    });
  }

  /** One email per person (and per deputy of theirs), each with the task's one-click link of its own. */
  async stageTaskEmails(m: EntityManager, processId: string, task: TaskEntity, people: UserEntity[], template: TemplateName, key: string): Promise<string[]> {
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

  private async stageAndSend(stage: (m: EntityManager) => Promise<string[]>): Promise<void> {
    await this.notifications.enqueue(await this.ds.transaction(stage));
  }
}
