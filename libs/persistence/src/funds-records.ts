/**
 * R14 funds records shared by the worker's activities and the API: the current version of a year's budget, what
 * has been spent per line, and the secretaries' tenures of an organisation. Integer fen throughout.
 */
import type { EntityManager } from 'typeorm';
import { secretaryTenures, toCalendarDate, type BudgetCategory, type Tenure } from '@app/domain';
import { BudgetEntity, BudgetLineEntity, type OrganizationEntity } from './entities';

export interface CurrentBudget {
  budget: BudgetEntity;
  lines: BudgetLineEntity[];
}

/** The latest approved version of (organisation, year), with its lines; null when none is approved. */
export async function currentBudget(m: EntityManager, partyOrganizationId: string, year: number): Promise<CurrentBudget | null> {
  const budget = await m.getRepository(BudgetEntity).findOne({ where: { partyOrganizationId, year }, order: { version: 'DESC' } });
  if (!budget) return null;
  return { budget, lines: await m.getRepository(BudgetLineEntity).find({ where: { budgetId: budget.id } }) };
}

/** Fen spent per category of (organisation, year), over every version. */
export async function spentByCategory(m: EntityManager, partyOrganizationId: string, year: number): Promise<Map<BudgetCategory, number>> {
  const rows: Array<{ category: BudgetCategory; spent: string }> = await m.query(
    `SELECT category, sum(amount_fen)::text AS spent FROM budget_expenses WHERE party_organization_id = $1 AND year = $2 GROUP BY category`,
    [partyOrganizationId, year],
  );
  return new Map(rows.map((r) => [r.category, Number(r.spent)]));
}

/**
 * Serialises every write that spends against (organisation, year) — an expense, a stipend payout, a new version —
 * until the transaction ends, so two writers never both see the same remaining amount.
 */
export async function lockBudgetYear(m: EntityManager, partyOrganizationId: string, year: number): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`budget:${partyOrganizationId}:${year}`]);
}

/**
 * Who held the organisation's secretaryship when: the secretary on record since the term started (or the
 * organisation was created), then each recorded change from its date (Asia/Shanghai).
 */
export async function organizationTenures(m: EntityManager, org: OrganizationEntity): Promise<Tenure[]> {
  const changes: Array<{ on: string; from_member_id: string | null; to_member_id: string }> = await m.query(
    `SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS on, from_member_id, to_member_id
       FROM secretary_changes WHERE organization_id = $1 ORDER BY created_at, id`,
    [org.id],
  );
  const since = org.termStart ?? toCalendarDate(new Date(org.createdAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10));
  return secretaryTenures(
    { memberId: org.secretaryMemberId, since },
    changes.map((c) => ({ on: c.on, fromMemberId: c.from_member_id, toMemberId: c.to_member_id })),
  );
}
