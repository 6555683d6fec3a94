/**
 * Nothing lost, nothing doubled, under faults (issue #13 section 3): a mixed load of processes of three kinds
 * (establish-branch, joint-organization, and the relation-transfers each granted branch opens for a member whose
 * relation sits elsewhere) runs through the real API and worker while the worker is SIGKILLed, Redis restarts empty,
 * the Temporal dev server restarts on its SQLite file and PostgreSQL drops every connection. The driver retries what failed the way a client does (the same
 * Idempotency-Key for a decision). Afterwards an invariant checker proves every process reached the state its
 * decisions imply and every decision, timeline row, organisation, relation move and email exists exactly once.
 *
 * Run with `npm run test:faults` (also run by .ci/run). The system gets a Temporal server and a Redis of its own.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';
import { addInstitution, buildWorld, makeUser, shanghaiDate, type Applicant, type World, type WorldType } from '../support/fixtures';
import { expectStatus, Http, retried, type HttpResult } from '../support/http';
import { waitFor } from '../support/net';
import { PrivateRedis } from '../support/redis-server';
import { PrivateTemporal } from '../../scripts/lib/private-temporal';
import { startSystemAsAdmin, type TestSystem } from '../support/system';

const WORLDS = 6;
const PER_WORLD = 6;
/** Joint organisations of 3 private units each, under townships of their own. */
const JOINTS = 6;

let sys: TestSystem;
let admin: Http;
let db: Client;
const temporal = new PrivateTemporal();
const redis = new PrivateRedis();

type Plan = 'APPROVE' | 'REJECT' | 'RETURN_THEN_APPROVE' | 'WITHDRAW';
const EXPECTED: Record<Plan, string> = { APPROVE: 'APPROVED', REJECT: 'REJECTED', RETURN_THEN_APPROVE: 'APPROVED', WITHDRAW: 'WITHDRAWN' };
type Kind = 'establish-branch' | 'joint-organization' | 'relation-transfer';

interface OpenTask {
  id: string;
  step: string;
  candidate_org_id: string | null;
  candidate_institution_id: string | null;
}

interface Run {
  kind: Kind;
  plan: Plan;
  processId: string;
  /** Who withdraws and resubmits. */
  applicant: Http;
  /** Who decides an open task (null: nobody the driver knows yet). */
  actor: (task: OpenTask) => Http;
  /** The body of a decision on the task that the plan calls for (APPROVE data, the one RETURN, the REJECT). */
  decision: (task: OpenTask, run: Run) => Record<string, unknown>;
  /** The body of a resubmission after the RETURN. */
  resubmit?: Record<string, unknown>;
  /** What the driver sent and saw accepted (decisions carry an Idempotency-Key, retried with the same key). */
  decisions: number;
  /** The plan's one RETURN was accepted. */
  returned?: boolean;
  done: boolean;
}

beforeAll(async () => {
  await Promise.all([temporal.start(), redis.start()]);
  ({ sys, admin, db } = await startSystemAsAdmin('faults', { TEMPORAL_ADDRESS: temporal.address, REDIS_URL: redis.url, EMAIL_CLAIM_SECONDS: '5' }));
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
  await Promise.all([temporal.kill(), redis.kill()]);
});

async function openTask(processId: string): Promise<OpenTask | undefined> {
  const rows = (
    await db
      .query(`SELECT id, step, candidate_org_id, candidate_institution_id FROM tasks WHERE process_id = $1 AND status = 'OPEN' ORDER BY created_at LIMIT 1`, [processId])
      .catch(() => ({ rows: [] }))
  ).rows;
  return rows[0];
}

/** The decision a plan calls for on an ordinary approval step (the plan's one RETURN comes first). */
const planned = (task: OpenTask, run: Run): Record<string, unknown> => ({
  decision: run.plan === 'REJECT' ? 'REJECT' : run.plan === 'RETURN_THEN_APPROVE' && !run.returned ? 'RETURN' : 'APPROVE',
  comment: `故障测试 ${task.step}`,
});

/** One move of a process's plan, if one is due now; true once its plan is complete. */
async function step(run: Run): Promise<boolean> {
  const p = (await retried(() => admin.get(`/processes/${run.processId}`), 'read process')).body;
  if (p.closedAt) return true;
  if (run.plan === 'WITHDRAW') {
    const res = await retried(() => run.applicant.post(`/processes/${run.processId}/withdraw`, { reason: '故障测试撤回' }), 'withdraw');
    return res.status === 200 || res.status === 409;
  }
  if (p.status === 'RETURNED') {
    const res = await retried(() => run.applicant.post(`/processes/${run.processId}/resubmit`, run.resubmit), 'resubmit');
    if (res.status !== 200 && res.status !== 409) throw new Error(`resubmit ${run.kind} ${run.processId}: ${res.status} ${JSON.stringify(res.body)}`);
    return false;
  }
  const task = await openTask(run.processId);
  if (!task) return false;
  const as = run.actor(task);
  const body = run.decision(task, run);
  const key = `faults:${task.id}`;
  let res = await retried(() => as.post(`/tasks/${task.id}/decision`, body, { 'Idempotency-Key': key }), 'decide');
  // The same key while its first request is still being answered: ask again until it has its answer.
  for (let i = 0; res.status === 409 && String(res.body?.message).includes('正在处理中') && i < 60; i++) {
    await new Promise((r) => setTimeout(r, 500));
    res = await retried(() => as.post(`/tasks/${task.id}/decision`, body, { 'Idempotency-Key': key }), 'decide');
  }
  if (res.status === 200) {
    run.decisions += 1;
    if (body.decision === 'RETURN') run.returned = true;
  } else if (res.status !== 409) throw new Error(`decision on ${task.id} (${run.kind} ${task.step}): ${res.status} ${JSON.stringify(res.body)}`);
  return false;
}

/** establish-branch runs of a world's units (their members' relations are not on record, so a granted branch opens a transfer for each, R11). */
async function establishBranchRuns(world: World, plans: Plan[]): Promise<Run[]> {
  const units = [world as Applicant, ...(await Promise.all(Array.from({ length: PER_WORLD - 1 }, () => addInstitution(admin, world))))];
  const runs: Run[] = [];
  for (const [i, unit] of units.entries()) {
    const full = unit.members.filter((m: any) => m.status === 'FULL');
    const request = { institutionId: unit.institution.id, name: `${unit.institution.name}党支部`, memberIds: full.map((m: any) => m.id) };
    const created = await retried(() => unit.applicant.post('/processes/establish-branch', request), 'submit');
    if (created.status !== 201) throw new Error(`submit: ${created.status} ${JSON.stringify(created.body)}`);
    runs.push({
      kind: 'establish-branch',
      plan: plans[i % plans.length]!,
      processId: created.body.id,
      applicant: unit.applicant,
      actor: () => world.approver,
      decision: (task, run) =>
        task.step === 'designate'
          ? { decision: 'APPROVE', comment: '指定书记', data: { secretaryMemberId: full[0].id } }
          : task.step === 'founding-election'
            ? { decision: 'APPROVE', comment: '成立选举', data: { electionDate: shanghaiDate() } }
            : planned(task, run),
      resubmit: request,
      decisions: 0,
      done: false,
    });
  }
  return runs;
}

/** A joint organisation of 3 private units (1–2 FULL staff each) of a township of its own: the others consent, the township decides. */
async function jointRun(plan: Plan, n: number): Promise<Run> {
  const district = expectStatus(await admin.post('/organizations', { name: `故障区${n}-${Date.now()}`, kind: 'DISTRICT' }), 201).body;
  const township = expectStatus(await admin.post('/organizations', { name: `故障镇${n}-${Date.now()}`, kind: 'TOWNSHIP', parentId: district.id }), 201).body;
  const approver = await makeUser(admin, 'fjtwp', ['APPROVER'], [township.id]);
  const units: Array<{ institution: any; applicant: Http; members: string[] }> = [];
  for (let u = 0; u < 3; u++) {
    const institution = expectStatus(
      await admin.post('/institutions', { name: `故障民营养老院${n}-${u}-${Date.now()}`, type: 'PRIVATE', district: '海曙区', townshipOrgId: township.id, bedCount: 40 }),
      201,
    ).body;
    const applicant = await makeUser(admin, 'fjunit', ['APPLICANT'], [], [institution.id]);
    const members: string[] = [];
    for (let m = 0; m < 1 + (u % 2); m++) {
      members.push(expectStatus(await admin.post('/members', { name: `联合党员${m}`, institutionId: institution.id, category: 'STAFF', status: 'FULL', birthDate: '1984-02-01' }), 201).body.id);
    }
    units.push({ institution, applicant: applicant.http, members });
  }
  const request = {
    institutionId: units[0]!.institution.id,
    institutionIds: units.map((u) => u.institution.id),
    mode: 'CO_BUILD',
    name: `故障联合党支部${n}`,
    memberIds: units.flatMap((u) => u.members),
  };
  const created = await retried(() => units[0]!.applicant.post('/processes/joint-organization', request), 'submit joint');
  if (created.status !== 201) throw new Error(`submit joint: ${created.status} ${JSON.stringify(created.body)}`);
  return {
    kind: 'joint-organization',
    plan,
    processId: created.body.id,
    applicant: units[0]!.applicant,
    actor: (task) => (task.candidate_institution_id ? units.find((u) => u.institution.id === task.candidate_institution_id)!.applicant : approver.http),
    decision: (task, run) => (task.step === 'consent' ? { decision: 'APPROVE', comment: '同意参加' } : planned(task, run)),
    resubmit: request,
    decisions: 0,
    done: false,
  };
}

/**
 * The relation-transfers the granted branches opened (R11), not yet driven. No relation is on record, so each waits
 * for its applicant's transfer letter (a resubmission naming it); the new branch has nobody yet, so its responsible
 * body (the world's approver) checks the letter and accepts.
 */
async function transferRuns(worlds: Map<string, { world: World; applicant: Http }>, known: Set<string>): Promise<Run[]> {
  const rows = (
    await db
      .query(`SELECT p.id, p.institution_id, p.payload FROM processes p WHERE p.kind = 'relation-transfer' AND p.institution_id = ANY($1::uuid[])`, [[...worlds.keys()]])
      .catch(() => ({ rows: [] }))
  ).rows as Array<{ id: string; institution_id: string; payload: Record<string, unknown> }>;
  return rows
    .filter((r) => !known.has(r.id))
    .map((r, i) => {
      known.add(r.id);
      const { world, applicant } = worlds.get(r.institution_id)!;
      return {
        kind: 'relation-transfer' as const,
        plan: 'APPROVE' as const,
        processId: r.id,
        applicant,
        actor: (task: OpenTask) => (task.step === 'release' ? world.outsider : world.approver),
        decision: (task: OpenTask, run: Run) => planned(task, run),
        resubmit: { ...r.payload, fromOrganizationName: '原单位党委', letterNumber: `故障-${i + 1}`, letterIssuedOn: shanghaiDate(-1) },
        decisions: 0,
        done: false,
      };
    });
}

describe('fault suite', () => {
  it('a mixed load survives a killed worker, an empty Redis, a restarted Temporal and dropped database connections: 0 lost, 0 duplicated', async () => {
    const plans: Plan[] = ['APPROVE', 'RETURN_THEN_APPROVE', 'REJECT', 'APPROVE', 'WITHDRAW', 'APPROVE'];
    const worlds = await Promise.all(Array.from({ length: WORLDS }, (_, i) => buildWorld(admin, 3, (i % 2 ? 'PUBLIC_BUILT_PRIVATE_RUN' : 'PUBLIC') as WorldType)));
    const runs: Run[] = [];
    // Each institution's world and applicant (the applicant of the transfers its branch opens).
    const worldOf = new Map<string, { world: World; applicant: Http }>();
    for (const world of worlds) {
      const own = await establishBranchRuns(world, plans);
      runs.push(...own);
      const rows = (await db.query(`SELECT id, institution_id FROM processes WHERE id = ANY($1::uuid[])`, [own.map((r) => r.processId)])).rows;
      for (const row of rows) worldOf.set(row.institution_id, { world, applicant: own.find((r) => r.processId === row.id)!.applicant });
    }
    const jointPlans: Plan[] = ['APPROVE', 'REJECT', 'APPROVE', 'RETURN_THEN_APPROVE', 'APPROVE', 'WITHDRAW'];
    for (let j = 0; j < JOINTS; j++) runs.push(await jointRun(jointPlans[j % jointPlans.length]!, j));
    const transfersSeen = new Set<string>();

    // The faults, one after another, while the driver keeps deciding.
    const faults: string[] = [];
    const supervise = async (): Promise<void> => {
      if (!sys.workerRunning()) await sys.startWorker();
    };
    const injector = (async () => {
      const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
      await pause(2_000);
      await sys.killWorker('SIGKILL');
      faults.push('worker SIGKILL');
      await pause(2_000);
      await sys.startWorker();
      await pause(4_000);
      await redis.kill('SIGKILL');
      faults.push('redis restart (empty)');
      await pause(4_000);
      await redis.start();
      await pause(4_000);
      await temporal.kill('SIGKILL');
      faults.push('temporal restart');
      await pause(2_000);
      await temporal.start();
      await supervise();
      await pause(4_000);
      for (let i = 0; i < 2; i++) {
        await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
        faults.push('postgres connections terminated');
        await pause(2_000);
      }
      await sys.killWorker('SIGKILL');
      faults.push('worker SIGKILL');
      await sys.startWorker();
    })();

    const deadline = Date.now() + 420_000;
    while (runs.some((r) => !r.done)) {
      if (Date.now() > deadline) throw new Error(`processes not finished: ${runs.filter((r) => !r.done).map((r) => `${r.processId}(${r.plan})`).join(', ')}`);
      await supervise();
      runs.push(...(await transferRuns(worldOf, transfersSeen)));
      // Ten at a time, as several clients would.
      const pending = runs.filter((r) => !r.done);
      for (let i = 0; i < pending.length; i += 10) {
        await Promise.all(pending.slice(i, i + 10).map(async (run) => (run.done = await step(run))));
      }
      // A branch granted in the last pass opens its transfers afterwards: look once more before stopping.
      if (runs.every((r) => r.done)) runs.push(...(await transferRuns(worldOf, transfersSeen)));
      await new Promise((r) => setTimeout(r, 300));
    }
    await injector;
    // Every outbox row sent (the sweeper re-enqueues what the empty Redis lost).
    await waitFor('the outbox drained', async () => {
      // On a timeout, say which rows wait and why.
      const left = (await db.query(`SELECT id, status, attempts, last_error, locked_until FROM email_outbox WHERE status <> 'SENT' ORDER BY created_at LIMIT 5`)).rows;
      if (left.length > 0) throw new Error(`unsent: ${JSON.stringify(left)}`);
      return true;
    }, 120_000, 500);

    // ------------------------------------------------------------------ invariants
    const ids = runs.map((r) => r.processId);
    const procs = (await db.query(`SELECT id, status, closed_at FROM processes WHERE id = ANY($1::uuid[])`, [ids])).rows as Array<{ id: string; status: string; closed_at: Date | null }>;
    const lost: string[] = [];
    const duplicated: string[] = [];
    for (const run of runs) {
      const p = procs.find((x) => x.id === run.processId)!;
      if (p.status !== EXPECTED[run.plan] || !p.closed_at) lost.push(`process ${run.processId} (${run.plan}) is ${p.status}`);
    }
    // Each completed task carries exactly one decision event; a cancelled or open one none; none is left open.
    const tasks = (await db.query(
      `SELECT t.id, t.status, (SELECT count(*)::int FROM process_events e WHERE e.process_id = t.process_id AND e.action IN ('APPROVE','REJECT','RETURN') AND e.data->>'taskId' = t.id::text) AS decisions
         FROM tasks t WHERE t.process_id = ANY($1::uuid[])`,
      [ids],
    )).rows as Array<{ id: string; status: string; decisions: number }>;
    for (const t of tasks) {
      if (t.status === 'OPEN') lost.push(`task ${t.id} left open`);
      if (t.status === 'COMPLETED' && t.decisions !== 1) (t.decisions === 0 ? lost : duplicated).push(`task ${t.id}: ${t.decisions} decisions`);
      if (t.status === 'CANCELLED' && t.decisions !== 0) duplicated.push(`cancelled task ${t.id}: ${t.decisions} decisions`);
    }
    const decisions = tasks.filter((t) => t.status === 'COMPLETED').length;
    const sent = runs.reduce((n, r) => n + r.decisions, 0);
    if (sent !== decisions) (sent > decisions ? lost : duplicated).push(`${sent} decisions accepted, ${decisions} recorded`);
    // One organisation per granted process, one founding election per organisation.
    const orgs = (await db.query(`SELECT created_by_process_id AS p, count(*)::int AS n FROM organizations WHERE created_by_process_id = ANY($1::uuid[]) GROUP BY 1`, [ids])).rows as Array<{ p: string; n: number }>;
    for (const run of runs.filter((r) => EXPECTED[r.plan] === 'APPROVED' && r.kind !== 'relation-transfer')) {
      const n = orgs.find((o) => o.p === run.processId)?.n ?? 0;
      if (n !== 1) (n === 0 ? lost : duplicated).push(`process ${run.processId}: ${n} organisations`);
    }
    // Each granted branch opened one transfer per founding member (3 FULL each); each moved the relation once.
    const transfers = runs.filter((r) => r.kind === 'relation-transfer');
    const due = 3 * runs.filter((r) => r.kind === 'establish-branch' && EXPECTED[r.plan] === 'APPROVED').length;
    if (transfers.length !== due) (transfers.length < due ? lost : duplicated).push(`${due} transfers due, ${transfers.length} opened`);
    const moves = (await db.query(
      `SELECT p.id, (SELECT count(*)::int FROM process_events e WHERE e.process_id = p.id AND e.action = 'RELATION_MOVED') AS n,
              m.relation_org_id = (SELECT o.id FROM organizations o WHERE o.id = (p.payload->>'toOrganizationId')::uuid) AS moved
         FROM processes p JOIN party_members m ON m.id = (p.payload->>'memberId')::uuid WHERE p.id = ANY($1::uuid[])`,
      [transfers.map((r) => r.processId)],
    )).rows as Array<{ id: string; n: number; moved: boolean }>;
    for (const m of moves) {
      if (m.n !== 1) (m.n === 0 ? lost : duplicated).push(`transfer ${m.id}: ${m.n} moves`);
      if (!m.moved) lost.push(`transfer ${m.id}: the member's relation did not move`);
    }
    const elections = (await db.query(`SELECT process_id, count(*)::int AS n FROM process_events WHERE process_id = ANY($1::uuid[]) AND action = 'FOUNDING_ELECTION_RECORDED' GROUP BY 1`, [ids])).rows;
    for (const e of elections) if (e.n !== 1) duplicated.push(`process ${e.process_id}: ${e.n} founding elections`);
    // Every email of the outbox delivered; a Message-ID seen twice is the one case SMTP cannot settle (README).
    const outbox = (await db.query(`SELECT id FROM email_outbox`)).rows as Array<{ id: string }>;
    const received = new Map<string, number>();
    for (const m of sys.mail.messages) received.set(m.messageId, (received.get(m.messageId) ?? 0) + 1);
    for (const row of outbox) if (!received.has(`<${row.id}@party-approvals>`)) lost.push(`email ${row.id} never delivered`);
    const redelivered = [...received.values()].filter((n) => n > 1).length;

    const kinds = [...new Set(runs.map((r) => r.kind))].map((k) => `${runs.filter((r) => r.kind === k).length} ${k}`).join(', ');
    const line = `${runs.length} processes (${kinds}), ${decisions} decisions, ${faults.length} faults injected, ${lost.length} lost, ${duplicated.length} duplicated (${outbox.length} emails, ${redelivered} delivered again with the same Message-ID)`;
    // eslint-disable-next-line no-console
    console.log(`fault suite: ${line}\n  faults: ${faults.join('; ')}${lost.length ? `\n  lost: ${lost.join('; ')}` : ''}${duplicated.length ? `\n  duplicated: ${duplicated.join('; ')}` : ''}`);
    const out = path.resolve(__dirname, '../../test-artifacts');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'fault-suite.txt'), `${line}\n`);
    expect(runs.length).toBeGreaterThanOrEqual(50);
    expect(new Set(runs.map((r) => r.kind)).size).toBe(3);
    expect(faults.length).toBeGreaterThanOrEqual(5);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
  }, 900_000);
});
