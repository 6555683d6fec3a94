import { type DateInput, toCalendarDate } from '../calendar/dates';
import type { CoverageTarget, PolicySettings } from '../settings';
import type { Finding, InstitutionType, JointMode } from '../types';
import { finding } from './finding';

export const COVERAGE_KINDS = [
  'ORG_STANDALONE',
  'ORG_JOINT',
  'ORG_AFFILIATED',
  'WORK_INSTRUCTOR',
  'WORK_MASS_ORG',
  'NONE',
] as const;
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

export interface CoverageFacts {
  hasOwnOrg?: boolean;
  /** Set when a joint organisation covers the institution: CO_BUILD → joint, AFFILIATE → affiliated. */
  jointMode?: JointMode | null;
  hasInstructor?: boolean;
  hasMassOrganisation?: boolean;
}

export interface CoverageStatus {
  /** 组织覆盖: own, joint or affiliated organisation. */
  organisation: boolean;
  /** 工作覆盖: organisation coverage, or an instructor, or a mass organisation. */
  work: boolean;
  /** The strongest form of coverage present. */
  kind: CoverageKind;
}

/** R16 coverage: organisation coverage (own, joint, affiliated) vs work coverage (adds instructor, mass org). */
export function coverageStatus(facts: CoverageFacts): CoverageStatus {
  const kind: CoverageKind = facts.hasOwnOrg
    ? 'ORG_STANDALONE'
    : facts.jointMode === 'CO_BUILD'
      ? 'ORG_JOINT'
      : facts.jointMode === 'AFFILIATE'
        ? 'ORG_AFFILIATED'
        : facts.hasInstructor
          ? 'WORK_INSTRUCTOR'
          : facts.hasMassOrganisation
            ? 'WORK_MASS_ORG'
            : 'NONE';
  const organisation = kind === 'ORG_STANDALONE' || kind === 'ORG_JOINT' || kind === 'ORG_AFFILIATED';
  return { organisation, work: kind !== 'NONE', kind };
}

export function coverageTarget(type: InstitutionType, settings: Pick<PolicySettings, 'coverageTargets'>): CoverageTarget {
  return settings.coverageTargets[type];
}

/** Whether a type's target is due in a reporting year: its target date falls in that year or earlier. */
export function targetApplies(type: InstitutionType, year: number, settings: Pick<PolicySettings, 'coverageTargets'>): boolean {
  const t = settings.coverageTargets[type];
  return t.targetDate !== null && t.firmness !== 'NONE' && Number(t.targetDate.slice(0, 4)) <= year;
}

/**
 * 党的组织和党的工作全覆盖: an institution with staff party members (FULL or PROBATIONARY: all-probationary staff
 * are R5, so they can join a joint organisation) must have organisation coverage; one with none needs work
 * coverage (no organisation can be built without members, R6).
 */
export function coverageMet(status: CoverageStatus, hasStaffPartyMembers: boolean): boolean {
  return hasStaffPartyMembers ? status.organisation : status.work;
}

export interface CoverageEvaluation {
  target: CoverageTarget;
  /** The target date has passed (today is after it). */
  targetPassed: boolean;
  met: boolean;
  status: CoverageStatus;
  findings: Finding[];
}

/** R16 for one institution: firm targets missed are violations, aspirational ones warnings. */
export function evaluateCoverage(
  input: { type: InstitutionType; coverage: CoverageFacts; hasStaffPartyMembers: boolean },
  today: DateInput,
  settings: Pick<PolicySettings, 'coverageTargets'>,
): CoverageEvaluation {
  const target = coverageTarget(input.type, settings);
  const status = coverageStatus(input.coverage);
  const met = coverageMet(status, input.hasStaffPartyMembers);
  const targetPassed = target.targetDate !== null && toCalendarDate(today) > target.targetDate;
  const findings: Finding[] = [];
  const what = input.hasStaffPartyMembers ? '党的组织覆盖' : '党的工作覆盖';
  if (!met && target.targetDate !== null && target.firmness !== 'NONE') {
    if (targetPassed && target.firmness === 'FIRM') {
      findings.push(finding('R16', 'VIOLATION', `该类机构应于 ${target.targetDate} 前实现全覆盖，本机构尚未实现${what}。`));
    } else if (targetPassed) {
      findings.push(finding('R16', 'WARNING', `该类机构力争于 ${target.targetDate} 前实现全覆盖，本机构尚未实现${what}。`));
    } else {
      findings.push(finding('R16', 'INFO', `该类机构${target.firmness === 'FIRM' ? '应' : '力争'}于 ${target.targetDate} 前实现全覆盖，本机构尚未实现${what}。`));
    }
  }
  return { target, targetPassed, met, status, findings };
}

export interface CoverageRow {
  institutionId: string;
  type: InstitutionType;
  district: string;
  coverage: CoverageFacts;
  hasStaffPartyMembers: boolean;
}

export interface CoverageSummaryGroup {
  type: InstitutionType;
  district: string;
  target: CoverageTarget;
  /** The type's target is due in the reporting year. */
  targetApplies: boolean;
  total: number;
  organisationCovered: number;
  workCovered: number;
  /** Institutions meeting 「党的组织和党的工作全覆盖」 (organisation where there are staff party members, work where none). */
  met: number;
  /** Institutions short of it (listed whether or not the target is due yet). */
  shortInstitutionIds: string[];
}

/** The coverage dashboard for a reporting year: one group per (type, district), sorted by type then district. */
export function summarizeCoverage(
  rows: readonly CoverageRow[],
  year: number,
  settings: Pick<PolicySettings, 'coverageTargets'>,
): CoverageSummaryGroup[] {
  const groups = new Map<string, CoverageSummaryGroup>();
  for (const row of rows) {
    const key = `${row.type}\u0000${row.district}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        type: row.type,
        district: row.district,
        target: coverageTarget(row.type, settings),
        targetApplies: targetApplies(row.type, year, settings),
        total: 0,
        organisationCovered: 0,
        workCovered: 0,
        met: 0,
        shortInstitutionIds: [],
      };
      groups.set(key, g);
    }
    const status = coverageStatus(row.coverage);
    g.total++;
    if (status.organisation) g.organisationCovered++;
    if (status.work) g.workCovered++;
    if (coverageMet(status, row.hasStaffPartyMembers)) g.met++;
    else g.shortInstitutionIds.push(row.institutionId);
  }
  return [...groups.values()].sort((a, b) => (a.type === b.type ? (a.district < b.district ? -1 : a.district > b.district ? 1 : 0) : a.type < b.type ? -1 : 1));
}
