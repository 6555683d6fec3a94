/**
 * Exactly once under faults for money (issue #11): the month's stipends for 200 secretaries (200 institution
 * branches, one secretary each) are opened by the monthly Temporal Schedule, confirmed by finance and approved by
 * the responsible body while the worker is SIGKILLed in the middle of the payouts, and the month's schedule runs a
 * second time while they are paid. Afterwards there are exactly 200 stipend-disbursement processes, 200 payment
 * records, 200 draws on the budgets' stipend lines and 200 emails, one to each secretary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client as TemporalClient, Connection, ScheduleOverlapPolicy, type ScheduleHandle } from '@temporalio/client';
import type { Client } from 'pg';
import { buildWorld, makeUser, shanghaiDate, type Person, type World } from '../support/fixtures';
import { expectStatus, retried, type Http } from '../support/http';
import { waitFor } from '../support/net';
import { readState } from '../support/state';
import { startSystemAsAdmin, type TestSystem } from '../support/system';
import { previousMonth } from '@app/domain';

const SECRETARIES = 200;
const MONTHLY_FEN = 50_000;
/** Decisions in flight at once, as a finance office and an approver clearing their inboxes would send them. */
const PARALLEL = 8;

let sys: TestSystem;
let admin: Http;
let db: Client;
let world: World;
let finance: Person;
let connection: Connection;
let stipends: ScheduleHandle;
let client: TemporalClient;

// The month of the latest monthly run (the 1st, 02:00 Beijing): before 02:00 on the 1st, the month before.
const thisMonth = shanghaiDate(-2 / 24).slice(0, 7);
const month = previousMonth(thisMonth);
const year = Number(month.slice(0, 4));

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('stipend_faults', { FUNDS_SCHEDULES: 'on', EMAIL_CLAIM_SECONDS: '5' }));
  expectStatus(await admin.patch('/admin/settings/policy', { stipendMonthlyFen: MONTHLY_FEN }), 200);
  world = await buildWorld(admin, 3);
  const adminId = (await admin.get('/auth/me')).body.id;
  // 200 PUBLIC institutions under the world's sponsor (the responsible body), each with a branch whose secretary has
  // been in office since long before the month, a user account to be told, and an approved budget for the year
  // with a stipend line for twelve months.
  const since = `${year - 1}-01-01`;
  await db.query(
    `WITH inst AS (
       INSERT INTO institutions (name, type, district, township_org_id, sponsor_org_id)
       SELECT '补贴养老院' || n, 'PUBLIC', '鄞州区', $1, $2 FROM generate_series(1, $3) n RETURNING id, name)
     INSERT INTO organizations (name, kind, parent_id, institution_id, term_start, term_end)
     SELECT inst.name || '党支部', 'BRANCH', $2, inst.id, $4::date, ($4::date + interval '3 years')::date FROM inst`,
    [world.township.id, world.builder.id, SECRETARIES, since],
  );
  await db.query(
    `UPDATE institutions i SET party_organization_id = o.id FROM organizations o WHERE o.institution_id = i.id AND i.name LIKE '补贴养老院%'`,
  );
  await db.query(
    `INSERT INTO party_members (name, institution_id, category, status)
     SELECT '书记' || substr(i.name, 6), i.id, 'STAFF', 'FULL' FROM institutions i WHERE i.name LIKE '补贴养老院%'`,
  );
  await db.query(
    `UPDATE organizations o SET secretary_member_id = m.id FROM party_members m WHERE m.institution_id = o.institution_id AND o.name LIKE '补贴养老院%'`,
  );
  await db.query(
    `INSERT INTO users (username, password_hash, display_name, email, roles, member_id)
     SELECT 'stipend-secretary-' || m.id, 'x', m.name, 'secretary-' || m.id || '@example.test', '{}', m.id
       FROM party_members m JOIN institutions i ON i.id = m.institution_id WHERE i.name LIKE '补贴养老院%'`,
  );
  await db.query(
    `WITH p AS (
       INSERT INTO processes (id, kind, status, workflow_id, applicant_id, current_step, payload, subject_key, institution_id)
       SELECT gen_random_uuid(), 'annual-budget', 'APPROVED', 'seeded-budget/' || o.id, $1, 'done',
              jsonb_build_object('partyOrganizationId', o.id, 'year', $2::int), 'seeded-budget:' || o.id || ':' || $2, o.institution_id
         FROM organizations o WHERE o.name LIKE '补贴养老院%' RETURNING id, institution_id, (payload->>'partyOrganizationId')::uuid AS org),
     b AS (
       INSERT INTO budgets (party_organization_id, institution_id, year, version, process_id, total_fen, approved_by_id)
       SELECT p.org, p.institution_id, $2, 1, p.id, $3, $1 FROM p RETURNING id)
     INSERT INTO budget_lines (budget_id, category, amount_fen) SELECT b.id, 'STIPEND', $3 FROM b`,
    [adminId, year, 12 * MONTHLY_FEN],
  );
  const institutionIds = (await db.query(`SELECT id FROM institutions WHERE name LIKE '补贴养老院%'`)).rows.map((r) => r.id as string);
  expect(institutionIds).toHaveLength(SECRETARIES);
  // The institutions' finance office: one account for all 200 here.
  finance = await makeUser(admin, 'finance', ['APPLICANT'], [], [world.institution.id]);
  await db.query(`UPDATE users SET institution_ids = $2 WHERE id = $1`, [finance.user.id, institutionIds]);
  // A change of a user's institutions ends the tokens issued before it: signed in again.
  finance = { ...finance, http: await admin.as('').login(finance.user.username, 'secret-password') };
  connection = await Connection.connect({ address: readState().temporalAddress });
  client = new TemporalClient({ connection });
  stipends = client.schedule.getHandle(`${sys.env.TEMPORAL_TASK_QUEUE}:stipend-month`);
  await waitFor('the monthly schedule', async () => stipends.describe().catch(() => null));
  // Only the test's backfills run it: a real due time passing during the test (02:00 on the 1st) must not.
  await stipends.pause('测试：只由回填运行');
});

afterAll(async () => {
  await stipends?.delete().catch(() => undefined);
  await connection?.close();
  await db?.end();
  await sys?.stop();
});

const count = async (sql: string, ...args: unknown[]): Promise<number> => (await db.query(sql, args)).rows[0].n;
const ours = `SELECT p.id FROM processes p WHERE p.kind = 'stipend-disbursement' AND p.payload->>'month' = $1`;

/** The month's run as the schedule does it on the 1st (02:00 Beijing), started by a backfill of that moment. */
async function runTheMonth(): Promise<void> {
  const [y, m] = thisMonth.split('-').map(Number) as [number, number];
  const due = Date.UTC(y, m - 1, 1, 2 - 8);
  await stipends.backfill({ start: new Date(due - 3_600_000), end: new Date(due + 3_600_000), overlap: ScheduleOverlapPolicy.ALLOW_ALL });
}

/** Every open task of the month's processes at `step`, decided by `who` (with an Idempotency-Key, retried on faults). */
async function decideAll(step: string, who: Http, comment: string, during?: (done: number) => Promise<void>): Promise<number> {
  const tasks: Array<{ id: string }> = (
    await db.query(`SELECT t.id FROM tasks t WHERE t.step = $2 AND t.status = 'OPEN' AND t.process_id IN (${ours}) ORDER BY t.id`, [month, step])
  ).rows;
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const t = tasks[next++]!;
      const res = await retried(() => who.post(`/tasks/${t.id}/decision`, { decision: 'APPROVE', comment }, { 'Idempotency-Key': `stipend-fault-${t.id}` }), `decide ${t.id}`);
      if (res.status !== 200) throw new Error(`decision on ${t.id}: ${res.status} ${JSON.stringify(res.body)}`);
      done += 1;
      await during?.(done);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  return tasks.length;
}

describe('the month of 200 secretaries under faults', () => {
  it('is paid exactly once with the worker killed mid-payout and the month run twice: 200 payments, 200 emails', async () => {
    const started = Date.now();
    await runTheMonth();
    await waitFor('the month opened', async () => (await count(`SELECT count(*)::int AS n FROM (${ours}) x`, month)) === SECRETARIES, 120_000);
    await waitFor('every confirmation asked', async () => (await count(`SELECT count(*)::int AS n FROM tasks WHERE step = 'confirm' AND status = 'OPEN' AND process_id IN (${ours})`, month)) === SECRETARIES, 120_000);
    expect(await decideAll('confirm', finance.http, '金额无误')).toBe(SECRETARIES);
    await waitFor('every approval asked', async () => (await count(`SELECT count(*)::int AS n FROM tasks WHERE step = 'approve' AND status = 'OPEN' AND process_id IN (${ours})`, month)) === SECRETARIES, 120_000);

    // The approvals set the payouts off; a third of the way in, the worker is killed and comes back, and the
    // month's schedule runs again while the rest are paid.
    let killed = false;
    const approved = await decideAll('approve', world.approver, '同意发放', async (done) => {
      if (killed || done < SECRETARIES / 3) return;
      killed = true;
      await sys.killWorker('SIGKILL');
      await sys.startWorker();
      await runTheMonth();
    });
    expect(killed).toBe(true);
    expect(approved).toBe(SECRETARIES);

    await waitFor('every month paid', async () => (await count(`SELECT count(*)::int AS n FROM processes WHERE id IN (${ours}) AND status = 'APPROVED'`, month)) === SECRETARIES, 180_000);
    // Both runs of the month finished: the first opened the 200, the second (during the payouts) none.
    const runs = await waitFor('both runs of the month', async () => {
      const actions = (await stipends.describe()).info.recentActions;
      if (actions.length < 2) throw new Error(`${actions.length} run(s) started`);
      // The same nominal time twice: one workflow id, two runs, each read by its own run id.
      return Promise.all(actions.map((a) => client.workflow.getHandle(a.action.workflow.workflowId, a.action.workflow.firstExecutionRunId).result()));
    }, 120_000);
    expect(runs).toEqual([
      { period: month, opened: SECRETARIES, existing: 0 },
      { period: month, opened: 0, existing: SECRETARIES },
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM (${ours}) x`, month)).toBe(SECRETARIES);
    expect(await count(`SELECT count(*)::int AS n FROM stipend_payments WHERE month = $1`, month)).toBe(SECRETARIES);
    expect(await count(`SELECT count(DISTINCT member_id)::int AS n FROM stipend_payments WHERE month = $1`, month)).toBe(SECRETARIES);
    expect(await count(`SELECT count(*)::int AS n FROM stipend_payments WHERE month = $1 AND amount_fen = $2`, month, MONTHLY_FEN)).toBe(SECRETARIES);
    expect(await count(`SELECT count(*)::int AS n FROM budget_expenses WHERE payment_key LIKE $1`, `stipend:%:${month}`)).toBe(SECRETARIES);

    // One email to each secretary: wait for all, then give the outbox sweeper and BullMQ's stalled-job check time to
    // send any again, if they would.
    const mails = (): Array<{ to: string[]; messageId: string }> => sys.mail.messages.filter((m) => m.subject.includes('【补贴发放】') && m.subject.includes(month));
    await waitFor('every secretary told', async () => new Set(mails().map((m) => m.messageId)).size >= SECRETARIES, 180_000);
    await waitFor('the outbox settled', async () => (await count(`SELECT count(*)::int AS n FROM email_outbox WHERE dedupe_key LIKE 'stipend-paid:%' AND status <> 'SENT'`)) === 0, 120_000);
    await new Promise((r) => setTimeout(r, 10_000));
    const outbox = (await db.query(`SELECT id, to_address FROM email_outbox WHERE dedupe_key LIKE 'stipend-paid:%'`)).rows as Array<{ id: string; to_address: string }>;
    expect(outbox).toHaveLength(SECRETARIES);
    expect(new Set(outbox.map((r) => r.to_address)).size).toBe(SECRETARIES);
    // Every outbox row reached its secretary under its own Message-ID, and nothing else was sent.
    const received = mails();
    const byId = new Map<string, Set<string>>();
    for (const m of received) byId.set(m.messageId, new Set([...(byId.get(m.messageId) ?? []), ...m.to]));
    expect([...byId.keys()].sort()).toEqual(outbox.map((r) => `<${r.id}@party-approvals>`).sort());
    for (const r of outbox) expect([...byId.get(`<${r.id}@party-approvals>`)!]).toEqual([r.to_address]);
    // A sender killed between the relay's "250 OK" and its SENT update sends that email again with the same
    // Message-ID (the one case SMTP cannot settle, README): only an email in flight at the kill, and the sender
    // has at most 5 in flight.
    const redelivered = received.length - SECRETARIES;
    expect(redelivered).toBeLessThanOrEqual(5);
    const addresses = received.flatMap((m) => m.to);

    const line = `stipend month under faults: ${SECRETARIES} secretaries, worker SIGKILLed after ${Math.ceil(SECRETARIES / 3)} approvals, month run twice; ${await count(`SELECT count(*)::int AS n FROM stipend_payments WHERE month = $1`, month)} payments, ${new Set(addresses).size} secretaries emailed (${redelivered} delivered again with the same Message-ID), ${Math.round((Date.now() - started) / 1000)} s`;
    // eslint-disable-next-line no-console
    console.log(line);
    const out = path.resolve(__dirname, '../../test-artifacts');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'stipend-month-faults.txt'), `${line}\n`);
  }, 900_000);
});
