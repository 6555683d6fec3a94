/**
 * Calendar dates in Asia/Shanghai (UTC+8, no DST), independent of the machine's time zone.
 *
 * A date is a 'YYYY-MM-DD' string. Inputs may also be a Date (an instant, read as the calendar date it falls on
 * in Shanghai) or an ISO date-time string: with 'Z' or an offset it is an instant; without one it is Shanghai wall
 * time and only its date part counts. Internally a date is a day number: days since 1970-01-01.
 */
export type DateInput = string | Date;

export const DAY_MS = 86_400_000;
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const YEAR_MONTH_RE = /^(\d{4})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** month is 1–12. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function checkYmd(year: number, month: number, day: number, text: string): void {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`invalid calendar date: ${text}`);
  }
}

function ymdToDay(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** Day number (days since 1970-01-01) of the Shanghai calendar date of the input. */
export function toDayNumber(input: DateInput): number {
  if (input instanceof Date) {
    const t = input.getTime();
    if (Number.isNaN(t)) throw new RangeError('invalid Date');
    return Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS);
  }
  if (typeof input !== 'string') throw new TypeError('date must be a YYYY-MM-DD string or a Date');
  const d = DATE_RE.exec(input);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    checkYmd(y, m, day, input);
    return ymdToDay(y, m, day);
  }
  const t = DATETIME_RE.exec(input);
  if (t) {
    const [y, m, day, hh, mm, ss] = [t[1], t[2], t[3], t[4], t[5], t[6] ?? '0'].map(Number) as [
      number, number, number, number, number, number,
    ];
    checkYmd(y, m, day, input);
    if (hh > 23 || mm > 59 || ss > 59) throw new RangeError(`invalid time: ${input}`);
    const zone = t[8];
    if (zone === undefined) return ymdToDay(y, m, day); // Shanghai wall time
    let offsetMin = 0;
    if (zone !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
    }
    const frac = t[7] ? Math.floor(Number(t[7]) * 1000) : 0;
    const utc = Date.UTC(y, m - 1, day, hh, mm, ss, frac) - offsetMin * 60_000;
    return Math.floor((utc + SHANGHAI_OFFSET_MS) / DAY_MS);
  }
  throw new RangeError(`invalid date: ${input}`);
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD' of a day number. */
export function fromDayNumber(day: number): string {
  if (!Number.isInteger(day)) throw new RangeError(`day number must be an integer: ${day}`);
  const d = new Date(day * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Normalises any DateInput to the Shanghai calendar date 'YYYY-MM-DD'. */
export function toCalendarDate(input: DateInput): string {
  return fromDayNumber(toDayNumber(input));
}

export function parseCalendarDate(input: DateInput): { year: number; month: number; day: number } {
  const s = toCalendarDate(input);
  return { year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) };
}

export function addDays(date: DateInput, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer: ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** Adds calendar months; a day past the end of the target month is clamped (01-31 + 1 month → 02-28/29). */
export function addMonths(date: DateInput, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`months must be an integer: ${n}`);
  const { year, month, day } = parseCalendarDate(date);
  const total = year * 12 + (month - 1) + n;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return fromDayNumber(ymdToDay(y, m, Math.min(day, daysInMonth(y, m))));
}

/** Adds calendar years; 29 February becomes 28 February in a common year. */
export function addYears(date: DateInput, n: number): string {
  return addMonths(date, n * 12);
}

/** b − a in calendar days. */
export function daysBetween(a: DateInput, b: DateInput): number {
  return toDayNumber(b) - toDayNumber(a);
}

export function compareDates(a: DateInput, b: DateInput): -1 | 0 | 1 {
  const d = toDayNumber(a) - toDayNumber(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

export function maxDate(a: DateInput, b: DateInput): string {
  return compareDates(a, b) >= 0 ? toCalendarDate(a) : toCalendarDate(b);
}

export function minDate(a: DateInput, b: DateInput): string {
  return compareDates(a, b) <= 0 ? toCalendarDate(a) : toCalendarDate(b);
}

/** ISO day of week of a day number: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeekOfDayNumber(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(date: DateInput): number {
  return isoDayOfWeekOfDayNumber(toDayNumber(date));
}

/** The instant a Shanghai calendar day starts (00:00 +08:00). */
export function startOfShanghaiDay(date: DateInput): Date {
  return new Date(toDayNumber(date) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** The last millisecond of a Shanghai calendar day (23:59:59.999 +08:00): the moment a due date passes. */
export function endOfShanghaiDay(date: DateInput): Date {
  return new Date((toDayNumber(date) + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1);
}

/** Parses 'YYYY-MM'. */
export function parseYearMonth(month: string): { year: number; month: number } {
  const m = YEAR_MONTH_RE.exec(month);
  if (!m) throw new RangeError(`invalid month (YYYY-MM): ${month}`);
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (mo < 1 || mo > 12) throw new RangeError(`invalid month (YYYY-MM): ${month}`);
  return { year: y, month: mo };
}

/** Whole years from `from` to `on` (age / party standing): the anniversary day itself counts. */
export function fullYearsBetween(from: DateInput, on: DateInput): number {
  const a = parseCalendarDate(from);
  const b = parseCalendarDate(on);
  let years = b.year - a.year;
  // A 29 February anniversary is reached on 1 March in a common year.
  if (b.month < a.month || (b.month === a.month && b.day < a.day)) years -= 1;
  return years;
}
