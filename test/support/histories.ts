/**
 * Recorded workflow histories: every change to workflow code must still replay them (a deploy cannot break
 * running workflows). Tests fetch fresh histories and replay them; with RECORD_HISTORIES=1 they also store
 * them under test/fixtures/histories/ for test/workflow-replay.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { readState } from './state';

export const HISTORY_DIR = path.resolve(__dirname, '../fixtures/histories');

export async function fetchHistory(workflowId: string): Promise<Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>> {
  const connection = await Connection.connect({ address: readState().temporalAddress });
  try {
    return await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
  } finally {
    await connection.close();
  }
}

export async function replay(history: unknown, workflowId: string): Promise<void> {
  // A history without a completed workflow task (a run just started) has nothing to replay, and the replayer would
  // wait for it forever: say so instead.
  const events = (history as { events?: Array<{ workflowTaskCompletedEventAttributes?: unknown }> }).events ?? [];
  if (!events.some((e) => e.workflowTaskCompletedEventAttributes)) throw new Error(`${workflowId}: the history has no completed workflow task to replay (fetched too early?)`);
  await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, workflowId);
}

/** The run's workflow bundle (built once by the global set-up from `workflows/`), for the tests' own workers. */
export function workflowBundle(): { codePath: string } {
  return { codePath: readState().workflowBundlePath };
}

/** Stores the history in the Temporal CLI's JSON form (what `historyFromJSON` reads back). */
export function maybeRecord(name: string, workflowId: string): void {
  if (process.env.RECORD_HISTORIES !== '1') return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { temporalCli } = require('../../scripts/tools-paths') as { temporalCli: string };
  const json = execFileSync(temporalCli, ['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', readState().temporalAddress], {
    encoding: 'utf8',
  });
  mkdirSync(HISTORY_DIR, { recursive: true });
  writeFileSync(path.join(HISTORY_DIR, `${name}.json`), json);
}
