import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { addSignerUpdate, pullBackUpdate, transferUpdate, type ProcessState } from '@app/contracts';
import { OrganizationEntity, ProcessEntity, SettingEntity, TaskEntity, UserEntity } from '@app/persistence';
import type { UpdateDefinition } from '@temporalio/common';
import { TemporalClientService } from '@app/temporal';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { badRequest, conflict, fieldError, forbidden, notFound } from '../common/errors';
import { mapUpdateError } from '../processes/workflow-errors';
import { ActorContextService } from './actor-context.service';
import type { AddSignerDto, BatchDecisionDto, ReassignDto, TransferDto } from './tasks.dto';
import { TasksService } from './tasks.service';

/** Everything an approver or admin does to a task besides deciding it; each goes through the workflow. */
@Injectable()
export class TaskActionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly temporal: TemporalClientService,
    private readonly actors: ActorContextService,
    private readonly tasks: TasksService,
  ) {}

  /** 转交: to another approver of the task's organisation. */
  async transfer(user: AuthUser, taskId: string, dto: TransferDto): Promise<TaskEntity> {
    const { task, ctx } = await this.openTaskFor(user, taskId);
    const target = await this.ds.getRepository(UserEntity).findOneBy({ id: dto.toUserId, active: true });
    const orgs = [task.candidateOrgId, task.escalatedOrgId].filter((o): o is string => o !== null);
    if (!target || !target.roles.includes('APPROVER') || !target.organizationIds.some((o) => orgs.includes(o))) {
      throw fieldError('toUserId', '只能转交给同一组织的其他审批人');
    }
    if (target.id === user.id) throw fieldError('toUserId', '不能转交给自己');
    await this.refuseApplicant(task, target.id);
    await this.send(task, transferUpdate, { taskId, toUserId: target.id, comment: dto.comment, kind: 'TRANSFER', actorId: user.id, actorOrgIds: ctx.orgIds, actsForUserIds: ctx.deputyFor });
    return this.ds.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
  }

  /** Admin: hand a task to a user (or back to the whole organisation with `toUserId: null`). */
  async reassign(admin: AuthUser, taskId: string, dto: ReassignDto): Promise<TaskEntity> {
    const task = await this.openTask(taskId);
    if (dto.toUserId) {
      const target = await this.ds.getRepository(UserEntity).findOneBy({ id: dto.toUserId, active: true });
      if (!target || !target.roles.includes('APPROVER')) throw fieldError('toUserId', '目标用户不存在或不是审批人');
      await this.refuseApplicant(task, target.id);
    }
    await this.send(task, transferUpdate, { taskId, toUserId: dto.toUserId ?? null, comment: dto.comment, kind: 'REASSIGN', actorId: admin.id, actorOrgIds: [], admin: true });
    return this.ds.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
  }

  /** 加签: another organisation signs before or after this one. */
  async addSigner(user: AuthUser, taskId: string, dto: AddSignerDto): Promise<TaskEntity[]> {
    const { task, ctx } = await this.openTaskFor(user, taskId);
    if (!(await this.ds.getRepository(OrganizationEntity).existsBy({ id: dto.orgId }))) throw fieldError('orgId', '组织不存在');
    if (dto.orgId === task.candidateOrgId) throw fieldError('orgId', '不能加签本组织');
    // The added organisation's task is not routed to a parent like a step's candidates: someone there must be able to sign.
    const applicant = await this.skippedApplicant(task);
    const signers = this.ds
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where(':org = ANY(u.organization_ids)', { org: dto.orgId })
      .andWhere(`'APPROVER' = ANY(u.roles)`)
      .andWhere('u.active');
    if (applicant) signers.andWhere('u.id <> :applicant', { applicant });
    if (!(await signers.getExists())) throw fieldError('orgId', '该组织没有可以办理的审批人');
    await this.send(task, addSignerUpdate, { taskId, orgId: dto.orgId, position: dto.position, comment: dto.comment, actorId: user.id, actorOrgIds: ctx.orgIds, actsForUserIds: ctx.deputyFor });
    return this.ds.getRepository(TaskEntity).find({ where: { processId: task.processId, status: 'OPEN' }, order: { createdAt: 'ASC' } });
  }

  /** 取回: take back one's own decision while the next approver has not acted. */
  async pullBack(user: AuthUser, taskId: string, comment: string): Promise<TaskEntity[]> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id: taskId });
    if (!task) throw notFound('待办');
    if (task.decidedById !== user.id) throw forbidden('只能取回本人作出的决定');
    await this.send(task, pullBackUpdate, { taskId, comment, actorId: user.id, actorOrgIds: user.organizationIds });
    return this.ds.getRepository(TaskEntity).find({ where: { processId: task.processId, status: 'OPEN' }, order: { createdAt: 'ASC' } });
  }

  /** Approve several tasks of one kind: a candidate its own, an admin any. Each goes through the decision path. */
  async batchApprove(user: AuthUser, dto: BatchDecisionDto): Promise<{ results: Array<{ taskId: string; status: number; body: unknown }> }> {
    const tasks = await this.ds.getRepository(TaskEntity).findBy({ id: In(dto.taskIds) });
    if (tasks.length !== dto.taskIds.length) throw fieldError('taskIds', '包含不存在的待办');
    if (new Set(tasks.map((t) => `${t.kind}/${t.step}`)).size > 1) throw fieldError('taskIds', '批量办理的待办必须属于同一类事项的同一环节');
    const results = [];
    for (const taskId of dto.taskIds) {
      try {
        const out = await this.tasks.decide(user, taskId, { decision: 'APPROVE', comment: dto.comment }, undefined, isAdmin(user));
        results.push({ taskId, ...out });
      } catch (err) {
        const e = err as { getStatus?: () => number; getResponse?: () => unknown };
        if (!e.getStatus) throw err;
        results.push({ taskId, status: e.getStatus(), body: e.getResponse?.() });
      }
    }
    return { results };
  }

  /**
   * A user who leaves an organisation: their open tasks of it go back to the organisation (nothing stranded).
   * `leftOrgIds` null: they left every organisation (no longer an active approver); otherwise a task assigned to them
   * across organisations (admin reassignment) stays theirs unless they left its organisation.
   */
  async releaseTasksOf(admin: AuthUser, userId: string, keptOrgIds: string[], leftOrgIds: string[] | null = null): Promise<number> {
    const tasks = await this.ds.getRepository(TaskEntity).findBy({ assigneeId: userId, status: 'OPEN' });
    let released = 0;
    for (const task of tasks) {
      const orgs = [task.candidateOrgId, task.escalatedOrgId].filter((o): o is string => o !== null);
      if (orgs.some((o) => keptOrgIds.includes(o))) continue;
      if (leftOrgIds && !orgs.some((o) => leftOrgIds.includes(o))) continue;
      await this.send(task, transferUpdate, { taskId: task.id, toUserId: null, comment: '办理人已离开该组织，待办退回组织', kind: 'REASSIGN', actorId: admin.id, actorOrgIds: [], admin: true });
      released += 1;
    }
    return released;
  }

  /** Under selfApproval SKIP the workflow refuses every decision of the applicant: a task handed to them would strand. */
  private async refuseApplicant(task: TaskEntity, userId: string): Promise<void> {
    if ((await this.skippedApplicant(task)) === userId) throw fieldError('toUserId', '申请人不能审批本人的申请');
  }

  /** The process's applicant when self-approval is skipped (the worker's loadApprovalPolicy reads the same setting). */
  private async skippedApplicant(task: TaskEntity): Promise<string | null> {
    const [process, setting] = await Promise.all([
      this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId }),
      this.ds.getRepository(SettingEntity).findOneBy({ key: 'approval' }),
    ]);
    const selfApproval = (setting?.value as { selfApproval?: string } | null | undefined)?.selfApproval ?? 'SKIP';
    return selfApproval === 'SKIP' ? process.applicantId : null;
  }

  private async openTask(taskId: string): Promise<TaskEntity> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id: taskId });
    if (!task) throw notFound('待办');
    if (task.status !== 'OPEN') throw conflict('该待办已办结');
    return task;
  }

  private async openTaskFor(user: AuthUser, taskId: string): Promise<{ task: TaskEntity; ctx: Awaited<ReturnType<ActorContextService['of']>> }> {
    const task = await this.openTask(taskId);
    const ctx = await this.actors.of(user);
    if (!ActorContextService.canAct(ctx, user, task)) throw forbidden('您不是该待办的办理人');
    return { task, ctx };
  }

  private async send<A>(task: TaskEntity, update: UpdateDefinition<ProcessState, [A]>, args: A): Promise<ProcessState> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId });
    try {
      return await this.temporal.client.workflow.getHandle(process.workflowId).executeUpdate(update, { args: [args] });
    } catch (err) {
      throw mapUpdateError(err) ?? (err instanceof Error ? err : badRequest(String(err)));
    }
  }
}
