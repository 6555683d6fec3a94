import { type DateInput, addDays } from '../calendar/dates';
import { SEED_SOURCES } from '../seed-sources';
import type { PolicySettings } from '../settings';
import type { Finding, InstitutionFacts, MemberFacts } from '../types';
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
  /** The request date: needed to judge advanced age (R12) and the secretary's standing. */
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
 * An elderly branch counts FULL elderly members; R12-exempt ones (disabled, dementia, and — when `today` is
 * given — advanced age) only with their transferConsent.
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
  const counts = countMembers(req.institution.id, own, settings, req.today ?? null);
  const ruleId = req.elderly ? 'R7' : 'R4';
  if (req.elderly) {
    if (counts.elderlyBranchCountable < settings.elderlyBranchMinFullElderly) {
      const excluded = counts.fullElderly - counts.elderlyBranchCountable;
      findings.push({
        ruleId: 'R7',
        severity: 'VIOLATION',
        message: `老年人正式党员仅 ${counts.elderlyBranchCountable} 名${excluded > 0 ? `（另有 ${excluded} 名高龄、失能或失智老年人党员未同意迁移，不计入）` : ''}，达到 ${settings.elderlyBranchMinFullElderly} 名及以上方可成立老年人党支部。`,
        source: SEED_SOURCES.R7,
      });
    }
  } else {
    const fullStaff = counts.fullStaff;
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
