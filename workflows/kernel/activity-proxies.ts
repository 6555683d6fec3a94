/**
 * How workflows call their activities. Every process activity is a few queries in one transaction, so they run as
 * local activities: inside the workflow task that asks for them, without a round trip through the server per
 * activity (a decision's record, its effects and its answer in one workflow task). They keep the retry policy and
 * the idempotency of ordinary activities. Histories recorded before this ran them as ordinary activities; the
 * kernel keeps that for them (patched).
 */
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

export const remoteActivities = <A extends object>(): A =>
  // Every activity is a few queries; a worker that dies mid-activity is detected and retried sooner.
  proxyActivities<A>({ startToCloseTimeout: '15 seconds', retry: RETRY }) as unknown as A;

export const localActivities = <A extends object>(): A =>
  proxyLocalActivities<A>({ startToCloseTimeout: '15 seconds', localRetryThreshold: '10 seconds', retry: RETRY }) as unknown as A;

/** Since this patch a workflow's process activities run as local activities. */
export const LOCAL_ACTIVITIES_PATCH = 'local-activities';

/** A workflow's process activities (call inside the workflow): local since the patch, ordinary in earlier runs. */
export function processActivities<A extends object>(): A {
  return patched(LOCAL_ACTIVITIES_PATCH) ? localActivities<A>() : remoteActivities<A>();
}
