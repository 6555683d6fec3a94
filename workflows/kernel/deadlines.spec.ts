import { startOfShanghaiDay, endOfShanghaiDay } from '@app/domain';
import { taskDeadlines } from './deadlines';

const policy = { holidays: [] as string[], extraWorkdays: [] as string[], approvalStepWorkingDays: 15, approvalReminderWorkingDaysBefore: [3, 0] };
/** 10:00 Beijing time on a date. */
const at10 = (date: string): number => startOfShanghaiDay(date).getTime() + 10 * 3600_000;
const at9 = (date: string): number => startOfShanghaiDay(date).getTime() + 9 * 3600_000;

describe('taskDeadlines', () => {
  it('counts 15 working days over weekends; reminders at 09:00 three working days before and on the due day', () => {
    // Monday 2026-11-02: 15 working days on is Monday 2026-11-23.
    const d = taskDeadlines(at10('2026-11-02'), policy);
    expect(d.dueAt).toBe(endOfShanghaiDay('2026-11-23').getTime());
    expect(d.remindAt).toEqual([at9('2026-11-18'), at9('2026-11-23')]);
  });

  it('skips holidays and counts make-up workdays', () => {
    const d = taskDeadlines(at10('2026-11-02'), { ...policy, holidays: ['2026-11-05', '2026-11-06'], extraWorkdays: ['2026-11-08'] });
    // Two weekdays off, one Sunday worked: one working day later than without them.
    expect(d.dueAt).toBe(endOfShanghaiDay('2026-11-24').getTime());
  });

  it('a step in calendar days (establish-branch: 30) ignores the working-day calendar for its due day', () => {
    const d = taskDeadlines(at10('2026-11-02'), { ...policy, holidays: ['2026-11-05'] }, 30);
    expect(d.dueAt).toBe(endOfShanghaiDay('2026-12-02').getTime());
    expect(d.remindAt).toEqual([at9('2026-11-27'), at9('2026-12-02')]);
  });

  it('drops reminders already past and ones on the opening day', () => {
    // Opened on Wednesday 2026-11-18 at 10:00 with 3 working days to go: "3 days before" is today, already past 09:00.
    const d = taskDeadlines(at10('2026-11-18'), { ...policy, approvalStepWorkingDays: 3 });
    expect(d.dueAt).toBe(endOfShanghaiDay('2026-11-23').getTime());
    expect(d.remindAt).toEqual([at9('2026-11-23')]);
    // Due today: no reminder is left.
    expect(taskDeadlines(at10('2026-11-18'), { ...policy, approvalStepWorkingDays: 0 }).remindAt).toEqual([]);
  });
});
