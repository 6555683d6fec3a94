import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { InstitutionEntity, ProcessEntity, SettingsService, UserEntity } from '@app/persistence';
import { processTitle } from '@app/contracts';
import { EmailActionTokensService } from '@app/notifications';

/** What several activities need: who may act for an organisation, names for emails, links, stable event keys. */
@Injectable()
export class ActivitySupport {
  constructor(
    @Inject(APP_CONFIG) readonly cfg: AppConfig,
    readonly settings: SettingsService,
    private readonly emailActions: EmailActionTokensService,
  ) {}

  /** Active APPROVER users of an organisation (the applicant excluded when `exclude` is given). */
  approversOf(m: EntityManager, orgId: string, exclude?: string | null): Promise<UserEntity[]> {
    return this.activeUsers(m, 'APPROVER', 'organization_ids', orgId, exclude);
  }

  /** Active APPLICANT users of an institution (a task that asks an institution's applicants, e.g. a unit's consent). */
  applicantsOf(m: EntityManager, institutionId: string, exclude?: string | null): Promise<UserEntity[]> {
    return this.activeUsers(m, 'APPLICANT', 'institution_ids', institutionId, exclude);
  }

  private activeUsers(m: EntityManager, role: 'APPROVER' | 'APPLICANT', column: 'organization_ids' | 'institution_ids', id: string, exclude?: string | null): Promise<UserEntity[]> {
    const qb = m
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where(`:id = ANY(u.${column})`, { id })
      .andWhere(`:role = ANY(u.roles)`, { role })
      .andWhere('u.active')
      .orderBy('u.username');
    if (exclude) qb.andWhere('u.id <> :exclude', { exclude });
    return qb.getMany();
  }

  /** The people a task's candidate stands for: its organisation's approvers, or its institution's applicants. */
  candidatePeople(m: EntityManager, c: { candidateOrgId: string | null; candidateInstitutionId?: string | null }, exclude?: string | null): Promise<UserEntity[]> {
    if (c.candidateOrgId) return this.approversOf(m, c.candidateOrgId, exclude);
    return c.candidateInstitutionId ? this.applicantsOf(m, c.candidateInstitutionId, exclude) : Promise.resolve([]);
  }

  /**
   * The users plus whoever stands in for one of them today (委托, Beijing date): a deputy may act on their tasks,
   * so the deputy is told too. Each person once, the given users first.
   */
  async withDeputies(m: EntityManager, users: UserEntity[]): Promise<UserEntity[]> {
    if (users.length === 0) return users;
    const deputies = await m
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .innerJoin('delegations', 'd', 'd.deputy_id = u.id')
      .where('d.user_id IN (:...ids)', { ids: users.map((u) => u.id) })
      .andWhere('d.revoked_at IS NULL')
      .andWhere(`(now() AT TIME ZONE 'Asia/Shanghai')::date BETWEEN d.starts_on AND d.ends_on`)
      .andWhere('u.active')
      .orderBy('u.username')
      .getMany();
    return [...new Map([...users, ...deputies].map((u) => [u.id, u])).values()];
  }

  async processVars(m: EntityManager, p: ProcessEntity): Promise<{ processTitle: string; institutionName: string }> {
    const inst = p.institutionId ? await m.getRepository(InstitutionEntity).findOneBy({ id: p.institutionId }) : null;
    return { processTitle: processTitle(p.kind), institutionName: inst?.name ?? '' };
  }

  /** The one-click link of API.md "Email actions" for this approver and task (GET shows, only a POST decides). */
  taskLink(m: EntityManager, taskId: string, userId: string): Promise<string> {
    return this.emailActions.linkFor(m, taskId, userId);
  }

  /** The process's page in the web application (apps/web: /processes/:id). */
  processUrl(processId: string): string {
    return `${this.cfg.publicBaseUrl}/processes/${processId}`;
  }
}

/** Stable across retries of the same activity, distinct for every activity call in a run. */
export function activityEventKey(what: string): string {
  const info = Context.current().info;
  return `${info.workflowExecution?.runId ?? 'standalone'}:${info.activityId}:${what}`;
}

/** Calendar date in Asia/Shanghai (UTC+8, no DST), whatever the machine's zone. */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function fmtDue(iso: string): string {
  return `${shanghaiDate(new Date(iso))}（北京时间）`;
}
