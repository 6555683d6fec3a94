import type { DateInput } from '../calendar/dates';
import type { PolicySettings } from '../settings';
import type { Finding, MemberFacts } from '../types';
import { finding } from './finding';
import { countMembers, transferExemptReasons } from './member-status';

export interface ElderlyBranchEligibility {
  eligible: boolean;
  /** FULL elderly members of the institution. */
  fullElderlyMembers: number;
  /** Those who count: R12-exempt members only with their transfer consent. */
  countableMembers: number;
  /** R12-exempt FULL elderly members left out for want of consent. */
  excludedMemberIds: string[];
  findings: Finding[];
}

/**
 * R7: an elderly branch may be set up with at least `elderlyBranchMinFullElderly` (3) FULL elderly members whose
 * relation is or will be transferred in; R12-exempt members (advanced age, disabled, dementia) count only with
 * `transferConsent`. Whether "conditions are mature" is the approver's judgement, not the rule's.
 */
export function evaluateElderlyBranchEligibility(
  institutionId: string,
  members: readonly MemberFacts[],
  settings: Pick<PolicySettings, 'advancedAgeYears' | 'elderlyBranchMinFullElderly'>,
  today?: DateInput | null,
): ElderlyBranchEligibility {
  const counts = countMembers(institutionId, members, settings, today);
  const excludedMemberIds = members
    .filter(
      (m) =>
        m.institutionId === institutionId &&
        m.category === 'ELDERLY' &&
        m.status === 'FULL' &&
        m.transferConsent !== true &&
        transferExemptReasons(m, settings, today).length > 0,
    )
    .map((m) => m.id);
  const min = settings.elderlyBranchMinFullElderly;
  const eligible = counts.elderlyBranchCountable >= min;
  const excludedNote =
    excludedMemberIds.length > 0 ? `另有 ${excludedMemberIds.length} 名高龄、失能或失智老年人党员未同意迁移组织关系，不计入。` : '';
  const findings = [
    eligible
      ? finding('R7', 'INFO', `老年人正式党员 ${counts.elderlyBranchCountable} 名，达到 ${min} 名，可申请成立老年人党支部（条件是否成熟由审批方判断）。${excludedNote}`)
      : finding('R7', 'INFO', `可计入的老年人正式党员 ${counts.elderlyBranchCountable} 名，不足 ${min} 名，暂不具备成立老年人党支部的条件。${excludedNote}`),
  ];
  return {
    eligible,
    fullElderlyMembers: counts.fullElderly,
    countableMembers: counts.elderlyBranchCountable,
    excludedMemberIds,
    findings,
  };
}
