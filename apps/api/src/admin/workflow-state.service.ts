import { Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { TemporalClientService } from '@app/temporal';
import { mapWithConcurrency, TimeoutError, withTimeout } from './bounded-parallel';
import { pendingActivityStateName, summariseHistory, toIso, toNumber, type HistoryEventSummary } from './workflow-history';

/** Temporal's execution status names, plus UNKNOWN (Temporal no longer has it) and UNAVAILABLE (could not ask). */
export const WORKFLOW_STATUSES = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'CONTINUED_AS_NEW',
  'TIMED_OUT',
  'PAUSED',
  'UNSPECIFIED',
  'UNKNOWN',
  'UNAVAILABLE',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export interface PendingActivityView {
  activityId: string;
  activityType: string;
  state: string;
  attempt: number;
  lastFailure: string | null;
}

export interface LiveWorkflowState {
  workflowStatus: WorkflowStatus;
  historyLength: number | null;
  pendingActivities: { count: number; activityTypes: string[]; items: PendingActivityView[] };
  /** Why the live state is missing (UNKNOWN / UNAVAILABLE), for people. */
  liveError: string | null;
}

export type WorkflowHistory =
  | { available: true; runId: string | null; events: HistoryEventSummary[] }
  | { available: false; reason: string };

/** Per describe call; a page of rows is answered in a few seconds even when Temporal hangs. */
const DESCRIBE_TIMEOUT_MS = 3_000;
const HISTORY_TIMEOUT_MS = 15_000;
const MAX_PARALLEL = 10;
/** gRPC status codes. */
const NOT_FOUND = 5;
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

const RETENTION_NOTE = 'Temporal 中已没有该工作流（可能已超过命名空间保留期）；审批过程以数据库中的时间线为准';
const UNREACHABLE_NOTE = '暂时无法从 Temporal 读取工作流状态';

const noActivities = { count: 0, activityTypes: [], items: [] };

/** Read-only views of workflow executions for the admin screens (describe and event history). */
@Injectable()
export class WorkflowStateService {
  private readonly logger = new Logger('WorkflowState');

  constructor(private readonly temporal: TemporalClientService) {}

  /**
   * Describes every workflow, at most MAX_PARALLEL at a time, each under its own deadline. After the first sign that
   * Temporal itself is unreachable the remaining rows are not asked (each would only wait for its own timeout).
   */
  async describeMany(workflowIds: readonly string[]): Promise<LiveWorkflowState[]> {
    let unreachable: string | null = null;
    return mapWithConcurrency(workflowIds, MAX_PARALLEL, async (id) => {
      if (unreachable) return unavailable(unreachable);
      const state = await this.describe(id);
      if (state.workflowStatus === 'UNAVAILABLE') unreachable = state.liveError;
      return state;
    });
  }

  async describe(workflowId: string): Promise<LiveWorkflowState> {
    try {
      const d = await this.call(() => this.temporal.client.workflow.getHandle(workflowId).describe(), DESCRIBE_TIMEOUT_MS);
      const items: PendingActivityView[] = (d.raw.pendingActivities ?? []).map((a) => ({
        activityId: a.activityId ?? '',
        activityType: a.activityType?.name ?? '',
        state: pendingActivityStateName(a.state),
        attempt: a.attempt ?? 0,
        lastFailure: a.lastFailure?.message || null,
      }));
      return {
        workflowStatus: d.status.name as WorkflowStatus,
        historyLength: d.historyLength,
        pendingActivities: { count: items.length, activityTypes: [...new Set(items.map((a) => a.activityType))], items },
        liveError: null,
      };
    } catch (err) {
      if (isNotFound(err)) return { workflowStatus: 'UNKNOWN', historyLength: null, pendingActivities: noActivities, liveError: RETENTION_NOTE };
      this.logger.warn(`describe ${workflowId}: ${(err as Error).message}`);
      return unavailable(isUnreachable(err) ? `${UNREACHABLE_NOTE}（${(err as Error).message}）` : `${UNREACHABLE_NOTE}：${(err as Error).message}`);
    }
  }

  /** The whole event history of the current run, summarised. Throws when Temporal cannot be reached. */
  async history(workflowId: string): Promise<WorkflowHistory> {
    try {
      const handle = this.temporal.client.workflow.getHandle(workflowId);
      const history = await this.call(() => handle.fetchHistory(), HISTORY_TIMEOUT_MS);
      const events = history.events ?? [];
      const started = events[0]?.workflowExecutionStartedEventAttributes;
      return { available: true, runId: started?.originalExecutionRunId ?? null, events: summariseHistory(events) };
    } catch (err) {
      if (isNotFound(err)) return { available: false, reason: RETENTION_NOTE };
      throw err;
    }
  }

  /** The gRPC deadline cancels the call on the server side; the timer also covers a connection still being made. */
  private call<T>(fn: () => Promise<T>, ms: number): Promise<T> {
    return withTimeout(this.temporal.client.withDeadline(Date.now() + ms, fn), ms + 500);
  }
}

function unavailable(liveError: string | null): LiveWorkflowState {
  return { workflowStatus: 'UNAVAILABLE', historyLength: null, pendingActivities: noActivities, liveError };
}

function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code ?? (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'number' ? code : undefined;
}

function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || grpcCode(err) === NOT_FOUND;
}

export function isUnreachable(err: unknown): boolean {
  const code = grpcCode(err);
  return err instanceof TimeoutError || code === UNAVAILABLE || code === DEADLINE_EXCEEDED;
}

export { toIso, toNumber };
