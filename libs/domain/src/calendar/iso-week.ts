import { type DateInput, fromDayNumber, isoDayOfWeekOfDayNumber, toDayNumber } from './dates';

/** An ISO-8601 week: weeks start on Monday; week 1 is the week with the year's first Thursday. */
export interface IsoWeek {
  year: number;
  week: number;
  /** 'YYYY-Www', e.g. '2021-W01'. Sorts chronologically as a string. */
  key: string;
}

const KEY_RE = /^(\d{4})-W(\d{2})$/;

export function isoWeekKey(year: number, week: number): string {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

function weekOfDay(day: number): IsoWeek {
  const thursday = day - isoDayOfWeekOfDayNumber(day) + 4;
  const year = Number(fromDayNumber(thursday).slice(0, 4));
  const jan1 = toDayNumber(`${String(year).padStart(4, '0')}-01-01`);
  const week = Math.floor((thursday - jan1) / 7) + 1;
  return { year, week, key: isoWeekKey(year, week) };
}

/** The ISO week a (Shanghai calendar) date falls in. */
export function isoWeekOf(date: DateInput): IsoWeek {
  return weekOfDay(toDayNumber(date));
}

/** 52 or 53. */
export function isoWeeksInYear(year: number): number {
  return weekOfDay(toDayNumber(`${String(year).padStart(4, '0')}-12-28`)).week;
}

export function parseIsoWeekKey(key: string): IsoWeek {
  const m = KEY_RE.exec(key);
  if (!m) throw new RangeError(`invalid ISO week (YYYY-Www): ${key}`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > isoWeeksInYear(year)) throw new RangeError(`invalid ISO week: ${key}`);
  return { year, week, key };
}

function mondayDay(week: IsoWeek | string): number {
  const w = typeof week === 'string' ? parseIsoWeekKey(week) : week;
  const jan4 = toDayNumber(`${String(w.year).padStart(4, '0')}-01-04`);
  return jan4 - isoDayOfWeekOfDayNumber(jan4) + 1 + (w.week - 1) * 7;
}

/** Monday (first day) of an ISO week, 'YYYY-MM-DD'. */
export function isoWeekStart(week: IsoWeek | string): string {
  return fromDayNumber(mondayDay(week));
}

/** Sunday (last day) of an ISO week, 'YYYY-MM-DD'. */
export function isoWeekEnd(week: IsoWeek | string): string {
  return fromDayNumber(mondayDay(week) + 6);
}

/** The ISO week n weeks after (or before, n < 0) the given one. */
export function addIsoWeeks(week: IsoWeek | string, n: number): IsoWeek {
  return weekOfDay(mondayDay(week) + 7 * n);
}

/** Every ISO week from the one containing `from` to the one containing `to`, inclusive (empty when to < from). */
export function isoWeeksBetween(from: DateInput, to: DateInput): IsoWeek[] {
  const out: IsoWeek[] = [];
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  if (end < start) return out;
  for (let d = start - isoDayOfWeekOfDayNumber(start) + 1; d <= end; d += 7) out.push(weekOfDay(d));
  return out;
}
