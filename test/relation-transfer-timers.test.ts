/**
 * relation-transfer on the time-skipping test server with the worker's real activities: R12 refuses an exempt
 * member without an exception reason (at admission and in the workflow's own check), an exception adds the
 * responsible body's approval before the sides confirm, and a transfer letter that lapses before it was checked
 * returns the request to its applicant for a new one.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { decideUpdate, relationTransfer, relationTransferSubject, resubmitUpdate, stateQuery, workflowIdFor, type RelationTransferPayload } from '@app/contracts';
import { addDays, toCalendarDate, transferLetterExpiresAt, DEFAULT_POLICY_SETTINGS } from '@app/domain';
import { ActivityRegistry } from '../apps/worker/src/activities/process-activities.module';
import { createActivitiesContext, testActivities } from './support/activities-context';
import { workflowBundle } from './support/histories';
import { waitFor } from './support/net';
import { readState } from './support/state';
import { createDatabase } from './support/system';

let testEnv: TestWorkflowEnvironment;
let ctx: INestApplicationContext;
let ds: DataSource;
let taskQueue: string;

beforeAll(async () => {
  const state = readState();
  const databaseUrl = await createDatabase(state.adminDatabaseUrl, `${state.databaseName}_transfer_timers`);
  ctx = await createActivitiesContext({ DATABASE_URL: databaseUrl, REDIS_PREFIX: `${state.redisPrefix}-transfer-timers`, SMTP_URL: 'smtp://127.0.0.1:9' });
  ds = ctx.get<DataSource>(getDataSourceToken());
  testEnv = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: state.temporalTestServer } } });
});

/** A worker over the real activities on a task queue of its own (a worker runs once: one per test). */
async function newWorker(): Promise<Worker> {
  taskQueue = `transfer-timers-${randomUUID()}`;
  return Worker.create({ connection: testEnv.nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities: testActivities(ctx) });
}

afterAll(async () => {
  await testEnv?.teardown();
  await ctx?.close();
});

const one = async (sql: string, params: unknown[] = []): Promise<any> => (await ds.query(sql, params))[0];

async function user(roles: string, column: 'organization_ids' | 'institution_ids', ids: string[]): Promise<{ id: string; email: string; orgId: string }> {
  const email = `${randomUUID()}@example.test`;
  const u = await one(`INSERT INTO users (username, password_hash, display_name, email, roles, ${column}) VALUES ($1, 'x', '经办人', $2, $3, $4) RETURNING id`, [
    `u-${randomUUID()}`,
    email,
    roles,
    ids,
  ]);
  return { id: u.id, email, orgId: ids[0]! };
}

/**
 * A PRIVATE institution (the township is its responsible body, R3b) with its branch (which has an approver), an
 * elderly branch (nobody acts for it: its tasks go to the township), a member's home organisation outside the
 * institution, and an applicant.
 */
async function seed() {
  const district = await one(`INSERT INTO organizations (name, kind) VALUES ('区委组织部', 'DISTRICT') RETURNING id`);
  const township = await one(`INSERT INTO organizations (name, kind, parent_id) VALUES ('街道党工委', 'TOWNSHIP', $1) RETURNING id`, [district.id]);
  const inst = await one(`INSERT INTO institutions (name, type, district, township_org_id) VALUES ($1, 'PRIVATE', '鄞州区', $2) RETURNING id`, [`转接养老院${randomUUID().slice(0, 8)}`, township.id]);
  const branch = await one(`INSERT INTO organizations (name, kind, parent_id, institution_id) VALUES ('养老院党支部', 'BRANCH', $1, $2) RETURNING id`, [township.id, inst.id]);
  await ds.query(`UPDATE institutions SET party_organization_id = $1 WHERE id = $2`, [branch.id, inst.id]);
  const elderlyBranch = await one(`INSERT INTO organizations (name, kind, parent_id, institution_id) VALUES ('老年人党支部', 'ELDERLY_BRANCH', $1, $2) RETURNING id`, [township.id, inst.id]);
  const home = await one(`INSERT INTO organizations (name, kind, parent_id) VALUES ('原社区党支部', 'BRANCH', $1) RETURNING id`, [district.id]);
  return {
    institutionId: inst.id as string,
    townshipId: township.id as string,
    branchId: branch.id as string,
    elderlyBranchId: elderlyBranch.id as string,
    homeId: home.id as string,
    township: await user('{APPROVER}', 'organization_ids', [township.id]),
    branch: await user('{APPROVER}', 'organization_ids', [branch.id]),
    home: await user('{APPROVER}', 'organization_ids', [home.id]),
    applicant: await user('{APPLICANT}', 'institution_ids', [inst.id]),
  };
}
type World = Awaited<ReturnType<typeof seed>>;

async function member(w: World, facts: { category: 'STAFF' | 'ELDERLY'; birthDate?: string; disabled?: boolean; relationOrgId?: string | null; joinedAt?: string }): Promise<string> {
  const m = await one(
    `INSERT INTO party_members (name, institution_id, category, status, birth_date, disabled, relation_org_id, joined_at) VALUES ($1, $2, $3, 'FULL', $4, $5, $6, $7) RETURNING id`,
    [`党员${randomUUID().slice(0, 6)}`, w.institutionId, facts.category, facts.birthDate ?? null, facts.disabled ?? false, facts.relationOrgId ?? null, facts.joinedAt ?? null],
  );
  return m.id;
}

/** The process row the API would have recorded, and its workflow on the test server. */
async function start(w: World, payload: RelationTransferPayload) {
  const processId = randomUUID();
  const workflowId = workflowIdFor('relation-transfer', processId);
  await ds.query(
    `INSERT INTO processes (id, kind, status, workflow_id, institution_id, applicant_id, subject_key, current_step, payload) VALUES ($1, 'relation-transfer', 'RUNNING', $2, $3, $4, $5, 'submitted', $6)`,
    [processId, workflowId, w.institutionId, w.applicant.id, relationTransferSubject(payload.memberId), JSON.stringify(payload)],
  );
  const handle = await testEnv.client.workflow.start('relationTransferWorkflow', { workflowId, taskQueue, args: [{ processId }] });
  return { processId, handle };
}

const openTask = (processId: string, step: string): Promise<any> =>
  waitFor(`the ${step} task`, async () => one(`SELECT * FROM tasks WHERE process_id = $1 AND step = $2 AND status = 'OPEN'`, [processId, step]));

type Handle = Awaited<ReturnType<typeof start>>['handle'];
function approve(handle: Handle, task: { id: string }, by: { id: string; orgId: string }): Promise<unknown> {
  const decisionId = randomUUID();
  return handle.executeUpdate(decideUpdate, {
    updateId: decisionId,
    args: [{ decisionId, taskId: task.id, decision: 'APPROVE', comment: '同意', actorId: by.id, actorOrgIds: [by.orgId], ownOrgIds: [by.orgId], standsInFor: [] }],
  });
}

const relationOf = async (memberId: string): Promise<string | null> => (await one(`SELECT relation_org_id FROM party_members WHERE id = $1`, [memberId])).relation_org_id;
const actions = async (processId: string): Promise<string[]> => (await ds.query(`SELECT action FROM process_events WHERE process_id = $1 ORDER BY id`, [processId])).map((e: any) => e.action);
const today = (): string => toCalendarDate(new Date());

// First in the file: the activities date the letter by the real clock and the kernel times it by the test server's,
// which the later tests move far ahead (by years in practice), so the two clocks agree only before them.
describe('a transfer letter (time-skipping)', () => {
  it('lapses 90 days after it was issued: the request returns to the applicant, who resubmits with a new letter', async () => {
    const w = await seed();
    const staff = await member(w, { category: 'STAFF', relationOrgId: null, joinedAt: addDays(today(), -10) });
    const issuedOn = addDays(today(), -85);
    const letter = { fromOrganizationName: '某物业公司党支部', letterNumber: '介字第 001 号', letterIssuedOn: issuedOn };
    const worker = await newWorker();
    const { processId, handle } = await start(w, { memberId: staff, toOrganizationId: w.branchId, ...letter });
    const expiresAt = transferLetterExpiresAt(issuedOn, DEFAULT_POLICY_SETTINGS);
    await worker.runUntil(async () => {
      // Outside the registry the receiving branch checks the letter, while it is valid.
      const check = await openTask(processId, 'letter');
      expect(check.candidate_org_id).toBe(w.branchId);
      const until = async (at: number): Promise<void> => testEnv.sleep(at - (await testEnv.currentTimeMs()));
      await until(expiresAt - 3600_000);
      expect((await handle.query(stateQuery)).status).toBe('RUNNING');
      expect((await one(`SELECT status FROM tasks WHERE id = $1`, [check.id])).status).toBe('OPEN');
      await testEnv.sleep(2 * 3600_000);
      await waitFor('the request returned', async () => (await one(`SELECT status FROM processes WHERE id = $1`, [processId])).status === 'RETURNED');
      expect(await one(`SELECT status, comment FROM tasks WHERE id = $1`, [check.id])).toEqual({ status: 'CANCELLED', comment: 'expired' });
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'RETURNED', currentStep: 'revise' });
      const expired = await one(`SELECT comment FROM process_events WHERE process_id = $1 AND action = 'LETTER_EXPIRED'`, [processId]);
      expect(expired.comment).toContain(`有效期至 ${addDays(issuedOn, 90)}`);
      const mail = await one(`SELECT template, subject, text FROM email_outbox WHERE process_id = $1 AND to_address = $2`, [processId, w.applicant.email]);
      expect(mail.template).toBe('returned');
      expect(mail.text).toContain('请取得新的介绍信');
      expect(await relationOf(staff)).toBeNull();

      // A new letter (issued today; the test server's clock ran ahead): the check opens again and the transfer completes.
      const renewed = today();
      await handle.executeUpdate(resubmitUpdate, {
        args: [{ actorId: w.applicant.id, payload: { memberId: staff, toOrganizationId: w.branchId, ...letter, letterNumber: '介字第 002 号', letterIssuedOn: renewed } }],
      });
      const second = await openTask(processId, 'letter');
      expect(second.id).not.toBe(check.id);
      await testEnv.sleep('10 days');
      expect((await one(`SELECT status FROM tasks WHERE id = $1`, [second.id])).status).toBe('OPEN');
      await approve(handle, second, w.branch);
      await approve(handle, await openTask(processId, 'accept'), w.branch);
      expect(await handle.result()).toMatchObject({ status: 'APPROVED' });
    });
    expect(await relationOf(staff)).toBe(w.branchId);
    const result = (await one(`SELECT result FROM processes WHERE id = $1`, [processId])).result;
    expect(result).toEqual({ memberId: staff, fromOrganizationId: null, fromOrganizationName: '某物业公司党支部', toOrganizationId: w.branchId });
    expect(await actions(processId)).toEqual(expect.arrayContaining(['LETTER_EXPIRED', 'RESUBMITTED', 'RELATION_MOVED']));
  });
});

describe('R12 (time-skipping)', () => {
  it('refuses an advanced-age member without an exception reason, at admission and in the workflow, naming R12', async () => {
    const w = await seed();
    const aged = await member(w, { category: 'ELDERLY', birthDate: '1936-02-01', relationOrgId: w.homeId });
    const registry = ctx.get(ActivityRegistry);
    const payload: RelationTransferPayload = { memberId: aged, toOrganizationId: w.elderlyBranchId, reason: '本人书面申请迁入' };
    // The member's own request (stated by the applicant) alone never moves them.
    const refused = await registry.admit(relationTransfer, { payload, actorId: w.applicant.id });
    expect(refused).toMatchObject({ allowed: false, fieldErrors: [], conflict: null, institutionId: w.institutionId, subjectKey: `member:${aged}` });
    expect(refused.findings).toEqual([expect.objectContaining({ ruleId: 'R12', severity: 'VIOLATION', source: expect.stringContaining('高龄、失能、失智老年人党员一般不转移') })]);
    // A reason without the member's own request is not an exception either: the request must be on record (R13).
    const noRequest = await registry.admit(relationTransfer, { payload: { memberId: aged, toOrganizationId: w.elderlyBranchId, exceptionReason: '机构要求' }, actorId: w.applicant.id });
    expect(noRequest.fieldErrors.map((e) => e.field)).toEqual(['reason']);
    const excepted = await registry.admit(relationTransfer, { payload: { ...payload, exceptionReason: '子女均在本市，本人坚持' }, actorId: w.applicant.id });
    expect(excepted).toMatchObject({ allowed: true, fieldErrors: [] });
    expect(excepted.findings.map((f) => f.ruleId)).toEqual(['R12', 'R3']);

    // The workflow checks again: a member recorded as disabled after the request is refused with nothing opened.
    const later = await member(w, { category: 'ELDERLY', birthDate: '1950-01-01', relationOrgId: w.homeId });
    const worker = await newWorker();
    const { processId, handle } = await start(w, { memberId: later, toOrganizationId: w.elderlyBranchId, reason: '本人申请' });
    await ds.query(`UPDATE party_members SET disabled = true WHERE id = $1`, [later]);
    await worker.runUntil(async () => {
      expect(await handle.result()).toMatchObject({ status: 'FAILED', currentStep: 'check' });
    });
    const row = await one(`SELECT status, findings FROM processes WHERE id = $1`, [processId]);
    expect(row.status).toBe('FAILED');
    expect(row.findings).toEqual([expect.objectContaining({ ruleId: 'R12', severity: 'VIOLATION' })]);
    expect((await one(`SELECT count(*)::int AS n FROM tasks WHERE process_id = $1`, [processId])).n).toBe(0);
    expect(await relationOf(later)).toBe(w.homeId);
  });

  it('an exception is approved by the receiving side\'s responsible body first, then released and accepted; only then the relation moves', async () => {
    const w = await seed();
    const aged = await member(w, { category: 'ELDERLY', birthDate: '1935-06-01', relationOrgId: w.homeId });
    const worker = await newWorker();
    const { processId, handle } = await start(w, { memberId: aged, toOrganizationId: w.elderlyBranchId, reason: '本人书面申请迁入', exceptionReason: '子女均在本市，本人坚持' });
    await worker.runUntil(async () => {
      // R3: an elderly branch's responsible body is the township.
      const exception = await openTask(processId, 'exception');
      expect(exception).toMatchObject({ candidate_org_id: w.townshipId, title: relationTransfer.steps.exception!.title });
      // 15 working days to answer, on the test server's clock.
      expect(new Date(exception.due_at).getTime() - (await testEnv.currentTimeMs())).toBeGreaterThan(14 * 86_400_000);
      await testEnv.sleep('2 days');
      expect(await openTask(processId, 'exception')).toMatchObject({ id: exception.id });
      expect(await relationOf(aged)).toBe(w.homeId);
      await approve(handle, exception, w.township);

      const release = await openTask(processId, 'release');
      expect(release.candidate_org_id).toBe(w.homeId);
      await approve(handle, release, w.home);
      // Nobody acts for the new elderly branch yet: its task goes to its parent, the township.
      const accept = await openTask(processId, 'accept');
      expect(accept.candidate_org_id).toBe(w.townshipId);
      expect(await relationOf(aged)).toBe(w.homeId);
      await approve(handle, accept, w.township);
      expect(await handle.result()).toMatchObject({ status: 'APPROVED' });
    });
    expect(await relationOf(aged)).toBe(w.elderlyBranchId);
    const proc = await one(`SELECT status, result FROM processes WHERE id = $1`, [processId]);
    expect(proc).toEqual({ status: 'APPROVED', result: { memberId: aged, fromOrganizationId: w.homeId, fromOrganizationName: null, toOrganizationId: w.elderlyBranchId } });
    const history = await ds.query(`SELECT changed_by_id, source, changes FROM member_history WHERE member_id = $1`, [aged]);
    expect(history).toEqual([{ changed_by_id: w.township.id, source: `relation-transfer:${processId}`, changes: [{ field: 'relationOrgId', before: w.homeId, after: w.elderlyBranchId }] }]);
    const steps = (await ds.query(`SELECT step FROM tasks WHERE process_id = $1 AND status = 'COMPLETED' ORDER BY created_at`, [processId])).map((t: any) => t.step);
    expect(steps).toEqual(['exception', 'release', 'accept']);
    expect(await actions(processId)).toEqual(expect.arrayContaining(['RULES_PASSED', 'NO_CANDIDATE_ESCALATED', 'RELATION_MOVED', 'STATUS_APPROVED']));
  });
});
