import { type DateInput, parseCalendarDate, toCalendarDate } from '../calendar/dates';
import { BRANCH_MEETING_TYPES, type BranchMeetingType, type MeetingPeriod, type PolicySettings } from '../settings';

/**
 * 三会一课 and branch life (DOMAIN.md defaults; not one of R1–R16, so no findings): which periods lack a
 * meeting that is due once per month, quarter or year. Used for reminders and the compliance card.
 */
export interface MeetingRecord {
  type: BranchMeetingType;
  date: DateInput;
}

export interface MeetingShortfall {
  type: BranchMeetingType;
  period: MeetingPeriod;
  /** 'YYYY-MM', 'YYYY-Qn' or 'YYYY'. */
  periodKey: string;
}

export function meetingPeriodKey(period: MeetingPeriod, date: DateInput): string {
  const { year, month } = parseCalendarDate(date);
  if (period === 'YEAR') return String(year);
  if (period === 'QUARTER') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  return `${year}-${String(month).padStart(2, '0')}`;
}

function periodsBetween(period: MeetingPeriod, from: DateInput, toExclusive: DateInput): string[] {
  const a = parseCalendarDate(from);
  const b = parseCalendarDate(toExclusive);
  const out: string[] = [];
  const step = period === 'MONTH' ? 1 : period === 'QUARTER' ? 3 : 12;
  let idx = a.year * 12 + (a.month - 1);
  const offset = period === 'QUARTER' ? idx % 3 : period === 'YEAR' ? idx % 12 : 0;
  // A period the organisation joined part-way through is not assessed: start at the first whole period.
  idx = offset === 0 && a.day === 1 ? idx : idx - offset + step;
  for (; ; idx += step) {
    const y = Math.floor(idx / 12);
    const m = (idx % 12) + 1;
    const endIdx = idx + step; // first month after the period
    const endY = Math.floor(endIdx / 12);
    const endM = (endIdx % 12) + 1;
    // A period counts once it has ended before `toExclusive`.
    if (endY > b.year || (endY === b.year && endM > b.month)) break;
    out.push(meetingPeriodKey(period, `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`));
  }
  return out;
}

/**
 * Completed periods from `from` (the organisation's start; a partial first period is skipped) to `today` in which
 * a due meeting type was not held.
 * Committee meetings are due only when the branch has a committee, group meetings only when it has groups.
 */
export function evaluateBranchLife(
  meetings: readonly MeetingRecord[],
  from: DateInput,
  today: DateInput,
  settings: Pick<PolicySettings, 'branchMeetingPeriods'>,
  opts: { hasCommittee?: boolean; hasGroups?: boolean } = {},
): MeetingShortfall[] {
  const t = toCalendarDate(today);
  const shortfalls: MeetingShortfall[] = [];
  for (const type of BRANCH_MEETING_TYPES) {
    if (type === 'COMMITTEE_MEETING' && !opts.hasCommittee) continue;
    if (type === 'GROUP_MEETING' && !opts.hasGroups) continue;
    const period = settings.branchMeetingPeriods[type];
    const held = new Set(meetings.filter((m) => m.type === type).map((m) => meetingPeriodKey(period, m.date)));
    for (const key of periodsBetween(period, from, t)) {
      if (!held.has(key)) shortfalls.push({ type, period, periodKey: key });
    }
  }
  return shortfalls;
}
