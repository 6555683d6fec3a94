import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Long = { toString(): string } | number | null | undefined;
type Timestamp = { seconds?: Long; nanos?: number | null } | null | undefined;

export type HistoryDetails = Record<string, string | number>;

export interface HistoryEventSummary {
  eventId: number;
  time: string | null;
  /** The EventType name without its `EVENT_TYPE_` prefix, e.g. `ACTIVITY_TASK_SCHEDULED`. */
  type: string;
  details: HistoryDetails;
}

const { EventType, PendingActivityState } = temporal.api.enums.v1;

export const toNumber = (v: Long): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : Number(v.toString()));

export function toIso(ts: Timestamp): string | null {
  if (!ts || ts.seconds === null || ts.seconds === undefined) return null;
  return new Date(toNumber(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

export function durationMs(d: Timestamp): number | null {
  if (!d) return null;
  return toNumber(d.seconds) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

/** `2592000000` → `30d`, `5400000` → `1h30m`, `1500` → `1.5s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const parts: string[] = [];
  let rest = Math.floor(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.join('');
}

/** Protobuf enums come as numbers; names read better. Unknown numbers stay visible as `UNKNOWN_<n>`. */
export function eventTypeName(type: number | null | undefined): string {
  const name = (EventType as unknown as Record<number, string | undefined>)[type ?? 0];
  return name ? name.replace(/^EVENT_TYPE_/, '') : `UNKNOWN_${type}`;
}

export function pendingActivityStateName(state: number | null | undefined): string {
  const name = (PendingActivityState as unknown as Record<number, string | undefined>)[state ?? 0];
  return name ? name.replace(/^PENDING_ACTIVITY_STATE_/, '') : `UNKNOWN_${state}`;
}

/**
 * The event history reduced to what an operator reads: per event its id, time, type and the few attributes that
 * say what happened (activity type, timer duration, update or signal name, failure message). Events that only
 * point at an earlier one (an activity completing, a timer firing, an update completing) are given that earlier
 * event's name, so each line reads on its own.
 */
export function summariseHistory(events: readonly HistoryEvent[]): HistoryEventSummary[] {
  const activityTypes = new Map<number, string>();
  const timers = new Map<string, string>();
  const updates = new Map<string, string>();
  return events.map((e) => {
    const details: HistoryDetails = {};
    const set = (key: string, v: string | number | null | undefined): void => {
      if (v !== null && v !== undefined && v !== '') details[key] = v;
    };
    const failure = (f: { message?: string | null; cause?: { message?: string | null } | null } | null | undefined): void => {
      set('failure', f?.message || f?.cause?.message);
    };
    const activityOf = (scheduledEventId: Long): void => {
      const id = toNumber(scheduledEventId);
      set('activityType', activityTypes.get(id));
      set('scheduledEventId', id || undefined);
    };
    const eventId = toNumber(e.eventId);

    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      set('workflowType', a.workflowType?.name);
      set('taskQueue', a.taskQueue?.name);
      set('attempt', a.attempt ?? undefined);
    } else if (e.workflowExecutionFailedEventAttributes) {
      failure(e.workflowExecutionFailedEventAttributes.failure);
    } else if (e.workflowExecutionTerminatedEventAttributes) {
      set('reason', e.workflowExecutionTerminatedEventAttributes.reason);
    } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
      set('newRunId', e.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId);
    } else if (e.workflowExecutionCancelRequestedEventAttributes) {
      set('reason', e.workflowExecutionCancelRequestedEventAttributes.cause);
    } else if (e.workflowTaskFailedEventAttributes) {
      failure(e.workflowTaskFailedEventAttributes.failure);
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      const type = a.activityType?.name ?? '';
      activityTypes.set(eventId, type);
      set('activityType', type);
      set('activityId', a.activityId);
    } else if (e.activityTaskStartedEventAttributes) {
      activityOf(e.activityTaskStartedEventAttributes.scheduledEventId);
      set('attempt', e.activityTaskStartedEventAttributes.attempt ?? undefined);
      failure(e.activityTaskStartedEventAttributes.lastFailure);
    } else if (e.activityTaskCompletedEventAttributes) {
      activityOf(e.activityTaskCompletedEventAttributes.scheduledEventId);
    } else if (e.activityTaskFailedEventAttributes) {
      activityOf(e.activityTaskFailedEventAttributes.scheduledEventId);
      failure(e.activityTaskFailedEventAttributes.failure);
    } else if (e.activityTaskTimedOutEventAttributes) {
      activityOf(e.activityTaskTimedOutEventAttributes.scheduledEventId);
      failure(e.activityTaskTimedOutEventAttributes.failure);
    } else if (e.activityTaskCancelRequestedEventAttributes) {
      activityOf(e.activityTaskCancelRequestedEventAttributes.scheduledEventId);
    } else if (e.activityTaskCanceledEventAttributes) {
      activityOf(e.activityTaskCanceledEventAttributes.scheduledEventId);
    } else if (e.timerStartedEventAttributes) {
      const a = e.timerStartedEventAttributes;
      const ms = durationMs(a.startToFireTimeout);
      if (a.timerId && ms !== null) timers.set(a.timerId, formatDuration(ms));
      set('timerId', a.timerId);
      if (ms !== null) {
        set('timerDuration', formatDuration(ms));
        set('timerDurationMs', ms);
      }
    } else if (e.timerFiredEventAttributes) {
      set('timerId', e.timerFiredEventAttributes.timerId);
      set('timerDuration', timers.get(e.timerFiredEventAttributes.timerId ?? ''));
    } else if (e.timerCanceledEventAttributes) {
      set('timerId', e.timerCanceledEventAttributes.timerId);
      set('timerDuration', timers.get(e.timerCanceledEventAttributes.timerId ?? ''));
    } else if (e.workflowExecutionSignaledEventAttributes) {
      set('signalName', e.workflowExecutionSignaledEventAttributes.signalName);
    } else if (e.workflowExecutionUpdateAdmittedEventAttributes) {
      const r = e.workflowExecutionUpdateAdmittedEventAttributes.request;
      if (r?.meta?.updateId && r.input?.name) updates.set(r.meta.updateId, r.input.name);
      set('updateName', r?.input?.name);
      set('updateId', r?.meta?.updateId);
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const r = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      if (r?.meta?.updateId && r.input?.name) updates.set(r.meta.updateId, r.input.name);
      set('updateName', r?.input?.name);
      set('updateId', r?.meta?.updateId);
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      const a = e.workflowExecutionUpdateCompletedEventAttributes;
      const id = a.meta?.updateId ?? '';
      set('updateName', updates.get(id));
      set('updateId', id);
      failure(a.outcome?.failure);
    } else if (e.workflowExecutionUpdateRejectedEventAttributes) {
      const a = e.workflowExecutionUpdateRejectedEventAttributes;
      set('updateName', a.rejectedRequest?.input?.name);
      set('updateId', a.rejectedRequest?.meta?.updateId);
      failure(a.failure);
    } else if (e.markerRecordedEventAttributes) {
      set('markerName', e.markerRecordedEventAttributes.markerName);
      failure(e.markerRecordedEventAttributes.failure);
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      set('workflowType', e.startChildWorkflowExecutionInitiatedEventAttributes.workflowType?.name);
      set('childWorkflowId', e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId);
    } else if (e.childWorkflowExecutionFailedEventAttributes) {
      failure(e.childWorkflowExecutionFailedEventAttributes.failure);
    }
    return { eventId, time: toIso(e.eventTime), type: eventTypeName(e.eventType), details };
  });
}
