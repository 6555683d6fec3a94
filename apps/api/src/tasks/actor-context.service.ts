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
    return { orgIds: [...own, ...onBehalfOf.keys()], onBehalfOf };
  }

  /** May act on the task: assigned to them, or (unassigned) a candidate or escalation organisation of theirs. */
  static canAct(ctx: ActorContext, user: AuthUser, task: TaskEntity): boolean {
    if (task.assigneeId) return task.assigneeId === user.id;
    return [task.candidateOrgId, task.escalatedOrgId].some((o) => o !== null && ctx.orgIds.includes(o));
  }

  static onBehalfOfFor(ctx: ActorContext, task: TaskEntity): string | null {
    for (const o of [task.candidateOrgId, task.escalatedOrgId]) if (o && ctx.onBehalfOf.has(o)) return ctx.onBehalfOf.get(o)!;
    return null;
  }
}
