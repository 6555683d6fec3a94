/**
 * Secretary succession over HTTP against the real API and worker: `PUT /organizations/:id/secretary` runs the
 * succession workflow; the predecessor's open tasks of the organisation move to the successor's account (or back
 * to the organisation when the successor has none) through the process workflow's transfer update, the change is
 * recorded append-only and settled, and the same move sent again under its update id changes nothing.
 */
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { inheritUpdateId, secretarySuccessionWorkflowId, transferUpdate } from '@app/contracts';
import { maybeRecord } from './support/histories';
import { addInstitution, buildWorld, makeUser, type Applicant, type Person, type World } from './support/fixtures';
import { expectStatus, Http, type HttpResult } from './support/http';
import { waitFor } from './support/net';
import { startSystem, type TestSystem } from './support/system';

const INHERIT_COMMENT = '新任书记承接前任书记的待办';

let sys: TestSystem;
let admin: Http;
let temporal: Connection;
let db: PgClient;

let seq = 0;
const uniq = (p: string): string => `${p}${Date.now().toString(36)}${(seq++).toString(36)}s`;

const mkUser = (prefix: string, roles: string[], organizationIds: string[], memberId?: string): Promise<Person> =>
  makeUser(admin, prefix, roles, organizationIds, [], memberId ? { memberId } : {});

/** A fresh token for someone whose earlier ones a role or organisation change ended. */
const signInAgain = (x: Person): Promise<Http> => x.http.as('').login(x.user.username, 'secret-password');

/** A FULL staff member of the world's institution whose relation sits with the builder (the approving organisation). */
async function builderMember(world: World, name: string): Promise<any> {
  return expectStatus(
    await admin.post('/members', { name, institutionId: world.institution.id, category: 'STAFF', status: 'FULL', birthDate: '1975-02-01', relationOrgId: world.builder.id }),
    201,
  ).body;
}

const putSecretary = (as: Http, orgId: string, body: Record<string, unknown>): Promise<HttpResult> => as.request('PUT', `/organizations/${orgId}/secretary`, body);

const fullIds = (w: { members: any[] }): string[] => w.members.filter((m) => m.status === 'FULL').map((m) => m.id);

async function submit(world: Pick<Applicant, 'applicant' | 'institution' | 'members'>): Promise<any> {
  return expectStatus(
    await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds: fullIds(world) }),
    201,
  ).body;
}

async function proc(id: string): Promise<any> {
  return expectStatus(await admin.get(`/processes/${id}`), 200).body;
}

async function task(id: string): Promise<any> {
  return expectStatus(await admin.get(`/tasks/${id}`), 200).body;
}

async function openTaskOf(processId: string): Promise<any> {
  return waitFor(`the open task of ${processId}`, async () => {
    const opened = (await proc(processId)).timeline.filter((e: any) => e.action === 'TASK_OPENED').map((e: any) => e.data.taskId as string);
    for (const id of opened) {
      const t = await task(id);
      if (t.status === 'OPEN') return t;
    }
    return null;
  });
}

const inherited = (p: any): any[] => p.timeline.filter((e: any) => e.action === 'REASSIGNED' && e.comment === INHERIT_COMMENT);
const fieldsOf = (res: HttpResult): string[] => (res.body.details ?? []).map((d: any) => d.field);

/** A task of the builder, reassigned by the admin to the secretary's account `holder`. */
async function taskHeldBy(world: World, holder: Person, applicant: Pick<Applicant, 'applicant' | 'institution' | 'members'> = world): Promise<{ process: any; task: any }> {
  const process = await submit(applicant);
  const t = await openTaskOf(process.id);
  expect(t.candidateOrgId).toBe(world.builder.id);
  expect(expectStatus(await admin.post(`/tasks/${t.id}/reassign`, { toUserId: holder.user.id, comment: '交书记办理' }), 200).body.assigneeId).toBe(holder.user.id);
  return { process, task: t };
}

let main: World;
let noAccount: World;
let crash: World;

beforeAll(async () => {
  // The PUT waits this long for the succession, then answers 202 while it carries on.
  sys = await startSystem('secretary_succession', { SECRETARY_CHANGE_WAIT_MS: '15000' });
  admin = await new Http(sys.baseUrl).login(sys.env.ADMIN_USERNAME!, sys.adminPassword);
  [main, noAccount, crash] = await Promise.all([buildWorld(admin), buildWorld(admin), buildWorld(admin)]);
  temporal = await Connection.connect({ address: sys.env.TEMPORAL_ADDRESS! });
  db = new PgClient({ connectionString: sys.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await temporal?.close();
  await sys?.stop();
});

describe('secretary succession', () => {
  it('links users to members: unknown member 400 naming memberId, a member already linked 409, memberId shown', async () => {
    const member = await builderMember(main, '关联党员');
    const linked = await mkUser('linked', [], [], member.id);
    expect(linked.user.memberId).toBe(member.id);
    expect(expectStatus(await linked.http.get('/auth/me'), 200).body.id).toBe(linked.user.id);
    const base = { password: 'secret-password', displayName: '另一个', email: 'other@example.test', roles: [] };
    expect(fieldsOf(expectStatus(await admin.post('/users', { ...base, username: uniq('ghost'), memberId: '00000000-0000-4000-8000-000000000000' }), 400))).toContain('memberId');
    expectStatus(await admin.post('/users', { ...base, username: uniq('dup'), memberId: member.id }), 409);
    const other = await mkUser('other', [], []);
    expectStatus(await admin.patch(`/users/${other.user.id}`, { memberId: member.id }), 409);
    expect(fieldsOf(expectStatus(await admin.patch(`/users/${other.user.id}`, { memberId: '00000000-0000-4000-8000-000000000000' }), 400))).toContain('memberId');
    // Re-linking the same user to its own member is no conflict; null unlinks.
    expectStatus(await admin.patch(`/users/${linked.user.id}`, { memberId: member.id }), 200);
    expect(expectStatus(await admin.patch(`/users/${linked.user.id}`, { memberId: null }), 200).body.memberId).toBeNull();
  });

  it('the successor inherits the predecessor’s open task; the change is settled, recorded append-only and not repeatable', async () => {
    const world = main;
    const memberP = await builderMember(world, '前任书记');
    const memberS = await builderMember(world, '新任书记');
    const p = await mkUser('secP', ['APPROVER'], [], memberP.id);
    const s = await mkUser('secS', [], [], memberS.id);

    // P becomes the secretary first: P's account joins the builder as an approver; nobody held anything yet.
    const first = expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: memberP.id, comment: '首任书记' }), 200).body;
    expect(first.organization.secretaryMemberId).toBe(memberP.id);
    expect(first.change).toMatchObject({ fromMemberId: null, toMemberId: memberP.id, toUserId: p.user.id, tasksMoved: 0 });
    expect(first.change.settledAt).not.toBeNull();
    expect(expectStatus(await admin.get(`/users/${p.user.id}`), 200).body.organizationIds).toContain(world.builder.id);

    const { process, task: t } = await taskHeldBy(world, p);

    // Guards: only an admin; unknown organisation 404; a member that is not the organisation's 400; unknown member 400.
    expectStatus(await putSecretary(world.approver, world.builder.id, { secretaryMemberId: memberS.id }), 403);
    expectStatus(await putSecretary(admin, '00000000-0000-4000-8000-000000000000', { secretaryMemberId: memberS.id }), 404);
    expectStatus(await putSecretary(admin, '00000000-0000-4000-8000-000000000000', {}), 404);
    expect(fieldsOf(expectStatus(await putSecretary(admin, world.builder.id, {}), 400))).toContain('secretaryMemberId');
    const stranger = world.members[0]; // of the institution, relation not with the builder
    expect(fieldsOf(expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: stranger.id }), 400))).toContain('secretaryMemberId');
    expect(fieldsOf(expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: '00000000-0000-4000-8000-000000000000' }), 400))).toContain('secretaryMemberId');
    expect(fieldsOf(expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: 'not-a-uuid' }), 400))).toContain('secretaryMemberId');
    expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: memberP.id }), 409);

    // S succeeds P.
    const res = expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: memberS.id, comment: '换届选举' }), 200).body;
    expect(res.organization).toMatchObject({ id: world.builder.id, secretaryMemberId: memberS.id });
    expect(res.change).toMatchObject({
      organizationId: world.builder.id,
      fromMemberId: memberP.id,
      toMemberId: memberS.id,
      fromUserId: p.user.id,
      toUserId: s.user.id,
      comment: '换届选举',
      tasksMoved: 1,
    });
    expect(res.change.settledAt).not.toBeNull();
    const changeId: string = res.change.id;
    maybeRecord('secretary-succession-one-task', secretarySuccessionWorkflowId(changeId));

    expect((await task(t.id)).assigneeId).toBe(s.user.id);
    const sUser = expectStatus(await admin.get(`/users/${s.user.id}`), 200).body;
    expect(sUser.roles).toContain('APPROVER');
    expect(sUser.organizationIds).toContain(world.builder.id);
    expect(expectStatus(await admin.get(`/users/${p.user.id}`), 200).body.organizationIds).not.toContain(world.builder.id);
    // The succession changed both accounts' organisations, which ends the tokens they had (issue #8): sign in again.
    s.http = await signInAgain(s);
    p.http = await signInAgain(p);
    expectStatus(await s.http.get('/auth/me'), 200);
    const inbox = expectStatus(await s.http.get('/tasks?status=OPEN'), 200).body.items;
    expect(inbox.map((x: any) => x.id)).toContain(t.id);
    const moves = inherited(await proc(process.id));
    expect(moves).toHaveLength(1);
    expect(moves[0].data).toMatchObject({ taskId: t.id, toUserId: s.user.id, reference: `secretary-change:${changeId}` });

    // The same move sent again under its update id (as a retried activity would) changes nothing, even with other args.
    const handle = new Client({ connection: temporal }).workflow.getHandle(process.workflowId);
    await handle.executeUpdate(transferUpdate, {
      updateId: inheritUpdateId(changeId, t.id),
      args: [{ kind: 'REASSIGN', admin: true, actorId: res.change.changedById, actorOrgIds: [], taskId: t.id, toUserId: p.user.id, comment: INHERIT_COMMENT }],
    });
    expect((await task(t.id)).assigneeId).toBe(s.user.id);
    expect(inherited(await proc(process.id))).toHaveLength(1);

    // The record: settled once, then nothing about it may change.
    const [row] = (await db.query('SELECT settled_at, tasks_moved FROM secretary_changes WHERE id = $1', [changeId])).rows;
    expect(row.settled_at).not.toBeNull();
    expect(row.tasks_moved).toBe(1);
    await expect(db.query('UPDATE secretary_changes SET tasks_moved = 2 WHERE id = $1', [changeId])).rejects.toThrow(/append-only/);
    await expect(db.query('UPDATE secretary_changes SET comment = $2 WHERE id = $1', [changeId, '改写'])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM secretary_changes WHERE id = $1', [changeId])).rejects.toThrow(/append-only/);

    // Same secretary again: 409, nothing recorded.
    expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: memberS.id }), 409);
    const [{ count }] = (await db.query('SELECT count(*)::int AS count FROM secretary_changes WHERE organization_id = $1', [world.builder.id])).rows;
    expect(count).toBe(2);

    // P may no longer decide; S may.
    expectStatus(await p.http.post(`/tasks/${t.id}/decision`, { decision: 'APPROVE', comment: '前任' }), 403);
    const decided = expectStatus(await s.http.post(`/tasks/${t.id}/decision`, { decision: 'APPROVE', comment: '同意成立' }), 200).body;
    expect(decided.process.status).toBe('APPROVED');
  });

  it('a successor without a user account: the task goes back to the organisation', async () => {
    const world = noAccount;
    const memberP = await builderMember(world, '前任书记');
    const memberS = await builderMember(world, '无账号书记');
    const p = await mkUser('secP', ['APPROVER'], [], memberP.id);
    expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: memberP.id }), 200);
    const { process, task: t } = await taskHeldBy(world, p);

    const res = expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: memberS.id }), 200).body;
    expect(res.change).toMatchObject({ fromUserId: p.user.id, toUserId: null, tasksMoved: 1 });
    expect((await task(t.id)).assigneeId).toBeNull();
    const moves = inherited(await proc(process.id));
    expect(moves).toHaveLength(1);
    expect(moves[0].data).toMatchObject({ taskId: t.id, toUserId: null });
    // Back with the organisation: its approver may decide it, the predecessor (signed in again: leaving the
    // organisation ended the token) may not.
    p.http = await signInAgain(p);
    expectStatus(await p.http.post(`/tasks/${t.id}/decision`, { decision: 'APPROVE', comment: '前任' }), 403);
    expectStatus(await world.approver.post(`/tasks/${t.id}/decision`, { decision: 'APPROVE', comment: '同意' }), 200);
  });

  it('a worker killed while the successor inherits several tasks: after a restart each task moved exactly once, the count exact', async () => {
    const world = crash;
    const memberP = await builderMember(world, '前任书记');
    const memberS = await builderMember(world, '新任书记');
    const p = await mkUser('secP', ['APPROVER'], [], memberP.id);
    const s = await mkUser('secS', [], [], memberS.id);
    expectStatus(await putSecretary(admin, world.builder.id, { secretaryMemberId: memberP.id }), 200);
    const others = await Promise.all(Array.from({ length: 7 }, () => addInstitution(admin, world)));
    const held = [await taskHeldBy(world, p)];
    for (const a of others) held.push(await taskHeldBy(world, p, a));
    const processIds = held.map((h) => h.process.id);
    const movedSoFar = async (): Promise<number> =>
      (await db.query(`SELECT count(*)::int AS n FROM process_events WHERE action = 'REASSIGNED' AND comment = $1 AND process_id = ANY($2::uuid[])`, [INHERIT_COMMENT, processIds])).rows[0].n;

    // The worker dies as soon as the first task has moved. Its activity is retried only after the heartbeat timeout
    // (30 s), so the PUT gives up waiting (15 s here) and answers 202; the change list shows when it settled.
    const put = putSecretary(admin, world.builder.id, { secretaryMemberId: memberS.id, comment: '换届选举' });
    await waitFor('the first inherited task', async () => (await movedSoFar()) >= 1, 30_000, 10);
    await sys.killWorker('SIGKILL');
    const movedAtKill = await movedSoFar();
    await sys.startWorker();

    const accepted = expectStatus(await put, 202).body;
    expect(accepted).toMatchObject({ pending: true, organization: { secretaryMemberId: memberS.id }, change: { id: accepted.changeId, settledAt: null } });
    const settled = await waitFor(
      'the change settled',
      async () => (expectStatus(await admin.get(`/organizations/${world.builder.id}/secretary-changes`), 200).body.items as any[]).find((c) => c.id === accepted.changeId && c.settledAt),
      90_000,
      500,
    );
    expect(settled).toMatchObject({ fromUserId: p.user.id, toUserId: s.user.id, tasksMoved: held.length });
    expectStatus(await world.approver.get(`/organizations/${world.builder.id}/secretary-changes`), 403);
    // The kill really fell in the middle: some tasks had moved, others had not.
    expect(movedAtKill).toBeGreaterThanOrEqual(1);
    expect(movedAtKill).toBeLessThan(held.length);
    for (const h of held) {
      expect((await task(h.task.id)).assigneeId).toBe(s.user.id);
      expect(inherited(await proc(h.process.id))).toHaveLength(1);
    }
    expect(await movedSoFar()).toBe(held.length);
  });
});
