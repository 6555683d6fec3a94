import type { PolicySettings } from '../settings';
import type { DispatchRole, Finding, InstitutionFacts, SecretarySource } from '../types';
import type { RuleId } from '../seed-sources';
import { finding } from './finding';
import type { TermStatus } from './term';

export interface DispatchNeedInput {
  institution: InstitutionFacts;
  fullStaffMembers: number;
  /** The institution has its own organisation. */
  hasOwnOrg: boolean;
  /** A joint organisation (co-built or affiliated) covers it. */
  inJointOrg: boolean;
  /** The covering organisation has a secretary in post. */
  hasSecretary: boolean;
  /**
   * Where the secretary in post (or the next one) comes from. OPERATOR/ELECTION are only ever set through an
   * approved R10 switch, so they are taken as approved.
   */
  secretarySource?: SecretarySource | null;
  /** Roles already dispatched and active at this institution. */
  activeDispatchRoles?: readonly DispatchRole[];
}

export interface DispatchNeed {
  /** R8 applies (PUBLIC_BUILT_PRIVATE_RUN only). */
  applies: boolean;
  /** The role the builder must dispatch now, or null when nothing is missing. */
  roleDue: DispatchRole | null;
  /** Who dispatches: the public builder's organisation, falling back to the township's. */
  dispatcherOrgId: string | null;
  findings: Finding[];
}

const ROLE_ZH: Record<DispatchRole, string> = { SECRETARY: '党组织书记', FIRST_SECRETARY: '第一书记', INSTRUCTOR: '党建工作指导员' };
export function dispatchRoleZh(role: DispatchRole): string {
  return ROLE_ZH[role];
}

/**
 * R8 for PUBLIC_BUILT_PRIVATE_RUN institutions:
 * - organisation (own or joint) without a secretary → the builder dispatches a SECRETARY;
 * - organisation with a secretary not dispatched by the builder → FIRST_SECRETARY;
 * - no organisation possible (fewer than 3 FULL staff and no joint organisation) → INSTRUCTOR (要选派: VIOLATION);
 * - 3+ FULL staff but no organisation yet → the builder designates the SECRETARY when the branch is set up.
 * After an approved R10 switch (source OPERATOR or ELECTION) the builder dispatches no secretary.
 * A role already active is not due again.
 */
export function evaluateDispatchNeed(
  input: DispatchNeedInput,
  settings: Pick<PolicySettings, 'standaloneOrgMinFullStaff'>,
): DispatchNeed {
  const inst = input.institution;
  const dispatcherOrgId = inst.publicBuilderOrgId ?? inst.townshipOrgId ?? null;
  if (inst.type !== 'PUBLIC_BUILT_PRIVATE_RUN') {
    return { applies: false, roleDue: null, dispatcherOrgId: null, findings: [] };
  }
  const active = new Set(input.activeDispatchRoles ?? []);
  const need = (role: DispatchRole, severity: Finding['severity'], message: string): DispatchNeed =>
    active.has(role)
      ? { applies: true, roleDue: null, dispatcherOrgId, findings: [finding('R8', 'INFO', `已选派${ROLE_ZH[role]}。`)] }
      : { applies: true, roleDue: role, dispatcherOrgId, findings: [finding('R8', severity, message)] };
  const switched = input.secretarySource === 'OPERATOR' || input.secretarySource === 'ELECTION';
  const hasOrg = input.hasOwnOrg || input.inJointOrg;

  if (!hasOrg) {
    if (input.fullStaffMembers >= settings.standaloneOrgMinFullStaff) {
      return need('SECRETARY', 'INFO', '公建民营养老机构建立党组织时，党组织书记原则上由公建方选派。');
    }
    return need('INSTRUCTOR', 'VIOLATION', '公建民营养老机构不具备条件成立党组织的，公建方要选派党建工作指导员。');
  }
  if (!input.hasSecretary) {
    if (switched) {
      return {
        applies: true,
        roleDue: null,
        dispatcherOrgId,
        findings: [finding('R10', 'WARNING', `党组织书记空缺，应由${input.secretarySource === 'OPERATOR' ? '民营方党组织选派' : '机构内部选举产生'}。`)],
      };
    }
    return need('SECRETARY', 'WARNING', '公建民营养老机构党组织书记空缺，原则上由公建方选派。');
  }
  if (input.secretarySource === 'PUBLIC_BUILDER') {
    return { applies: true, roleDue: null, dispatcherOrgId, findings: [] };
  }
  if (switched) {
    return {
      applies: true,
      roleDue: null,
      dispatcherOrgId,
      findings: [finding('R10', 'INFO', `党组织负责人经批准由${input.secretarySource === 'OPERATOR' ? '民营方党组织选派' : '内部选举产生'}。`)],
    };
  }
  return need('FIRST_SECRETARY', 'WARNING', '公建民营养老机构已有党组织书记的，公建方应选派第一书记。');
}

export interface OrganisationSoundnessFacts {
  hasOrganisation: boolean;
  termStatus?: TermStatus | null;
  /** Days the secretary post has been vacant (0 when filled). */
  secretaryVacantDays?: number;
  /** Share of due branch meetings held over the last 12 months, in percent, when tracked. */
  meetingCompliancePercent?: number | null;
  openDisciplineCases?: number;
}

/**
 * R10 「党组织健全、党的活动开展正常」, as a configurable predicate: an organisation exists, its term is not
 * OVERDUE, the secretary post has not been vacant longer than 90 days, meetings (when tracked) reach 80%, and
 * no discipline case is open.
 */
export function isOrganisationSound(
  facts: OrganisationSoundnessFacts,
  settings: Pick<PolicySettings, 'orgSoundMaxSecretaryVacancyDays' | 'orgSoundMinMeetingCompliancePercent'>,
): { sound: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (!facts.hasOrganisation) reasons.push('尚未建立党组织');
  if (facts.termStatus === 'OVERDUE') reasons.push('未按期换届');
  if ((facts.secretaryVacantDays ?? 0) > settings.orgSoundMaxSecretaryVacancyDays) {
    reasons.push(`书记空缺超过 ${settings.orgSoundMaxSecretaryVacancyDays} 天`);
  }
  if (facts.meetingCompliancePercent != null && facts.meetingCompliancePercent < settings.orgSoundMinMeetingCompliancePercent) {
    reasons.push(`组织生活开展率低于 ${settings.orgSoundMinMeetingCompliancePercent}%`);
  }
  if ((facts.openDisciplineCases ?? 0) > 0) reasons.push('有未结的党纪案件');
  return { sound: reasons.length === 0, reasons };
}

/**
 * R10: the builder may approve switching the secretary source of a PUBLIC_BUILT_PRIVATE_RUN organisation to the
 * operator's organisation (OPERATOR) or an internal election (ELECTION) only when the organisation is sound.
 * Switching back to PUBLIC_BUILDER (the R8 default) is always allowed. The approver is the builder's
 * organisation (the township's when there is no builder organisation).
 */
export function evaluateSecretarySourceSwitch(
  input: { institution: InstitutionFacts; targetSource: SecretarySource; soundness: OrganisationSoundnessFacts },
  settings: Pick<PolicySettings, 'orgSoundMaxSecretaryVacancyDays' | 'orgSoundMinMeetingCompliancePercent'>,
): { allowed: boolean; approverOrgId: string | null; findings: Finding[] } {
  const inst = input.institution;
  if (inst.type !== 'PUBLIC_BUILT_PRIVATE_RUN') {
    return { allowed: false, approverOrgId: null, findings: [finding('R10', 'VIOLATION', '书记产生方式的调整仅适用于公建民营养老机构。')] };
  }
  const approverOrgId = inst.publicBuilderOrgId ?? inst.townshipOrgId ?? null;
  if (input.targetSource === 'PUBLIC_BUILDER') {
    return { allowed: true, approverOrgId, findings: [finding('R8', 'INFO', '党组织负责人由公建方选派。')] };
  }
  const { sound, reasons } = isOrganisationSound(input.soundness, settings);
  const how = input.targetSource === 'OPERATOR' ? '由民营方党组织选派' : '从机构内部选举产生';
  return sound
    ? { allowed: true, approverOrgId, findings: [finding('R10', 'INFO', `党组织健全、活动开展正常，经公建方批准可${how}党组织负责人。`)] }
    : { allowed: false, approverOrgId, findings: [finding('R10', 'VIOLATION', `党组织不健全或活动不正常（${reasons.join('；')}），不得改为${how}党组织负责人。`)] };
}

export interface DispatchRoleCheckInput extends DispatchNeedInput {
  /** The role the builder (or responsible body) names. */
  role: DispatchRole;
}

/**
 * R8 (and R6, R10) for a named role: may this role be dispatched to this institution now?
 * - SECRETARY and FIRST_SECRETARY are dispatched by the public builder to a PUBLIC_BUILT_PRIVATE_RUN institution;
 * - SECRETARY: an organisation exists or can be set up (3+ FULL staff) and has no secretary in post
 *   (已有党组织书记的选派第一书记); not after an approved R10 switch to OPERATOR or ELECTION;
 * - FIRST_SECRETARY: only when the covering organisation has a secretary;
 * - INSTRUCTOR: only when no organisation is possible (no own or joint organisation, fewer than 3 FULL staff),
 *   for any institution type (R6: 没有党员的可通过选派党建工作指导员);
 * - a role already active at the institution is not dispatched twice.
 * Each refusal is a VIOLATION naming the rule, in Chinese.
 */
export function evaluateDispatchRole(
  input: DispatchRoleCheckInput,
  settings: Pick<PolicySettings, 'standaloneOrgMinFullStaff'>,
): { allowed: boolean; findings: Finding[] } {
  const inst = input.institution;
  const role = input.role;
  const hasOrg = input.hasOwnOrg || input.inJointOrg;
  const orgPossible = hasOrg || input.fullStaffMembers >= settings.standaloneOrgMinFullStaff;
  const refuse = (ruleId: RuleId, message: string) => ({ allowed: false, findings: [finding(ruleId, 'VIOLATION', message)] });
  if ((input.activeDispatchRoles ?? []).includes(role)) {
    return refuse('R8', `该机构已有在岗的选派${ROLE_ZH[role]}，不得重复选派。`);
  }
  if (role === 'INSTRUCTOR') {
    if (orgPossible) {
      return refuse(
        'R8',
        hasOrg
          ? '该机构已有党组织，不选派党建工作指导员；应选派党组织书记或第一书记。'
          : `该机构有 ${input.fullStaffMembers} 名工作人员正式党员，具备成立党组织的条件，不选派党建工作指导员；应选派党组织书记。`,
      );
    }
    const rule = inst.type === 'PUBLIC_BUILT_PRIVATE_RUN' ? 'R8' : 'R6';
    return { allowed: true, findings: [finding(rule, 'INFO', '不具备条件成立党组织，选派党建工作指导员。')] };
  }
  if (inst.type !== 'PUBLIC_BUILT_PRIVATE_RUN') {
    return refuse('R8', `选派${ROLE_ZH[role]}仅适用于公建民营养老机构（由公建方选派）。`);
  }
  if (!orgPossible) {
    return refuse('R8', `该机构工作人员正式党员不足 ${settings.standaloneOrgMinFullStaff} 人且未纳入联合党组织，不具备条件成立党组织，应选派党建工作指导员，不选派${ROLE_ZH[role]}。`);
  }
  if (role === 'FIRST_SECRETARY') {
    if (!hasOrg || !input.hasSecretary) return refuse('R8', '该机构党组织尚无书记，不选派第一书记；应选派党组织书记。');
    return { allowed: true, findings: [finding('R8', 'INFO', '已有党组织书记的，公建方选派第一书记。')] };
  }
  // SECRETARY
  if (hasOrg && input.hasSecretary) return refuse('R8', '该机构党组织已有书记，应选派第一书记，不再选派党组织书记。');
  if (input.secretarySource === 'OPERATOR' || input.secretarySource === 'ELECTION') {
    return refuse('R10', `党组织负责人经批准改为${input.secretarySource === 'OPERATOR' ? '由民营方党组织选派' : '从机构内部选举产生'}，公建方不再选派党组织书记。`);
  }
  return { allowed: true, findings: [finding('R8', 'INFO', '公建民营养老机构党组织负责人原则上由公建方选派。')] };
}
