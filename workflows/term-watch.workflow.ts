/**
 * The term watch (R4 「按期进行换届」, R15; DOMAIN.md "Terms"): one per party organisation, workflow id
 * `term-watch/<organisation id>`, started when the organisation is created and by the worker's back-fill.
 *
 *   1. reads the organisation's term (none yet: it waits for the founding election to signal one);
 *   2. sleeps to term end − 180 days and reminds the secretary and the responsible body;
 *   3. sleeps to term end − 60 days and opens a term-renewal (ProcessLauncher: once per organisation and term; a
 *      renewal opened by hand before is left to run);
 *   4. sleeps past the term end: without a new term the term is OVERDUE, escalated to the responsible body's parent
 *      and listed on /admin/overdue;
 *   5. whenever the term changes (an election recorded, a founding election) the `termChanged` signal wakes it and it
 *      continues as new on the new term, so its history stays short however many terms it watches.
 * Every effect is idempotent per organisation and term (the database's unique keys), so a reload never repeats one.
 */
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import { termChangedSignal, termWatchQuery, type TermWatchActivities, type TermWatchInput, type TermWatchState } from '@app/contracts';

const acts = proxyActivities<TermWatchActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function termWatchWorkflow(input: TermWatchInput): Promise<TermWatchState> {
  let changed = false;
  const state: TermWatchState = { organizationId: input.organizationId, termEnd: null, phase: 'NO_TERM', nextAt: null, renewalProcessId: null };
  setHandler(termChangedSignal, () => {
    changed = true;
  });
  setHandler(termWatchQuery, () => state);

  /** Sleeps until `at` (epoch ms); true when the term changed meanwhile. */
  const sleepUntil = async (at: number): Promise<boolean> => {
    state.nextAt = at;
    const ms = at - Date.now();
    const woke = ms > 0 ? await condition(() => changed, ms) : changed;
    state.nextAt = null;
    return woke;
  };
  const next = async (): Promise<never> => {
    await condition(allHandlersFinished);
    return continueAsNew<typeof termWatchWorkflow>(input);
  };

  const term = await acts.loadWatchedTerm({ organizationId: input.organizationId });
  if (!term.exists) {
    state.phase = 'ENDED';
    return state;
  }
  state.termEnd = term.termEnd;
  if (term.termEnd === null || term.reminderAt === null || term.renewalAt === null || term.overdueAt === null) {
    await condition(() => changed);
    return next();
  }
  const termEnd = term.termEnd;

  state.phase = 'BEFORE_REMINDER';
  if (await sleepUntil(term.reminderAt)) return next();
  await acts.remindTermRenewal({ organizationId: input.organizationId, termEnd });

  state.phase = 'BEFORE_RENEWAL';
  if (await sleepUntil(term.renewalAt)) return next();
  const renewal = await acts.openTermRenewal({ organizationId: input.organizationId, termEnd });
  state.renewalProcessId = renewal.processId;

  state.phase = 'BEFORE_END';
  if (await sleepUntil(term.overdueAt)) return next();
  await acts.markTermOverdue({ organizationId: input.organizationId, termEnd });
  state.phase = 'OVERDUE';
  await condition(() => changed);
  return next();
}
