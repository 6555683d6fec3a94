import {
  addDays,
  addMonths,
  addYears,
  daysBetween,
  endOfShanghaiDay,
  fromDayNumber,
  fullYearsBetween,
  isoDayOfWeek,
  startOfShanghaiDay,
  toCalendarDate,
  toDayNumber,
} from '../src';

describe('calendar dates (Asia/Shanghai)', () => {
  it('round-trips YYYY-MM-DD through day numbers', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(fromDayNumber(0)).toBe('1970-01-01');
    expect(fromDayNumber(toDayNumber('2024-02-29'))).toBe('2024-02-29');
  });

  it('reads a Date as the Shanghai calendar date, whatever the machine zone', () => {
    expect(toCalendarDate(new Date('2024-01-01T15:59:59.999Z'))).toBe('2024-01-01');
    expect(toCalendarDate(new Date('2024-01-01T16:00:00.000Z'))).toBe('2024-01-02');
    expect(toCalendarDate(new Date(Date.UTC(2023, 11, 31, 20)))).toBe('2024-01-01');
  });

  it('reads ISO date-times with an offset as instants and without one as Shanghai wall time', () => {
    expect(toCalendarDate('2024-01-01T16:30:00Z')).toBe('2024-01-02');
    expect(toCalendarDate('2024-01-01T23:30:00+08:00')).toBe('2024-01-01');
    expect(toCalendarDate('2024-01-01T10:00:00-05:00')).toBe('2024-01-01');
    expect(toCalendarDate('2024-01-01T12:00:00-05:00')).toBe('2024-01-02');
    expect(toCalendarDate('2024-01-01T23:30')).toBe('2024-01-01');
  });

  it('rejects impossible dates', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '20240101', '2024-1-1', '']) {
      expect(() => toDayNumber(bad)).toThrow(RangeError);
    }
    expect(() => toDayNumber(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('adds days, months and years with end-of-month clamping', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('gives ISO weekdays', () => {
    expect(isoDayOfWeek('2024-01-01')).toBe(1); // Monday
    expect(isoDayOfWeek('2024-01-07')).toBe(7); // Sunday
    expect(isoDayOfWeek('1970-01-01')).toBe(4); // Thursday
  });

  it('counts whole years with the anniversary itself counting', () => {
    expect(fullYearsBetween('1944-05-01', '2024-04-30')).toBe(79);
    expect(fullYearsBetween('1944-05-01', '2024-05-01')).toBe(80);
    expect(fullYearsBetween('1944-02-29', '2024-02-28')).toBe(79);
    expect(fullYearsBetween('1944-02-29', '2024-02-29')).toBe(80);
    expect(fullYearsBetween('1944-02-29', '2023-02-28')).toBe(78);
    expect(fullYearsBetween('1944-02-29', '2023-03-01')).toBe(79);
  });

  it('gives the instants a Shanghai day starts and ends', () => {
    expect(startOfShanghaiDay('2024-03-10').toISOString()).toBe('2024-03-09T16:00:00.000Z');
    expect(endOfShanghaiDay('2024-03-10').toISOString()).toBe('2024-03-10T15:59:59.999Z');
  });
});
