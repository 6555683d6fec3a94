import {
  applyCalendarPatch,
  calendarDateError,
  calendarResultErrors,
  diffCalendars,
  readCalendar,
  validateCalendarPatch,
} from './calendar-settings.validator';

// 2026-10-01 (Thu), 2026-10-02 (Fri), 2026-10-05 (Mon): weekdays; 2026-09-27 (Sun), 2026-10-10 (Sat): weekend.
const fields = (p: unknown): string[] => validateCalendarPatch(p).map((d) => d.field as string);

describe('calendar settings validator', () => {
  it('accepts real weekday holidays and weekend make-up workdays, replacing or editing', () => {
    expect(validateCalendarPatch({ holidays: ['2026-10-01', '2026-10-02'], extraWorkdays: ['2026-09-27', '2026-10-10'] })).toEqual([]);
    expect(validateCalendarPatch({ addHolidays: ['2026-10-05'], removeHolidays: ['2026-10-01'], addExtraWorkdays: [], removeExtraWorkdays: ['2026-09-27'] })).toEqual([]);
    expect(validateCalendarPatch({ holidays: [] })).toEqual([]);
    expect(validateCalendarPatch({ holidays: ['2000-01-03', '2100-12-31'] })).toEqual([]);
  });

  it('checks every date: format, real day, years 2000–2100', () => {
    expect(calendarDateError('2026-10-01')).toBeNull();
    expect(calendarDateError('2026-02-30')).toMatch(/真实/);
    expect(calendarDateError('2024-02-29')).toBeNull();
    expect(calendarDateError('2025-02-29')).not.toBeNull();
    expect(calendarDateError('2026-13-01')).not.toBeNull();
    expect(calendarDateError('2026-1-05')).toMatch(/YYYY-MM-DD/);
    expect(calendarDateError('2026-10-01T00:00:00Z')).toMatch(/YYYY-MM-DD/);
    expect(calendarDateError('1999-12-31')).toMatch(/2000/);
    expect(calendarDateError('2101-01-03')).toMatch(/2100/);
    expect(calendarDateError(20261001)).toMatch(/字符串/);
    expect(calendarDateError(null)).toMatch(/字符串/);
  });

  it('names the offending field, element by element', () => {
    expect(fields({ holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-02-30'] })).toEqual(['holidays[3]']);
    expect(fields({ addHolidays: ['2026-10-01', 5] })).toEqual(['addHolidays[1]']);
    expect(fields({ removeExtraWorkdays: ['1999-01-02'] })).toEqual(['removeExtraWorkdays[0]']);
    expect(fields({ holidays: '2026-10-01' })).toEqual(['holidays']);
    expect(fields({ extraWorkdays: null })).toEqual(['extraWorkdays']);
    expect(fields({ addHolidays: { 0: '2026-10-01' } })).toEqual(['addHolidays']);
    expect(fields({ holidays: Array.from({ length: 1001 }, () => '2026-10-01') })).toEqual(['holidays']);
    expect(fields({ holidays: ['2026-10-01', '2026-10-02', '2026-10-01'] })).toEqual(['holidays[2]']);
    expect(fields({ holidays: ['2026-10-01'], unknown: [] })).toEqual(['unknown']);
    expect(fields({})).toEqual(['body']);
    expect(fields([])).toEqual(['body']);
    expect(fields('x')).toEqual(['body']);
    expect(fields(null)).toEqual(['body']);
    // Everything is reported at once.
    expect(fields({ holidays: ['bad'], extraWorkdays: ['2026-10-05'], x: 1 })).toEqual(['holidays[0]', 'extraWorkdays[0]', 'x']);
  });

  it('refuses a weekend holiday and a weekday make-up workday, with the weekday in Chinese', () => {
    const h = validateCalendarPatch({ holidays: ['2026-10-01', '2026-10-10'] });
    expect(h).toEqual([{ field: 'holidays[1]', message: expect.stringContaining('星期六') }]);
    expect(fields({ addHolidays: ['2026-09-27'] })).toEqual(['addHolidays[0]']);
    const e = validateCalendarPatch({ addExtraWorkdays: ['2026-10-01'] });
    expect(e).toEqual([{ field: 'addExtraWorkdays[0]', message: expect.stringContaining('星期四') }]);
    expect(fields({ extraWorkdays: ['2026-09-27', '2026-10-05'] })).toEqual(['extraWorkdays[1]']);
    // Removals are not held to the weekday rule (they may clean up a row written by hand).
    expect(fields({ removeHolidays: ['2026-10-10'], removeExtraWorkdays: ['2026-10-01'] })).toEqual([]);
  });

  it('refuses replacing and editing a list in one request, and adding and removing the same date', () => {
    expect(fields({ holidays: [], addHolidays: ['2026-10-01'], removeHolidays: [] })).toEqual(['addHolidays', 'removeHolidays']);
    expect(fields({ extraWorkdays: [], removeExtraWorkdays: [] })).toEqual(['removeExtraWorkdays']);
    expect(fields({ holidays: [], addExtraWorkdays: ['2026-09-27'] })).toEqual([]);
    expect(fields({ addHolidays: ['2026-10-01', '2026-10-02'], removeHolidays: ['2026-10-05', '2026-10-02'] })).toEqual(['removeHolidays[1]']);
    expect(fields({ addExtraWorkdays: ['2026-09-27'], removeExtraWorkdays: ['2026-09-27'] })).toEqual(['removeExtraWorkdays[0]']);
  });

  it('reads the stored row defensively, sorted and deduplicated', () => {
    expect(readCalendar(undefined)).toEqual({ holidays: [], extraWorkdays: [] });
    expect(readCalendar({})).toEqual({ holidays: [], extraWorkdays: [] });
    expect(readCalendar({ holidays: ['2026-10-02', '2026-10-01', '2026-10-02', 3], extraWorkdays: 'x' })).toEqual({ holidays: ['2026-10-01', '2026-10-02'], extraWorkdays: [] });
  });

  it('applies replace, then additions, then removals, and diffs list by list', () => {
    const stored = { holidays: ['2026-10-01', '2026-10-02'], extraWorkdays: ['2026-09-27'] };
    expect(applyCalendarPatch(stored, { holidays: ['2026-10-05'] })).toEqual({ holidays: ['2026-10-05'], extraWorkdays: ['2026-09-27'] });
    expect(applyCalendarPatch(stored, { addHolidays: ['2026-10-05', '2026-10-01'], removeHolidays: ['2026-10-02', '2026-12-01'] })).toEqual({
      holidays: ['2026-10-01', '2026-10-05'],
      extraWorkdays: ['2026-09-27'],
    });
    expect(applyCalendarPatch(stored, { extraWorkdays: [] })).toEqual({ holidays: stored.holidays, extraWorkdays: [] });
    const after = applyCalendarPatch(stored, { addExtraWorkdays: ['2026-10-10'] });
    expect(diffCalendars(stored, after)).toEqual([{ path: 'extraWorkdays', before: ['2026-09-27'], after: ['2026-09-27', '2026-10-10'] }]);
    expect(diffCalendars(stored, applyCalendarPatch(stored, { addHolidays: ['2026-10-01'] }))).toEqual([]);
  });

  it('refuses a date both a holiday and a make-up workday on the result, naming the request entry', () => {
    // A weekend holiday written into the row by hand, then the same Saturday added as a make-up workday.
    const stored = { holidays: ['2026-10-01', '2026-10-10'], extraWorkdays: [] };
    const patch = { addExtraWorkdays: ['2026-09-27', '2026-10-10'] };
    expect(calendarResultErrors(applyCalendarPatch(stored, patch), patch)).toEqual([{ field: 'addExtraWorkdays[1]', message: expect.stringContaining('2026-10-10') }]);
    const fixing = { removeHolidays: ['2026-10-10'], addExtraWorkdays: ['2026-10-10'] };
    expect(calendarResultErrors(applyCalendarPatch(stored, fixing), fixing)).toEqual([]);
    // A conflict already stored and left alone by the request is reported on the list.
    const bad = { holidays: ['2026-10-10'], extraWorkdays: ['2026-10-10'] };
    expect(calendarResultErrors(applyCalendarPatch(bad, { addHolidays: ['2026-10-01'] }), { addHolidays: ['2026-10-01'] }).map((d) => d.field)).toEqual(['extraWorkdays']);
  });

  it('refuses a list that would exceed 1000 dates after additions, naming the field that added them', () => {
    const full = Array.from({ length: 1000 }, (_, i) => `${2001 + Math.floor(i / 10)}-01-${String(i % 10 + 10)}`);
    expect(new Set(full).size).toBe(1000);
    const patch = { addHolidays: ['2026-10-01'] };
    const after = applyCalendarPatch({ holidays: full, extraWorkdays: [] }, patch);
    expect(calendarResultErrors(after, patch)).toEqual([{ field: 'addHolidays', message: expect.stringContaining('1000') }]);
    expect(calendarResultErrors({ holidays: full, extraWorkdays: [] }, {})).toEqual([]);
  });
});
