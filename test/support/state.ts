import { readFileSync } from 'node:fs';
import path from 'node:path';

export const STATE_FILE = path.resolve(__dirname, '../../data/test/run-state.json');

export interface RunState {
  adminDatabaseUrl: string;
  /** Prefix of the per-file databases of this run. */
  databaseName: string;
  temporalAddress: string;
  temporalPid: number | null;
  redisUrl: string;
  redisPrefix: string;
  temporalTestServer: string;
}

export function readState(): RunState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as RunState;
}
