import { type DateInput, fullYearsBetween } from '../calendar/dates';
import type { PolicySettings } from '../settings';
import type { MemberFacts, TransferExemptReason } from '../types';

/** Age in whole years on `today`; the birthday itself counts (born 1944-05-01 → 80 on 2024-05-01). */
export function ageOn(birthDate: DateInput, today: DateInput): number {
  return fullYearsBetween(birthDate, today);
}

/**
 * R12: why an ELDERLY member is exempt from transfer (advanced age ≥ settings.advancedAgeYears, disabled,
 * dementia). Empty for STAFF members, and for members without those facts. Age is judged only when both the
 * birth date and `today` are known.
 */
export function transferExemptReasons(
  member: Pick<MemberFacts, 'category' | 'birthDate' | 'disabled' | 'dementia'>,
  settings: Pick<PolicySettings, 'advancedAgeYears'>,
  today?: DateInput | null,
): TransferExemptReason[] {
  if (member.category !== 'ELDERLY') return [];
  const reasons: TransferExemptReason[] = [];
  if (member.birthDate && today != null && ageOn(member.birthDate, today) >= settings.advancedAgeYears) {
    reasons.push('ADVANCED_AGE');
  }
  if (member.disabled) reasons.push('DISABLED');
  if (member.dementia) reasons.push('DEMENTIA');
  return reasons;
}

export interface MemberCounts {
  /** FULL STAFF members of the institution (probationary members never count toward a threshold). */
  fullStaff: number;
  /** STAFF party members of the institution, FULL or PROBATIONARY: with any, R6 no longer applies (R5 does). */
  staffPartyMembers: number;
  /** FULL ELDERLY members of the institution. */
  fullElderly: number;
  /** FULL ELDERLY members who count toward an elderly branch under `settings.elderlyBranchCountBasis` (R7). */
  elderlyBranchCountable: number;
  probationary: number;
}

/**
 * R7: whether a FULL elderly member counts toward an elderly branch. ALL_FULL_RESIDENTS: every one. RELATION_IN:
 * those whose relation sits in one of `institutionOrgIds` (the institution's organisation, its elderly branch),
 * R12-exempt or not, and those with a transfer into it requested or under way (`transferInPending`).
 */
export function countsTowardElderlyBranch(
  member: MemberFacts,
  settings: Pick<PolicySettings, 'elderlyBranchCountBasis'>,
  institutionOrgIds: readonly string[] = [],
): boolean {
  if (member.category !== 'ELDERLY' || member.status !== 'FULL') return false;
  if (settings.elderlyBranchCountBasis === 'ALL_FULL_RESIDENTS') return true;
  if (member.transferInPending === true) return true;
  return member.relationOrgId != null && institutionOrgIds.includes(member.relationOrgId);
}

/**
 * Counts an institution's members for the thresholds (members of other institutions are ignored).
 * `institutionOrgIds` are the institution's organisations (covering organisation, elderly branch) for the R7
 * count basis RELATION_IN.
 */
export function countMembers(
  institutionId: string,
  members: readonly MemberFacts[],
  settings: Pick<PolicySettings, 'elderlyBranchCountBasis'>,
  institutionOrgIds: readonly string[] = [],
): MemberCounts {
  const own = members.filter((m) => m.institutionId === institutionId);
  const staff = own.filter((m) => m.category === 'STAFF');
  return {
    fullStaff: staff.filter((m) => m.status === 'FULL').length,
    staffPartyMembers: staff.length,
    fullElderly: own.filter((m) => m.category === 'ELDERLY' && m.status === 'FULL').length,
    elderlyBranchCountable: own.filter((m) => countsTowardElderlyBranch(m, settings, institutionOrgIds)).length,
    probationary: own.filter((m) => m.status === 'PROBATIONARY').length,
  };
}
