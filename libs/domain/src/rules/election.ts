import { type DateInput, fullYearsBetween } from '../calendar/dates';
import type { PolicySettings } from '../settings';
import type { Finding } from '../types';
import { finding } from './finding';

type ElectionSettings = Pick<
  PolicySettings,
  | 'electionCandidateMarginPercent'
  | 'electionQuorumNumerator'
  | 'electionQuorumDenominator'
  | 'committeeMinFullMembers'
  | 'committeeMinSize'
  | 'committeeMaxSize'
  | 'secretaryMinPartyYears'
>;

function assertCount(n: number, name: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer: ${n}`);
}

/** 差额: at least `electionCandidateMarginPercent` (20%) more candidates than seats, the surplus rounded up. */
export function minCandidates(seats: number, settings: Pick<PolicySettings, 'electionCandidateMarginPercent'>): number {
  assertCount(seats, 'seats');
  const scaled = seats * settings.electionCandidateMarginPercent;
  // Integer ceiling when the margin is a whole percentage, so 5 seats × 20% is exactly 1, not 1.0000000001.
  const surplus = Number.isInteger(scaled) ? Math.floor((scaled + 99) / 100) : Math.ceil(scaled / 100);
  return seats + surplus;
}

/**
 * Quorum: voters present ≥ 4/5 of the members due to attend (exactly 4/5 counts). Members excluded from the count
 * with the superior's consent (e.g. bed-ridden elderly members) are subtracted from those due to attend.
 */
export function quorumMet(
  present: number,
  dueToAttend: number,
  settings: Pick<PolicySettings, 'electionQuorumNumerator' | 'electionQuorumDenominator'>,
  excludedFromCount = 0,
): boolean {
  assertCount(present, 'present');
  assertCount(dueToAttend, 'dueToAttend');
  assertCount(excludedFromCount, 'excludedFromCount');
  const due = Math.max(0, dueToAttend - excludedFromCount);
  if (due === 0) return false;
  return present * settings.electionQuorumDenominator >= due * settings.electionQuorumNumerator;
}

/** Elected with more than half of the votes of those present (exactly half is not enough). */
export function isElected(votes: number, presentVoters: number): boolean {
  assertCount(votes, 'votes');
  assertCount(presentVoters, 'presentVoters');
  return presentVoters > 0 && votes * 2 > presentVoters;
}

export type LeadershipStructure =
  | { kind: 'COMMITTEE'; minSize: number; maxSize: number }
  | { kind: 'SECRETARY'; deputyOptional: true };

/** 7+ FULL members elect a committee of 3–5; fewer elect a secretary and optionally a deputy. */
export function leadershipStructure(
  fullMembers: number,
  settings: Pick<PolicySettings, 'committeeMinFullMembers' | 'committeeMinSize' | 'committeeMaxSize'>,
): LeadershipStructure {
  assertCount(fullMembers, 'fullMembers');
  return fullMembers >= settings.committeeMinFullMembers
    ? { kind: 'COMMITTEE', minSize: settings.committeeMinSize, maxSize: settings.committeeMaxSize }
    : { kind: 'SECRETARY', deputyOptional: true };
}

/** A secretary needs at least `secretaryMinPartyYears` (1) of party standing, counted from becoming a FULL member. */
export function secretaryEligible(
  fullMemberSince: DateInput | null | undefined,
  on: DateInput,
  settings: Pick<PolicySettings, 'secretaryMinPartyYears'>,
): boolean {
  if (fullMemberSince == null) return false;
  return fullYearsBetween(fullMemberSince, on) >= settings.secretaryMinPartyYears;
}

export interface ElectionInput {
  /** FULL members of the organisation (they alone vote and stand). */
  fullMembers: number;
  /** Seats: committee members (7+ members), or 1–2 (secretary, optional deputy). */
  seats: number;
  candidates: ReadonlyArray<{ id: string; votes: number }>;
  /** Members due to attend, before exclusions. */
  dueToAttend: number;
  /** Excluded from the count with the superior's consent. */
  excludedFromCount?: number;
  /** Voters actually present. */
  present: number;
  /** The elected secretary's standing check, when known. */
  secretary?: { memberId: string; fullMemberSince: DateInput | null } | null;
  date: DateInput;
}

export interface ElectionResult {
  quorum: boolean;
  /** The election is valid: quorum met and candidate/seat rules kept. */
  valid: boolean;
  elected: string[];
  /** Seats left unfilled (另行选举 for those). */
  unfilledSeats: number;
  findings: Finding[];
}

/**
 * Term-renewal and founding elections (R4 「按期进行换届」): seat count by structure, 差额 for committees
 * (a secretary-only election may be 等额), quorum, majority of those present, the secretary's standing.
 * Ties at the last seat leave the seat unfilled for a further round.
 */
export function evaluateElection(input: ElectionInput, settings: ElectionSettings): ElectionResult {
  const findings: Finding[] = [];
  const structure = leadershipStructure(input.fullMembers, settings);
  let rulesKept = true;
  if (structure.kind === 'COMMITTEE') {
    if (input.seats < structure.minSize || input.seats > structure.maxSize) {
      rulesKept = false;
      findings.push(
        finding('R4', 'VIOLATION', `正式党员 ${input.fullMembers} 名，应选举 ${structure.minSize}–${structure.maxSize} 名委员组成支部委员会，拟选 ${input.seats} 名。`),
      );
    }
    const min = minCandidates(input.seats, settings);
    if (input.candidates.length < min) {
      rulesKept = false;
      findings.push(
        finding('R4', 'VIOLATION', `候选人 ${input.candidates.length} 名，差额选举至少需要 ${min} 名（多于应选人数 ${settings.electionCandidateMarginPercent}%）。`),
      );
    }
  } else if (input.seats < 1 || input.seats > 2) {
    rulesKept = false;
    findings.push(
      finding('R4', 'VIOLATION', `正式党员不足 ${settings.committeeMinFullMembers} 名，应选举书记 1 名（可增设副书记 1 名），拟选 ${input.seats} 名。`),
    );
  }
  if (input.present > input.dueToAttend) {
    throw new RangeError('present voters exceed those due to attend');
  }
  const quorum = quorumMet(input.present, input.dueToAttend, settings, input.excludedFromCount ?? 0);
  if (!quorum) {
    findings.push(
      finding('R4', 'VIOLATION', `到会 ${input.present} 人，未达到应到会人数的 ${settings.electionQuorumNumerator}/${settings.electionQuorumDenominator}，选举无效。`),
    );
  }
  const valid = quorum && rulesKept;
  let elected: string[] = [];
  if (valid) {
    const passing = input.candidates.filter((c) => isElected(c.votes, input.present)).sort((a, b) => b.votes - a.votes);
    if (passing.length <= input.seats) {
      elected = passing.map((c) => c.id);
    } else {
      const cutoff = passing[input.seats - 1]!.votes;
      const above = passing.filter((c) => c.votes > cutoff);
      const atCutoff = passing.filter((c) => c.votes === cutoff);
      elected = above.map((c) => c.id);
      if (above.length + atCutoff.length <= input.seats) elected.push(...atCutoff.map((c) => c.id));
      else findings.push(finding('R4', 'WARNING', `得票相同的候选人超过剩余名额，须就剩余名额另行选举。`));
    }
    if (elected.length < input.seats) {
      findings.push(finding('R4', 'WARNING', `得票超过到会人数半数的当选人 ${elected.length} 名，少于应选 ${input.seats} 名，须另行选举。`));
    }
  }
  if (input.secretary && !secretaryEligible(input.secretary.fullMemberSince, input.date, settings)) {
    findings.push(finding('R4', 'VIOLATION', `党组织书记人选党龄不足 ${settings.secretaryMinPartyYears} 年。`));
  }
  return { quorum, valid, elected, unfilledSeats: valid ? input.seats - elected.length : input.seats, findings };
}

export interface ElectionPlanInput {
  /** FULL members of the organisation (7+ elect a committee of 3–5; fewer a secretary and optionally a deputy). */
  fullMembers: number;
  /** Seats to fill: committee members, or 1 (secretary) / 2 (secretary and deputy). */
  seats: number;
  /** Candidates nominated. */
  candidates: number;
}

/**
 * An election plan (换届选举方案) before the vote: the seats fit the structure the membership calls for, and a committee
 * election has its margin (差额) of candidates. A secretary-only election may be 等额 (as many candidates as seats),
 * but never fewer candidates than seats. Each broken rule is a VIOLATION citing R4, in Chinese.
 */
export function evaluateElectionPlan(input: ElectionPlanInput, settings: ElectionSettings): { allowed: boolean; structure: LeadershipStructure; findings: Finding[] } {
  assertCount(input.candidates, 'candidates');
  const structure = leadershipStructure(input.fullMembers, settings);
  const findings: Finding[] = [];
  if (structure.kind === 'COMMITTEE') {
    if (input.seats < structure.minSize || input.seats > structure.maxSize) {
      findings.push(
        finding('R4', 'VIOLATION', `正式党员 ${input.fullMembers} 名（${settings.committeeMinFullMembers} 名以上），应选举 ${structure.minSize}–${structure.maxSize} 名委员组成支部委员会，方案拟选 ${input.seats} 名。`),
      );
    } else {
      const min = minCandidates(input.seats, settings);
      if (input.candidates < min) {
        findings.push(
          finding('R4', 'VIOLATION', `差额选举：候选人应多于应选人数 ${settings.electionCandidateMarginPercent}%（向上取整），应选 ${input.seats} 名至少需要候选人 ${min} 名，方案只有 ${input.candidates} 名。`),
        );
      }
    }
  } else if (input.seats < 1 || input.seats > 2) {
    findings.push(
      finding('R4', 'VIOLATION', `正式党员 ${input.fullMembers} 名，不足 ${settings.committeeMinFullMembers} 名，应选举书记 1 名（可增设副书记 1 名），方案拟选 ${input.seats} 名。`),
    );
  } else if (input.candidates < input.seats) {
    findings.push(finding('R4', 'VIOLATION', `候选人 ${input.candidates} 名，少于应选人数 ${input.seats} 名。`));
  }
  return { allowed: findings.length === 0, structure, findings };
}
