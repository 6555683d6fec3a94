import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decideUpdate } from '@app/contracts';
import { IdempotencyRecordEntity, PartyMemberEntity, ProcessEntity, TaskEntity } from '@app/persistence';
import { TemporalClientService } from '@app/temporal';
import { attachmentRefsForDecision } from '../attachments/attachments.service';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { ApiError, conflict, fieldError, forbidden, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, type Page } from '../common/pagination';
import { summary, type ProcessView } from '../processes/processes.service';
import { mapUpdateError } from '../processes/workflow-errors';
import { ActorContextService } from './actor-context.service';
import type { DecisionDto, TaskQuery } from './tasks.dto';

export interface DecisionResponse {
  task: TaskEntity;
  process: ProcessView;
}

/** A UUID-shaped id derived from a string (the Temporal update id must be stable for a repeated request). */
function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly temporal: TemporalClientService,
    private readonly actors: ActorContextService,
  ) {}

  /** The inbox: one indexed keyset query over the projection, never a Temporal call per row. */
  async inbox(user: AuthUser, q: TaskQuery): Promise<Page<TaskEntity>> {
    const { orgIds: orgs, deputyFor } = await this.actors.of(user);
    // Assigned to the user or to someone they stand in for (委托), or open to one of their organisations.
    const qb = keyset(this.ds.getRepository(TaskEntity).createQueryBuilder('t'), 't', q)
      .andWhere('(t.assignee_id = ANY(:people) OR (t.assignee_id IS NULL AND (t.candidate_org_id = ANY(:orgs) OR t.escalated_org_id = ANY(:orgs))))', {
        orgs,
        people: [user.id, ...deputyFor],
      })
      .andWhere('t.status = :status', { status: q.status ?? 'OPEN' });
    return pageOf(await qb.getMany(), limitOf(q));
  }

  async get(user: AuthUser, id: string): Promise<TaskEntity> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id });
    if (!task) throw notFound('待办');
    if (!isAdmin(user) && !ActorContextService.canAct(await this.actors.of(user), user, task)) throw forbidden('您不是该待办的办理人');
    return task;
  }

  /**
   * Sends the decision to the workflow as an Update whose id is the decision id and answers after the workflow
   * accepted and applied it. With an Idempotency-Key the first answer (success or refusal) is returned again.
   */
  async decide(user: AuthUser, taskId: string, dto: DecisionDto, idempotencyKey?: string, asAdmin = false): Promise<{ status: number; body: unknown }> {
    if (idempotencyKey !== undefined && (idempotencyKey.length < 1 || idempotencyKey.length > 200)) {
      throw fieldError('Idempotency-Key', '长度须在 1-200 之间');
    }
    const fingerprint = createHash('sha256').update(JSON.stringify([taskId, dto.decision, dto.comment, dto.data ?? null, ...(dto.attachmentIds?.length ? [dto.attachmentIds] : [])])).digest('hex');
    const recordId = idempotencyKey ? createHash('sha256').update(`${user.id}:${idempotencyKey}`).digest('hex') : null;
    if (recordId) {
      const repo = this.ds.getRepository(IdempotencyRecordEntity);
      const inserted: unknown[] = await this.ds.query(
        `INSERT INTO idempotency_records (id, user_id, request_fingerprint) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [recordId, user.id, fingerprint],
      );
      if (inserted.length === 0) {
        const prior = await repo.findOneByOrFail({ id: recordId });
        if (prior.requestFingerprint !== fingerprint) throw fieldError('Idempotency-Key', '该幂等键已用于另一个请求');
        if (prior.statusCode === null) throw conflict('相同的请求正在处理中');
        return { status: prior.statusCode, body: prior.response };
      }
    }
    try {
      const body = await this.applyDecision(user, taskId, dto, recordId ? stableUuid(recordId) : randomUUID(), asAdmin);
      if (recordId) await this.ds.getRepository(IdempotencyRecordEntity).update({ id: recordId }, { statusCode: 200, response: body as object });
      return { status: 200, body };
    } catch (err) {
      if (recordId) {
        if (err instanceof ApiError && err.getStatus() < 500) {
          await this.ds.getRepository(IdempotencyRecordEntity).update({ id: recordId }, { statusCode: err.getStatus(), response: err.getResponse() as object });
        } else {
          await this.ds.getRepository(IdempotencyRecordEntity).delete({ id: recordId });
        }
      }
      throw err;
    }
  }

  private async applyDecision(user: AuthUser, taskId: string, dto: DecisionDto, decisionId: string, asAdmin = false): Promise<DecisionResponse> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id: taskId });
    if (!task) throw notFound('待办');
    const ctx = await this.actors.of(user);
    const admin = asAdmin && isAdmin(user);
    if (!admin && !ActorContextService.canAct(ctx, user, task)) throw forbidden('您不是该待办的办理人');
    if (task.status !== 'OPEN') throw conflict('该待办已办结');
    await this.validateData(task, dto);
    const attachments = await attachmentRefsForDecision(this.ds, user, taskId, dto.attachmentIds);
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId });
    try {
      await this.temporal.client.workflow.getHandle(process.workflowId).executeUpdate(decideUpdate, {
        updateId: decisionId,
        args: [
          {
            decisionId,
            taskId,
            decision: dto.decision,
            comment: dto.comment,
            data: dto.data,
            attachments,
            returnTo: dto.returnTo,
            actorId: user.id,
            actorOrgIds: ctx.orgIds,
            actsForUserIds: ctx.deputyFor,
            onBehalfOfId: ActorContextService.onBehalfOfFor(ctx, user, task),
            admin,
          },
        ],
      });
    } catch (err) {
      throw mapUpdateError(err) ?? err;
    }
    return {
      task: await this.ds.getRepository(TaskEntity).findOneByOrFail({ id: taskId }),
      process: summary(await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId })),
    };
  }

  /** Structured decision data the process understands; an unknown member is refused before the workflow sees it. */
  private async validateData(task: TaskEntity, dto: DecisionDto): Promise<void> {
    const secretary = dto.data?.secretaryMemberId;
    if (secretary === undefined) return;
    if (task.kind !== 'establish-branch' || dto.decision !== 'APPROVE') throw fieldError('data.secretaryMemberId', '仅在同意成立党支部时可指定书记');
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId });
    const memberIds = (process.payload.memberIds as string[] | undefined) ?? [];
    if (typeof secretary !== 'string' || !memberIds.includes(secretary) || !(await this.ds.getRepository(PartyMemberEntity).existsBy({ id: secretary }))) {
      throw fieldError('data.secretaryMemberId', '书记人选必须是支部党员之一');
    }
  }
}
