import { type DateInput, addDays } from '../calendar/dates';
import { SEED_SOURCES } from '../seed-sources';
import type { PolicySettings } from '../settings';
import type { Finding, InstitutionFacts, MemberFacts } from '../types';
import { elderlyBranchExcludedNote, evaluateElderlyBranchEligibility } from './elderly-branch';
import { secretaryEligible } from './election';
import { countMembers } from './member-status';
import { resolveResponsibleBody } from './responsible-body';

export interface EstablishBranchRequest {
  institution: InstitutionFacts;
  /** The members proposed for the branch (already loaded). */
  members: MemberFacts[];
  elderly: boolean;
  /** The proposed secretary, when named (must be a FULL member of the branch with ≥ 1 year party standing). */
  secretaryMemberId?: string | null;
  /** The request date: needed to judge the secretary's party standing. */
  today?: DateInput;
}

export interface EstablishBranchVerdict {
  allowed: boolean;
  responsibleBodyId: string | null;
  /** VIOLATION findings block the request; INFO findings explain the routing. */
  findings: Finding[];
}

/**
 * R4 (staff branch) / R7 (elderly branch) plus routing (R1–R3b) for an establish-branch request.
 * An elderly branch counts FULL elderly members on `settings.elderlyBranchCountBasis`: all of them by default;
 * under RELATION_IN those whose relation is in the institution's organisation (`institution.partyOrganizationId`)
 * or whose transfer in is open (`transferInPending`).
 */
export function evaluateEstablishBranch(req: EstablishBranchRequest, settings: PolicySettings): EstablishBranchVerdict {
  const findings: Finding[] = [];
  const foreign = req.members.filter((m) => m.institutionId !== req.institution.id);
  if (foreign.length > 0) {
    findings.push({
      ruleId: 'R4',
      severity: 'VIOLATION',
      message: `所选党员中有 ${foreign.length} 人不属于本机构。`,
      source: SEED_SOURCES.R4,
    });
  }
  const own = req.members.filter((m) => m.institutionId === req.institution.id);
  const ruleId = req.elderly ? 'R7' : 'R4';
  if (req.elderly) {
    const orgIds = req.institution.partyOrganizationId ? [req.institution.partyOrganizationId] : [];
    const e = evaluateElderlyBranchEligibility(req.institution.id, own, settings, orgIds);
    if (!e.eligible) {
      findings.push({
        ruleId: 'R7',
        severity: 'VIOLATION',
        message: `可计入的老年人正式党员仅 ${e.countableMembers} 名，达到 ${settings.elderlyBranchMinFullElderly} 名及以上方可成立老年人党支部。${elderlyBranchExcludedNote(e.excludedMemberIds.length)}`,
        source: SEED_SOURCES.R7,
      });
    }
  } else {
    const fullStaff = countMembers(req.institution.id, own, settings).fullStaff;
    if (fullStaff < settings.standaloneOrgMinFullStaff) {
      findings.push({
        ruleId: 'R4',
        severity: 'VIOLATION',
        message: `工作人员正式党员仅 ${fullStaff} 名（预备党员不计入），需 ${settings.standaloneOrgMinFullStaff} 名及以上方可单独建立党组织；不足 ${settings.standaloneOrgMinFullStaff} 名的可组建联合党组织（R5）。`,
        source: SEED_SOURCES.R4,
      });
    }
  }
  if (own.length > settings.branchMaxMembers) {
    findings.push({
      ruleId,
      severity: 'WARNING',
      message: `党支部党员人数一般不超过 ${settings.branchMaxMembers} 人，本次 ${own.length} 人，可考虑设立党总支或分设支部。`,
      source: SEED_SOURCES[ruleId],
    });
  }
  if (req.secretaryMemberId) {
    const secretary = own.find((m) => m.id === req.secretaryMemberId);
    if (!secretary || secretary.status !== 'FULL') {
      findings.push({
        ruleId,
        severity: 'VIOLATION',
        message: '拟任书记须为本支部正式党员。',
        source: SEED_SOURCES[ruleId],
      });
    } else if (!secretary.fullMemberSince || req.today === undefined) {
      findings.push({
        ruleId,
        severity: 'WARNING',
        message: `拟任书记党龄无法核实，书记一般应具有 ${settings.secretaryMinPartyYears} 年以上党龄。`,
        source: SEED_SOURCES[ruleId],
      });
    } else if (!secretaryEligible(secretary.fullMemberSince, req.today, settings)) {
      findings.push({
        ruleId,
        severity: 'VIOLATION',
        message: `拟任书记党龄不足 ${settings.secretaryMinPartyYears} 年。`,
        source: SEED_SOURCES[ruleId],
      });
    }
  }
  const body = resolveResponsibleBody(req.institution, settings, { elderly: req.elderly });
  findings.push(body.finding);
  return {
    allowed: !findings.some((f) => f.severity === 'VIOLATION') && body.organizationId !== null,
    responsibleBodyId: body.organizationId,
    findings,
  };
}

/** The responsible body answers within 30 days of submission; the founding election follows within 30 of approval. */
export function establishBranchAnswerDueOn(submittedOn: DateInput, settings: Pick<PolicySettings, 'establishBranchAnswerDays'>): string {
  return addDays(submittedOn, settings.establishBranchAnswerDays);
}

export function foundingElectionDueOn(approvedOn: DateInput, settings: Pick<PolicySettings, 'foundingElectionDays'>): string {
  return addDays(approvedOn, settings.foundingElectionDays);
}
