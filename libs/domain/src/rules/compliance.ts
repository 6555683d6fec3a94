import { type DateInput, maxDate, toCalendarDate, toDayNumber } from '../calendar/dates';
import { type BudgetRecord, evaluateBudget } from '../money';
import type { PolicySettings } from '../settings';
import type {
  DispatchRole,
  Finding,
  InstitutionFacts,
  MemberFacts,
  OrganizationFacts,
  RequiredAction,
  SecretarySource,
  TransferExemptReason,
} from '../types';
import { type CoverageStatus, coverageStatus, evaluateCoverage } from './coverage';
import { evaluateDispatchNeed } from './dispatch';
import { evaluateElderlyBranchEligibility } from './elderly-branch';
import { finding } from './finding';
import { spinOffStatus } from './joint-org';
import { countMembers, transferExemptReasons } from './member-status';
import { evaluateRelationTransfer, exemptReasonsZh } from './relation-transfer';
import { resolveResponsibleBody } from './responsible-body';
import { type TermStatus, evaluateTerm } from './term';
import { type DutyDispatch, type DutySession, evaluateWeeklyDuty } from './weekly-duty';

export interface ComplianceInput {
  institution: InstitutionFacts;
  members: readonly MemberFacts[];
  /**
   * The organisation `institution.partyOrganizationId` points to: its own (BRANCH, GENERAL_BRANCH, COMMITTEE) or a
   * JOINT one. When absent but partyOrganizationId is set, an own BRANCH with unknown term is assumed.
   */
  organization?: OrganizationFacts | null;
  /** The institution's elderly branch, if any. */
  elderlyBranch?: OrganizationFacts | null;
  /** An instructor is active (dispatches with role INSTRUCTOR active today also count). */
  hasInstructor?: boolean;
  /** A union, women's or youth organisation works in the institution. */
  hasMassOrganisation?: boolean;
  /** R8/R10: where the covering organisation's secretary comes from. */
  secretarySource?: SecretarySource | null;
  /** R8/R9: dispatches to this institution and their on-site sessions. */
  dispatches?: readonly DutyDispatch[];
  dutySessions?: readonly DutySession[];
  /** ISO weeks ('YYYY-Www') excused for approved leave. */
  dutyExemptWeeks?: readonly string[];
  /** The working-day calendar ('YYYY-MM-DD'), for holiday weeks. */
  holidays?: readonly string[];
  extraWorkdays?: readonly string[];
  /**
   * The date the FULL staff count first reached the standalone threshold (for the joint spin-off grace). When
   * absent it is derived from the members' joinedAt / fullMemberSince if all are known.
   */
  thresholdReachedOn?: DateInput | null;
  /** R14: the covering organisation's budgets; absent means "not checked". */
  budgets?: readonly BudgetRecord[];
}

export interface ComplianceVerdict {
  requiredAction: RequiredAction;
  responsibleBodyId: string | null;
  partyOrganizationId: string | null;
  fullStaffMembers: number;
  fullElderlyMembers: number;
  elderlyBranchEligible: boolean;
  /** R11: STAFF members whose relation should move into the covering organisation. */
  transfersDue: string[];
  /** R11: the same transfers with their due date (joining + 90 days; null when the joining date is unknown). */
  transfers: StaffTransferDue[];
  /** R12: elderly members whose relation is not transferred (reporting only), with the reasons. */
  transferExempt: Array<{ memberId: string; reasons: TransferExemptReason[] }>;
  coverage: CoverageStatus;
  termStatus: TermStatus | null;
  /** R8: the role the public builder must dispatch now (PUBLIC_BUILT_PRIVATE_RUN only). */
  dispatchRoleDue: DispatchRole | null;
  findings: Finding[];
}

export interface StaffTransferDue {
  memberId: string;
  dueBy: string | null;
  /** Past its due date and the relation has not moved yet. */
  overdue: boolean;
  /** A relation-transfer into the organisation is open (`MemberFacts.transferInPending`). */
  underWay: boolean;
}

const OWN_KINDS = new Set(['BRANCH', 'GENERAL_BRANCH', 'COMMITTEE']);

/**
 * The rules engine's verdict for one institution on `today` (R1–R16). Exactly one required action:
 * - FULL staff ≥ 3 (R4): STANDALONE_ORG unless it has its own organisation (NONE); a unit still in a joint
 *   organisation gets the 90-day spin-off grace as a finding;
 * - fewer, but at least one staff party member, FULL or PROBATIONARY (R5): JOINT_ORG unless its own or a joint
 *   organisation covers it (NONE);
 * - no staff party member at all (R6): INSTRUCTOR or MASS_ORGANISATION (settings.noMembersPreferredAction,
 *   INSTRUCTOR by default; always INSTRUCTOR for PUBLIC_BUILT_PRIVATE_RUN, where R8 says 要选派) unless work
 *   coverage exists (NONE). For PUBLIC_BUILT_PRIVATE_RUN a mass organisation alone does not satisfy R8.
 * Probationary members never count toward a threshold, but they are party members.
 */
export function evaluateCompliance(input: ComplianceInput, settings: PolicySettings, today: DateInput): ComplianceVerdict {
  const inst = input.institution;
  const t = toCalendarDate(today);
  const findings: Finding[] = [];

  const body = resolveResponsibleBody(inst, settings);
  findings.push(body.finding);

  // Organisations covering the institution.
  const org: OrganizationFacts | null =
    input.organization ?? (inst.partyOrganizationId ? { id: inst.partyOrganizationId, kind: 'BRANCH' } : null);
  const ownOrg = org && OWN_KINDS.has(org.kind) ? org : null;
  const jointOrg = org && org.kind === 'JOINT' ? org : null;
  const elderlyBranch = input.elderlyBranch ?? (org && org.kind === 'ELDERLY_BRANCH' ? org : null);
  const coveringOrg = ownOrg ?? jointOrg;

  const activeDispatches = (input.dispatches ?? []).filter(
    (d) =>
      d.institutionId === inst.id &&
      toDayNumber(d.startDate) <= toDayNumber(t) &&
      (d.endDate == null || toDayNumber(d.endDate) >= toDayNumber(t)),
  );
  const hasInstructor = input.hasInstructor === true || activeDispatches.some((d) => d.role === 'INSTRUCTOR');
  const hasMassOrganisation = input.hasMassOrganisation === true;

  const orgIds = [coveringOrg?.id, elderlyBranch?.id].filter((id): id is string => Boolean(id));
  const counts = countMembers(inst.id, input.members, settings, orgIds);
  const fullStaff = counts.fullStaff;
  const isPbpr = inst.type === 'PUBLIC_BUILT_PRIVATE_RUN';

  // R4 / R5 / R6: the one required action.
  let requiredAction: RequiredAction;
  if (fullStaff >= settings.standaloneOrgMinFullStaff) {
    if (ownOrg) {
      requiredAction = 'NONE';
    } else {
      requiredAction = 'STANDALONE_ORG';
      if (jointOrg) {
        const spin = spinOffStatus(fullStaff, input.thresholdReachedOn ?? thresholdReachedOn(inst.id, input.members, settings), t, settings);
        if (spin.finding) findings.push(spin.finding);
      } else {
        findings.push(
          finding('R4', 'VIOLATION', `工作人员正式党员 ${fullStaff} 名（预备党员不计入），达到 ${settings.standaloneOrgMinFullStaff} 名，应单独建立党组织。`),
        );
      }
    }
  } else if (counts.staffPartyMembers >= 1) {
    // R5: below the threshold but with party members; probationary members are party members, so an institution
    // whose staff members are all probationary is here too, never R6.
    const who =
      fullStaff >= 1
        ? `工作人员正式党员 ${fullStaff} 名（预备党员不计入）`
        : `工作人员党员 ${counts.staffPartyMembers} 名均为预备党员（仍是党员，但不计入人数门槛），正式党员`;
    if (coveringOrg) {
      requiredAction = 'NONE';
      if (ownOrg) {
        findings.push(finding('R5', 'INFO', `${who}，不足 ${settings.standaloneOrgMinFullStaff} 名；本机构党组织应保持正式党员 ${settings.standaloneOrgMinFullStaff} 名以上，否则可改为联合党组织。`));
      }
    } else {
      requiredAction = 'JOINT_ORG';
      findings.push(finding('R5', 'WARNING', `${who}，不足 ${settings.standaloneOrgMinFullStaff} 名，可采取同业共建、挂靠组建等方式组成联合党组织。`));
    }
  } else {
    // R6: no staff party member at all. Work coverage (DOMAIN.md): an organisation, an instructor or a mass
    // organisation. An elderly branch serves residents, not the institution's work, so it does not count.
    const hasOrg = coveringOrg !== null;
    const covered = isPbpr ? hasOrg || hasInstructor : hasOrg || hasInstructor || hasMassOrganisation;
    if (covered) {
      requiredAction = 'NONE';
    } else {
      requiredAction = isPbpr ? 'INSTRUCTOR' : settings.noMembersPreferredAction;
      findings.push(
        finding(
          'R6',
          'WARNING',
          requiredAction === 'INSTRUCTOR'
            ? '机构没有工作人员党员，应选派党建工作指导员联系服务，或组建群团组织开展工作。'
            : '机构没有工作人员党员，应组建工会、共青团、妇女组织等群团组织开展工作，或选派党建工作指导员。',
        ),
      );
    }
  }

  // R7
  const elderly = evaluateElderlyBranchEligibility(inst.id, input.members, settings, orgIds);
  if (elderly.eligible && !elderlyBranch) findings.push(...elderly.findings);

  // R11 / R12 / R13
  const transfersDue: string[] = [];
  const transfers: StaffTransferDue[] = [];
  const transferExempt: Array<{ memberId: string; reasons: TransferExemptReason[] }> = [];
  const own = input.members.filter((m) => m.institutionId === inst.id);
  const staffTarget = coveringOrg?.id ?? null;
  const elderlyTarget = elderlyBranch?.id ?? staffTarget;
  let voluntaryCandidates = 0;
  for (const m of own) {
    if (m.category === 'STAFF') {
      if (staffTarget === null || m.relationOrgId === staffTarget) continue;
      const v = evaluateRelationTransfer(m, staffTarget, {}, settings, t);
      if (v.kind === 'DUE') {
        transfersDue.push(m.id);
        transfers.push({ memberId: m.id, dueBy: v.dueBy, overdue: v.dueBy !== null && t > v.dueBy, underWay: m.transferInPending === true });
        findings.push(...v.findings.map((f) => ({ ...f, message: `党员 ${m.id}：${f.message}` })));
      }
    } else {
      if (elderlyTarget !== null && m.relationOrgId === elderlyTarget) continue;
      const reasons = transferExemptReasons(m, settings, t);
      // An exempt member with a transfer in under way has an approved R12 exception: no longer reporting only.
      if (reasons.length > 0 && m.transferInPending !== true) transferExempt.push({ memberId: m.id, reasons });
      else if (reasons.length === 0 && elderlyTarget !== null) voluntaryCandidates++;
    }
  }
  if (transferExempt.length > 0) {
    const zh = exemptReasonsZh([...new Set(transferExempt.flatMap((e) => e.reasons))]);
    findings.push(finding('R12', 'INFO', `${transferExempt.length} 名${zh}老年人党员一般不转移组织关系，可到机构党组织报到参加活动。`));
  }
  if (voluntaryCandidates > 0) {
    findings.push(finding('R13', 'INFO', `${voluntaryCandidates} 名老年人党员组织关系不在机构党组织，可自愿选择迁移，鼓励到机构党组织报到。`));
  }

  // R4 / R15: terms.
  let termStatus: TermStatus | null = null;
  if (input.organization && coveringOrg) {
    const term = evaluateTerm(coveringOrg, t, settings);
    termStatus = term.status;
    findings.push(...term.findings);
  }
  if (input.elderlyBranch) {
    findings.push(...evaluateTerm(input.elderlyBranch, t, settings).findings.map((f) => ({ ...f, message: `老年人党支部：${f.message}` })));
  }

  // R8 / R10
  const dispatch = evaluateDispatchNeed(
    {
      institution: inst,
      fullStaffMembers: fullStaff,
      hasOwnOrg: ownOrg !== null,
      inJointOrg: jointOrg !== null,
      hasSecretary: Boolean(coveringOrg?.secretaryMemberId),
      secretarySource: input.secretarySource ?? null,
      activeDispatchRoles: [...activeDispatches.map((d) => d.role), ...(input.hasInstructor ? (['INSTRUCTOR'] as const) : [])],
    },
    settings,
  );
  findings.push(...dispatch.findings);

  // R9 / R15
  for (const d of input.dispatches ?? []) {
    if (d.institutionId !== inst.id) continue;
    const duty = evaluateWeeklyDuty(
      {
        dispatch: d,
        sessions: input.dutySessions ?? [],
        today: t,
        institutionType: inst.type,
        exemptWeeks: input.dutyExemptWeeks,
        holidays: input.holidays,
        extraWorkdays: input.extraWorkdays,
      },
      settings,
    );
    findings.push(...duty.findings);
  }

  // R14
  if (input.budgets && coveringOrg) findings.push(...evaluateBudget(input.budgets, t, settings, coveringOrg.establishedOn ?? null));

  // R16
  const coverageFacts = {
    hasOwnOrg: ownOrg !== null,
    jointMode: jointOrg ? (jointOrg.jointMode ?? 'CO_BUILD') : null,
    hasInstructor,
    hasMassOrganisation,
  };
  const coverage = evaluateCoverage({ type: inst.type, coverage: coverageFacts, hasStaffPartyMembers: counts.staffPartyMembers > 0 }, t, settings);
  findings.push(...coverage.findings);

  return {
    requiredAction,
    responsibleBodyId: body.organizationId,
    partyOrganizationId: coveringOrg?.id ?? null,
    fullStaffMembers: fullStaff,
    fullElderlyMembers: counts.fullElderly,
    elderlyBranchEligible: elderly.eligible,
    transfersDue,
    transfers,
    transferExempt,
    coverage: coverageStatus(coverageFacts),
    termStatus,
    dispatchRoleDue: dispatch.roleDue,
    findings,
  };
}

/**
 * The day the institution's FULL staff count reached the standalone threshold: the threshold-th earliest date a
 * current FULL staff member started counting (the later of joinedAt and fullMemberSince). Null when unknown.
 */
export function thresholdReachedOn(
  institutionId: string,
  members: readonly MemberFacts[],
  settings: Pick<PolicySettings, 'standaloneOrgMinFullStaff'>,
): string | null {
  const full = members.filter((m) => m.institutionId === institutionId && m.category === 'STAFF' && m.status === 'FULL');
  if (full.length < settings.standaloneOrgMinFullStaff) return null;
  const since: string[] = [];
  for (const m of full) {
    const dates = [m.joinedAt, m.fullMemberSince].filter((d): d is string => Boolean(d));
    if (dates.length === 0) return null;
    since.push(dates.reduce((a, b) => maxDate(a, b)));
  }
  since.sort();
  return since[settings.standaloneOrgMinFullStaff - 1] ?? null;
}
