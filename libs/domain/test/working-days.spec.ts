import fc from 'fast-check';
import { DEFAULT_POLICY_SETTINGS, addWorkingDays, fromDayNumber, isWorkingDay, stepDeadlines, toDayNumber, workingDaysBetween } from '../src';

// 2024 National Day: 1–7 October off; Sunday 29 September and Saturday 12 October are make-up workdays (调休).
const NATIONAL_DAY_2024 = ['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04', '2024-10-07'];
const MAKE_UP_2024 = ['2024-09-29', '2024-10-12'];

describe('working days', () => {
  it('skips weekends', () => {
    expect(isWorkingDay('2024-06-07')).toBe(true); // Friday
    expect(isWorkingDay('2024-06-08')).toBe(false); // Saturday
    expect(isWorkingDay('2024-06-09')).toBe(false); // Sunday
    expect(addWorkingDays('2024-06-07', 1)).toBe('2024-06-10');
    expect(addWorkingDays('2024-06-08', 1)).toBe('2024-06-10');
    expect(addWorkingDays('2024-06-10', 5)).toBe('2024-06-17');
    expect(addWorkingDays('2024-06-10', -1)).toBe('2024-06-07');
    expect(addWorkingDays('2024-06-08', 0)).toBe('2024-06-08');
  });

  it('honours holidays and make-up workdays', () => {
    expect(isWorkingDay('2024-10-01', NATIONAL_DAY_2024, MAKE_UP_2024)).toBe(false);
    expect(isWorkingDay('2024-09-29', NATIONAL_DAY_2024, MAKE_UP_2024)).toBe(true);
    expect(isWorkingDay('2024-10-12', NATIONAL_DAY_2024, MAKE_UP_2024)).toBe(true);
    expect(isWorkingDay('2024-10-12', NATIONAL_DAY_2024)).toBe(false);
    // From Friday 27 Sept: Sun 29 (make-up), Mon 30, then Tue 8 Oct.
    expect(addWorkingDays('2024-09-27', 1, NATIONAL_DAY_2024, MAKE_UP_2024)).toBe('2024-09-29');
    expect(addWorkingDays('2024-09-27', 3, NATIONAL_DAY_2024, MAKE_UP_2024)).toBe('2024-10-08');
    expect(workingDaysBetween('2024-09-27', '2024-10-08', NATIONAL_DAY_2024, MAKE_UP_2024)).toBe(3);
    expect(workingDaysBetween('2024-09-27', '2024-10-08')).toBe(7);
  });

  it('lets a holiday win over a make-up day listed for the same date', () => {
    expect(isWorkingDay('2024-10-12', ['2024-10-12'], ['2024-10-12'])).toBe(false);
  });

  it('counts negative spans', () => {
    expect(workingDaysBetween('2024-06-10', '2024-06-07')).toBe(-1);
    expect(workingDaysBetween('2024-06-10', '2024-06-10')).toBe(0);
  });

  it('addWorkingDays and workingDaysBetween are inverse', () => {
    const day = fc.integer({ min: toDayNumber('2024-01-01'), max: toDayNumber('2025-12-31') });
    fc.assert(
      fc.property(day, fc.integer({ min: -40, max: 40 }), fc.array(day, { maxLength: 20 }), (start, n, hol) => {
        const holidays = hol.map(fromDayNumber);
        const end = addWorkingDays(fromDayNumber(start), n, holidays);
        expect(workingDaysBetween(fromDayNumber(start), end, holidays)).toBe(n);
        if (n !== 0) expect(isWorkingDay(end, holidays)).toBe(true);
      }),
    );
  });

  it('gives a step 15 working days with reminders 3 working days before and on the due date', () => {
    const d = stepDeadlines('2024-06-03', DEFAULT_POLICY_SETTINGS); // Monday
    expect(d).toEqual({
      openedOn: '2024-06-03',
      dueAt: '2024-06-24',
      dueInstant: new Date('2024-06-24T15:59:59.999Z'),
      remindAt: ['2024-06-19', '2024-06-24'],
    });
  });

  it('counts a step opened late in the evening from its Shanghai date', () => {
    // 22:30 on Friday 27 Sept in Shanghai is 14:30Z.
    const d = stepDeadlines(new Date('2024-09-27T14:30:00Z'), DEFAULT_POLICY_SETTINGS, NATIONAL_DAY_2024, MAKE_UP_2024);
    expect(d.openedOn).toBe('2024-09-27');
    // 29 Sep, 30 Sep, 8–11 Oct (4), 12 Oct (make-up), 14–18 Oct (5), 21–23 Oct (3) = 15.
    expect(d.dueAt).toBe('2024-10-23');
    expect(d.remindAt).toEqual(['2024-10-18', '2024-10-23']);
    // An instant just after midnight Shanghai (16:05Z the day before) belongs to the next day.
    expect(stepDeadlines(new Date('2024-09-26T16:05:00Z'), DEFAULT_POLICY_SETTINGS).openedOn).toBe('2024-09-27');
  });

  it('reads the step length from the settings', () => {
    const d = stepDeadlines('2024-06-03', { approvalStepWorkingDays: 5, approvalReminderWorkingDaysBefore: [1] });
    expect(d.dueAt).toBe('2024-06-10');
    expect(d.remindAt).toEqual(['2024-06-07']);
  });
});
