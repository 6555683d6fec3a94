/**
 * What the global set-up made for this run. Passed through the environment (inherited by jest's workers), not a
 * file, so concurrent runs on one machine never read each other's state.
 */
export const STATE_ENV = 'EPA_TEST_RUN_STATE';

export interface RunState {
  adminDatabaseUrl: string;
  /** Prefix of the per-file databases of this run. */
  databaseName: string;
  temporalAddress: string;
  temporalPid: number | null;
  redisUrl: string;
  redisPrefix: string;
  temporalTestServer: string;
  /** The workflow code bundled once by the global set-up (WORKFLOW_BUNDLE_PATH of the workers tests start). */
  workflowBundlePath: string;
  /** test/fixtures/workflows/kernel-harness.workflow.ts bundled likewise. */
  kernelHarnessBundlePath: string;
}

export function readState(): RunState {
  const raw = process.env[STATE_ENV];
  if (!raw) throw new Error(`${STATE_ENV} is not set: run the integration tests through jest (its global set-up)`);
  return JSON.parse(raw) as RunState;
}

export function writeState(state: RunState): void {
  process.env[STATE_ENV] = JSON.stringify(state);
}
