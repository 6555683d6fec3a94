import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { SettingsService } from '@app/persistence';
import { TemporalClientService } from '@app/temporal';

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

/** The schedule ids of a task queue (several deployments, or test runs, may share a namespace). */
export const fundsScheduleIds = (taskQueue: string): { budgets: string; stipends: string } => ({ budgets: `${taskQueue}:budget-cycle`, stipends: `${taskQueue}:stipend-month` });

/**
 * The R14 funds schedules (workflows/funds-cycles.workflow.ts), kept by the worker at start-up:
 * - yearly on the budget cycle's opening day (setting `budgetOpensOn`, 1 October), Beijing time: next year's budgets;
 * - monthly on the 1st, Beijing time: the month before's stipends.
 * Missed runs (the cluster was down) are caught up within a year, buffered rather than skipped when they overlap;
 * each run opens its own period (its scheduled time), and every opening is keyed, so a repeated run opens nothing.
 */
@Injectable()
export class FundsSchedulesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FundsSchedules');

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly temporal: TemporalClientService,
    private readonly settings: SettingsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.cfg.fundsSchedules) return;
    try {
      await this.ensure();
    } catch (err) {
      // The worker still runs without them; the next start tries again.
      this.logger.error(`funds schedules not set: ${(err as Error).message}`);
    }
  }

  /** Creates the two schedules, or brings existing ones up to date (e.g. a changed opening day). */
  async ensure(): Promise<void> {
    const ids = fundsScheduleIds(this.cfg.temporalTaskQueue);
    const opens = (await this.settings.policy()).budgetOpensOn;
    const [month, day] = opens.split('-').map(Number) as [number, number];
    const policies = { overlap: ScheduleOverlapPolicy.BUFFER_ALL, catchupWindow: '365 days' } as const;
    const schedules: ScheduleOptions[] = [
      {
        scheduleId: ids.budgets,
        spec: { calendars: [{ month: MONTHS[month - 1]!, dayOfMonth: day, hour: 1 }], timezone: 'Asia/Shanghai' },
        action: { type: 'startWorkflow', workflowType: 'budgetCycleWorkflow', args: [{}], taskQueue: this.cfg.temporalTaskQueue, workflowId: ids.budgets },
        policies,
        memo: { purpose: '党建工作经费年度预算编制（R14）' },
      },
      {
        scheduleId: ids.stipends,
        spec: { calendars: [{ dayOfMonth: 1, hour: 2 }], timezone: 'Asia/Shanghai' },
        action: { type: 'startWorkflow', workflowType: 'stipendMonthWorkflow', args: [{}], taskQueue: this.cfg.temporalTaskQueue, workflowId: ids.stipends },
        policies,
        memo: { purpose: '书记工作补贴按月发放（R14）' },
      },
    ];
    for (const options of schedules) {
      try {
        await this.temporal.client.schedule.create(options);
        this.logger.log(`schedule ${options.scheduleId} created`);
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        await this.temporal.client.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: { ...prev.policies, ...options.policies } }));
      }
    }
  }
}
