import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line written while serving one request or running one activity carries, wherever it is written
 * from (a service's `new Logger(...)` knows none of it). The store is mutable: a request learns its user after the
 * guard and its process from the route or the answer, and lines written from then on say so.
 */
export interface LogFields {
  userId?: string;
  processId?: string;
  taskId?: string;
  workflowId?: string;
  runId?: string;
  activityType?: string;
  activityId?: string;
  attempt?: number;
}

const storage = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` as the log context (a fresh object, so callers may keep and fill it). */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return storage.run(fields, fn);
}

/** The context of the request or activity running now, to add what was learnt (no-op outside one). */
export function addLogFields(fields: LogFields): void {
  const store = storage.getStore();
  if (store) Object.assign(store, definedOnly(fields));
}

export function currentLogFields(): LogFields | undefined {
  return storage.getStore();
}

function definedOnly(fields: LogFields): LogFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== '')) as LogFields;
}

const PROCESS_WORKFLOW_ID = /^[a-z-]+\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** A process workflow's id is `<kind>/<processId>` (workflowIdFor); other workflows name no process. */
export function processIdOfWorkflow(workflowId: string | undefined): string | undefined {
  return workflowId ? PROCESS_WORKFLOW_ID.exec(workflowId)?.[1] : undefined;
}
