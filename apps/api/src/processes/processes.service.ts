import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import type { UpdateDefinition } from '@temporalio/common';
import { WORKFLOW_TYPES, resubmitUpdate, urgeUpdate, withdrawUpdate, workflowIdFor, type ProcessState } from '@app/contracts';
import { evaluateEstablishBranch, OPEN_PROCESS_STATUSES, type ProcessKind } from '@app/domain';
import {
  InstitutionEntity,
  PartyMemberEntity,
  ProcessEntity,
  ProcessEventEntity,
  SettingsService,
  TaskEntity,
  TimelineWriter,
} from '@app/persistence';
import { TemporalClientService } from '@app/temporal';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { ApiError, badRequest, conflict, fieldError, forbidden, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, type Page } from '../common/pagination';
import { ScopeService } from '../common/scope.service';
import { ActorContextService } from '../tasks/actor-context.service';
import type { EstablishBranchDto, ProcessQuery } from './processes.dto';
import { mapUpdateError } from './workflow-errors';

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

@Injectable()
export class ProcessesService {
  private readonly logger = new Logger('Processes');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly temporal: TemporalClientService,
    private readonly settings: SettingsService,
    private readonly scope: ScopeService,
    private readonly timeline: TimelineWriter,
    private readonly actors: ActorContextService,
  ) {}

  /** Checks the policy first (400 with the findings), then records the process and starts its workflow. */
  async startEstablishBranch(user: AuthUser, dto: EstablishBranchDto): Promise<ProcessView> {
    const inst = await this.ds.getRepository(InstitutionEntity).findOneBy({ id: dto.institutionId });
    if (!inst) throw fieldError('institutionId', '机构不存在');
    if (!isAdmin(user) && !(user.roles.includes('APPLICANT') && user.institutionIds.includes(inst.id))) {
      throw forbidden('只有该机构的申请人可以提交');
    }
    await this.checkEstablishBranch(inst, dto);
    return this.start(user, 'establish-branch', inst.id, { ...dto, elderly: dto.elderly === true }, { answerDays: (await this.settings.policy()).establishBranchAnswerDays });
  }

  /** The policy library decides (R4/R7 and routing); a refusal is a 400 carrying its findings. */
  private async checkEstablishBranch(inst: InstitutionEntity, dto: EstablishBranchDto): Promise<void> {
    const members = await this.ds.getRepository(PartyMemberEntity).findBy({ id: In(dto.memberIds) });
    if (members.length !== dto.memberIds.length) throw fieldError('memberIds', '包含不存在的党员');
    if (dto.secretaryMemberId && !dto.memberIds.includes(dto.secretaryMemberId)) {
      throw fieldError('secretaryMemberId', '书记人选必须是支部党员之一');
    }
    const verdict = evaluateEstablishBranch({ institution: inst, members, elderly: dto.elderly === true }, await this.settings.policy());
    if (!verdict.allowed) {
      const violations = verdict.findings.filter((f) => f.severity === 'VIOLATION');
      const message = violations.length ? violations.map((f) => `${f.ruleId}：${f.message}`).join('；') : '无法确定负责审批的党组织';
      throw badRequest(message, verdict.findings);
    }
  }

  private async start(user: AuthUser, kind: ProcessKind, institutionId: string, payload: Record<string, unknown>, extra: Record<string, unknown>): Promise<ProcessView> {
    const id = randomUUID();
    const workflowId = workflowIdFor(kind, id);
    const process = await this.ds.transaction(async (m) => {
      const open = await m.getRepository(ProcessEntity).findOneBy({ kind, institutionId, status: In([...OPEN_PROCESS_STATUSES]) });
      if (open) throw conflict(`该机构已有进行中的同类流程（${open.id}）`);
      const p = await m.getRepository(ProcessEntity).save({ id, kind, status: 'RUNNING', workflowId, institutionId, applicantId: user.id, currentStep: 'submitted', payload, result: null, findings: [] });
      await this.timeline.append(m, { eventKey: `submitted:${id}`, processId: id, step: 'submitted', actorId: user.id, action: 'SUBMITTED', data: payload });
      return p;
    }).catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw conflict('该机构已有进行中的同类流程');
      throw err;
    });
    try {
      await this.temporal.client.workflow.start(WORKFLOW_TYPES[kind], {
        workflowId,
        taskQueue: this.temporal.taskQueue,
        args: [{ processId: id, ...extra }],
      });
    } catch (err) {
      this.logger.error(`could not start ${workflowId}: ${(err as Error).message}`);
      await this.ds.getRepository(ProcessEntity).update({ id }, { status: 'FAILED', currentStep: 'start', closedAt: new Date() });
      throw new ApiError(503, '流程引擎暂不可用，请稍后重试');
    }
    return summary(process);
  }

  async list(user: AuthUser, q: ProcessQuery): Promise<Page<ProcessView>> {
    const qb = keyset(this.ds.getRepository(ProcessEntity).createQueryBuilder('p').leftJoin(InstitutionEntity, 'i', 'i.id = p.institution_id'), 'p', q, 'DESC');
    if (q.kind) qb.andWhere('p.kind = :kind', { kind: q.kind });
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    if (q.institutionId) qb.andWhere('p.institution_id = :inst', { inst: q.institutionId });
    const filter = await this.scope.institutionFilter(user, 'i');
    if (filter) {
      qb.andWhere(
        `(p.applicant_id = :me OR ${filter.sql} OR EXISTS (SELECT 1 FROM tasks t WHERE t.process_id = p.id AND t.candidate_org_id = ANY(:myOrgs)))`,
        { ...filter.params, me: user.id, myOrgs: user.organizationIds },
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
    try {
      await this.temporal.client.workflow.getHandle(p.workflowId).executeUpdate(withdrawUpdate, { args: [{ actorId: user.id, reason }] });
    } catch (err) {
      throw mapUpdateError(err) ?? err;
    }
    return summary(await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id }));
  }

  /** 催办: reminds the current approvers; the workflow allows it once a day per process (429 otherwise). */
  async urge(user: AuthUser, id: string): Promise<ProcessView> {
    const p = await this.readable(user, id);
    if (p.applicantId !== user.id) throw forbidden('只有申请人可以催办');
    if (p.status !== 'RUNNING') throw conflict('流程当前没有待办可催办');
    await this.update(p, urgeUpdate, { actorId: user.id, actorOrgIds: [] });
    return summary(await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id }));
  }

  /** After a RETURN: the applicant's revised request, checked against the policy again before the workflow sees it. */
  async resubmit(user: AuthUser, id: string, dto: EstablishBranchDto): Promise<ProcessView> {
    const p = await this.readable(user, id);
    if (p.applicantId !== user.id) throw forbidden('只有申请人可以重新提交');
    if (p.status !== 'RETURNED') throw conflict('流程未被退回，无需重新提交');
    if (dto.institutionId !== p.institutionId) throw fieldError('institutionId', '不能更换申请机构');
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: dto.institutionId });
    await this.checkEstablishBranch(inst, dto);
    await this.update(p, resubmitUpdate, { actorId: user.id, payload: { ...dto, elderly: dto.elderly === true } });
    return summary(await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id }));
  }

  private async update<A>(p: ProcessEntity, def: UpdateDefinition<ProcessState, [A]>, args: A): Promise<ProcessState> {
    try {
      return await this.temporal.client.workflow.getHandle(p.workflowId).executeUpdate(def, { args: [args] });
    } catch (err) {
      throw mapUpdateError(err) ?? err;
    }
  }

  /** 404 for an unknown id, 403 for one outside the user's scope. */
  async readable(user: AuthUser, id: string): Promise<ProcessEntity> {
    const p = await this.ds.getRepository(ProcessEntity).findOneBy({ id });
    if (!p) throw notFound('流程');
    if (isAdmin(user) || p.applicantId === user.id) return p;
    const inst = p.institutionId ? await this.ds.getRepository(InstitutionEntity).findOneBy({ id: p.institutionId }) : null;
    if (inst && (await this.scope.canReadInstitution(user, inst))) return p;
    // Whoever the process asks: its candidate organisations (also reached as a deputy, 委托) and a task's assignee.
    const orgs = [...new Set([...user.organizationIds, ...(await this.actors.of(user)).orgIds])];
    const candidate = await this.ds.getRepository(TaskEntity).existsBy([
      { processId: id, candidateOrgId: In(orgs.length ? orgs : ['00000000-0000-0000-0000-000000000000']) },
      { processId: id, assigneeId: user.id },
    ]);
    if (candidate) return p;
    throw forbidden('无权查看该流程');
  }
}
