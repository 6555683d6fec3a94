import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { readState } from './state';

export default async function globalTeardown(): Promise<void> {
  const state = readState();
  if (state.temporalPid) {
    try {
      process.kill(state.temporalPid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  for (const file of [state.workflowBundlePath, state.kernelHarnessBundlePath]) rmSync(file, { force: true });
  if (!process.env.KEEP_TEST_DB) {
    const admin = new Client({ connectionString: state.adminDatabaseUrl });
    await admin.connect();
    const dbs = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${state.databaseName}%`]);
    for (const { datname } of dbs.rows as Array<{ datname: string }>) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
  }
}
