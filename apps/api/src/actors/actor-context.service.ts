import { Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ActorArgs } from '@app/contracts';
import { taskAuthority, type TaskActor, type TaskAuthority } from '@app/domain';
import type { TaskEntity } from '@app/persistence';
import type { AuthUser } from '../common/auth-user';

/** Who a user may act for today: what the inbox lists and what libs/domain's taskAuthority decides on. */
export interface ActorContext extends TaskActor {
  /** Organisations whose open tasks the user sees (their own; a delegation only ever covers shared ones). */
  orgIds: string[];
  /** Users this user stands in for today: tasks assigned to them personally are this user's too. */
  deputyFor: string[];
}

/**
 * Today's delegations (委托, Beijing date) to a user. A delegation covers the delegator's organisations it names (or,
 * made before they were named, all of them) that both people still hold as active approvers: it ends by itself
 * when either loses the role, the organisation or their account.
 */
const STANDS_IN_FOR_SQL = `
  SELECT d.user_id AS "userId",
         ARRAY(SELECT o FROM unnest(COALESCE(d.organization_ids, u.organization_ids)) o
                WHERE o = ANY(u.organization_ids) AND o = ANY(me.organization_ids)) AS "orgIds"
    FROM delegations d
    JOIN users u ON u.id = d.user_id
    JOIN users me ON me.id = d.deputy_id
   WHERE d.deputy_id = $1 AND d.revoked_at IS NULL
     AND u.active AND 'APPROVER' = ANY(u.roles) AND me.active AND 'APPROVER' = ANY(me.roles)
     AND (now() AT TIME ZONE 'Asia/Shanghai')::date BETWEEN d.starts_on AND d.ends_on`;

@Injectable()
export class ActorContextService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The applicant of a process and whether they may decide their own request (settings row `approval`). */
  async partyOf(process: { applicantId: string }): Promise<{ applicantId: string; selfApproval: 'SKIP' | 'ALLOW' }> {
    const [row] = (await this.ds.query(`SELECT value->>'selfApproval' AS "selfApproval" FROM settings WHERE key = 'approval'`)) as Array<{ selfApproval: string | null }>;
    return { applicantId: process.applicantId, selfApproval: row?.selfApproval === 'ALLOW' ? 'ALLOW' : 'SKIP' };
  }

  async of(user: AuthUser): Promise<ActorContext> {
    const ownOrgIds = user.roles.includes('APPROVER') ? user.organizationIds : [];
    const institutionIds = user.roles.includes('APPLICANT') ? user.institutionIds : [];
    const rows: Array<{ userId: string; orgIds: string[] }> = ownOrgIds.length ? await this.ds.query(STANDS_IN_FOR_SQL, [user.id]) : [];
    const standsInFor = rows.filter((r) => r.userId !== user.id && r.orgIds.length > 0);
    return { userId: user.id, ownOrgIds, institutionIds, standsInFor, orgIds: ownOrgIds, deputyFor: [...new Set(standsInFor.map((r) => r.userId))] };
  }

  /** libs/domain's rule for this user, task and process (the workflow's validator applies the same). */
  static authority(ctx: ActorContext, task: TaskEntity, party: { applicantId: string; selfApproval: 'SKIP' | 'ALLOW' }): TaskAuthority {
    return taskAuthority(task, ctx, party);
  }

  /** May see and open the task (the inbox's own condition; the decision itself is judged by `authority`). */
  static canSee(ctx: ActorContext, task: TaskEntity): boolean {
    if (task.assigneeId) return task.assigneeId === ctx.userId || ctx.deputyFor.includes(task.assigneeId);
    if (task.candidateInstitutionId && ctx.institutionIds?.includes(task.candidateInstitutionId)) return true;
    return [task.candidateOrgId, task.escalatedOrgId].some((o) => o !== null && ctx.orgIds.includes(o));
  }

  /** The actor as the workflow's requests carry it. */
  static args(ctx: ActorContext): ActorArgs {
    return {
      actorId: ctx.userId,
      actorOrgIds: ctx.orgIds,
      actsForUserIds: ctx.deputyFor,
      ownOrgIds: [...ctx.ownOrgIds],
      institutionIds: [...(ctx.institutionIds ?? [])],
      standsInFor: ctx.standsInFor.map((s) => ({ userId: s.userId, orgIds: [...(s.orgIds ?? [])] })),
    };
  }
}

@Module({ providers: [ActorContextService], exports: [ActorContextService] })
export class ActorsModule {}
