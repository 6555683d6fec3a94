import { type RuleId, SEED_SOURCE_KINDS, SEED_SOURCES, type SeedSourceKind } from '../seed-sources';
import type { PolicySettings } from '../settings';

/** One rule of DOMAIN.md as the library implements it. */
export interface RuleEntry {
  id: RuleId;
  /** The seed sentence findings quote (SEED_SOURCES[id]). */
  source: string;
  sourceKind: SeedSourceKind;
  /** The decision, in one line. */
  decision: string;
  /** Exported functions of this library that implement it. */
  implementedBy: readonly string[];
  /** The policy settings it reads. */
  settings: readonly (keyof PolicySettings)[];
}

type RuleSpec = Omit<RuleEntry, 'id' | 'source' | 'sourceKind'>;

/**
 * Every rule (R1–R16 plus R3b), in order: the one place that says which code implements which rule. docs/RULES.md
 * is generated from it (`npm run docs:rules`), and a unit test keeps the two equal.
 */
const SPECS: Record<RuleId, RuleSpec> = {
  R1: {
    decision: "A PUBLIC institution's organisation is managed by its sponsoring unit's organisation.",
    implementedBy: ['resolveResponsibleBody'],
    settings: [],
  },
  R2: {
    decision:
      "PUBLIC_BUILT_PRIVATE_RUN: the public builder's organisation; the township's when the institution is set managedBy TOWNSHIP or no builder organisation is on record (never nobody).",
    implementedBy: ['resolveResponsibleBody'],
    settings: [],
  },
  R3: {
    decision: 'An elderly branch is managed by the township organisation, whatever the institution type.',
    implementedBy: ['resolveResponsibleBody'],
    settings: [],
  },
  R3b: {
    decision:
      'PRIVATE, HOME_CARE_CENTER, HOME_CARE_STATION (the seed is silent): per type the township organisation (default) or the DISTRICT organisation above it.',
    implementedBy: ['resolveResponsibleBody'],
    settings: ['silentTypesResponsibleBody'],
  },
  R4: {
    decision:
      '3+ FULL staff members: a standalone organisation is required (a unit in a joint organisation has 90 days); its term is renewed on time; branch size, leadership and elections follow the defaults.',
    implementedBy: [
      'evaluateCompliance',
      'evaluateEstablishBranch',
      'spinOffStatus',
      'thresholdReachedOn',
      'termEnd',
      'evaluateTerm',
      'evaluateReschedule',
      'evaluateElection',
      'minCandidates',
      'quorumMet',
      'isElected',
      'leadershipStructure',
      'secretaryEligible',
      'establishBranchAnswerDueOn',
      'foundingElectionDueOn',
    ],
    settings: [
      'standaloneOrgMinFullStaff',
      'jointSpinOffGraceDays',
      'termYears',
      'branchMaxMembers',
      'committeeMinFullMembers',
      'committeeMinSize',
      'committeeMaxSize',
      'secretaryMinPartyYears',
      'electionCandidateMarginPercent',
      'electionQuorumNumerator',
      'electionQuorumDenominator',
      'establishBranchAnswerDays',
      'foundingElectionDays',
    ],
  },
  R5: {
    decision:
      'Fewer than 3 FULL staff but at least one staff party member (FULL or PROBATIONARY): a joint organisation (CO_BUILD or AFFILIATE) of 2 to 5 units pooling at least 3 FULL members (under AFFILIATE the host\'s members count); the body R1–R3b name for every unit decides when they agree, else under AFFILIATE the host\'s superior, else the initiating unit\'s township, the other bodies copied.',
    implementedBy: ['evaluateCompliance', 'countMembers', 'evaluateJointOrganization', 'resolveJointResponsibleBody'],
    settings: ['standaloneOrgMinFullStaff', 'jointMaxUnits', 'jointMinPooledFullMembers'],
  },
  R6: {
    decision: 'No staff party member at all: work coverage by an instructor or a mass organisation.',
    implementedBy: ['evaluateCompliance'],
    settings: ['noMembersPreferredAction'],
  },
  R7: {
    decision:
      '3+ countable FULL elderly members: an elderly branch may be set up (the approver judges maturity); who counts is the count basis ALL_FULL_RESIDENTS or RELATION_IN.',
    implementedBy: ['evaluateElderlyBranchEligibility', 'countsTowardElderlyBranch', 'evaluateEstablishBranch', 'evaluateCompliance'],
    settings: ['elderlyBranchMinFullElderly', 'elderlyBranchCountBasis'],
  },
  R8: {
    decision:
      'PUBLIC_BUILT_PRIVATE_RUN: the builder dispatches the secretary; a first secretary where a secretary exists; an instructor where no organisation is possible.',
    implementedBy: ['evaluateDispatchNeed', 'evaluateDispatchRole', 'evaluateCompliance'],
    settings: ['standaloneOrgMinFullStaff'],
  },
  R9: {
    decision: 'Dispatched secretaries, first secretaries and instructors spend at least 4 confirmed hours on site per ISO week.',
    implementedBy: ['evaluateWeeklyDuty', 'assessDutyWeek'],
    settings: ['weeklyDutyMinHours', 'weeklyDutyAppliesTo', 'weeklyDutyExemptBelowWorkingDays'],
  },
  R10: {
    decision: "A sound organisation may switch its secretary source to the operator's organisation or an election, with the builder's approval.",
    implementedBy: ['evaluateSecretarySourceSwitch', 'isOrganisationSound', 'evaluateDispatchNeed'],
    settings: ['orgSoundMaxSecretaryVacancyDays', 'orgSoundMinMeetingCompliancePercent'],
  },
  R11: {
    decision: "A staff member's relation moves into the institution's organisation within 90 days of joining; a transfer letter is valid 90 days.",
    implementedBy: ['evaluateRelationTransfer', 'staffTransferDueBy', 'transferLetterValidUntil', 'transferLetterExpiresAt', 'relationFollowUps', 'evaluateCompliance'],
    settings: ['staffTransferDueDays', 'transferLetterValidDays'],
  },
  R12: {
    decision:
      'Advanced-age (80+), disabled or dementia elderly members report instead of transferring; an exception needs their request and a reason, and the responsible body approves.',
    implementedBy: ['transferExemptReasons', 'evaluateRelationTransfer', 'relationFollowUps', 'evaluateCompliance'],
    settings: ['advancedAgeYears'],
  },
  R13: {
    decision: "Other elderly members transfer only on their own request, into an existing organisation; reporting is encouraged.",
    implementedBy: ['evaluateRelationTransfer', 'evaluateCompliance'],
    settings: [],
  },
  R14: {
    decision: "Each organisation needs an approved annual party-work budget; its secretary a monthly stipend, prorated, paid once per month.",
    implementedBy: ['evaluateBudget', 'budgetCycle', 'computeStipend', 'prorateStipendFen', 'stipendPaymentKey'],
    settings: ['stipendMonthlyFen', 'stipendExcludeCivilServants', 'budgetOpensOn', 'budgetSubmissionDueOn', 'budgetApprovalDueOn'],
  },
  R15: {
    decision:
      'Deadlines become timers with reminders and escalation: term renewal, an election moved by at most one calendar year, approval steps in working days, missed duty weeks.',
    implementedBy: ['termStatus', 'termMilestones', 'evaluateTerm', 'renewalReplyDueOn', 'evaluateReschedule', 'stepDeadlines', 'evaluateWeeklyDuty'],
    settings: [
      'renewalReminderDaysBefore',
      'renewalRequestDaysBefore',
      'renewalReplyDays',
      'electionMaxShiftYears',
      'approvalStepWorkingDays',
      'approvalReminderWorkingDaysBefore',
      'weeklyDutyEscalateToDispatcherAfter',
      'weeklyDutyEscalateToParentAfter',
    ],
  },
  R16: {
    decision:
      'Coverage targets by type: PUBLIC 2020 and PUBLIC_BUILT_PRIVATE_RUN 2021 firm, PRIVATE and centres 2022 aspirational, stations none; organisation coverage where there are staff party members, work coverage where none.',
    implementedBy: ['evaluateCoverage', 'coverageStatus', 'coverageMet', 'targetApplies', 'summarizeCoverage', 'evaluateCompliance'],
    settings: ['coverageTargets'],
  },
};

export const RULE_REGISTRY: readonly RuleEntry[] = (Object.keys(SPECS) as RuleId[]).map((id) => ({
  id,
  source: SEED_SOURCES[id],
  sourceKind: SEED_SOURCE_KINDS[id],
  ...SPECS[id],
}));

/** Settings that belong to no rule R1–R16 (三会一课 and branch life are DOMAIN.md defaults, not rules). */
export const SETTINGS_OUTSIDE_RULES: readonly (keyof PolicySettings)[] = ['branchMeetingPeriods'];
