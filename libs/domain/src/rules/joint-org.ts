import { type DateInput, addDays, toCalendarDate } from '../calendar/dates';
import type { PolicySettings } from '../settings';
import type { Finding, JointMode } from '../types';
import { finding } from './finding';

export interface JointOrganizationRequest {
  mode: JointMode;
  /**
   * Every participating unit with its FULL staff members and, when known, all its staff party members (FULL or
   * PROBATIONARY): a unit whose members are all probationary belongs here (R5), not with R6.
   */
  units: ReadonlyArray<{ institutionId: string; fullStaffMembers: number; staffPartyMembers?: number }>;
  /** AFFILIATE: the existing organisation the units attach to. */
  hostOrganizationId?: string | null;
  /** AFFILIATE: the host organisation's own FULL members, when known (they count toward the pooled minimum). */
  hostFullMembers?: number;
}

type JointSettings = Pick<PolicySettings, 'standaloneOrgMinFullStaff' | 'jointMaxUnits' | 'jointMinPooledFullMembers'>;

/**
 * R5: 2 to 5 units below 3 FULL staff members may form a joint organisation (DOMAIN.md process 2: 2+ institutions,
 * in either mode): CO_BUILD pools at least 3 FULL members among the units; AFFILIATE attaches to a named host
 * organisation, whose FULL members (`hostFullMembers`, checked when given) count toward the 3. A unit with 3+ FULL
 * staff members must build its own (R4).
 */
export function evaluateJointOrganization(
  req: JointOrganizationRequest,
  settings: JointSettings,
): { allowed: boolean; pooledFullMembers: number; findings: Finding[] } {
  const findings: Finding[] = [];
  const pooledFullMembers = req.units.reduce((n, u) => n + u.fullStaffMembers, 0);
  const ids = req.units.map((u) => u.institutionId);
  if (new Set(ids).size !== ids.length) findings.push(finding('R5', 'VIOLATION', '参加单位有重复。'));
  for (const u of req.units) {
    if (u.fullStaffMembers >= settings.standaloneOrgMinFullStaff) {
      findings.push(
        finding('R4', 'VIOLATION', `单位 ${u.institutionId} 工作人员正式党员已达 ${u.fullStaffMembers} 名，应单独建立党组织，不参加联合党组织。`),
      );
    } else if (u.fullStaffMembers === 0 && (u.staffPartyMembers ?? 0) === 0) {
      findings.push(finding('R6', 'INFO', `单位 ${u.institutionId} 没有工作人员正式党员，也可通过选派党建工作指导员、组建群团组织开展工作。`));
    }
  }
  if (req.units.length > settings.jointMaxUnits) {
    findings.push(finding('R5', 'VIOLATION', `联合党组织覆盖单位一般不超过 ${settings.jointMaxUnits} 个，本次 ${req.units.length} 个。`));
  }
  if (req.units.length < 2) {
    findings.push(finding('R5', 'VIOLATION', `${req.mode === 'CO_BUILD' ? '同业共建' : '挂靠组建'}联合党组织须由 2 个及以上单位组成。`));
  }
  const pooledWithHost = req.mode === 'AFFILIATE' ? (req.hostFullMembers === undefined ? null : pooledFullMembers + req.hostFullMembers) : pooledFullMembers;
  if (pooledWithHost !== null && pooledWithHost < settings.jointMinPooledFullMembers) {
    findings.push(
      finding(
        'R5',
        'VIOLATION',
        `${req.mode === 'AFFILIATE' ? '各单位与挂靠党组织' : '各单位'}工作人员正式党员合计 ${pooledWithHost} 名，联合党组织至少需要 ${settings.jointMinPooledFullMembers} 名。`,
      ),
    );
  }
  if (req.mode === 'AFFILIATE' && !req.hostOrganizationId) findings.push(finding('R5', 'VIOLATION', '挂靠组建须指定挂靠的党组织。'));
  const allowed = !findings.some((f) => f.severity === 'VIOLATION');
  if (allowed) {
    findings.push(
      finding('R5', 'INFO', `${req.mode === 'CO_BUILD' ? '同业共建' : '挂靠组建'}联合党组织，覆盖 ${req.units.length} 个单位，工作人员正式党员 ${pooledFullMembers} 名。`),
    );
  }
  return { allowed, pooledFullMembers, findings };
}

export interface SpinOff {
  /** The unit has reached the standalone threshold while in a joint organisation. */
  due: boolean;
  /** The last day of the grace period, when the date the threshold was reached is known. */
  deadline: string | null;
  overdue: boolean;
  finding: Finding | null;
}

/**
 * A unit in a joint organisation that reaches 3 FULL staff members must set up its own within 90 days
 * (WARNING within the grace period, VIOLATION after; WARNING when the date it was reached is unknown).
 */
export function spinOffStatus(
  fullStaffMembers: number,
  reachedOn: DateInput | null | undefined,
  today: DateInput,
  settings: Pick<PolicySettings, 'standaloneOrgMinFullStaff' | 'jointSpinOffGraceDays'>,
): SpinOff {
  if (fullStaffMembers < settings.standaloneOrgMinFullStaff) return { due: false, deadline: null, overdue: false, finding: null };
  if (reachedOn == null) {
    return {
      due: true,
      deadline: null,
      overdue: false,
      finding: finding('R4', 'WARNING', `工作人员正式党员已达 ${fullStaffMembers} 名，应从联合党组织中单独建立党组织（宽限 ${settings.jointSpinOffGraceDays} 天）。`),
    };
  }
  const deadline = addDays(reachedOn, settings.jointSpinOffGraceDays);
  const overdue = toCalendarDate(today) > deadline;
  return {
    due: true,
    deadline,
    overdue,
    finding: overdue
      ? finding('R4', 'VIOLATION', `工作人员正式党员已达 ${fullStaffMembers} 名，应于 ${deadline} 前单独建立党组织，已逾期。`)
      : finding('R4', 'WARNING', `工作人员正式党员已达 ${fullStaffMembers} 名，应于 ${deadline} 前从联合党组织中单独建立党组织。`),
  };
}
