import {
  coverageStatus,
  coverageTarget,
  evaluateCompliance,
  INSTITUTION_TYPES,
  PARTY_ORG_KINDS,
  resolveResponsibleBody,
  summarizeCoverage,
  targetApplies,
  type CoverageFacts,
  type CoverageKind,
  type CoverageRow,
  type CoverageSummaryGroup,
  type CoverageTarget,
  institutionFacts,
  type InstitutionType,
  type ManagedBy,
  type MemberFacts,
  type PartyOrgKind,
  type PolicySettings,
  type RequiredAction,
} from '@app/domain';

/** One institution as the coverage query returns it: registry facts plus per-institution counts from SQL. */
export interface CoverageInstitutionRow {
  id: string;
  name: string;
  type: InstitutionType;
  district: string;
  townshipOrgId: string;
  /** The township organisation's parent (R3b DISTRICT). */
  townshipParentOrgId: string | null;
  sponsorOrgId: string | null;
  publicBuilderOrgId: string | null;
  managedBy: ManagedBy | null;
  partyOrganizationId: string | null;
  /** Kind of the organisation party_organization_id points to (BRANCH, JOINT, ...), null without one. */
  orgKind: string | null;
  hasInstructor: boolean;
  hasMassOrganisation: boolean;
  fullStaff: number;
  /** Staff party members, FULL or PROBATIONARY. */
  staffPartyMembers: number;
  fullElderly: number;
}

export interface CoverageCounts {
  total: number;
  organisationCovered: number;
  workCovered: number;
  /** 党的组织和党的工作全覆盖: organisation coverage where there are staff party members, work coverage where none. */
  met: number;
  short: number;
  /** met / total in percent (one decimal), null when there is nothing to count. */
  metPercent: number | null;
}

export interface CoverageReport {
  year: number;
  /** The date the registry was read (Asia/Shanghai). */
  asOf: string;
  totals: CoverageCounts & { targetTotal: number; targetMet: number };
  byType: Array<CoverageCounts & { type: InstitutionType; target: CoverageTarget; targetApplies: boolean }>;
  byDistrict: Array<CoverageCounts & { district: string; targetTotal: number; targetMet: number }>;
  groups: Array<CoverageCounts & { type: InstitutionType; district: string; targetApplies: boolean }>;
  /** Institutions whose type's target is due in `year` and that are not covered, with what each must do. */
  shortOfTarget: Array<{
    institutionId: string;
    name: string;
    type: InstitutionType;
    district: string;
    target: CoverageTarget;
    requiredAction: RequiredAction;
    responsibleBodyId: string | null;
    fullStaffMembers: number;
    fullElderlyMembers: number;
    coverageKind: CoverageKind;
  }>;
}

const OWN_KINDS = new Set(['BRANCH', 'GENERAL_BRANCH', 'COMMITTEE']);
const isPartyKind = (k: string): k is PartyOrgKind => (PARTY_ORG_KINDS as readonly string[]).includes(k);

export function coverageFacts(r: CoverageInstitutionRow): CoverageFacts {
  return {
    hasOwnOrg: r.orgKind !== null && OWN_KINDS.has(r.orgKind),
    // Joint organisations carry no mode column yet: read as 同业共建.
    jointMode: r.orgKind === 'JOINT' ? 'CO_BUILD' : null,
    hasInstructor: r.hasInstructor,
    hasMassOrganisation: r.hasMassOrganisation,
  };
}

function counts(total: number, organisationCovered: number, workCovered: number, met: number): CoverageCounts {
  return { total, organisationCovered, workCovered, met, short: total - met, metPercent: total === 0 ? null : Math.round((met * 1000) / total) / 10 };
}

function add(acc: number[], g: CoverageSummaryGroup): void {
  acc[0]! += g.total;
  acc[1]! += g.organisationCovered;
  acc[2]! += g.workCovered;
  acc[3]! += g.met;
}

/**
 * The required action of an uncovered institution, from the domain's verdict. Only the type, the FULL staff count,
 * whether there are probationary staff members too (R5 rather than R6), the covering organisation's kind and the
 * work-coverage facts decide it, so the members are stand-ins for the SQL counts and the verdict is computed once
 * per combination of those (`memo`).
 */
function requiredActionOf(r: CoverageInstitutionRow, settings: PolicySettings, today: string, memo: Map<string, RequiredAction>): RequiredAction {
  const probationary = r.staffPartyMembers > r.fullStaff;
  const key = [r.type, r.fullStaff, probationary, r.orgKind, r.hasInstructor, r.hasMassOrganisation].join('|');
  const known = memo.get(key);
  if (known) return known;
  const members: MemberFacts[] = Array.from({ length: r.fullStaff + (probationary ? 1 : 0) }, (_, i) => ({
    id: `${r.id}#${i}`,
    institutionId: r.id,
    category: 'STAFF',
    status: i < r.fullStaff ? 'FULL' : 'PROBATIONARY',
    relationOrgId: r.partyOrganizationId,
  }));
  const kind = r.orgKind;
  const { requiredAction } = evaluateCompliance(
    {
      institution: institutionFacts(r),
      members,
      organization:
        r.partyOrganizationId && kind !== null && isPartyKind(kind)
          ? { id: r.partyOrganizationId, kind, jointMode: kind === 'JOINT' ? 'CO_BUILD' : null }
          : null,
      hasInstructor: r.hasInstructor,
      hasMassOrganisation: r.hasMassOrganisation,
    },
    settings,
    today,
  );
  memo.set(key, requiredAction);
  return requiredAction;
}

/** The coverage dashboard (R16) for a reporting year, from one row per institution. */
export function buildCoverageReport(rows: readonly CoverageInstitutionRow[], year: number, settings: PolicySettings, today: string): CoverageReport {
  const domainRows: CoverageRow[] = rows.map((r) => ({
    institutionId: r.id,
    type: r.type,
    district: r.district,
    coverage: coverageFacts(r),
    hasStaffPartyMembers: r.staffPartyMembers > 0,
  }));
  const groups = summarizeCoverage(domainRows, year, settings);

  const all = [0, 0, 0, 0];
  const target = [0, 0];
  const byType = new Map<InstitutionType, number[]>(INSTITUTION_TYPES.map((t) => [t, [0, 0, 0, 0]]));
  const byDistrict = new Map<string, { c: number[]; target: number[] }>();
  for (const g of groups) {
    add(all, g);
    add(byType.get(g.type)!, g);
    const d = byDistrict.get(g.district) ?? { c: [0, 0, 0, 0], target: [0, 0] };
    byDistrict.set(g.district, d);
    add(d.c, g);
    if (g.targetApplies) {
      target[0]! += g.total;
      target[1]! += g.met;
      d.target[0]! += g.total;
      d.target[1]! += g.met;
    }
  }

  const byId = new Map(rows.map((r) => [r.id, r]));
  const shortOfTarget: CoverageReport['shortOfTarget'] = [];
  const memo = new Map<string, RequiredAction>();
  for (const g of groups) {
    if (!g.targetApplies) continue;
    for (const id of g.shortInstitutionIds) {
      const r = byId.get(id)!;
      shortOfTarget.push({
        institutionId: r.id,
        name: r.name,
        type: r.type,
        district: r.district,
        target: g.target,
        requiredAction: requiredActionOf(r, settings, today, memo),
        responsibleBodyId: resolveResponsibleBody(institutionFacts(r), settings).organizationId,
        fullStaffMembers: r.fullStaff,
        fullElderlyMembers: r.fullElderly,
        coverageKind: coverageStatus(coverageFacts(r)).kind,
      });
    }
  }
  shortOfTarget.sort((a, b) => INSTITUTION_TYPES.indexOf(a.type) - INSTITUTION_TYPES.indexOf(b.type) || cmp(a.district, b.district) || cmp(a.name, b.name) || cmp(a.institutionId, b.institutionId));

  return {
    year,
    asOf: today,
    totals: { ...counts(all[0]!, all[1]!, all[2]!, all[3]!), targetTotal: target[0]!, targetMet: target[1]! },
    byType: INSTITUTION_TYPES.map((type) => {
      const c = byType.get(type)!;
      return { type, target: coverageTarget(type, settings), targetApplies: targetApplies(type, year, settings), ...counts(c[0]!, c[1]!, c[2]!, c[3]!) };
    }),
    byDistrict: [...byDistrict.entries()]
      .sort(([a], [b]) => cmp(a, b))
      .map(([district, d]) => ({ district, ...counts(d.c[0]!, d.c[1]!, d.c[2]!, d.c[3]!), targetTotal: d.target[0]!, targetMet: d.target[1]! })),
    groups: groups.map((g) => ({ type: g.type, district: g.district, targetApplies: g.targetApplies, ...counts(g.total, g.organisationCovered, g.workCovered, g.met) })),
    shortOfTarget,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
