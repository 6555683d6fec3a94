import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import {
  descriptorOf,
  issueDetails,
  resubmitUpdate,
  urgeUpdate,
  withdrawUpdate,
  workflowIdFor,
  type Admission,
  type ProcessDescriptor,
} from '@app/contracts';
import { OPEN_PROCESS_STATUSES, PROCESS_KINDS, type ProcessKind } from '@app/domain';
import { InstitutionEntity, ProcessEntity, ProcessEventEntity, TaskEntity, TimelineWriter, type JsonObject } from '@app/persistence';
import { ActivityRegistry } from '../../../worker/src/activities/process-activities.module';
import { ActorContextService } from '../actors/actor-context.service';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, type Page } from '../common/pagination';
import { ScopeService } from '../common/scope.service';
import { WorkflowGateway } from '../workflow/workflow.gateway';
import type { ProcessQuery } from './processes.dto';

export interface ProcessView {
  id: string;
  kind: ProcessKind;
  status: string;
  workflowId: string;
  institutionId: string | null;
  applicantId: string;
  currentStep: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export const summary = (p: ProcessEntity): ProcessView => ({
  id: p.id,
  kind: p.kind,
  status: p.status,
  workflowId: p.workflowId,
  institutionId: p.institutionId,
  applicantId: p.applicantId,
  currentStep: p.currentStep,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
  closedAt: p.closedAt,
});

/**
 * Every process kind through one path: the kind's descriptor says what a request looks like, the kind's admission
 * (its activities, the same code its workflow runs) says whether it may start and who may start it, and the
 * workflow is started by its name. No kind is named here.
 */
@Injectable()
export class ProcessesService {
  private readonly logger = new Logger('Processes');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly workflows: WorkflowGateway,
    private readonly registry: ActivityRegistry,
    private readonly scope: ScopeService,
    private readonly timeline: TimelineWriter,
    private readonly actors: ActorContextService,
  ) {}

  /** 404 for a kind API.md does not know, 501 for one not built yet. */
  descriptor(kind: string): ProcessDescriptor {
    const d = descriptorOf(kind);
    if (d) return d;
    if ((PROCESS_KINDS as readonly string[]).includes(kind)) throw new ApiError(501, `流程类型 ${kind} 尚未开放`);
    throw notFound('流程类型');
  }

  /** Validates the request, asks the kind's admission, then records the process and starts its workflow. */
  async start(user: AuthUser, kind: string, body: unknown): Promise<ProcessView> {
    const d = this.descriptor(kind);
    const payload = parsePayload(d, body);
    const admission = await this.registry.admit(d, { payload, actorId: user.id });
    judge(user, admission);
    return this.record(user, d, payload, admission);
  }

  private async record(user: AuthUser, d: ProcessDescriptor, payload: Record<string, unknown>, admission: Admission): Promise<ProcessView> {
    const id = randomUUID();
    const workflowId = workflowIdFor(d.kind, id);
    const process = await this.ds
      .transaction(async (m) => {
        const open = await m.getRepository(ProcessEntity).findOneBy({ kind: d.kind, subjectKey: admission.subjectKey, status: In([...OPEN_PROCESS_STATUSES]) });
        if (open) throw conflict(`已有进行中的同类流程（${open.id}）`);
        const p = await m.getRepository(ProcessEntity).save({
          id,
          kind: d.kind,
          status: 'RUNNING',
          workflowId,
          institutionId: admission.institutionId,
          applicantId: user.id,
          subjectKey: admission.subjectKey,
          currentStep: 'submitted',
          payload: payload as JsonObject,
          result: null,
          findings: admission.findings,
        });
        await this.timeline.append(m, { eventKey: `submitted:${id}`, processId: id, step: 'submitted', actorId: user.id, action: 'SUBMITTED', data: payload as JsonObject });
        return p;
      })
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === '23505') throw conflict('已有进行中的同类流程');
        throw err;
      });
    try {
      await this.workflows.start(d.workflowType, workflowId, [{ processId: id, ...admission.workflowInput }]);
    } catch (err) {
      this.logger.error(`could not start ${workflowId}: ${(err as Error).message}`);
      await this.ds.getRepository(ProcessEntity).update({ id }, { status: 'FAILED', currentStep: 'start', closedAt: new Date() });
      throw err;
    }
    return summary(process);
  }

  async list(user: AuthUser, q: ProcessQuery): Promise<Page<ProcessView>> {
    const qb = keyset(this.ds.getRepository(ProcessEntity).createQueryBuilder('p').leftJoin(InstitutionEntity, 'i', 'i.id = p.institution_id'), 'p', q, 'DESC');
    if (q.kind) qb.andWhere('p.kind = :kind', { kind: q.kind });
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    if (q.institutionId) qb.andWhere('p.institution_id = :inst', { inst: q.institutionId });
    if (q.involvement === 'APPLIED') qb.andWhere('p.applicant_id = :applicant', { applicant: user.id });
    // 抄送: a CC event of the process names one of the user's organisations (the kernel's notifyCc records it).
    if (q.involvement === 'CC') {
      qb.andWhere(`EXISTS (SELECT 1 FROM process_events e WHERE e.process_id = p.id AND e.action = 'CC' AND e.data->'orgIds' ?| CAST(:ccOrgs AS text[]))`, { ccOrgs: user.organizationIds });
    }
    const filter = await this.scope.institutionFilter(user, 'i');
    if (filter) {
      qb.andWhere(
        `(p.applicant_id = :me OR ${filter.sql} OR EXISTS (SELECT 1 FROM tasks t WHERE t.process_id = p.id AND (t.candidate_org_id = ANY(:myOrgs) OR t.candidate_institution_id = ANY(:myInsts))))`,
        { ...filter.params, me: user.id, myOrgs: user.organizationIds, myInsts: user.institutionIds },
      );
    }
    return pageOf((await qb.getMany()).map(summary) as ProcessView[] & ProcessEntity[], limitOf(q));
  }

  async get(user: AuthUser, id: string): Promise<ProcessView & { payload: unknown; result: unknown; findings: unknown; timeline: unknown[] }> {
    const p = await this.readable(user, id);
    const events = await this.ds.getRepository(ProcessEventEntity).find({ where: { processId: id }, order: { id: 'ASC' } });
    return {
      ...summary(p),
      payload: p.payload,
      result: p.result,
      findings: p.findings,
      timeline: events.map((e) => ({
        at: e.at,
        step: e.step,
        actor: e.actorName,
        actorId: e.actorId,
        onBehalfOfId: e.onBehalfOfId,
        action: e.action,
        comment: e.comment,
        data: e.data,
      })),
    };
  }

  async withdraw(user: AuthUser, id: string, reason: string): Promise<ProcessView> {
    const p = await this.readable(user, id);
    if (p.applicantId !== user.id) throw forbidden('只有申请人可以撤回');
    if (!OPEN_PROCESS_STATUSES.includes(p.status)) throw conflict('流程已有最终结果，无法撤回');
    await this.workflows.update(p.workflowId, withdrawUpdate, { actorId: user.id, reason });
    return this.view(id);
  }

  /** 催办: reminds the current approvers; the workflow allows it once a day per process (429 otherwise). */
  async urge(user: AuthUser, id: string): Promise<ProcessView> {
    const p = await this.readable(user, id);
    if (p.applicantId !== user.id) throw forbidden('只有申请人可以催办');
    if (p.status !== 'RUNNING') throw conflict('流程当前没有待办可催办');
    await this.workflows.update(p.workflowId, urgeUpdate, { actorId: user.id, actorOrgIds: [] });
    return this.view(id);
  }

  /** After a RETURN: the applicant's revised request, validated and admitted again before the workflow sees it. */
  async resubmit(user: AuthUser, id: string, body: unknown): Promise<ProcessView> {
    const p = await this.readable(user, id);
    if (p.applicantId !== user.id) throw forbidden('只有申请人可以重新提交');
    if (p.status !== 'RETURNED') throw conflict('流程未被退回，无需重新提交');
    const d = this.descriptor(p.kind);
    const payload = parsePayload(d, body);
    const admission = await this.registry.admit(d, { payload, actorId: user.id, processId: p.id });
    if (admission.fieldErrors.length === 0 && admission.subjectKey !== p.subjectKey) throw badRequest('不能更换申请的对象（机构、党员或党组织）', [{ field: 'body', message: '申请对象与原申请不一致' }]);
    judge(user, admission);
    await this.workflows.update(p.workflowId, resubmitUpdate, { actorId: user.id, payload });
    return this.view(id);
  }

  /** 404 for an unknown id, 403 for one outside the user's scope. */
  async readable(user: AuthUser, id: string): Promise<ProcessEntity> {
    const p = await this.ds.getRepository(ProcessEntity).findOneBy({ id });
    if (!p) throw notFound('流程');
    if (isAdmin(user) || p.applicantId === user.id) return p;
    const inst = p.institutionId ? await this.ds.getRepository(InstitutionEntity).findOneBy({ id: p.institutionId }) : null;
    if (inst && (await this.scope.canReadInstitution(user, inst))) return p;
    // Whoever the process asks: its candidate organisations or institutions (also as a deputy, 委托), a task's assignee.
    const ctx = await this.actors.of(user);
    const none = ['00000000-0000-0000-0000-000000000000'];
    const candidate = await this.ds.getRepository(TaskEntity).existsBy([
      { processId: id, candidateOrgId: In(ctx.orgIds.length ? ctx.orgIds : none) },
      { processId: id, candidateInstitutionId: In(ctx.institutionIds?.length ? [...ctx.institutionIds] : none) },
      { processId: id, assigneeId: In([user.id, ...ctx.deputyFor]) },
    ]);
    if (candidate) return p;
    throw forbidden('无权查看该流程');
  }

  private async view(id: string): Promise<ProcessView> {
    return summary(await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id }));
  }
}

/** The request body against the kind's schema: 400 naming each offending field. */
export function parsePayload(d: ProcessDescriptor, body: unknown): Record<string, unknown> {
  const parsed = d.payload.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const details = issueDetails(parsed.error);
  throw badRequest(`请求参数有误：${details.map((x) => x.field).join(', ')}`, details);
}

/**
 * The admission's answer in the order a person would want it: what is wrong with the request (400), whether they
 * may make it (403), whether the registry's state allows it (409), whether the policy allows it (400 with findings).
 */
function judge(user: AuthUser, a: Admission): void {
  if (a.fieldErrors.length) throw badRequest(`请求参数有误：${a.fieldErrors.map((e) => e.field).join(', ')}`, a.fieldErrors);
  const mayStart =
    isAdmin(user) || a.applicantUserIds.includes(user.id) || (user.roles.includes('APPLICANT') && a.applicantInstitutionIds.some((i) => user.institutionIds.includes(i)));
  if (!mayStart) throw forbidden('只有该机构的申请人可以提交');
  if (a.conflict) throw conflict(a.conflict);
  if (!a.allowed) {
    const violations = a.findings.filter((f) => f.severity === 'VIOLATION');
    throw badRequest(violations.length ? violations.map((f) => `${f.ruleId}：${f.message}`).join('；') : '政策不允许提出该申请', a.findings);
  }
}
