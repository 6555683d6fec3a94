import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { endDispatchUpdate } from '@app/contracts';
import { parseIsoWeekKey, toCalendarDate } from '@app/domain';
import { DispatchAlertEntity, DispatchEntity, DutyLogEntity, DutyWeekEntity, InstitutionEntity } from '@app/persistence';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { conflict, fieldError, forbidden, notFound } from '../common/errors';
import { limitOf, pageOf, keyset, type Page } from '../common/pagination';
import { ScopeService } from '../common/scope.service';
import { WorkflowGateway } from '../workflow/workflow.gateway';
import type { CreateDutyLogDto, DispatchQuery, DutyLogDto } from './dispatches.dto';

const hours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;

function logView(l: DutyLogEntity): DutyLogDto {
  return { id: l.id, dispatchId: l.dispatchId, date: l.date, hours: hours(l.minutes), note: l.note, loggedById: l.loggedById, confirmedAt: l.confirmedAt, confirmedById: l.confirmedById, createdAt: l.createdAt };
}

/**
 * 选派 records (R8/R9): dispatches and their weeks, the dispatched person's duty sessions and the institution's
 * confirmation of them, and the end of a dispatch by decision (sent to its duty loop as an Update).
 */
@Injectable()
export class DispatchesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly scope: ScopeService,
    private readonly workflows: WorkflowGateway,
  ) {}

  async list(user: AuthUser, q: DispatchQuery): Promise<Page<DispatchEntity>> {
    const qb = keyset(this.ds.getRepository(DispatchEntity).createQueryBuilder('d').innerJoin(InstitutionEntity, 'i', 'i.id = d.institution_id'), 'd', q);
    if (q.institutionId) qb.andWhere('d.institution_id = :inst', { inst: q.institutionId });
    const filter = await this.scope.institutionFilter(user, 'i');
    // Besides the institution's readers: the dispatched person and the dispatching body's approvers.
    if (filter) qb.andWhere(`(${filter.sql} OR d.person_user_id = :me OR d.dispatching_org_id = ANY(:myOrgs))`, { ...filter.params, me: user.id, myOrgs: user.organizationIds });
    return pageOf(await qb.getMany(), limitOf(q));
  }

  async get(user: AuthUser, id: string) {
    const d = await this.readable(user, id);
    const [weeks, alerts, logs] = await Promise.all([
      this.ds.getRepository(DutyWeekEntity).find({ where: { dispatchId: d.id }, order: { weekStart: 'ASC' } }),
      this.ds.getRepository(DispatchAlertEntity).find({ where: { dispatchId: d.id }, order: { createdAt: 'ASC', id: 'ASC' } }),
      this.ds.getRepository(DutyLogEntity).find({ where: { dispatchId: d.id }, order: { date: 'ASC', createdAt: 'ASC' } }),
    ]);
    return {
      ...d,
      weeks: weeks.map((w) => ({
        week: w.week,
        weekStart: w.weekStart,
        status: w.status,
        confirmedHours: hours(w.confirmedMinutes),
        unconfirmedHours: hours(w.unconfirmedMinutes),
        consecutiveMissed: w.consecutiveMissed,
        assessedAt: w.assessedAt,
      })),
      alerts: alerts.map((a) => ({ kind: a.kind, week: a.week, orgId: a.orgId, consecutiveMissed: a.consecutiveMissed, createdAt: a.createdAt })),
      dutyLogs: logs.map(logView),
    };
  }

  /** The dispatched person records a session on site: a day of the dispatch, not in the future. */
  async log(user: AuthUser, dto: CreateDutyLogDto): Promise<DutyLogDto> {
    const d = await this.ds.getRepository(DispatchEntity).findOneBy({ id: dto.dispatchId });
    if (!d) throw fieldError('dispatchId', '选派记录不存在');
    if (d.personUserId !== user.id) throw forbidden('只有选派人员本人可以登记驻点记录');
    if (d.status !== 'ACTIVE') throw conflict('选派已结束，不能再登记驻点记录');
    const today = toCalendarDate(new Date());
    if (dto.date > today) throw fieldError('date', '驻点日期不能晚于今天');
    if (dto.date < d.fromDate || (d.toDate !== null && dto.date > d.toDate)) throw fieldError('date', `驻点日期须在选派期限内（${d.fromDate} 至 ${d.toDate ?? '另行决定'}）`);
    const minutes = Math.round(dto.hours * 60);
    const saved = await this.ds.getRepository(DutyLogEntity).save(
      this.ds.getRepository(DutyLogEntity).create({ dispatchId: d.id, date: dto.date, minutes, note: dto.note?.trim() || null, loggedById: user.id, confirmedAt: null, confirmedById: null }),
    );
    return logView(saved);
  }

  /** The institution's APPLICANT users confirm a session (once; not the person's own). */
  async confirm(user: AuthUser, logId: string): Promise<DutyLogDto> {
    if (!user.roles.includes('APPLICANT') && !isAdmin(user)) throw forbidden('只有机构的申请人可以确认驻点记录');
    const log = await this.ds.getRepository(DutyLogEntity).findOneBy({ id: logId });
    if (!log) throw notFound('驻点记录');
    const d = await this.ds.getRepository(DispatchEntity).findOneByOrFail({ id: log.dispatchId });
    if (!isAdmin(user) && !user.institutionIds.includes(d.institutionId)) throw forbidden('只有选派到的机构的申请人可以确认驻点记录');
    if (log.loggedById === user.id) throw forbidden('不能确认本人登记的驻点记录');
    const res = await this.ds.query(`UPDATE duty_logs SET confirmed_at = now(), confirmed_by_id = $2 WHERE id = $1 AND confirmed_at IS NULL`, [log.id, user.id]);
    if ((res as [unknown, number])[1] === 0) throw conflict('该驻点记录已确认');
    return logView(await this.ds.getRepository(DutyLogEntity).findOneByOrFail({ id: log.id }));
  }

  /**
   * Approved leave (请假): the dispatching body (or an ADMIN) exempts ISO weeks not yet assessed; an assessed week
   * keeps its verdict.
   */
  async leave(user: AuthUser, id: string, weeks: string[], reason: string) {
    if (!isAdmin(user) && !user.roles.includes('APPROVER')) throw forbidden('只有选派单位可以批准请假');
    const d = await this.ds.getRepository(DispatchEntity).findOneBy({ id });
    if (!d) throw notFound('选派记录');
    if (!isAdmin(user) && !user.organizationIds.includes(d.dispatchingOrgId)) throw forbidden('只有选派单位可以批准请假');
    if (d.status !== 'ACTIVE') throw conflict('选派已结束');
    for (const [i, w] of weeks.entries()) {
      try {
        parseIsoWeekKey(w);
      } catch {
        throw fieldError(`weeks[${i}]`, `${w} 不是有效的 ISO 周`);
      }
    }
    const assessed = await this.ds.getRepository(DutyWeekEntity).findBy({ dispatchId: d.id, week: In(weeks) });
    if (assessed.length > 0) throw conflict(`${assessed.map((w) => w.week).join('、')} 已评定，不能再请假`);
    await this.ds.query(
      `UPDATE dispatches SET leave_weeks = ARRAY(SELECT DISTINCT unnest(leave_weeks || $2::text[]) ORDER BY 1) WHERE id = $1`,
      [d.id, weeks],
    );
    await this.ds.query(
      `INSERT INTO process_events (process_id, event_key, at, step, actor_id, actor_name, action, comment, data)
       VALUES ($1, $2, clock_timestamp(), 'duty', $3, (SELECT display_name FROM users WHERE id = $3), 'DUTY_LEAVE', $4, $5)
       ON CONFLICT (event_key) DO NOTHING`,
      [d.processId, `duty-leave:${d.id}:${randomUUID()}`, user.id, reason.trim(), JSON.stringify({ dispatchId: d.id, weeks })],
    );
    return this.get(user, id);
  }

  /** A decision ends the dispatch: the dispatching body's approvers or an ADMIN; the duty loop records it and stops. */
  async end(user: AuthUser, id: string, reason: string) {
    if (!isAdmin(user) && !user.roles.includes('APPROVER')) throw forbidden('只有选派单位可以结束选派');
    const d = await this.ds.getRepository(DispatchEntity).findOneBy({ id });
    if (!d) throw notFound('选派记录');
    if (!isAdmin(user) && !user.organizationIds.includes(d.dispatchingOrgId)) throw forbidden('只有选派单位可以结束选派');
    if (d.status !== 'ACTIVE') throw conflict('选派已结束');
    await this.workflows.update(d.dutyWorkflowId, endDispatchUpdate, { actorId: user.id, reason: reason.trim() });
    return this.get(user, id);
  }

  private async readable(user: AuthUser, id: string): Promise<DispatchEntity> {
    const d = await this.ds.getRepository(DispatchEntity).findOneBy({ id });
    if (!d) throw notFound('选派记录');
    if (d.personUserId === user.id || user.organizationIds.includes(d.dispatchingOrgId)) return d;
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: d.institutionId });
    if (!(await this.scope.canReadInstitution(user, inst))) throw forbidden('无权查看该选派记录');
    return d;
  }
}
