import { type DateInput, addDays, addYears, daysBetween, toCalendarDate } from '../calendar/dates';
import type { PolicySettings } from '../settings';
import type { Finding, OrganizationFacts, PartyOrgKind } from '../types';
import { finding } from './finding';

export const TERM_STATUSES = ['ACTIVE', 'RENEWAL_DUE', 'RENEWAL_REQUEST_DUE', 'OVERDUE'] as const;
export type TermStatus = (typeof TERM_STATUSES)[number];

type TermSettings = Pick<PolicySettings, 'renewalReminderDaysBefore' | 'renewalRequestDaysBefore'>;

/**
 * R4: a term starts on the election date and lasts termYears[kind] (3 years; 5 for a COMMITTEE). The end is the
 * same calendar date that many years later (29 February → 28 February).
 */
export function termEnd(start: DateInput, kind: PartyOrgKind, settings: Pick<PolicySettings, 'termYears'>): string {
  return addYears(start, settings.termYears[kind]);
}

export interface TermMilestones {
  /** The superior's reminder (180 days before the end). */
  reminderOn: string;
  /** The renewal request is due (60 days before the end). */
  requestDueOn: string;
  /** The deadline the renewal is measured against: the term end, or an approved postponement. */
  endsOn: string;
}

export function termMilestones(
  end: DateInput,
  settings: TermSettings,
  opts: { postponedUntil?: DateInput | null } = {},
): TermMilestones {
  const endsOn = opts.postponedUntil != null ? toCalendarDate(opts.postponedUntil) : toCalendarDate(end);
  return {
    reminderOn: addDays(endsOn, -settings.renewalReminderDaysBefore),
    requestDueOn: addDays(endsOn, -settings.renewalRequestDaysBefore),
    endsOn,
  };
}

/**
 * R4/R15 term watch:
 * - ACTIVE before the reminder date;
 * - RENEWAL_DUE from the reminder date (180 days before the end);
 * - RENEWAL_REQUEST_DUE from the request due date (60 days before);
 * - OVERDUE after the end day, unless an approved postponement (`postponedUntil`) moves the deadline.
 * A completed renewal starts a new term, so callers pass the current term's end.
 */
export function termStatus(
  end: DateInput,
  today: DateInput,
  settings: TermSettings,
  opts: { postponedUntil?: DateInput | null } = {},
): TermStatus {
  const m = termMilestones(end, settings, opts);
  const t = toCalendarDate(today);
  if (t > m.endsOn) return 'OVERDUE';
  if (t >= m.requestDueOn) return 'RENEWAL_REQUEST_DUE';
  if (t >= m.reminderOn) return 'RENEWAL_DUE';
  return 'ACTIVE';
}

/** The superior's reply to a renewal request is due 30 days after it is submitted. */
export function renewalReplyDueOn(requestedOn: DateInput, settings: Pick<PolicySettings, 'renewalReplyDays'>): string {
  return addDays(requestedOn, settings.renewalReplyDays);
}

/**
 * Moving an election earlier or later needs approval and at most `electionMaxShiftYears` (1) calendar years: the
 * same date that many years before or after the term end is still allowed, whatever leap days lie between
 * (29 February moves to 28 February, as a term end does).
 */
export function evaluateReschedule(
  end: DateInput,
  proposedElectionDate: DateInput,
  settings: Pick<PolicySettings, 'electionMaxShiftYears'>,
): { allowed: boolean; shiftDays: number; earliest: string; latest: string; findings: Finding[] } {
  const shiftDays = daysBetween(end, proposedElectionDate);
  const earliest = addYears(end, -settings.electionMaxShiftYears);
  const latest = addYears(end, settings.electionMaxShiftYears);
  const proposed = toCalendarDate(proposedElectionDate);
  const allowed = proposed >= earliest && proposed <= latest;
  const direction = shiftDays >= 0 ? '延期' : '提前';
  return {
    allowed,
    shiftDays,
    earliest,
    latest,
    findings: [
      allowed
        ? finding('R4', 'INFO', `换届${direction} ${Math.abs(shiftDays)} 天，须报上级党组织批准。`)
        : finding('R4', 'VIOLATION', `换届${direction} ${Math.abs(shiftDays)} 天，超过 ${settings.electionMaxShiftYears} 年的上限（最早 ${earliest}，最晚 ${latest}）。`),
    ],
  };
}

export interface TermEvaluation {
  termEnd: string | null;
  status: TermStatus | null;
  milestones: TermMilestones | null;
  findings: Finding[];
}

/** Term watch for an existing organisation: its status and the finding that goes with it. */
export function evaluateTerm(
  org: Pick<OrganizationFacts, 'kind' | 'termStart' | 'termEnd' | 'postponedUntil'>,
  today: DateInput,
  settings: TermSettings & Pick<PolicySettings, 'termYears'>,
): TermEvaluation {
  const end = org.termEnd ?? (org.termStart ? termEnd(org.termStart, org.kind, settings) : null);
  if (!end) {
    return {
      termEnd: null,
      status: null,
      milestones: null,
      findings: [finding('R4', 'WARNING', '党组织未登记任期起止日期，无法提醒按期换届。')],
    };
  }
  const opts = { postponedUntil: org.postponedUntil ?? null };
  const status = termStatus(end, today, settings, opts);
  const m = termMilestones(end, settings, opts);
  const findings: Finding[] = [];
  if (status === 'RENEWAL_DUE') {
    findings.push(finding('R15', 'INFO', `任期将于 ${m.endsOn} 届满，请做好换届准备；换届请示应于 ${m.requestDueOn} 前报送。`));
  } else if (status === 'RENEWAL_REQUEST_DUE') {
    findings.push(finding('R15', 'WARNING', `任期将于 ${m.endsOn} 届满，换届请示应于 ${m.requestDueOn} 前报送上级党组织。`));
  } else if (status === 'OVERDUE') {
    findings.push(finding('R4', 'VIOLATION', `任期已于 ${m.endsOn} 届满，未按期换届且无经批准的延期。`));
  }
  return { termEnd: toCalendarDate(end), status, milestones: m, findings };
}
