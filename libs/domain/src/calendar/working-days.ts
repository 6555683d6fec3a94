import type { PolicySettings } from '../settings';
import { type DateInput, endOfShanghaiDay, fromDayNumber, isoDayOfWeekOfDayNumber, toDayNumber } from './dates';

/**
 * Working days in mainland China: Monday–Friday, minus configured public holidays, plus configured make-up
 * workdays (调休, usually a Saturday or Sunday). Holidays and make-up days are passed in (they are announced
 * each year), as 'YYYY-MM-DD' Shanghai calendar dates. A date listed as both is treated as a holiday, so a
 * configuration slip can only lengthen a deadline, never shorten it.
 */
interface Calendar {
  holidays: Set<number>;
  extra: Set<number>;
}

function calendar(holidays: readonly string[] = [], extraWorkdays: readonly string[] = []): Calendar {
  return { holidays: new Set(holidays.map(toDayNumber)), extra: new Set(extraWorkdays.map(toDayNumber)) };
}

function working(day: number, cal: Calendar): boolean {
  if (cal.holidays.has(day)) return false;
  if (cal.extra.has(day)) return true;
  return isoDayOfWeekOfDayNumber(day) <= 5;
}

export function isWorkingDay(
  date: DateInput,
  holidays: readonly string[] = [],
  extraWorkdays: readonly string[] = [],
): boolean {
  return working(toDayNumber(date), calendar(holidays, extraWorkdays));
}

/**
 * The n-th working day after `startDate` (the start day itself is not counted), or before it for n < 0.
 * n = 0 returns the start date unchanged, working day or not.
 */
export function addWorkingDays(
  startDate: DateInput,
  n: number,
  holidays: readonly string[] = [],
  extraWorkdays: readonly string[] = [],
): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer: ${n}`);
  const cal = calendar(holidays, extraWorkdays);
  let day = toDayNumber(startDate);
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    if (working(day, cal)) left -= 1;
  }
  return fromDayNumber(day);
}

/**
 * Working-day steps from `from` to `to`: the working days in (from, to] when to ≥ from, and minus the working
 * days in [to, from) when to < from. So `workingDaysBetween(a, addWorkingDays(a, n)) === n` for every n.
 */
export function workingDaysBetween(
  from: DateInput,
  to: DateInput,
  holidays: readonly string[] = [],
  extraWorkdays: readonly string[] = [],
): number {
  const cal = calendar(holidays, extraWorkdays);
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  let count = 0;
  if (b >= a) {
    for (let d = a + 1; d <= b; d++) if (working(d, cal)) count++;
    return count;
  }
  for (let d = b; d < a; d++) if (working(d, cal)) count++;
  return -count;
}

export interface StepDeadlines {
  /** The Shanghai calendar date the step opened. */
  openedOn: string;
  /** The due date (the step is late once this Shanghai day has ended). */
  dueAt: string;
  /** The instant the due date passes (23:59:59.999 +08:00), for timers. */
  dueInstant: Date;
  /** Reminder dates, ascending: by default 3 working days before the due date and on it. */
  remindAt: string[];
}

/**
 * An approval step's deadlines: due `approvalStepWorkingDays` (15) working days after the day it opened (the
 * opening day does not count, whatever the time of day), with reminders `approvalReminderWorkingDaysBefore`
 * ([3, 0]) working days before the due date. Past due it escalates to the responsible body's parent.
 */
export function stepDeadlines(
  openedAt: DateInput,
  settings: Pick<PolicySettings, 'approvalStepWorkingDays' | 'approvalReminderWorkingDaysBefore'>,
  holidays: readonly string[] = [],
  extraWorkdays: readonly string[] = [],
): StepDeadlines {
  const openedOn = fromDayNumber(toDayNumber(openedAt));
  const dueAt = addWorkingDays(openedOn, settings.approvalStepWorkingDays, holidays, extraWorkdays);
  const remind = new Set<string>();
  for (const before of settings.approvalReminderWorkingDaysBefore) {
    const d = addWorkingDays(dueAt, -before, holidays, extraWorkdays);
    if (d > openedOn) remind.add(d); // a reminder before the step opened is meaningless
  }
  return { openedOn, dueAt, dueInstant: endOfShanghaiDay(dueAt), remindAt: [...remind].sort() };
}
