import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decideUpdate, descriptorOf, issueDetails } from '@app/contracts';
import { DECISIONS } from '@app/domain';
import { IdempotencyRecordEntity, ProcessEntity, stableUuid, TaskEntity } from '@app/persistence';
import { ActivityRegistry } from '../../../worker/src/activities/process-activities.module';
import { ActorContextService } from '../actors/actor-context.service';
import { attachmentRefsForDecision } from '../attachments/attachments.service';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { idempotencyRecordKey } from '../common/idempotency';
import { ApiError, badRequest, conflict, fieldError, forbidden, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, type Page } from '../common/pagination';
import { summary, type ProcessView } from '../processes/processes.service';
import { WorkflowGateway } from '../workflow/workflow.gateway';
import type { DecisionDto, TaskQuery } from './tasks.dto';

export interface DecisionResponse {
  task: TaskEntity;
  process: ProcessView;
}

/** An unanswered Idempotency-Key claim older than this is taken over by the same request again. */
const STALE_CLAIM_SECONDS = 30;

@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly workflows: WorkflowGateway,
    private readonly actors: ActorContextService,
    private readonly registry: ActivityRegistry,
  ) {}

  /** The inbox: one indexed keyset query over the projection, never a Temporal call per row. */
  async inbox(user: AuthUser, q: TaskQuery): Promise<Page<TaskEntity>> {
    const qb = keyset(this.ds.getRepository(TaskEntity).createQueryBuilder('t'), 't', q, 'ASC', q.sort ?? 'createdAt');
    if (q.decided === 'true') {
      // 已办: what this user decided (as themselves or standing in for someone: the task records who acted).
      qb.andWhere('t.decided_by_id = :me', { me: user.id });
      if (q.status) qb.andWhere('t.status = :status', { status: q.status });
    } else {
      const { orgIds: orgs, deputyFor, institutionIds } = await this.actors.of(user);
      // Assigned to the user or to someone they stand in for (委托), or open to one of their organisations (or, for
      // an applicant, their institutions).
      qb.andWhere(
        `(t.assignee_id = ANY(:people) OR (t.assignee_id IS NULL AND (t.candidate_org_id = ANY(:orgs) OR t.escalated_org_id = ANY(:orgs) OR t.candidate_institution_id = ANY(:insts))))`,
        { orgs, people: [user.id, ...deputyFor], insts: institutionIds ?? [] },
      ).andWhere('t.status = :status', { status: q.status ?? 'OPEN' });
    }
    if (q.kind) qb.andWhere('t.kind = :kind', { kind: q.kind });
    return pageOf(await qb.getMany(), limitOf(q));
  }

  async get(user: AuthUser, id: string): Promise<TaskEntity> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id });
    if (!task) throw notFound('待办');
    if (!isAdmin(user) && !ActorContextService.canSee(await this.actors.of(user), task)) throw forbidden('您不是该待办的办理人');
    return task;
  }

  /**
   * Sends the decision to the workflow as an Update whose id is the decision id and answers after the workflow
   * accepted and applied it. With an Idempotency-Key the first answer (success or refusal) is returned again.
   */
  async decide(user: AuthUser, taskId: string, dto: DecisionDto, idempotencyKey?: string): Promise<{ status: number; body: unknown }> {
    const recordId = idempotencyRecordKey(user.id, idempotencyKey);
    const fingerprint = createHash('sha256').update(JSON.stringify([taskId, dto.decision, dto.comment, dto.data ?? null, ...(dto.attachmentIds?.length ? [dto.attachmentIds] : [])])).digest('hex');

    if (recordId) {
      const repo = this.ds.getRepository(IdempotencyRecordEntity);
      const inserted: unknown[] = await this.ds.query(
        `INSERT INTO idempotency_records (id, user_id, request_fingerprint) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [recordId, user.id, fingerprint],
      );
      if (inserted.length === 0) {
        const prior = await repo.findOneByOrFail({ id: recordId });
        if (prior.requestFingerprint !== fingerprint) throw fieldError('Idempotency-Key', '该幂等键已用于另一个请求');
        if (prior.statusCode !== null) return { status: prior.statusCode, body: prior.response };
        // Still unanswered. A claim whose request died without releasing it (its database connection dropped, the
        // process killed) is taken over once stale: the decision's id derives from the key, so the workflow applies
        // it at most once whoever sends it.
        // (As a SELECT: TypeORM answers a bare UPDATE ... RETURNING with [rows, count].)
        const taken: unknown[] = await this.ds.query(
          `WITH taken AS (
             UPDATE idempotency_records SET created_at = now()
              WHERE id = $1 AND status_code IS NULL AND created_at < now() - make_interval(secs => $2) RETURNING id)
           SELECT id FROM taken`,
          [recordId, STALE_CLAIM_SECONDS],
        );
        if (taken.length === 0) throw conflict('相同的请求正在处理中');
      }
    }
    try {
      const body = await this.applyDecision(user, taskId, dto, recordId ? stableUuid(recordId) : randomUUID());
      if (recordId) await this.ds.getRepository(IdempotencyRecordEntity).update({ id: recordId }, { statusCode: 200, response: body as object });
      return { status: 200, body };
    } catch (err) {
      if (recordId) {
        if (err instanceof ApiError && err.getStatus() < 500) {
          await this.ds.getRepository(IdempotencyRecordEntity).update({ id: recordId }, { statusCode: err.getStatus(), response: err.getResponse() as object });
        } else {
          // Released so the client can retry; when even that fails, the claim goes stale and a retry takes it over.
          await this.ds
            .getRepository(IdempotencyRecordEntity)
            .delete({ id: recordId })
            .catch(() => undefined);
        }
      }
      throw err;
    }
  }

  /**
   * The same checks the workflow's validator makes (libs/domain's taskAuthority: candidate, assignee, deputy,
   * self-approval; the step's decisions and typed data), plus what only the registry knows (the kind's data check),
   * so a refusal is a clear 4xx before anything reaches the workflow.
   */
  private async applyDecision(user: AuthUser, taskId: string, dto: DecisionDto, decisionId: string): Promise<DecisionResponse> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id: taskId });
    if (!task) throw notFound('待办');
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId });
    const ctx = await this.actors.of(user);
    const authority = ActorContextService.authority(ctx, task, await this.actors.partyOf(process));
    if (!authority.allowed) throw forbidden(authority.message);
    if (task.status !== 'OPEN') throw conflict('该待办已办结');
    const data = await this.checkedData(task, process, dto);
    const attachments = await attachmentRefsForDecision(this.ds, user, taskId, dto.attachmentIds);
    await this.workflows.update(
      process.workflowId,
      decideUpdate,
      { ...ActorContextService.args(ctx), decisionId, taskId, decision: dto.decision, comment: dto.comment, data, attachments, returnTo: dto.returnTo },
      decisionId,
    );
    return {
      task: await this.ds.getRepository(TaskEntity).findOneByOrFail({ id: taskId }),
      process: summary(await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId })),
    };
  }

  /** The step's decisions and its typed decision data (its descriptor), then the kind's registry check of the data. */
  private async checkedData(task: TaskEntity, process: ProcessEntity, dto: DecisionDto): Promise<Record<string, unknown> | undefined> {
    const step = descriptorOf(task.kind)?.steps[task.step];
    if (!(step?.decisions ?? DECISIONS).includes(dto.decision)) {
      throw fieldError('decision', `该环节只能作出 ${(step?.decisions ?? DECISIONS).join('、')} 的决定`);
    }
    const raw = dto.data ?? {};
    if (!step?.data) {
      const key = Object.keys(raw)[0];
      if (key !== undefined) throw fieldError(`data.${key}`, '该环节不接受此项数据');
      return undefined;
    }
    // The data belongs to an approval; other decisions carry none.
    if (dto.decision !== 'APPROVE') {
      const key = Object.keys(raw)[0];
      if (key !== undefined) throw fieldError(`data.${key}`, '只有同意时可以填写此项');
      return undefined;
    }
    const parsed = step.data.safeParse(raw);
    if (!parsed.success) {
      const details = issueDetails(parsed.error).map((d) => ({ ...d, field: d.field.startsWith('data') ? d.field : `data.${d.field}` }));
      throw badRequest(`请求参数有误：${details.map((d) => d.field).join(', ')}`, details);
    }
    const kind = descriptorOf(task.kind)!;
    const problems = await this.registry.checkDecisionData(kind, { processId: process.id, step: task.step, data: parsed.data });
    if (problems.length) throw badRequest(`请求参数有误：${problems.map((p) => p.field).join(', ')}`, problems);
    return parsed.data;
  }
}
