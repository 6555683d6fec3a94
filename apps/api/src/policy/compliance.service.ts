import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  evaluateCompliance,
  maxDate,
  PARTY_ORG_KINDS,
  thresholdReachedOn,
  toCalendarDate,
  type BudgetRecord,
  type ComplianceVerdict,
  type MemberFacts,
  type OrganizationFacts,
  type PartyOrgKind,
  type PolicySettings,
} from '@app/domain';
import {
  DispatchEntity,
  DutyLogEntity,
  DutyWeekEntity,
  InstitutionEntity,
  loadInstitutionFacts,
  memberFacts,
  membersTransferringIn,
  OrganizationEntity,
  PartyMemberEntity,
  SettingEntity,
  SettingsService,
} from '@app/persistence';
import { In } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { forbidden, notFound } from '../common/errors';
import { ScopeService } from '../common/scope.service';

/** A dispatch on the card (R8/R9): who, since when, and its assessed weeks (the latest 8). */
export interface DispatchCard {
  id: string;
  role: string;
  personName: string;
  status: 'ACTIVE' | 'ENDED';
  fromDate: string;
  toDate: string | null;
  endedOn: string | null;
  /** Missed weeks in a row up to the latest assessed week (exempt weeks skipped). */
  consecutiveMissed: number;
  weeks: Array<{ week: string; status: string }>;
}

export type ComplianceReport = ComplianceVerdict & { institutionId: string; asOf: string; dispatches: DispatchCard[] };

const isPartyKind = (k: string): k is PartyOrgKind => (PARTY_ORG_KINDS as readonly string[]).includes(k);

function organizationFacts(o: OrganizationEntity): OrganizationFacts | null {
  if (!isPartyKind(o.kind)) return null;
  return {
    id: o.id,
    kind: o.kind,
    parentId: o.parentId,
    termStart: o.termStart,
    termEnd: o.termEnd,
    secretaryMemberId: o.secretaryMemberId,
    establishedOn: toCalendarDate(o.createdAt),
    // Joint organisations recorded before their mode was kept are read as 同业共建 (the domain's default too).
    jointMode: o.kind === 'JOINT' ? (o.jointMode ?? 'CO_BUILD') : null,
  };
}

/**
 * The rules engine's verdict for one institution today (Asia/Shanghai): one primary-key read, then the members,
 * the open transfers into its organisations, the covering and elderly organisations, the township's parent (R3b),
 * the settings and the scope check in parallel (all indexed).
 */
@Injectable()
export class ComplianceService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly scope: ScopeService,
  ) {}

  async forInstitution(user: AuthUser, id: string): Promise<ComplianceReport> {
    const inst = await this.ds.getRepository(InstitutionEntity).findOneBy({ id });
    if (!inst) throw notFound('机构');
    const orgQuery = this.ds
      .getRepository(OrganizationEntity)
      .createQueryBuilder('o')
      .where(`o.institution_id = :id AND o.kind = 'ELDERLY_BRANCH'`, { id })
      .orderBy('o.created_at', 'DESC');
    if (inst.partyOrganizationId) orgQuery.orWhere('o.id = :orgId', { orgId: inst.partyOrganizationId });
    const [allowed, members, transferring, orgs, settings, facts, dispatches, calendarRow] = await Promise.all([
      this.scope.canReadInstitution(user, inst),
      this.ds.getRepository(PartyMemberEntity).findBy({ institutionId: id }),
      membersTransferringIn(this.ds.manager, id),
      orgQuery.getMany(),
      this.settings.policy(),
      loadInstitutionFacts(this.ds.manager, inst),
      this.ds.getRepository(DispatchEntity).find({ where: { institutionId: id }, order: { createdAt: 'DESC', id: 'DESC' } }),
      this.ds.getRepository(SettingEntity).findOneBy({ key: 'calendar' }),
    ]);
    if (!allowed) throw forbidden('无权查看该机构');
    const duty = await this.dutyFacts(dispatches);
    const calendar = (calendarRow?.value ?? {}) as { holidays?: string[]; extraWorkdays?: string[] };

    const covering = orgs.find((o) => o.id === inst.partyOrganizationId);
    const elderly = orgs.find((o) => o.kind === 'ELDERLY_BRANCH' && o.id !== inst.partyOrganizationId);
    const today = toCalendarDate(new Date());
    const fullStaff = members.filter((m) => m.category === 'STAFF' && m.status === 'FULL').length;
    const spinOff = covering?.kind === 'JOINT' && fullStaff >= settings.standaloneOrgMinFullStaff;
    const verdict = evaluateCompliance(
      {
        institution: facts,
        members: members.map((m) => memberFacts(m, transferring)),
        organization: covering ? organizationFacts(covering) : null,
        elderlyBranch: elderly ? organizationFacts(elderly) : null,
        hasInstructor: inst.hasInstructor === true,
        hasMassOrganisation: inst.hasMassOrganisation === true,
        secretarySource: inst.secretarySource ?? null,
        ...(spinOff ? { thresholdReachedOn: await this.jointThresholdReachedOn(inst.id, covering, settings) } : {}),
        ...(covering ? { budgets: await this.budgetRecords(covering.id, Number(today.slice(0, 4))) } : {}),
        // R8/R9: the dispatches in post, their confirmed sessions, leave and the holiday calendar.
        dispatches: duty.active,
        dutySessions: duty.sessions,
        dutyExemptWeeks: duty.leaveWeeks,
        holidays: calendar.holidays ?? [],
        extraWorkdays: calendar.extraWorkdays ?? [],
      },
      settings,
      today,
    );
    return { institutionId: inst.id, asOf: today, ...verdict, dispatches: duty.cards };
  }

  /** The institution's dispatches as the rules read them (those in post) and as the card shows them (all, with weeks). */
  private async dutyFacts(dispatches: DispatchEntity[]) {
    const ids = dispatches.map((d) => d.id);
    const active = dispatches.filter((d) => d.status === 'ACTIVE');
    const [weeks, logs, orgs] = await Promise.all([
      ids.length ? this.ds.getRepository(DutyWeekEntity).find({ where: { dispatchId: In(ids) }, order: { weekStart: 'ASC' } }) : Promise.resolve([]),
      active.length ? this.ds.getRepository(DutyLogEntity).findBy({ dispatchId: In(active.map((d) => d.id)) }) : Promise.resolve([]),
      active.length ? this.ds.getRepository(OrganizationEntity).find({ where: { id: In([...new Set(active.map((d) => d.dispatchingOrgId))]) }, select: { id: true, parentId: true } }) : Promise.resolve([]),
    ]);
    const parentOf = new Map(orgs.map((o) => [o.id, o.parentId]));
    const cards: DispatchCard[] = dispatches.map((d) => {
      const own = weeks.filter((w) => w.dispatchId === d.id);
      return {
        id: d.id,
        role: d.role,
        personName: d.personName,
        status: d.status,
        fromDate: d.fromDate,
        toDate: d.toDate,
        endedOn: d.endedOn,
        consecutiveMissed: own.at(-1)?.consecutiveMissed ?? 0,
        weeks: own.slice(-8).map((w) => ({ week: w.week, status: w.status })),
      };
    });
    return {
      cards,
      active: active.map((d) => ({
        id: d.id,
        role: d.role,
        institutionId: d.institutionId,
        dispatchingOrgId: d.dispatchingOrgId,
        dispatchingOrgParentId: parentOf.get(d.dispatchingOrgId) ?? null,
        startDate: d.fromDate,
        endDate: d.toDate,
      })),
      sessions: logs.map((l) => ({ dispatchId: l.dispatchId, date: l.date, hours: l.minutes / 60, confirmed: l.confirmedAt !== null })),
      leaveWeeks: [...new Set(active.flatMap((d) => d.leaveWeeks))],
    };
  }

  /**
   * R14: the covering organisation's budgets of this year and the next: APPROVED once a version is fixed, SUBMITTED
   * while an annual-budget with lines is under way, DRAFT while one waits for its lines.
   */
  private async budgetRecords(orgId: string, year: number): Promise<BudgetRecord[]> {
    const rows: Array<{ year: number; status: BudgetRecord['status'] }> = await this.ds.query(
      `SELECT DISTINCT year, 'APPROVED' AS status FROM budgets WHERE party_organization_id = $1 AND year IN ($2, $2 + 1)
       UNION ALL
       SELECT (p.payload->>'year')::int, CASE WHEN p.payload ? 'lines' THEN 'SUBMITTED' ELSE 'DRAFT' END
         FROM processes p
        WHERE p.kind = 'annual-budget' AND p.status IN ('RUNNING', 'RETURNED') AND p.subject_key IN ('budget:' || $1 || ':' || $2, 'budget:' || $1 || ':' || ($2 + 1))`,
      [orgId, year],
    );
    // An approved version wins over an amendment under way.
    const rank = { APPROVED: 3, SUBMITTED: 2, DRAFT: 1, NONE: 0 } as const;
    const best = new Map<number, BudgetRecord['status']>();
    for (const r of rows) if (rank[r.status] > rank[best.get(r.year) ?? 'NONE']) best.set(r.year, r.status);
    return [...best].map(([y, status]) => ({ year: y, status }));
  }

  /**
   * R4 spin-off grace: the day a unit of a joint organisation reached 3 FULL staff members. A FULL staff member
   * counts from the later of the day their record was made and the last day the member history (written by a trigger
   * on every change) shows them becoming FULL or STAFF; never before the unit joined the joint organisation, which
   * admitted it below the threshold.
   */
  private async jointThresholdReachedOn(institutionId: string, joint: OrganizationEntity, settings: PolicySettings): Promise<string | null> {
    const rows: Array<{ id: string; since: Date }> = await this.ds.query(
      `SELECT m.id, greatest(m.created_at, max(h.created_at)) AS since
         FROM party_members m
         LEFT JOIN member_history h ON h.member_id = m.id
              AND (h.changes @> '[{"field":"status","after":"FULL"}]' OR h.changes @> '[{"field":"category","after":"STAFF"}]')
        WHERE m.institution_id = $1 AND m.status = 'FULL' AND m.category = 'STAFF'
        GROUP BY m.id, m.created_at`,
      [institutionId],
    );
    const counting: MemberFacts[] = rows.map((r) => ({ id: r.id, institutionId, category: 'STAFF', status: 'FULL', fullMemberSince: toCalendarDate(r.since) }));
    const reached = thresholdReachedOn(institutionId, counting, settings);
    return reached === null ? null : maxDate(reached, joint.createdAt);
  }
}
