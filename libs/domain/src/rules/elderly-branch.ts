import type { PolicySettings } from '../settings';
import type { Finding, MemberFacts } from '../types';
import { finding } from './finding';
import { countMembers, countsTowardElderlyBranch } from './member-status';

export interface ElderlyBranchEligibility {
  eligible: boolean;
  /** FULL elderly members of the institution. */
  fullElderlyMembers: number;
  /** Those who count under the count basis (all of them under ALL_FULL_RESIDENTS). */
  countableMembers: number;
  /** RELATION_IN: FULL elderly members left out because their relation is elsewhere and no transfer in is open. */
  excludedMemberIds: string[];
  findings: Finding[];
}

/**
 * R7: an elderly branch may be set up with at least `elderlyBranchMinFullElderly` (3) FULL elderly members, counted
 * on `elderlyBranchCountBasis` (see countsTowardElderlyBranch). Whether "conditions are mature" is the approver's
 * judgement, not the rule's.
 */
export function evaluateElderlyBranchEligibility(
  institutionId: string,
  members: readonly MemberFacts[],
  settings: Pick<PolicySettings, 'elderlyBranchMinFullElderly' | 'elderlyBranchCountBasis'>,
  institutionOrgIds: readonly string[] = [],
): ElderlyBranchEligibility {
  const counts = countMembers(institutionId, members, settings, institutionOrgIds);
  const excludedMemberIds = members
    .filter(
      (m) =>
        m.institutionId === institutionId &&
        m.category === 'ELDERLY' &&
        m.status === 'FULL' &&
        !countsTowardElderlyBranch(m, settings, institutionOrgIds),
    )
    .map((m) => m.id);
  const min = settings.elderlyBranchMinFullElderly;
  const eligible = counts.elderlyBranchCountable >= min;
  const note = elderlyBranchExcludedNote(excludedMemberIds.length);
  const findings = [
    eligible
      ? finding('R7', 'INFO', `老年人正式党员 ${counts.elderlyBranchCountable} 名，达到 ${min} 名，可申请成立老年人党支部（条件是否成熟由审批方判断）。${note}`)
      : finding('R7', 'INFO', `可计入的老年人正式党员 ${counts.elderlyBranchCountable} 名，不足 ${min} 名，暂不具备成立老年人党支部的条件。${note}`),
  ];
  return {
    eligible,
    fullElderlyMembers: counts.fullElderly,
    countableMembers: counts.elderlyBranchCountable,
    excludedMemberIds,
    findings,
  };
}

/** The note on members the RELATION_IN basis leaves out (empty when none). */
export function elderlyBranchExcludedNote(excluded: number): string {
  return excluded > 0 ? `另有 ${excluded} 名老年人正式党员组织关系不在机构党组织且未在转入中，按设置不计入。` : '';
}
