import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { TaskEntity } from '@app/persistence';
import type { AuthUser } from '../common/auth-user';

export interface ActorContext {
  /** Organisations the user may act for now: their own, plus those of users they deputise for (委托). */
  orgIds: string[];
  /** For an organisation reached through a delegation: whose it is. */
  onBehalfOf: Map<string, string>;
  /** Users this user stands in for today: tasks assigned to them personally are this user's too. */
  deputyFor: string[];
}

/** Who a user may act for today, delegations included. */
@Injectable()
export class ActorContextService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async of(user: AuthUser): Promise<ActorContext> {
    const own = user.roles.includes('APPROVER') ? user.organizationIds : [];
    const rows: Array<{ user_id: string; organization_ids: string[] }> = await this.ds.query(
      `SELECT d.user_id, u.organization_ids FROM delegations d JOIN users u ON u.id = d.user_id
        WHERE d.deputy_id = $1 AND d.revoked_at IS NULL AND u.active AND 'APPROVER' = ANY(u.roles)
          AND (now() AT TIME ZONE 'Asia/Shanghai')::date BETWEEN d.starts_on AND d.ends_on`,
      [user.id],
    );
    const onBehalfOf = new Map<string, string>();
    for (const r of rows) for (const o of r.organization_ids) if (!own.includes(o) && !onBehalfOf.has(o)) onBehalfOf.set(o, r.user_id);
    const deputyFor = [...new Set(rows.map((r) => r.user_id))].filter((id) => id !== user.id);
    return { orgIds: [...own, ...onBehalfOf.keys()], onBehalfOf, deputyFor };
  }

  /**
   * May act on the task: assigned to them or to someone they stand in for, or (unassigned) a candidate or
   * escalation organisation of theirs.
   */
  static canAct(ctx: ActorContext, user: AuthUser, task: TaskEntity): boolean {
    if (task.assigneeId) return task.assigneeId === user.id || ctx.deputyFor.includes(task.assigneeId);
    return [task.candidateOrgId, task.escalatedOrgId].some((o) => o !== null && ctx.orgIds.includes(o));
  }

  /** Whose task the user acts on as a deputy (委托), if anyone's: the audit records both. */
  static onBehalfOfFor(ctx: ActorContext, user: AuthUser, task: TaskEntity): string | null {
    if (task.assigneeId) return task.assigneeId !== user.id && ctx.deputyFor.includes(task.assigneeId) ? task.assigneeId : null;
    for (const o of [task.candidateOrgId, task.escalatedOrgId]) if (o && ctx.onBehalfOf.has(o)) return ctx.onBehalfOf.get(o)!;
    return null;
  }
}
