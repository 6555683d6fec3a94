import { type DateInput, addDays, toCalendarDate } from '../calendar/dates';
import type { PolicySettings } from '../settings';
import type { Finding, MemberFacts, TransferExemptReason } from '../types';
import { finding } from './finding';
import { transferExemptReasons } from './member-status';

export type RelationTransferKind =
  /** The relation already sits in the receiving organisation. */
  | 'ALREADY_IN'
  /** There is no receiving organisation (the institution has none). */
  | 'NO_ORGANISATION'
  /** R11: a staff member's transfer is due. */
  | 'DUE'
  /** R12/R13: an elderly member asked for it. */
  | 'VOLUNTARY'
  /** R12/R13: no transfer; the elderly member may report (报到) instead. */
  | 'REPORTING_ONLY';

export interface RelationTransferVerdict {
  /** The transfer may proceed. */
  allowed: boolean;
  kind: RelationTransferKind;
  exemptReasons: TransferExemptReason[];
  /** R11: the date a staff member's transfer is due (joining + 90 days), when the joining date is known. */
  dueBy: string | null;
  findings: Finding[];
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
 * R11/R12/R13 for one member and a receiving organisation:
 * - STAFF: the relation should move in; the transfer is due within 90 days of joining (late → VIOLATION).
 * - ELDERLY who are advanced-age (≥ 80 on `today`), disabled or with dementia: not transferred (reporting only)
 *   unless the member asked (`memberRequested`).
 * - other ELDERLY: only on the member's own request, and only into an existing organisation.
 */
export function evaluateRelationTransfer(
  member: MemberFacts,
  toOrgId: string | null,
  opts: { memberRequested?: boolean },
  settings: Pick<PolicySettings, 'advancedAgeYears' | 'staffTransferDueDays'>,
  today: DateInput,
): RelationTransferVerdict {
  const exemptReasons = transferExemptReasons(member, settings, today);
  const requested = opts.memberRequested === true;
  const base = { exemptReasons, dueBy: null as string | null };
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
    return requested
      ? { ...base, allowed: true, kind: 'VOLUNTARY', findings: [finding('R12', 'INFO', `${zh}老年人党员一般不转移组织关系；本人自愿申请迁移，可以办理。`)] }
      : { ...base, allowed: false, kind: 'REPORTING_ONLY', findings: [finding('R12', 'VIOLATION', `${zh}老年人党员一般不转移组织关系，可到机构党组织报到参加活动；本人自愿申请的除外。`)] };
  }
  return requested
    ? { ...base, allowed: true, kind: 'VOLUNTARY', findings: [finding('R13', 'INFO', '老年人党员自愿申请迁移组织关系，可以办理。')] }
    : { ...base, allowed: false, kind: 'REPORTING_ONLY', findings: [finding('R13', 'VIOLATION', '老年人党员迁移组织关系须本人自愿申请；未申请的鼓励到机构党组织报到。')] };
}
