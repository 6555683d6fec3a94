import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { InstitutionEntity, ProcessEntity, TaskEntity } from '@app/persistence';
import { ApiError, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, type Page } from '../common/pagination';
import type { AdminProcessQuery, AdminProcessRowDto, OpenTaskBriefDto, ProcessHistoryDto } from './admin-processes.dto';
import { isUnreachable, WorkflowStateService, type LiveWorkflowState } from './workflow-state.service';

/** An OPEN task past its due time, or one the workflow's deadline timer already marked. */
const OVERDUE_TASK_SQL = `EXISTS (SELECT 1 FROM tasks ot WHERE ot.process_id = p.id AND ot.status = 'OPEN' AND (ot.due_at < now() OR ot.overdue))`;

/** Operate-style view: every process as the database has it, beside its workflow as Temporal has it. */
@Injectable()
export class AdminProcessesService {
  private readonly logger = new Logger('AdminProcesses');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly workflows: WorkflowStateService,
  ) {}

  async list(q: AdminProcessQuery): Promise<Page<AdminProcessRowDto>> {
    const qb = keyset(this.ds.getRepository(ProcessEntity).createQueryBuilder('p'), 'p', q, 'DESC');
    if (q.kind) qb.andWhere('p.kind = :kind', { kind: q.kind });
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    if (q.overdue === 'true') qb.andWhere(OVERDUE_TASK_SQL);
    if (q.overdue === 'false') qb.andWhere(`NOT ${OVERDUE_TASK_SQL}`);
    const page = pageOf(await qb.getMany(), limitOf(q));
    const [institutions, openTasks, live] = await Promise.all([
      this.institutionNames(page.items),
      this.openTasks(page.items),
      this.workflows.describeMany(page.items.map((p) => p.workflowId)),
    ]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((p, i) => {
        const state = live[i] as LiveWorkflowState;
        return {
          id: p.id,
          kind: p.kind,
          status: p.status,
          workflowId: p.workflowId,
          institutionId: p.institutionId,
          institutionName: p.institutionId ? (institutions.get(p.institutionId) ?? null) : null,
          applicantId: p.applicantId,
          currentStep: p.currentStep,
          createdAt: p.createdAt,
          updatedAt: p.updatedAt,
          closedAt: p.closedAt,
          openTasks: openTasks.get(p.id) ?? [],
          ...state,
          inSync: inSync(p, state),
        };
      }),
    };
  }

  async history(id: string): Promise<ProcessHistoryDto> {
    const p = await this.ds.getRepository(ProcessEntity).findOneBy({ id });
    if (!p) throw notFound('流程');
    let h;
    try {
      h = await this.workflows.history(p.workflowId);
    } catch (err) {
      this.logger.warn(`history of ${p.workflowId}: ${(err as Error).message}`);
      if (isUnreachable(err)) throw new ApiError(503, '流程引擎暂不可用，请稍后重试');
      throw err;
    }
    return h.available
      ? { processId: p.id, workflowId: p.workflowId, runId: h.runId, historyAvailable: true, note: null, eventCount: h.events.length, events: h.events }
      : { processId: p.id, workflowId: p.workflowId, runId: null, historyAvailable: false, note: h.reason, eventCount: 0, events: [] };
  }

  private async institutionNames(rows: ProcessEntity[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((p) => p.institutionId).filter((i): i is string => i !== null))];
    if (ids.length === 0) return new Map();
    const found = await this.ds.getRepository(InstitutionEntity).find({ select: { id: true, name: true }, where: { id: In(ids) } });
    return new Map(found.map((i) => [i.id, i.name]));
  }

  private async openTasks(rows: ProcessEntity[]): Promise<Map<string, OpenTaskBriefDto[]>> {
    const out = new Map<string, OpenTaskBriefDto[]>();
    if (rows.length === 0) return out;
    const tasks = await this.ds.getRepository(TaskEntity).find({ where: { processId: In(rows.map((p) => p.id)), status: 'OPEN' }, order: { createdAt: 'ASC' } });
    const now = Date.now();
    for (const t of tasks) {
      const brief = { id: t.id, step: t.step, candidateOrgId: t.candidateOrgId, dueAt: t.dueAt, overdue: t.overdue || t.dueAt.getTime() < now };
      out.set(t.processId, [...(out.get(t.processId) ?? []), brief]);
    }
    return out;
  }
}

/**
 * An open process (not closed yet: still deciding, or granted and recording its follow-up such as the founding
 * election) should have a running workflow, and a closed one a closed workflow; null when Temporal did not say.
 */
function inSync(p: ProcessEntity, live: LiveWorkflowState): boolean | null {
  if (live.workflowStatus === 'UNKNOWN' || live.workflowStatus === 'UNAVAILABLE') return null;
  return (p.closedAt === null) === (live.workflowStatus === 'RUNNING');
}
