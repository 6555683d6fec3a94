import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { addSignerUpdate, pullBackUpdate, transferUpdate, type ProcessState } from '@app/contracts';
import type { UpdateDefinition } from '@temporalio/common';
import { OrganizationEntity, ProcessEntity, TaskEntity, UserEntity } from '@app/persistence';
import { ActorContextService, type ActorContext } from '../actors/actor-context.service';
import { type AuthUser } from '../common/auth-user';
import { conflict, fieldError, forbidden, notFound } from '../common/errors';
import { WorkflowGateway } from '../workflow/workflow.gateway';
import type { AddSignerDto, BatchDecisionDto, ReassignDto, TransferDto } from './tasks.dto';
import { TasksService } from './tasks.service';

/** Everything an approver or admin does to a task besides deciding it; each goes through the workflow. */
@Injectable()
export class TaskActionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly workflows: WorkflowGateway,
    private readonly actors: ActorContextService,
    private readonly tasks: TasksService,
  ) {}

  /** 转交: to another approver of the task's organisation (or, for a task asking an institution, another of its applicants). */
  async transfer(user: AuthUser, taskId: string, dto: TransferDto): Promise<TaskEntity> {
    const { task, ctx, process } = await this.openTaskFor(user, taskId);
    const target = await this.ds.getRepository(UserEntity).findOneBy({ id: dto.toUserId, active: true });
    const orgs = [task.candidateOrgId, task.escalatedOrgId].filter((o): o is string => o !== null);
    const sameOrganisation = target?.roles.includes('APPROVER') && target.organizationIds.some((o) => orgs.includes(o));
    const sameInstitution = task.candidateInstitutionId !== null && target?.roles.includes('APPLICANT') && target.institutionIds.includes(task.candidateInstitutionId);
    if (!target || !(sameOrganisation || sameInstitution)) throw fieldError('toUserId', '只能转交给同一组织的其他审批人');
    if (target.id === user.id) throw fieldError('toUserId', '不能转交给自己');
    await this.refuseApplicant(process, target.id);
    await this.send(process, transferUpdate, { ...ActorContextService.args(ctx), taskId, toUserId: target.id, comment: dto.comment, kind: 'TRANSFER' });
    return this.ds.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
  }

  /** Admin: hand a task to a user (or back to the whole organisation with `toUserId: null`). */
  async reassign(admin: AuthUser, taskId: string, dto: ReassignDto): Promise<TaskEntity> {
    const task = await this.openTask(taskId);
    const process = await this.processOf(task);
    if (dto.toUserId) {
      const target = await this.ds.getRepository(UserEntity).findOneBy({ id: dto.toUserId, active: true });
      if (!target || !target.roles.includes('APPROVER')) throw fieldError('toUserId', '目标用户不存在或不是审批人');
      await this.refuseApplicant(process, target.id);
    }
    await this.send(process, transferUpdate, { taskId, toUserId: dto.toUserId ?? null, comment: dto.comment, kind: 'REASSIGN', actorId: admin.id, actorOrgIds: [], admin: true });
    return this.ds.getRepository(TaskEntity).findOneByOrFail({ id: taskId });
  }

  /** 加签: another organisation signs before or after this one. */
  async addSigner(user: AuthUser, taskId: string, dto: AddSignerDto): Promise<TaskEntity[]> {
    const { task, ctx, process } = await this.openTaskFor(user, taskId);
    if (!(await this.ds.getRepository(OrganizationEntity).existsBy({ id: dto.orgId }))) throw fieldError('orgId', '组织不存在');
    if (dto.orgId === task.candidateOrgId) throw fieldError('orgId', '不能加签本组织');
    // The added organisation's task is not routed to a parent like a step's candidates: someone there must be able to sign.
    const applicant = await this.skippedApplicant(process);
    const signers = this.ds
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where(':org = ANY(u.organization_ids)', { org: dto.orgId })
      .andWhere(`'APPROVER' = ANY(u.roles)`)
      .andWhere('u.active');
    if (applicant) signers.andWhere('u.id <> :applicant', { applicant });
    if (!(await signers.getExists())) throw fieldError('orgId', '该组织没有可以办理的审批人');
    await this.send(process, addSignerUpdate, { ...ActorContextService.args(ctx), taskId, orgId: dto.orgId, position: dto.position, comment: dto.comment });
    return this.openTasksOf(task.processId);
  }

  /** 取回: take back one's own decision while the next approver has not acted. */
  async pullBack(user: AuthUser, taskId: string, comment: string): Promise<TaskEntity[]> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id: taskId });
    if (!task) throw notFound('待办');
    if (task.decidedById !== user.id) throw forbidden('只能取回本人作出的决定');
    await this.send(await this.processOf(task), pullBackUpdate, { taskId, comment, actorId: user.id, actorOrgIds: user.organizationIds });
    return this.openTasksOf(task.processId);
  }

  /**
   * Approve several tasks of one step. Each goes through the single decision's path and checks (an admin is no
   * exception: only a candidate decides, and never their own request), and answers for itself.
   */
  async batchApprove(user: AuthUser, dto: BatchDecisionDto): Promise<{ results: Array<{ taskId: string; status: number; body: unknown }> }> {
    const tasks = await this.ds.getRepository(TaskEntity).findBy({ id: In(dto.taskIds) });
    if (tasks.length !== dto.taskIds.length) throw fieldError('taskIds', '包含不存在的待办');
    if (new Set(tasks.map((t) => `${t.kind}/${t.step}`)).size > 1) throw fieldError('taskIds', '批量办理的待办必须属于同一类事项的同一环节');
    const results = [];
    for (const taskId of dto.taskIds) {
      try {
        const out = await this.tasks.decide(user, taskId, { decision: 'APPROVE', comment: dto.comment });
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
      await this.send(await this.processOf(task), transferUpdate, { taskId: task.id, toUserId: null, comment: '办理人已离开该组织，待办退回组织', kind: 'REASSIGN', actorId: admin.id, actorOrgIds: [], admin: true });
      released += 1;
    }
    return released;
  }

  /** Under selfApproval SKIP the workflow refuses every decision of the applicant: a task handed to them would strand. */
  private async refuseApplicant(process: ProcessEntity, userId: string): Promise<void> {
    if ((await this.skippedApplicant(process)) === userId) throw fieldError('toUserId', '申请人不能审批本人的申请');
  }

  /** The process's applicant when self-approval is skipped (the worker's loadApprovalPolicy reads the same setting). */
  private async skippedApplicant(process: ProcessEntity): Promise<string | null> {
    const party = await this.actors.partyOf(process);
    return party.selfApproval === 'SKIP' ? party.applicantId : null;
  }

  private async openTask(taskId: string): Promise<TaskEntity> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id: taskId });
    if (!task) throw notFound('待办');
    if (task.status !== 'OPEN') throw conflict('该待办已办结');
    return task;
  }

  /** The open task, if the user may act on it (libs/domain's taskAuthority, as the workflow judges it too). */
  private async openTaskFor(user: AuthUser, taskId: string): Promise<{ task: TaskEntity; ctx: ActorContext; process: ProcessEntity }> {
    const task = await this.openTask(taskId);
    const process = await this.processOf(task);
    const ctx = await this.actors.of(user);
    const authority = ActorContextService.authority(ctx, task, await this.actors.partyOf(process));
    if (!authority.allowed) throw forbidden(authority.message);
    return { task, ctx, process };
  }

  private processOf(task: TaskEntity): Promise<ProcessEntity> {
    return this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId });
  }

  private openTasksOf(processId: string): Promise<TaskEntity[]> {
    return this.ds.getRepository(TaskEntity).find({ where: { processId, status: 'OPEN' }, order: { createdAt: 'ASC' } });
  }

  private send<A>(process: ProcessEntity, update: UpdateDefinition<ProcessState, [A]>, args: A): Promise<ProcessState> {
    return this.workflows.update(process.workflowId, update, args);
  }
}
