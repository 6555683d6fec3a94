/**
 * The system opens processes itself (timers, schedules, other processes) through ProcessLauncher: once per key,
 * whatever retries happen, and never a second open process of a kind for the same subject.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { SYSTEM_USER_ID } from '@app/persistence';
import { ProcessLauncher } from '../apps/worker/src/activities/process-launcher.service';
import { createActivitiesContext } from './support/activities-context';
import { readState } from './support/state';
import { createDatabase } from './support/system';

let ctx: INestApplicationContext;
let ds: DataSource;
let launcher: ProcessLauncher;
let client: Client;
let connection: Connection;
const taskQueue = `launcher-${randomUUID()}`;

beforeAll(async () => {
  const state = readState();
  const databaseUrl = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_launcher`);
  // No worker polls this queue: the test looks at what was opened, not at what the workflows then do.
  ctx = await createActivitiesContext({ DATABASE_URL: databaseUrl, REDIS_PREFIX: `${state.redisPrefix}-launcher`, SMTP_URL: 'smtp://127.0.0.1:9', TEMPORAL_TASK_QUEUE: taskQueue });
  ds = ctx.get<DataSource>(getDataSourceToken());
  launcher = ctx.get(ProcessLauncher);
  connection = await Connection.connect({ address: state.temporalAddress });
  client = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
  await ctx?.close();
});

async function institution(): Promise<{ id: string; memberIds: string[] }> {
  const [township] = await ds.query(`INSERT INTO organizations (name, kind) VALUES ($1, 'TOWNSHIP') RETURNING id`, [`镇${randomUUID()}`]);
  const [inst] = await ds.query(`INSERT INTO institutions (name, type, district, township_org_id) VALUES ($1, 'PRIVATE', '海曙区', $2) RETURNING id`, [`养老院${randomUUID()}`, township.id]);
  const memberIds: string[] = [];
  for (let i = 0; i < 3; i++) memberIds.push((await ds.query(`INSERT INTO party_members (name, institution_id, category, status) VALUES ($1, $2, 'STAFF', 'FULL') RETURNING id`, [`党员${i}`, inst.id]))[0].id);
  return { id: inst.id, memberIds };
}

describe('ProcessLauncher', () => {
  it('opens one process and one workflow per key, however often it is asked', async () => {
    const inst = await institution();
    const req = { kind: 'establish-branch' as const, key: `test:${inst.id}`, payload: { institutionId: inst.id, name: '系统党支部', memberIds: inst.memberIds }, institutionId: inst.id, subjectKey: inst.id, workflowInput: { answerDays: 30 } };
    const results = await Promise.all([launcher.open(req), launcher.open(req), launcher.open(req)]);
    const ids = new Set(results.map((r) => r.processId));
    expect(ids.size).toBe(1);
    const [processId] = [...ids];
    const rows = await ds.query(`SELECT applicant_id, status, subject_key FROM processes WHERE institution_id = $1`, [inst.id]);
    expect(rows).toEqual([{ applicant_id: SYSTEM_USER_ID, status: 'RUNNING', subject_key: inst.id }]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM process_events WHERE process_id = $1 AND action = 'SUBMITTED'`, [processId]))[0].n).toBe(1);
    const handle = client.workflow.getHandle(`establish-branch/${processId}`);
    expect((await handle.describe()).taskQueue).toBe(taskQueue);
    // Asked again later, still the same one.
    expect(await launcher.open(req)).toEqual({ processId, created: false });
    await handle.terminate('test done');
  });

  it('gives the open process of the subject instead of opening a second one, and refuses a payload its kind would not accept', async () => {
    const inst = await institution();
    const base = { kind: 'establish-branch' as const, payload: { institutionId: inst.id, name: '系统党支部', memberIds: inst.memberIds }, institutionId: inst.id, subjectKey: inst.id, workflowInput: { answerDays: 30 } };
    const first = await launcher.open({ ...base, key: `a:${inst.id}` });
    const second = await launcher.open({ ...base, key: `b:${inst.id}` });
    expect(first.created).toBe(true);
    expect(second).toEqual({ processId: first.processId, created: false });
    await expect(launcher.open({ ...base, key: `c:${inst.id}`, payload: { institutionId: inst.id } })).rejects.toThrow(/payload refused/);
    await client.workflow.getHandle(`establish-branch/${first.processId}`).terminate('test done');
  });
});
