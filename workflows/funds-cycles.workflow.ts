/**
 * The R14 funds cycles, started by Temporal Schedules (apps/worker/src/temporal/funds-schedules.service.ts):
 * - budgetCycleWorkflow, yearly on 1 October: an annual-budget for next year for every institution party organisation;
 * - stipendMonthWorkflow, monthly on the 1st: a stipend-disbursement for the month before for every organisation
 *   that had a secretary in it.
 * The period comes from the run's scheduled time, not from when it runs, so a missed run that the schedule catches
 * up (or a backfill) opens the period it was due for. Each opening is keyed (organisation and period): a run repeated
 * or overlapping opens nothing twice.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AnnualBudgetActivities, FundsCyclePage, StipendDisbursementActivities } from '@app/contracts';
import { previousMonth } from '@app/domain';

/** One page of organisations per call; a page opens up to a few hundred processes, so it gets minutes, not seconds. */
const acts = proxyActivities<Pick<AnnualBudgetActivities, 'openBudgetCycle'> & Pick<StipendDisbursementActivities, 'openStipendMonth'>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** When this run was due: the schedule's nominal time (search attribute, else the workflow id's suffix), else now. */
export function scheduledAt(): number {
  const info = workflowInfo();
  const pair = info.typedSearchAttributes.getAll().find((p) => p.key.name === 'TemporalScheduledStartTime');
  const value = pair?.value as unknown;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  const suffix = /-(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(info.workflowId)?.[1];
  return suffix ? Date.parse(suffix) : Date.now();
}

/** The Beijing calendar month (YYYY-MM) of an instant. */
function shanghaiMonth(at: number): string {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

export interface CycleResult {
  period: string;
  opened: number;
  existing: number;
}

/** Yearly (1 October): next year's budgets. `budgetYear` overrides the year (a run by hand). */
export async function budgetCycleWorkflow(input: { budgetYear?: number } = {}): Promise<CycleResult> {
  const budgetYear = input.budgetYear ?? Number(shanghaiMonth(scheduledAt()).slice(0, 4)) + 1;
  let after: string | null = null;
  const total = { opened: 0, existing: 0 };
  do {
    const page: FundsCyclePage = await acts.openBudgetCycle({ budgetYear, after });
    total.opened += page.opened;
    total.existing += page.existing;
    after = page.next ?? null;
  } while (after !== null);
  return { period: String(budgetYear), ...total };
}

/** Monthly (the 1st): the month before's stipends. `month` overrides it (a run by hand). */
export async function stipendMonthWorkflow(input: { month?: string } = {}): Promise<CycleResult> {
  const month = input.month ?? previousMonth(shanghaiMonth(scheduledAt()));
  let after: string | null = null;
  const total = { opened: 0, existing: 0 };
  do {
    const page: FundsCyclePage = await acts.openStipendMonth({ month, after });
    total.opened += page.opened;
    total.existing += page.existing;
    after = page.next ?? null;
  } while (after !== null);
  return { period: month, ...total };
}
