import type { InstitutionType, PartyOrgKind } from './types';

/** R3b: the institution types the seed names no responsible body for. */
export const SILENT_INSTITUTION_TYPES = ['PRIVATE', 'HOME_CARE_CENTER', 'HOME_CARE_STATION'] as const;
export type SilentInstitutionType = (typeof SILENT_INSTITUTION_TYPES)[number];
/** R3b: the township organisation, or the district organisation above it (the township organisation's parent). */
export const SILENT_TYPE_BODIES = ['TOWNSHIP', 'DISTRICT'] as const;
export type SilentTypeBody = (typeof SILENT_TYPE_BODIES)[number];

/**
 * R7: who counts toward an elderly branch. ALL_FULL_RESIDENTS: every FULL elderly resident (the seed's words; the
 * approver judges maturity). RELATION_IN: only those whose relation already is, or is being, transferred into the
 * institution's organisation (R12-exempt members whose relation is already there count).
 */
export const ELDERLY_BRANCH_COUNT_BASES = ['ALL_FULL_RESIDENTS', 'RELATION_IN'] as const;
export type ElderlyBranchCountBasis = (typeof ELDERLY_BRANCH_COUNT_BASES)[number];

/** R16: how binding a coverage target is. */
export type CoverageFirmness = 'FIRM' | 'ASPIRATIONAL' | 'NONE';
export interface CoverageTarget {
  /** YYYY-MM-DD, or null when the type is reported without a target. */
  targetDate: string | null;
  firmness: CoverageFirmness;
}

/** 三会一课 and branch life: how often each meeting is due. */
export type MeetingPeriod = 'MONTH' | 'QUARTER' | 'YEAR';
export const BRANCH_MEETING_TYPES = [
  'GENERAL_MEETING',
  'COMMITTEE_MEETING',
  'GROUP_MEETING',
  'PARTY_LECTURE',
  'THEME_DAY',
  'ORG_LIFE_MEETING',
] as const;
export type BranchMeetingType = (typeof BRANCH_MEETING_TYPES)[number];

/**
 * Policy defaults where the seed is silent (DOMAIN.md "Defaults"). These are the seeded values; the running
 * system reads the current values from the database and passes them in, so the rules stay pure.
 * Use `mergePolicySettings` to apply a partial (possibly nested) override to the defaults.
 */
export interface PolicySettings {
  /** R3b: who manages PRIVATE / HOME_CARE_CENTER / HOME_CARE_STATION organisations, per type. */
  silentTypesResponsibleBody: Record<SilentInstitutionType, SilentTypeBody>;
  /** R4/R5: FULL staff members needed for a standalone organisation. */
  standaloneOrgMinFullStaff: number;
  /** R7: FULL elderly members needed for an elderly branch. */
  elderlyBranchMinFullElderly: number;
  /** R7: which FULL elderly members count toward that threshold. */
  elderlyBranchCountBasis: ElderlyBranchCountBasis;
  /** R12: advanced age in years. */
  advancedAgeYears: number;
  /** Days the responsible body has to answer an establish-branch request. */
  establishBranchAnswerDays: number;
  /** Term length in years by organisation kind. */
  termYears: { BRANCH: number; GENERAL_BRANCH: number; JOINT: number; ELDERLY_BRANCH: number; COMMITTEE: number };

  /** R6: what an institution with no members should do first when nothing covers it (seed: either). */
  noMembersPreferredAction: 'INSTRUCTOR' | 'MASS_ORGANISATION';
  /** Days after approval within which the founding election is held. */
  foundingElectionDays: number;
  /** A branch normally has at most this many members. */
  branchMaxMembers: number;
  /** FULL members from which a branch elects a committee (below: a secretary and optionally a deputy). */
  committeeMinFullMembers: number;
  committeeMinSize: number;
  committeeMaxSize: number;
  /** Party standing (党龄, from becoming a FULL member) a secretary needs. */
  secretaryMinPartyYears: number;

  /** R5: a joint organisation covers at most this many units and pools at least this many FULL members. */
  jointMaxUnits: number;
  jointMinPooledFullMembers: number;
  /** A unit in a joint organisation that reaches the standalone threshold must set up its own within this. */
  jointSpinOffGraceDays: number;

  /**
   * Terms: reminder and renewal-request lead times, the superior's reply time, and the largest approved shift of an
   * election in calendar years (the same date that many years on counts, leap day or not).
   */
  renewalReminderDaysBefore: number;
  renewalRequestDaysBefore: number;
  renewalReplyDays: number;
  electionMaxShiftYears: number;

  /** Elections: candidates exceed seats by this percentage (rounded up); quorum as a fraction, exactly counts. */
  electionCandidateMarginPercent: number;
  electionQuorumNumerator: number;
  electionQuorumDenominator: number;

  /** Generic approval step: due this many working days after it opens; reminders that many working days before. */
  approvalStepWorkingDays: number;
  approvalReminderWorkingDaysBefore: number[];

  /** R9/R15 weekly duty of dispatched persons. */
  weeklyDutyMinHours: number;
  weeklyDutyAppliesTo: InstitutionType[];
  weeklyDutyEscalateToDispatcherAfter: number;
  weeklyDutyEscalateToParentAfter: number;
  /** With a holiday calendar given, a week with fewer working days than this is exempt (0 disables). */
  weeklyDutyExemptBelowWorkingDays: number;

  /** R11: a staff member's transfer is due this many days after joining; a transfer letter is valid this long. */
  staffTransferDueDays: number;
  transferLetterValidDays: number;

  /** R10: an organisation is "sound" when the secretary post has been vacant at most this long, etc. */
  orgSoundMaxSecretaryVacancyDays: number;
  orgSoundMinMeetingCompliancePercent: number;

  /** R14: stipend (integer fen per month; 0 = not configured) and budget cycle (MM-DD in the year before). */
  stipendMonthlyFen: number;
  stipendExcludeCivilServants: boolean;
  budgetOpensOn: string;
  budgetSubmissionDueOn: string;
  budgetApprovalDueOn: string;

  /** R16 coverage targets by institution type. */
  coverageTargets: Record<InstitutionType, CoverageTarget>;

  /** 三会一课 and branch life: one meeting of each type per period. */
  branchMeetingPeriods: Record<BranchMeetingType, MeetingPeriod>;
}

export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  silentTypesResponsibleBody: { PRIVATE: 'TOWNSHIP', HOME_CARE_CENTER: 'TOWNSHIP', HOME_CARE_STATION: 'TOWNSHIP' },
  standaloneOrgMinFullStaff: 3,
  elderlyBranchMinFullElderly: 3,
  elderlyBranchCountBasis: 'ALL_FULL_RESIDENTS',
  advancedAgeYears: 80,
  establishBranchAnswerDays: 30,
  termYears: { BRANCH: 3, GENERAL_BRANCH: 3, JOINT: 3, ELDERLY_BRANCH: 3, COMMITTEE: 5 },

  noMembersPreferredAction: 'INSTRUCTOR',
  foundingElectionDays: 30,
  branchMaxMembers: 50,
  committeeMinFullMembers: 7,
  committeeMinSize: 3,
  committeeMaxSize: 5,
  secretaryMinPartyYears: 1,

  jointMaxUnits: 5,
  jointMinPooledFullMembers: 3,
  jointSpinOffGraceDays: 90,

  renewalReminderDaysBefore: 180,
  renewalRequestDaysBefore: 60,
  renewalReplyDays: 30,
  electionMaxShiftYears: 1,

  electionCandidateMarginPercent: 20,
  electionQuorumNumerator: 4,
  electionQuorumDenominator: 5,

  approvalStepWorkingDays: 15,
  approvalReminderWorkingDaysBefore: [3, 0],

  weeklyDutyMinHours: 4,
  weeklyDutyAppliesTo: ['PUBLIC_BUILT_PRIVATE_RUN'],
  weeklyDutyEscalateToDispatcherAfter: 2,
  weeklyDutyEscalateToParentAfter: 4,
  weeklyDutyExemptBelowWorkingDays: 3,

  staffTransferDueDays: 90,
  transferLetterValidDays: 90,

  orgSoundMaxSecretaryVacancyDays: 90,
  orgSoundMinMeetingCompliancePercent: 80,

  stipendMonthlyFen: 0,
  stipendExcludeCivilServants: true,
  budgetOpensOn: '10-01',
  budgetSubmissionDueOn: '11-30',
  budgetApprovalDueOn: '12-31',

  coverageTargets: {
    PUBLIC: { targetDate: '2020-12-31', firmness: 'FIRM' },
    PUBLIC_BUILT_PRIVATE_RUN: { targetDate: '2021-12-31', firmness: 'FIRM' },
    PRIVATE: { targetDate: '2022-12-31', firmness: 'ASPIRATIONAL' },
    HOME_CARE_CENTER: { targetDate: '2022-12-31', firmness: 'ASPIRATIONAL' },
    HOME_CARE_STATION: { targetDate: null, firmness: 'NONE' },
  },

  branchMeetingPeriods: {
    GENERAL_MEETING: 'QUARTER',
    COMMITTEE_MEETING: 'MONTH',
    GROUP_MEETING: 'MONTH',
    PARTY_LECTURE: 'QUARTER',
    THEME_DAY: 'MONTH',
    ORG_LIFE_MEETING: 'YEAR',
  },
};

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type PolicySettingsOverride = DeepPartial<PolicySettings>;

/**
 * Applies an override (e.g. a database row) to a base (the defaults): plain objects merge key by key, arrays and
 * scalars replace, `undefined` keeps the base. A shallow spread would drop the defaults of nested records
 * (termYears, coverageTargets, ...) the override does not mention.
 */
export function mergePolicySettings(
  override: PolicySettingsOverride | null | undefined,
  base: PolicySettings = DEFAULT_POLICY_SETTINGS,
): PolicySettings {
  return deepMerge(base, override ?? {}) as PolicySettings;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}

/** Term length for an organisation kind (helper so callers need not index termYears by hand). */
export function termYearsFor(kind: PartyOrgKind, settings: Pick<PolicySettings, 'termYears'>): number {
  return settings.termYears[kind];
}
