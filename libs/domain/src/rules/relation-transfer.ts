import { type DateInput, addDays, endOfShanghaiDay, toCalendarDate } from '../calendar/dates';
import type { PolicySettings } from '../settings';
import type { Finding, MemberFacts, PartyOrgKind, TransferExemptReason } from '../types';
import { finding } from './finding';
import { transferExemptReasons } from './member-status';

export type RelationTransferKind =
  /** The relation already sits in the receiving organisation. */
  | 'ALREADY_IN'
  /** There is no receiving organisation (the institution has none). */
  | 'NO_ORGANISATION'
  /** R11: a staff member's transfer is due. */
  | 'DUE'
  /** R13: an elderly member (not R12-exempt) asked for it. */
  | 'VOLUNTARY'
  /** R12: an exempt elderly member asked for it with an exception reason; the responsible body must approve. */
  | 'EXCEPTION'
  /** R12/R13: no transfer; the elderly member may report (报到) instead. */
  | 'REPORTING_ONLY';

export interface RelationTransferVerdict {
  /** The transfer may proceed. */
  allowed: boolean;
  kind: RelationTransferKind;
  exemptReasons: TransferExemptReason[];
  /** R11: the date a staff member's transfer is due (joining + 90 days), when the joining date is known. */
  dueBy: string | null;
  /**
   * R12 exception: the transfer adds an approval step by the receiving organisation's responsible body (R1–R3b for
   * the institution, R3 for an elderly branch), recorded with the reason. True only for kind EXCEPTION.
   */
  needsResponsibleBodyApproval: boolean;
  findings: Finding[];
}

export interface RelationTransferRequest {
  /** The member (or guardian) asked for the transfer. A receiving organisation's request alone does not count. */
  memberRequested?: boolean;
  /** R12: why an exempt member should move all the same (blank counts as none). */
  exceptionReason?: string | null;
}

const REASON_ZH: Record<TransferExemptReason, string> = { ADVANCED_AGE: '高龄', DISABLED: '失能', DEMENTIA: '失智' };
export function exemptReasonsZh(reasons: readonly TransferExemptReason[]): string {
  return reasons.map((r) => REASON_ZH[r]).join('、');
}

/** R11: the date a staff member's transfer is due, or null when the joining date is unknown. */
export function staffTransferDueBy(
  member: Pick<MemberFacts, 'joinedAt'>,
  settings: Pick<PolicySettings, 'staffTransferDueDays'>,
): string | null {
  return member.joinedAt ? addDays(member.joinedAt, settings.staffTransferDueDays) : null;
}

/** A transfer letter issued on `issuedOn` is valid through this date. */
export function transferLetterValidUntil(issuedOn: DateInput, settings: Pick<PolicySettings, 'transferLetterValidDays'>): string {
  return addDays(issuedOn, settings.transferLetterValidDays);
}

/**
 * The instant (epoch ms) a transfer letter issued on `issuedOn` lapses: the first moment after its last valid day
 * (Asia/Shanghai). A step that waits on the letter expires then.
 */
export function transferLetterExpiresAt(issuedOn: DateInput, settings: Pick<PolicySettings, 'transferLetterValidDays'>): number {
  return endOfShanghaiDay(transferLetterValidUntil(issuedOn, settings)).getTime() + 1;
}

export interface RelationFollowUps {
  /** R11: members whose relation should move into the new organisation (a transfer is opened for each). */
  transfers: string[];
  /** R12: exempt elderly members who report (报到) to the new elderly branch instead of transferring. */
  reports: string[];
}

/**
 * R11/R12/R13 once an organisation is founded, for the members it was founded with:
 * - a staff organisation (BRANCH, …): every STAFF member whose relation is elsewhere is due to transfer in (R11);
 * - an ELDERLY_BRANCH: every R12-exempt ELDERLY member whose relation is elsewhere reports instead (报到); other
 *   elderly members move only on their own request (R13), so nothing is opened for them.
 * Elderly members of a staff organisation and staff members of an elderly branch are left alone: the one's move is
 * voluntary, the other's target is the institution's own organisation (the compliance card lists it).
 */
export function relationFollowUps(
  members: readonly MemberFacts[],
  org: { id: string; kind: PartyOrgKind },
  settings: Pick<PolicySettings, 'advancedAgeYears' | 'staffTransferDueDays'>,
  today: DateInput,
): RelationFollowUps {
  const out: RelationFollowUps = { transfers: [], reports: [] };
  for (const m of members) {
    if (m.relationOrgId === org.id) continue;
    if (org.kind === 'ELDERLY_BRANCH') {
      if (m.category === 'ELDERLY' && transferExemptReasons(m, settings, today).length > 0) out.reports.push(m.id);
    } else if (m.category === 'STAFF' && evaluateRelationTransfer(m, org.id, {}, settings, today).kind === 'DUE') {
      out.transfers.push(m.id);
    }
  }
  return out;
}

/**
 * R11/R12/R13 for one member and a receiving organisation:
 * - STAFF: the relation should move in; the transfer is due within 90 days of joining (late → VIOLATION).
 * - ELDERLY who are advanced-age (≥ 80 on `today`), disabled or with dementia (R12): generally not transferred
 *   (reporting only). The member's own request alone never moves them; an exception needs the request and an
 *   exception reason, and then the receiving organisation's responsible body must approve it
 *   (`needsResponsibleBodyApproval`).
 * - other ELDERLY (R13): only on the member's own request, and only into an existing organisation.
 */
export function evaluateRelationTransfer(
  member: MemberFacts,
  toOrgId: string | null,
  req: RelationTransferRequest,
  settings: Pick<PolicySettings, 'advancedAgeYears' | 'staffTransferDueDays'>,
  today: DateInput,
): RelationTransferVerdict {
  const exemptReasons = transferExemptReasons(member, settings, today);
  const requested = req.memberRequested === true;
  const reason = req.exceptionReason?.trim() ?? '';
  const base = { exemptReasons, dueBy: null as string | null, needsResponsibleBodyApproval: false };
  if (member.category === 'STAFF') {
    if (!toOrgId) {
      return { ...base, allowed: false, kind: 'NO_ORGANISATION', findings: [finding('R11', 'INFO', '机构尚未建立或加入党组织，组织关系暂无可转入的党组织。')] };
    }
    if (member.relationOrgId === toOrgId) {
      return { ...base, allowed: false, kind: 'ALREADY_IN', findings: [finding('R11', 'INFO', '组织关系已在机构所在党组织，无需转接。')] };
    }
    const dueBy = staffTransferDueBy(member, settings);
    const late = dueBy !== null && toCalendarDate(today) > dueBy;
    const message = dueBy
      ? `在养老机构工作的党员组织关系应转入机构所在党组织，应于 ${dueBy} 前完成转接${late ? '，已逾期' : ''}。`
      : '在养老机构工作的党员组织关系应转入机构所在党组织（入职日期未登记，无法计算转接期限）。';
    return { ...base, dueBy, allowed: true, kind: 'DUE', findings: [finding('R11', late ? 'VIOLATION' : 'WARNING', message)] };
  }
  // ELDERLY
  if (!toOrgId) {
    return { ...base, allowed: false, kind: 'NO_ORGANISATION', findings: [finding('R13', 'VIOLATION', '养老机构成立党组织后，老年人方可自愿迁移组织关系；可先到机构报到。')] };
  }
  if (member.relationOrgId === toOrgId) {
    return { ...base, allowed: false, kind: 'ALREADY_IN', findings: [finding('R13', 'INFO', '组织关系已在该党组织，无需迁移。')] };
  }
  if (exemptReasons.length > 0) {
    const zh = exemptReasonsZh(exemptReasons);
    if (requested && reason !== '') {
      return {
        ...base,
        allowed: true,
        kind: 'EXCEPTION',
        needsResponsibleBodyApproval: true,
        findings: [finding('R12', 'WARNING', `${zh}老年人党员一般不转移组织关系；本人申请并说明例外理由（${reason}），须经接收党组织的上级党组织审批后方可办理。`)],
      };
    }
    const missing = requested ? '仅有本人申请不能迁移，例外须说明理由' : '例外须本人申请并说明理由';
    return {
      ...base,
      allowed: false,
      kind: 'REPORTING_ONLY',
      findings: [finding('R12', 'VIOLATION', `${zh}老年人党员一般不转移组织关系，可到机构党组织报到参加活动；${missing}，并经接收党组织的上级党组织审批。`)],
    };
  }
  return requested
    ? { ...base, allowed: true, kind: 'VOLUNTARY', findings: [finding('R13', 'INFO', '老年人党员自愿申请迁移组织关系，可以办理。')] }
    : { ...base, allowed: false, kind: 'REPORTING_ONLY', findings: [finding('R13', 'VIOLATION', '老年人党员迁移组织关系须本人自愿申请；未申请的鼓励到机构党组织报到。')] };
}
