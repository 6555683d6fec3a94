/**
 * Integration tier set-up: a throwaway PostgreSQL database per run and a Temporal dev server (unless
 * TEMPORAL_ADDRESS names a cluster to use). Each test file starts its own API and worker processes on top.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client } from 'pg';
import { workflowBundleOptions } from '../../libs/temporal/src/workflow-bundling';
import { freePort, waitForTcp } from './net';
import { writeState, type RunState } from './state';

const root = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require(path.join(root, 'scripts/tools-paths')) as { temporalCli: string; temporalTestServer: string };

const quiet = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never;

export default async function globalSetup(): Promise<void> {
  const dist = process.env.APP_DIST ?? 'dist';
  for (const f of [`${dist}/apps/api/src/main.js`, `${dist}/apps/worker/src/main.js`]) {
    if (!existsSync(path.join(root, f))) throw new Error(`${f} is missing: run "npm run build" first (npm test does)`);
  }
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `epa_test_${Date.now()}_${process.pid}`; // prefix of every per-file database
  // Fail early, with a clear message, when PostgreSQL is not there.
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.end();

  let temporalAddress = process.env.TEMPORAL_ADDRESS ?? '';
  let temporalPid: number | null = null;
  if (!temporalAddress) {
    if (!existsSync(tools.temporalCli)) throw new Error(`${tools.temporalCli} is missing: run "npm run tools:install" (npm test does)`);
    const port = await freePort();
    const uiPort = await freePort();
    const child = spawn(
      tools.temporalCli,
      ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--headless', '--log-level', 'error'],
      { stdio: 'ignore', detached: true },
    );
    child.unref();
    temporalPid = child.pid ?? null;
    temporalAddress = `127.0.0.1:${port}`;
    await waitForTcp('127.0.0.1', port, 60_000);
  }
  // The workflow code bundled once for the run (webpack takes seconds): the workers the tests start and the tests'
  // own workers and replays load it, as production loads its prebuilt bundle (WORKFLOW_BUNDLE_PATH).
  const bundle = async (workflowsPath: string, name: string): Promise<string> => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), workflowsPath, logger: quiet });
    const file = path.join(os.tmpdir(), `${dbName}-${name}.js`);
    writeFileSync(file, code);
    return file;
  };
  const workflowBundlePath = await bundle(workflowBundleOptions().workflowsPath!, 'workflows');
  // The approval kernel alone, under the harness workflow the kernel tests drive.
  const kernelHarnessBundlePath = await bundle(path.join(root, 'test/fixtures/workflows/kernel-harness.workflow.ts'), 'kernel-harness');
  const state: RunState = {
    adminDatabaseUrl: adminUrl,
    databaseName: dbName,
    temporalAddress,
    temporalPid,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: `epa-test-${Date.now()}`,
    temporalTestServer: tools.temporalTestServer,
    workflowBundlePath,
    kernelHarnessBundlePath,
  };
  writeState(state);
}
