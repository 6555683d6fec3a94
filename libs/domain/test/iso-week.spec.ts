import fc from 'fast-check';
import {
  addIsoWeeks,
  fromDayNumber,
  isoDayOfWeek,
  isoWeekEnd,
  isoWeekOf,
  isoWeekStart,
  isoWeeksBetween,
  isoWeeksInYear,
  parseIsoWeekKey,
  toDayNumber,
} from '../src';

describe('ISO weeks', () => {
  it.each([
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2024-12-29', '2024-W52'],
    ['2024-12-30', '2025-W01'],
    ['2026-12-31', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
  ])('%s is in %s', (date, key) => {
    expect(isoWeekOf(date).key).toBe(key);
  });

  it('knows long years', () => {
    expect(isoWeeksInYear(2020)).toBe(53);
    expect(isoWeeksInYear(2021)).toBe(52);
    expect(isoWeeksInYear(2026)).toBe(53);
  });

  it('gives Monday and Sunday of a week and steps across years', () => {
    expect(isoWeekStart('2025-W01')).toBe('2024-12-30');
    expect(isoWeekEnd('2025-W01')).toBe('2025-01-05');
    expect(addIsoWeeks('2020-W52', 1).key).toBe('2020-W53');
    expect(addIsoWeeks('2020-W53', 1).key).toBe('2021-W01');
    expect(isoWeeksBetween('2024-12-25', '2025-01-06').map((w) => w.key)).toEqual(['2024-W52', '2025-W01', '2025-W02']);
    expect(() => parseIsoWeekKey('2021-W53')).toThrow(RangeError);
  });

  it('every date lies in its week, which starts on a Monday', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('1990-01-01'), max: toDayNumber('2100-12-31') }), (day) => {
        const date = fromDayNumber(day);
        const w = isoWeekOf(date);
        const monday = isoWeekStart(w);
        expect(isoDayOfWeek(monday)).toBe(1);
        const offset = day - toDayNumber(monday);
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThan(7);
        expect(parseIsoWeekKey(w.key)).toEqual(w);
      }),
    );
  });
});
