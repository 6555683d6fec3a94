/** A task's due instant and its reminder instants: pure, so they are unit-tested apart from any workflow. */
import type { ApprovalPolicy } from '@app/contracts';
import { addDays, addWorkingDays, endOfShanghaiDay, startOfShanghaiDay, toCalendarDate } from '@app/domain';

export interface TaskDeadlines {
  /** End of the due day, Beijing time (epoch ms). */
  dueAt: number;
  /** 09:00 Beijing time on each reminder day that is still ahead and before the due instant, ascending. */
  remindAt: number[];
}

type CalendarPolicy = Pick<ApprovalPolicy, 'holidays' | 'extraWorkdays' | 'approvalStepWorkingDays' | 'approvalReminderWorkingDaysBefore'>;

/**
 * A task opened at `now` is due `dueCalendarDays` calendar days later when the step says so (e.g. 30 days for an
 * establish-branch answer), else the policy's working days later (15, skipping weekends and holidays, counting
 * make-up workdays). Reminders fall the policy's working days before the due day (3 and 0: three working days
 * before, and on the day) at 09:00 Beijing time.
 */
export function taskDeadlines(now: number, policy: CalendarPolicy, dueCalendarDays?: number): TaskDeadlines {
  const today = toCalendarDate(new Date(now));
  const dueDate = dueCalendarDays !== undefined ? addDays(today, dueCalendarDays) : addWorkingDays(today, policy.approvalStepWorkingDays, policy.holidays, policy.extraWorkdays);
  const dueAt = endOfShanghaiDay(dueDate).getTime();
  const remindAt = [...new Set(policy.approvalReminderWorkingDaysBefore.map((n) => addWorkingDays(dueDate, -n, policy.holidays, policy.extraWorkdays)))]
    .filter((d) => d > today)
    .map((d) => startOfShanghaiDay(d).getTime() + 9 * 3600 * 1000)
    .filter((at) => at > now && at < dueAt)
    .sort((a, b) => a - b);
  return { dueAt, remindAt };
}
