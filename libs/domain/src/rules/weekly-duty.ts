import { type DateInput, addDays, fromDayNumber, toCalendarDate, toDayNumber } from '../calendar/dates';
import { type IsoWeek, isoWeekEnd, isoWeekOf, isoWeekStart, isoWeeksBetween } from '../calendar/iso-week';
import { workingDaysBetween } from '../calendar/working-days';
import type { PolicySettings } from '../settings';
import type { DispatchRole, Finding, InstitutionType } from '../types';
import { finding } from './finding';

export interface DutyDispatch {
  id: string;
  role: DispatchRole;
  institutionId: string;
  /** The body that dispatched the person (escalation after 2 missed weeks). */
  dispatchingOrgId: string;
  /** Its parent (escalation after 4). */
  dispatchingOrgParentId?: string | null;
  startDate: DateInput;
  /** Last day of the dispatch (inclusive), open-ended when absent. */
  endDate?: DateInput | null;
}

export interface DutySession {
  /** When given, only sessions of this dispatch count. */
  dispatchId?: string;
  date: DateInput;
  /** Hours on site; several sessions in a week add up. */
  hours: number;
  /** Confirmed by the institution; unconfirmed sessions do not count. */
  confirmed: boolean;
}

export interface DutyWeek {
  week: string; // YYYY-Www
  confirmedMinutes: number;
  unconfirmedMinutes: number;
  met: boolean;
  /** Leave, or a holiday week with too few working days: neither met nor missed. */
  exempt: boolean;
}

export type DutyEscalation = 'NONE' | 'REMIND_PERSON' | 'DISPATCHING_BODY' | 'DISPATCHING_BODY_PARENT';

export interface WeeklyDutyEvaluation {
  applies: boolean;
  weeks: DutyWeek[];
  missedWeeks: string[];
  /** Missed weeks in a row up to the last assessed week (exempt weeks are skipped, not reset). */
  consecutiveMissed: number;
  escalation: DutyEscalation;
  escalateToOrgId: string | null;
  findings: Finding[];
}

type DutySettings = Pick<
  PolicySettings,
  | 'weeklyDutyMinHours'
  | 'weeklyDutyAppliesTo'
  | 'weeklyDutyEscalateToDispatcherAfter'
  | 'weeklyDutyEscalateToParentAfter'
  | 'weeklyDutyExemptBelowWorkingDays'
>;

function minutesOf(hours: number): number {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`session hours must be ≥ 0: ${hours}`);
  return Math.round(hours * 60);
}

/**
 * R9/R15: a dispatched secretary, first secretary or instructor spends at least half a day (4 hours, in one or
 * more confirmed sessions) on site each ISO week. Assessed are the complete weeks (Monday–Sunday) that lie wholly
 * within the dispatch and end before `today`; a partial first or last week is not assessed.
 * A missed week reminds the person; 2 missed in a row escalate to the dispatching body, 4 to its parent.
 * With a holiday calendar, a week with fewer than 3 working days is exempt; `exemptWeeks` (approved leave) too.
 */
export function evaluateWeeklyDuty(
  input: {
    dispatch: DutyDispatch;
    sessions: readonly DutySession[];
    today: DateInput;
    institutionType?: InstitutionType;
    exemptWeeks?: readonly string[];
    holidays?: readonly string[];
    extraWorkdays?: readonly string[];
  },
  settings: DutySettings,
): WeeklyDutyEvaluation {
  const { dispatch } = input;
  const none: WeeklyDutyEvaluation = {
    applies: false,
    weeks: [],
    missedWeeks: [],
    consecutiveMissed: 0,
    escalation: 'NONE',
    escalateToOrgId: null,
    findings: [],
  };
  if (input.institutionType && !settings.weeklyDutyAppliesTo.includes(input.institutionType)) return none;

  const start = toDayNumber(dispatch.startDate);
  const lastDay = Math.min(
    toDayNumber(input.today) - 1,
    dispatch.endDate == null ? Number.POSITIVE_INFINITY : toDayNumber(dispatch.endDate),
  );
  const minMinutes = minutesOf(settings.weeklyDutyMinHours);
  const exemptSet = new Set(input.exemptWeeks ?? []);
  const byWeek = new Map<string, { confirmed: number; unconfirmed: number }>();
  for (const s of input.sessions) {
    if (s.dispatchId !== undefined && s.dispatchId !== dispatch.id) continue;
    const day = toDayNumber(s.date);
    if (day < start || day > lastDay) continue;
    const key = isoWeekOf(s.date).key;
    const acc = byWeek.get(key) ?? { confirmed: 0, unconfirmed: 0 };
    if (s.confirmed) acc.confirmed += minutesOf(s.hours);
    else acc.unconfirmed += minutesOf(s.hours);
    byWeek.set(key, acc);
  }

  const weeks: DutyWeek[] = [];
  if (lastDay >= start) {
    for (const w of isoWeeksBetween(toCalendarDate(dispatch.startDate), fromDayNumber(lastDay))) {
      if (!wholeWeekWithin(w, start, lastDay)) continue;
      const acc = byWeek.get(w.key) ?? { confirmed: 0, unconfirmed: 0 };
      const exempt = exemptSet.has(w.key) || holidayWeek(w, input, settings);
      weeks.push({
        week: w.key,
        confirmedMinutes: acc.confirmed,
        unconfirmedMinutes: acc.unconfirmed,
        met: acc.confirmed >= minMinutes,
        exempt,
      });
    }
  }

  const missed = weeks.filter((w) => !w.met && !w.exempt);
  let consecutiveMissed = 0;
  for (let i = weeks.length - 1; i >= 0; i--) {
    const w = weeks[i]!;
    if (w.exempt) continue;
    if (w.met) break;
    consecutiveMissed++;
  }
  let escalation: DutyEscalation = 'NONE';
  let escalateToOrgId: string | null = null;
  if (consecutiveMissed >= settings.weeklyDutyEscalateToParentAfter) {
    escalation = 'DISPATCHING_BODY_PARENT';
    escalateToOrgId = dispatch.dispatchingOrgParentId ?? null;
  } else if (consecutiveMissed >= settings.weeklyDutyEscalateToDispatcherAfter) {
    escalation = 'DISPATCHING_BODY';
    escalateToOrgId = dispatch.dispatchingOrgId;
  } else if (consecutiveMissed > 0) {
    escalation = 'REMIND_PERSON';
  }

  const findings: Finding[] = [];
  if (missed.length > 0) {
    const recent = missed.slice(-8).map((w) => w.week);
    const pending = missed.some((w) => w.confirmedMinutes + w.unconfirmedMinutes >= minMinutes)
      ? '（部分时长尚待机构确认）'
      : '';
    findings.push(
      finding(
        'R9',
        'WARNING',
        `选派人员共 ${missed.length} 周到机构开展党建和服务活动不足 ${settings.weeklyDutyMinHours} 小时：${recent.join('、')}${missed.length > recent.length ? ' 等' : ''}${pending}。`,
      ),
    );
  }
  if (escalation === 'DISPATCHING_BODY') {
    findings.push(finding('R15', 'VIOLATION', `选派人员已连续 ${consecutiveMissed} 周未履行每周至少半天的到岗要求，已上报选派单位。`));
  } else if (escalation === 'DISPATCHING_BODY_PARENT') {
    findings.push(finding('R15', 'VIOLATION', `选派人员已连续 ${consecutiveMissed} 周未履行每周至少半天的到岗要求，已上报选派单位的上级党组织。`));
  }
  return { applies: true, weeks, missedWeeks: missed.map((w) => w.week), consecutiveMissed, escalation, escalateToOrgId, findings };
}

function wholeWeekWithin(w: IsoWeek, start: number, lastDay: number): boolean {
  return toDayNumber(isoWeekStart(w)) >= start && toDayNumber(isoWeekEnd(w)) <= lastDay;
}

function holidayWeek(
  w: IsoWeek,
  input: { holidays?: readonly string[]; extraWorkdays?: readonly string[] },
  settings: DutySettings,
): boolean {
  if (!input.holidays || settings.weeklyDutyExemptBelowWorkingDays <= 0) return false;
  const monday = isoWeekStart(w);
  // Working days in the week: in (Sunday before, Sunday].
  const days = workingDaysBetween(addDays(monday, -1), isoWeekEnd(w), input.holidays, input.extraWorkdays);
  return days < settings.weeklyDutyExemptBelowWorkingDays;
}

/** A week's verdict as it is recorded: MET (4+ confirmed hours), EXEMPT (leave, holiday week) or MISSED. */
export type DutyWeekStatus = 'MET' | 'MISSED' | 'EXEMPT';

export function dutyWeekStatus(w: Pick<DutyWeek, 'met' | 'exempt'>): DutyWeekStatus {
  return w.met ? 'MET' : w.exempt ? 'EXEMPT' : 'MISSED';
}

/** What assessing one week asks for; each alert is made once per (kind, key), which the database enforces. */
export interface DutyAlert {
  kind: 'REMIND_PERSON' | 'ESCALATE_DISPATCHER' | 'ESCALATE_PARENT';
  /** REMIND_PERSON: the missed week; an escalation: the first missed week of the streak (once per streak). */
  key: string;
  /** The organisation escalated to (null for a reminder, or a dispatching body without a parent on record). */
  orgId: string | null;
}

export interface DutyWeekAssessment {
  /** Null when the week is not assessed: it does not lie wholly within the dispatch, or R9 does not apply. */
  week: (DutyWeek & { status: DutyWeekStatus }) | null;
  consecutiveMissed: number;
  /** The first missed week of the current streak of misses (exempt weeks skipped), or null. */
  streakStart: string | null;
  alerts: DutyAlert[];
  findings: Finding[];
}

/**
 * R9/R15 for one ISO week, on the Monday after it (00:00 Beijing time): the week's verdict from the confirmed
 * sessions, the streak of missed weeks it ends (exempt weeks skipped, not reset) and the alerts it calls for: a
 * missed week reminds the person; 2 missed in a row (setting) escalate to the dispatching body, 4 to its parent,
 * each once per streak (keyed by the streak's first missed week, so assessing again never repeats one).
 */
export function assessDutyWeek(
  input: Omit<Parameters<typeof evaluateWeeklyDuty>[0], 'today'> & { week: string },
  settings: DutySettings,
): DutyWeekAssessment {
  const today = addDays(isoWeekEnd(input.week), 1);
  const evaluation = evaluateWeeklyDuty({ ...input, today }, settings);
  const idx = evaluation.weeks.findIndex((w) => w.week === input.week);
  if (idx < 0) return { week: null, consecutiveMissed: 0, streakStart: null, alerts: [], findings: evaluation.findings };
  const week = evaluation.weeks[idx]!;
  let streak = 0;
  let streakStart: string | null = null;
  for (let i = idx; i >= 0; i--) {
    const w = evaluation.weeks[i]!;
    if (w.exempt && !w.met) continue;
    if (w.met) break;
    streak++;
    streakStart = w.week;
  }
  const status = dutyWeekStatus(week);
  const alerts: DutyAlert[] = [];
  if (status === 'MISSED') {
    alerts.push({ kind: 'REMIND_PERSON', key: week.week, orgId: null });
    if (streak >= settings.weeklyDutyEscalateToDispatcherAfter) {
      alerts.push({ kind: 'ESCALATE_DISPATCHER', key: streakStart!, orgId: input.dispatch.dispatchingOrgId });
    }
    if (streak >= settings.weeklyDutyEscalateToParentAfter) {
      alerts.push({ kind: 'ESCALATE_PARENT', key: streakStart!, orgId: input.dispatch.dispatchingOrgParentId ?? null });
    }
  }
  return { week: { ...week, status }, consecutiveMissed: streak, streakStart, alerts, findings: evaluation.findings };
}

const WEEK_MS = 7 * 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;
/** 1970-01-05 was a Monday: Monday 00:00 Beijing time is 1970-01-04T16:00Z plus whole weeks. */
const MONDAY_EPOCH_MS = 4 * 86_400_000 - SHANGHAI_MS;

/** The first Monday 00:00 Beijing time strictly after `nowMs` (epoch ms): when the week now running is assessed. */
export function nextDutyAssessmentAt(nowMs: number): number {
  return MONDAY_EPOCH_MS + (Math.floor((nowMs - MONDAY_EPOCH_MS) / WEEK_MS) + 1) * WEEK_MS;
}

/** The ISO week that ends just before the Monday 00:00 Beijing time `mondayMs` (the week it assesses). */
export function dutyWeekBefore(mondayMs: number): string {
  return isoWeekOf(new Date(mondayMs - 1)).key;
}
