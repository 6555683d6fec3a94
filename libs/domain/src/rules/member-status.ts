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
  /** FULL STAFF members of the institution (probationary members never count). */
  fullStaff: number;
  /** FULL ELDERLY members of the institution. */
  fullElderly: number;
  /** FULL ELDERLY members who count toward an elderly branch: R12-exempt ones only with transferConsent. */
  elderlyBranchCountable: number;
  probationary: number;
}

/** Counts an institution's members for the thresholds (members of other institutions are ignored). */
export function countMembers(
  institutionId: string,
  members: readonly MemberFacts[],
  settings: Pick<PolicySettings, 'advancedAgeYears'>,
  today?: DateInput | null,
): MemberCounts {
  const own = members.filter((m) => m.institutionId === institutionId);
  const fullElderly = own.filter((m) => m.category === 'ELDERLY' && m.status === 'FULL');
  return {
    fullStaff: own.filter((m) => m.category === 'STAFF' && m.status === 'FULL').length,
    fullElderly: fullElderly.length,
    elderlyBranchCountable: fullElderly.filter(
      (m) => m.transferConsent === true || transferExemptReasons(m, settings, today).length === 0,
    ).length,
    probationary: own.filter((m) => m.status === 'PROBATIONARY').length,
  };
}
