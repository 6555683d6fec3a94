import { temporal } from '@temporalio/proto';
import { eventTypeName, formatDuration, summariseHistory } from './workflow-history';

const E = temporal.api.enums.v1.EventType;
const at = (s: number): { seconds: number; nanos: number } => ({ seconds: 1_767_225_600 + s, nanos: 500_000_000 });
/** Real protobuf messages, so ids and seconds are Long values as Temporal returns them. */
const ev = (o: Record<string, unknown>): temporal.api.history.v1.IHistoryEvent => temporal.api.history.v1.HistoryEvent.fromObject(o);

describe('summariseHistory', () => {
  it('names event types and carries the details that say what happened', () => {
    const events = [
      ev({ eventId: 1, eventTime: at(0), eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, workflowExecutionStartedEventAttributes: { workflowType: { name: 'establishBranchWorkflow' }, taskQueue: { name: 'q' }, attempt: 1 } }),
      ev({ eventId: 5, eventTime: at(1), eventType: E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, activityTaskScheduledEventAttributes: { activityType: { name: 'openTask' }, activityId: '1' } }),
      ev({ eventId: 6, eventTime: at(2), eventType: E.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { scheduledEventId: 5, attempt: 3, lastFailure: { message: 'db down' } } }),
      ev({ eventId: 7, eventTime: at(3), eventType: E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, activityTaskCompletedEventAttributes: { scheduledEventId: 5 } }),
      ev({ eventId: 9, eventTime: at(4), eventType: E.EVENT_TYPE_TIMER_STARTED, timerStartedEventAttributes: { timerId: 't1', startToFireTimeout: { seconds: 30 * 86_400 } } }),
      ev({ eventId: 10, eventTime: at(5), eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { meta: { updateId: 'u1' }, input: { name: 'decide' } } } }),
      ev({ eventId: 11, eventTime: at(6), eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED, workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId: 'u1' }, outcome: {} } }),
      ev({ eventId: 12, eventTime: at(7), eventType: E.EVENT_TYPE_TIMER_CANCELED, timerCanceledEventAttributes: { timerId: 't1' } }),
      ev({ eventId: 13, eventTime: at(8), eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, workflowExecutionSignaledEventAttributes: { signalName: 'nudge' } }),
      ev({ eventId: 14, eventTime: at(9), eventType: E.EVENT_TYPE_ACTIVITY_TASK_FAILED, activityTaskFailedEventAttributes: { scheduledEventId: 5, failure: { message: 'boom' } } }),
      ev({ eventId: 15, eventTime: at(10), eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, workflowExecutionFailedEventAttributes: { failure: { message: '', cause: { message: 'root cause' } } } }),
    ];
    const out = summariseHistory(events);
    expect(out.map((e) => e.type)).toEqual([
      'WORKFLOW_EXECUTION_STARTED',
      'ACTIVITY_TASK_SCHEDULED',
      'ACTIVITY_TASK_STARTED',
      'ACTIVITY_TASK_COMPLETED',
      'TIMER_STARTED',
      'WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
      'WORKFLOW_EXECUTION_UPDATE_COMPLETED',
      'TIMER_CANCELED',
      'WORKFLOW_EXECUTION_SIGNALED',
      'ACTIVITY_TASK_FAILED',
      'WORKFLOW_EXECUTION_FAILED',
    ]);
    expect(out[0]).toEqual({ eventId: 1, time: '2026-01-01T00:00:00.500Z', type: 'WORKFLOW_EXECUTION_STARTED', details: { workflowType: 'establishBranchWorkflow', taskQueue: 'q', attempt: 1 } });
    expect(out[2]!.details).toEqual({ activityType: 'openTask', scheduledEventId: 5, attempt: 3, failure: 'db down' });
    expect(out[3]!.details).toEqual({ activityType: 'openTask', scheduledEventId: 5 });
    expect(out[4]!.details).toEqual({ timerId: 't1', timerDuration: '30d', timerDurationMs: 2_592_000_000 });
    expect(out[6]!.details).toEqual({ updateName: 'decide', updateId: 'u1' });
    expect(out[7]!.details).toEqual({ timerId: 't1', timerDuration: '30d' });
    expect(out[8]!.details).toEqual({ signalName: 'nudge' });
    expect(out[9]!.details).toMatchObject({ activityType: 'openTask', failure: 'boom' });
    expect(out[10]!.details).toEqual({ failure: 'root cause' });
  });

  it('keeps unknown event type numbers visible', () => {
    expect(eventTypeName(9999)).toBe('UNKNOWN_9999');
    expect(summariseHistory([{ eventType: 9999 as never }])[0]).toEqual({ eventId: 0, time: null, type: 'UNKNOWN_9999', details: {} });
  });
});

describe('formatDuration', () => {
  it.each([
    [1500, '1.5s'],
    [59_000, '59s'],
    [5_400_000, '1h30m'],
    [90_061_000, '1d1h1m1s'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
