/**
 * establish-branch on the approval kernel, driven only through HTTP against the real API and worker: withdrawal,
 * RETURN and resubmission, 催办, 转交, admin reassignment and a leaving user, 委托, 加签 (after and before), 取回,
 * a builder with no approver, self-approval and batch approval. Also the API's guards around them: no transfer to
 * the applicant, no 加签 to an organisation nobody can sign for, a cross-organisation assignee keeps the task on an
 * unrelated edit of their user, a resubmission replaces (does not merge into) the returned request.
 *
 * One system for the file; every world (its own organisations, institution and users) is built up front, in
 * parallel, so each test only drives its process.
 */
import { maybeRecord } from './support/histories';
import { addInstitution as addInstitutionTo, buildWorld, makeUser, shanghaiDate, type Applicant, type Person, type World } from './support/fixtures';
import { expectStatus, Http, type HttpResult } from './support/http';
import { waitFor } from './support/net';
import { startSystem, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;

let seq = 0;
const uniq = (p: string): string => `${p}${Date.now().toString(36)}${(seq++).toString(36)}k`;

const mkUser = (prefix: string, roles: string[], organizationIds: string[], institutionIds: string[] = []): Promise<Person> => makeUser(admin, prefix, roles, organizationIds, institutionIds);
const addInstitution = (world: World): Promise<Applicant> => addInstitutionTo(admin, world);

/** The FULL staff members (buildWorld adds one probationary member last). */
const fullIds = (a: { members: any[] }): string[] => a.members.filter((m) => m.status === 'FULL').map((m) => m.id);

function submit(a: Pick<Applicant, 'applicant' | 'institution' | 'members'>, as: Http = a.applicant, name = `${a.institution.name}党支部`): Promise<HttpResult> {
  return as.post('/processes/establish-branch', { institutionId: a.institution.id, name, memberIds: fullIds(a), secretaryMemberId: fullIds(a)[0] });
}

async function proc(id: string): Promise<any> {
  return expectStatus(await admin.get(`/processes/${id}`), 200).body;
}

const actions = (p: any): string[] => p.timeline.map((e: any) => e.action);

async function task(id: string): Promise<any> {
  return expectStatus(await admin.get(`/tasks/${id}`), 200).body;
}

/** Every task the process opened so far (from its timeline), as the admin reads them. */
async function tasksOf(processId: string): Promise<any[]> {
  const p = await proc(processId);
  const ids = p.timeline.filter((e: any) => e.action === 'TASK_OPENED').map((e: any) => e.data.taskId as string);
  return Promise.all(ids.map(task));
}

/** Waits for an OPEN task of the process that is not one of `seen` (and, if given, for `orgId`). */
async function nextOpenTask(processId: string, seen: string[] = [], orgId?: string): Promise<any> {
  return waitFor(`an open task of ${processId}`, async () =>
    (await tasksOf(processId)).find((t) => t.status === 'OPEN' && !seen.includes(t.id) && (orgId === undefined || t.candidateOrgId === orgId)),
  );
}

const decide = (as: Http, taskId: string, decision: string, comment = '意见', data?: unknown): Promise<HttpResult> =>
  as.post(`/tasks/${taskId}/decision`, { decision, comment, ...(data ? { data } : {}) });

const fieldsOf = (res: HttpResult): string[] => (res.body.details ?? []).map((d: any) => d.field);

let w: Record<string, World> = {};

beforeAll(async () => {
  sys = await startSystem('kernel');
  admin = await new Http(sys.baseUrl).login(sys.env.ADMIN_USERNAME!, sys.adminPassword);
  const names = ['withdraw', 'withdrawReturned', 'ret', 'urge', 'transfer', 'reassign', 'delegate', 'after', 'before', 'pull', 'nocand', 'selfA', 'selfB', 'batch'];
  const built = await Promise.all(names.map((n) => buildWorld(admin, n === 'ret' ? 4 : 3)));
  w = Object.fromEntries(names.map((n, i) => [n, built[i]!]));
});

afterAll(async () => {
  await sys?.stop();
});

describe('establish-branch on the approval kernel', () => {
  it('withdraws before a decision (200 WITHDRAWN) and refuses a withdrawal after the final decision (409)', async () => {
    const world = w.withdraw!;
    const p1 = expectStatus(await submit(world), 201).body;
    const t1 = await nextOpenTask(p1.id);
    const withdrawn = expectStatus(await world.applicant.post(`/processes/${p1.id}/withdraw`, { reason: '材料需补充' }), 200).body;
    expect(withdrawn.status).toBe('WITHDRAWN');
    expect((await task(t1.id)).status).toBe('CANCELLED');
    expect(actions(await proc(p1.id))).toEqual(expect.arrayContaining(['WITHDRAWN', 'STATUS_WITHDRAWN']));

    const p2 = expectStatus(await submit(world), 201).body;
    const t2 = await nextOpenTask(p2.id);
    expect(expectStatus(await decide(world.approver, t2.id, 'APPROVE', '同意'), 200).body.process.status).toBe('APPROVED');
    expectStatus(await world.applicant.post(`/processes/${p2.id}/withdraw`, { reason: '晚了' }), 409);
    expect((await proc(p2.id)).status).toBe('APPROVED');
  });

  it('withdraws a returned request instead of resubmitting it', async () => {
    const world = w.withdrawReturned!;
    const p = expectStatus(await submit(world), 201).body;
    const t = await nextOpenTask(p.id);
    expectStatus(await decide(world.approver, t.id, 'RETURN', '请补充'), 200);
    expect(expectStatus(await world.applicant.post(`/processes/${p.id}/withdraw`, { reason: '不再申请' }), 200).body).toMatchObject({ status: 'WITHDRAWN', currentStep: 'revise' });
    expectStatus(await world.applicant.post(`/processes/${p.id}/resubmit`, { institutionId: world.institution.id, name: '再来', memberIds: fullIds(world) }), 409);
    expect(actions(await proc(p.id)).slice(-4)).toEqual(['RETURN', 'STATUS_RETURNED', 'WITHDRAWN', 'STATUS_WITHDRAWN']);
  });

  it('RETURN hands the request back; the applicant resubmits a revised one (R4 checked again) and it is approved', async () => {
    const world = w.ret!;
    const [m1, m2, m3, m4] = fullIds(world);
    const p = expectStatus(
      await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds: [m1, m2, m3], secretaryMemberId: m1 }),
      201,
    ).body;
    const t1 = await nextOpenTask(p.id);
    expectStatus(await world.applicant.post(`/processes/${p.id}/resubmit`, { institutionId: world.institution.id, name: '过早', memberIds: fullIds(world) }), 409);
    // establish-branch has one step: a RETURN can only go to the applicant (400 naming returnTo otherwise).
    const badTarget = expectStatus(await world.approver.post(`/tasks/${t1.id}/decision`, { decision: 'RETURN', comment: '退回', returnTo: 'approve' }), 400);
    expect(fieldsOf(badTarget)).toEqual(['returnTo']);

    const returned = expectStatus(await decide(world.approver, t1.id, 'RETURN', '请补充支部名称'), 200).body;
    await waitFor('the 【退回修改】 email to the applicant', async () =>
      sys.mail.to(world.applicantUser.email).some((m) => m.subject.startsWith('【退回修改】') && m.text.includes('请补充支部名称')) || null,
    );
    expect(returned.task).toMatchObject({ id: t1.id, status: 'COMPLETED', decision: 'RETURN' });
    expect(returned.process.status).toBe('RETURNED');
    const afterReturn = await proc(p.id);
    expect(afterReturn).toMatchObject({ status: 'RETURNED', currentStep: 'revise' });
    expect((await task(t1.id))).toMatchObject({ status: 'COMPLETED', decision: 'RETURN' });
    expectStatus(await decide(world.approver, t1.id, 'APPROVE', '再次'), 409);
    // Nothing to urge while the applicant holds it.
    expectStatus(await world.applicant.post(`/processes/${p.id}/urge`), 409);

    // R4 again: two FULL members and the probationary one.
    const twoFull = [...fullIds(world).slice(0, 2), world.members.find((m) => m.status === 'PROBATIONARY').id];
    const r4 = expectStatus(await world.applicant.post(`/processes/${p.id}/resubmit`, { institutionId: world.institution.id, name: '不够人数', memberIds: twoFull }), 400);
    expect(r4.body.message).toContain('R4');
    expect((await proc(p.id)).status).toBe('RETURNED');
    expectStatus(await world.outsider.post(`/processes/${p.id}/resubmit`, { institutionId: world.institution.id, name: '别人', memberIds: fullIds(world) }), 403);

    // The revised request: a new name, another set of members and no secretary nominated (m1 has left the list).
    const revisedName = `${world.institution.name}第一党支部`;
    const resubmitted = expectStatus(
      await world.applicant.post(`/processes/${p.id}/resubmit`, { institutionId: world.institution.id, name: revisedName, memberIds: [m2, m3, m4] }),
      200,
    ).body;
    expect(resubmitted.status).toBe('RUNNING');
    expectStatus(await world.applicant.post(`/processes/${p.id}/resubmit`, { institutionId: world.institution.id, name: revisedName, memberIds: fullIds(world) }), 409);

    const t2 = await nextOpenTask(p.id, [t1.id]);
    expect(t2.candidateOrgId).toBe(world.builder.id);
    expect(t2.payloadSummary.name).toBe(revisedName);
    expect(expectStatus(await decide(world.approver, t2.id, 'APPROVE', '同意'), 200).body.process.status).toBe('APPROVED');

    const done = await proc(p.id);
    expect(done.status).toBe('APPROVED');
    const order = actions(done).filter((a) => ['RETURN', 'STATUS_RETURNED', 'RESUBMITTED', 'APPROVE'].includes(a));
    expect(order).toEqual(['RETURN', 'STATUS_RETURNED', 'RESUBMITTED', 'APPROVE']);
    expect(done.payload).toMatchObject({ name: revisedName, memberIds: [m2, m3, m4] });
    expect(done.payload.secretaryMemberId).toBeUndefined();
    const org = expectStatus(await admin.get(`/organizations/${done.result.partyOrganizationId}`), 200).body;
    // The returned request's secretary (no longer a member) must not survive the resubmission.
    expect(org).toMatchObject({ name: revisedName, parentId: world.builder.id, secretaryMemberId: null });
  });

  it('催办: the applicant urges once a day (then 429), the approver gets a 【催办】 email, nobody else may urge (403)', async () => {
    const world = w.urge!;
    const p = expectStatus(await submit(world), 201).body;
    await nextOpenTask(p.id);
    expectStatus(await world.applicant.post(`/processes/${p.id}/urge`), 200);
    await waitFor('the 【催办】 email', async () => sys.mail.to(world.approverUser.email).some((m) => m.subject.includes('【催办】')));
    expectStatus(await world.applicant.post(`/processes/${p.id}/urge`), 429);
    expectStatus(await world.approver.post(`/processes/${p.id}/urge`), 403);
    expectStatus(await world.outsider.post(`/processes/${p.id}/urge`), 403);
    const urged = (await proc(p.id)).timeline.filter((e: any) => e.action === 'URGED');
    expect(urged).toHaveLength(1);
    expect(urged[0].actorId).toBe(world.applicantUser.id);
    expect(sys.mail.to(world.approverUser.email).filter((m) => m.subject.includes('【催办】'))).toHaveLength(1);
  });

  it('转交: an approver hands the task to another approver of the organisation, who alone may then decide it', async () => {
    const world = w.transfer!;
    const second = await mkUser('approver2', ['APPROVER'], [world.builder.id]);
    const p = expectStatus(await submit(world), 201).body;
    const t = await nextOpenTask(p.id);

    const wrong = expectStatus(await world.approver.post(`/tasks/${t.id}/transfer`, { toUserId: (await mkUser('approver3', ['APPROVER'], [world.otherOrg.id])).user.id, comment: '转给外单位' }), 400);
    expect(fieldsOf(wrong)).toContain('toUserId');
    expectStatus(await world.outsider.post(`/tasks/${t.id}/transfer`, { toUserId: second.user.id, comment: '越权' }), 403);

    const moved = expectStatus(await world.approver.post(`/tasks/${t.id}/transfer`, { toUserId: second.user.id, comment: '请你办理' }), 200).body;
    expect(moved.assigneeId).toBe(second.user.id);
    expect((await task(t.id)).assigneeId).toBe(second.user.id);
    // The first approver's inbox no longer holds it; the second's does.
    expect(expectStatus(await world.approver.get('/tasks'), 200).body.items.map((x: any) => x.id)).not.toContain(t.id);
    expect(expectStatus(await second.http.get('/tasks'), 200).body.items.map((x: any) => x.id)).toContain(t.id);
    await waitFor('the assignee is emailed', async () => sys.mail.to(second.user.email).some((m) => m.subject.includes('【待审批】')));

    expectStatus(await decide(world.approver, t.id, 'APPROVE', '我来'), 403);
    const decided = expectStatus(await decide(second.http, t.id, 'APPROVE', '同意'), 200).body;
    expect(decided.process.status).toBe('APPROVED');
    const done = await proc(p.id);
    expect(done.timeline.find((e: any) => e.action === 'TRANSFERRED')).toMatchObject({ actorId: world.approverUser.id, comment: '请你办理', data: { toUserId: second.user.id } });
    expect(done.timeline.find((e: any) => e.action === 'APPROVE').actorId).toBe(second.user.id);
  });

  it('admin reassigns (an approver may not), and a user leaving the organisation releases the task to it', async () => {
    const world = w.reassign!;
    const b = await mkUser('approverB', ['APPROVER'], [world.builder.id]);
    const p = expectStatus(await submit(world), 201).body;
    const t = await nextOpenTask(p.id);

    expectStatus(await world.approver.post(`/tasks/${t.id}/reassign`, { toUserId: b.user.id, comment: '我不是管理员' }), 403);
    const toB = expectStatus(await admin.post(`/tasks/${t.id}/reassign`, { toUserId: b.user.id, comment: '管理员改派' }), 200).body;
    expect(toB.assigneeId).toBe(b.user.id);
    expectStatus(await decide(world.approver, t.id, 'APPROVE', '不是我的'), 403);
    // Across organisations: the assignee may read the process, and editing them (not leaving) keeps the task theirs.
    const outsiderId = expectStatus(await world.outsider.get('/auth/me'), 200).body.id;
    expect(expectStatus(await admin.post(`/tasks/${t.id}/reassign`, { toUserId: outsiderId, comment: '跨组织改派' }), 200).body.assigneeId).toBe(outsiderId);
    expectStatus(await world.outsider.get(`/processes/${p.id}`), 200);
    expectStatus(await admin.patch(`/users/${outsiderId}`, { displayName: '改名用户' }), 200);
    expect((await task(t.id)).assigneeId).toBe(outsiderId);
    const back = expectStatus(await admin.post(`/tasks/${t.id}/reassign`, { toUserId: null, comment: '退回组织' }), 200).body;
    expect(back.assigneeId).toBeNull();
    const notApprover = expectStatus(await admin.post(`/tasks/${t.id}/reassign`, { toUserId: world.applicantUser.id, comment: '给申请人' }), 400);
    expect(fieldsOf(notApprover)).toContain('toUserId');

    // B is handed the task, then leaves the builder: the task goes back to the organisation.
    expect(expectStatus(await world.approver.post(`/tasks/${t.id}/transfer`, { toUserId: b.user.id, comment: '转给B' }), 200).body.assigneeId).toBe(b.user.id);
    expectStatus(await admin.patch(`/users/${b.user.id}`, { organizationIds: [] }), 200);
    await waitFor('the task released to the organisation', async () => (await task(t.id)).assigneeId === null);
    // Leaving the organisation ended B's token (issue #8); signed in again, B may no longer decide.
    expectStatus(await b.http.get('/auth/me'), 401);
    const bAgain = await b.http.as('').login(b.user.username, 'secret-password');
    expectStatus(await decide(bAgain, t.id, 'APPROVE', '已离开'), 403);
    expect(expectStatus(await decide(world.approver, t.id, 'APPROVE', '同意'), 200).body.process.status).toBe('APPROVED');
    const acts = actions(await proc(p.id));
    expect(acts.filter((a) => a === 'REASSIGNED')).toHaveLength(4);
    expect(acts).toContain('TRANSFERRED');
  });

  it('委托: a colleague stands in for an approver on the tasks assigned to them, on their behalf, until the delegation is revoked', async () => {
    const world = w.delegate!;
    const colleague = await mkUser('colleague', ['APPROVER'], [world.builder.id]);
    const deputy = { http: colleague.http, id: colleague.user.id as string };

    // Only to an active approver of the same organisation (not an applicant, not another organisation's approver).
    expect(fieldsOf(expectStatus(await world.approver.post('/delegations', { deputyId: world.applicantUser.id, startsOn: shanghaiDate(), endsOn: shanghaiDate(7) }), 400))).toContain('deputyId');
    const outsiderId = expectStatus(await world.outsider.get('/auth/me'), 200).body.id as string;
    expect(fieldsOf(expectStatus(await world.approver.post('/delegations', { deputyId: outsiderId, startsOn: shanghaiDate(), endsOn: shanghaiDate(7) }), 400))).toContain('deputyId');
    expect(fieldsOf(expectStatus(await world.approver.post('/delegations', { deputyId: deputy.id, startsOn: shanghaiDate(), endsOn: shanghaiDate(7), organizationIds: [world.otherOrg.id] }), 400))).toContain('organizationIds');
    const delegation = expectStatus(
      await world.approver.post('/delegations', { deputyId: deputy.id, startsOn: shanghaiDate(), endsOn: shanghaiDate(7), reason: '出差' }),
      201,
    ).body;
    expect(delegation).toMatchObject({ userId: world.approverUser.id, deputyId: deputy.id, organizationIds: [world.builder.id] });

    // A task the admin assigned to the delegator personally is the deputy's to act on too, on their behalf.
    const p = expectStatus(await submit(world), 201).body;
    const t = await nextOpenTask(p.id);
    expectStatus(await admin.post(`/tasks/${t.id}/reassign`, { toUserId: world.approverUser.id, comment: '请本人办理' }), 200);
    await waitFor('the assigned task in the deputy’s inbox', async () =>
      (expectStatus(await deputy.http.get('/tasks'), 200).body.items as any[]).some((x) => x.id === t.id && x.assigneeId === world.approverUser.id) || null,
    );
    // The deputy is emailed about it too, with a link of their own.
    await waitFor('the 【待审批】 email to the deputy', async () => sys.mail.to(colleague.user.email).some((m) => m.subject.includes('【待审批】')) || null);
    expectStatus(await deputy.http.get(`/tasks/${t.id}`), 200);
    expectStatus(await deputy.http.get(`/processes/${p.id}`), 200);
    expect(expectStatus(await decide(deputy.http, t.id, 'APPROVE', '代为办理指派的待办'), 200).body.process.status).toBe('APPROVED');
    expect((await proc(p.id)).timeline.find((e: any) => e.action === 'APPROVE')).toMatchObject({ actorId: deputy.id, onBehalfOfId: world.approverUser.id, comment: '代为办理指派的待办' });

    // Revoked: a task assigned to the delegator is theirs alone again.
    expectStatus(await world.outsider.request('DELETE', `/delegations/${delegation.id}`), 403);
    const revoked = expectStatus(await world.approver.request('DELETE', `/delegations/${delegation.id}`), 200).body;
    expect(revoked.revokedAt).toEqual(expect.any(String));
    const second = await addInstitution(world);
    const p2 = expectStatus(await submit(second), 201).body;
    const t2 = await nextOpenTask(p2.id);
    expectStatus(await admin.post(`/tasks/${t2.id}/reassign`, { toUserId: world.approverUser.id, comment: '请本人办理' }), 200);
    expect(expectStatus(await deputy.http.get('/tasks'), 200).body.items.map((x: any) => x.id)).not.toContain(t2.id);
    expectStatus(await decide(deputy.http, t2.id, 'APPROVE', '已撤销'), 403);
  });

  it('加签 AFTER: the added organisation signs after the builder approves, then the process is approved', async () => {
    const world = w.after!;
    const p = expectStatus(await submit(world), 201).body;
    const t1 = await nextOpenTask(p.id);
    const same = expectStatus(await world.approver.post(`/tasks/${t1.id}/add-signer`, { orgId: world.builder.id, position: 'AFTER', comment: '本组织' }), 400);
    expect(fieldsOf(same)).toContain('orgId');
    const empty = expectStatus(await admin.post('/organizations', { name: uniq('无审批人党委'), kind: 'SPONSOR', parentId: world.builder.parentId }), 201).body;
    const nobody = expectStatus(await world.approver.post(`/tasks/${t1.id}/add-signer`, { orgId: empty.id, position: 'AFTER', comment: '无人可签' }), 400);
    expect(fieldsOf(nobody)).toContain('orgId');
    expectStatus(await world.outsider.post(`/tasks/${t1.id}/add-signer`, { orgId: world.otherOrg.id, position: 'AFTER', comment: '越权' }), 403);
    const open = expectStatus(await world.approver.post(`/tasks/${t1.id}/add-signer`, { orgId: world.otherOrg.id, position: 'AFTER', comment: '请其他党委会签' }), 200).body;
    expect(open.map((x: any) => x.id)).toEqual([t1.id]);

    const first = expectStatus(await decide(world.approver, t1.id, 'APPROVE', '同意，请会签'), 200).body;
    expect(first.process.status).toBe('RUNNING');
    expect(first.task).toMatchObject({ status: 'COMPLETED', decision: 'APPROVE' });
    const t2 = await nextOpenTask(p.id, [t1.id]);
    expect(t2.candidateOrgId).toBe(world.otherOrg.id);
    expect((await proc(p.id)).status).toBe('RUNNING');
    const outsiderEmail = expectStatus(await world.outsider.get('/auth/me'), 200).body.email as string;
    await waitFor('the added organisation is emailed', async () => sys.mail.to(outsiderEmail).some((m) => m.subject.includes('【待审批】')));
    expect(expectStatus(await world.outsider.get('/tasks'), 200).body.items.map((x: any) => x.id)).toContain(t2.id);

    expect(expectStatus(await decide(world.outsider, t2.id, 'APPROVE', '会签同意'), 200).body.process.status).toBe('APPROVED');
    const done = await proc(p.id);
    expect(done.status).toBe('APPROVED');
    expect(actions(done).filter((a) => a === 'APPROVE')).toHaveLength(2);
    expect(actions(done)).toContain('ADD_SIGNER_AFTER');
    expect(expectStatus(await admin.get(`/organizations/${done.result.partyOrganizationId}`), 200).body.parentId).toBe(world.builder.id);
  });

  it('加签 BEFORE: the original task is cancelled, the added organisation decides first, then the builder', async () => {
    const world = w.before!;
    const p = expectStatus(await submit(world), 201).body;
    const t1 = await nextOpenTask(p.id);
    const open = expectStatus(await world.approver.post(`/tasks/${t1.id}/add-signer`, { orgId: world.otherOrg.id, position: 'BEFORE', comment: '请先征求其他党委意见' }), 200).body;
    expect((await task(t1.id)).status).toBe('CANCELLED');
    expect(open).toHaveLength(1);
    const t2 = open[0];
    expect(t2).toMatchObject({ candidateOrgId: world.otherOrg.id, status: 'OPEN', addedBy: world.approverUser.id });
    expectStatus(await decide(world.approver, t1.id, 'APPROVE', '已取消'), 409);
    expectStatus(await decide(world.approver, t2.id, 'APPROVE', '不是我'), 403);

    expect(expectStatus(await decide(world.outsider, t2.id, 'APPROVE', '先签同意'), 200).body.process.status).toBe('RUNNING');
    const t3 = await nextOpenTask(p.id, [t1.id, t2.id]);
    expect(t3.candidateOrgId).toBe(world.builder.id);
    expect(expectStatus(await decide(world.approver, t3.id, 'APPROVE', '同意'), 200).body.process.status).toBe('APPROVED');
    const acts = actions(await proc(p.id));
    expect(acts).toEqual(expect.arrayContaining(['ADD_SIGNER_BEFORE', 'TASK_CANCELLED', 'STATUS_APPROVED']));
  });

  it('取回: the decider pulls back an approval the added organisation has not acted on yet', async () => {
    const world = w.pull!;
    const p = expectStatus(await submit(world), 201).body;
    const t1 = await nextOpenTask(p.id);
    expectStatus(await world.approver.post(`/tasks/${t1.id}/add-signer`, { orgId: world.otherOrg.id, position: 'AFTER', comment: '会签' }), 200);
    expectStatus(await decide(world.approver, t1.id, 'APPROVE', '同意'), 200);
    const t2 = await nextOpenTask(p.id, [t1.id]);
    expect(t2.candidateOrgId).toBe(world.otherOrg.id);

    expectStatus(await world.outsider.post(`/tasks/${t1.id}/pull-back`, { comment: '不是我的' }), 403);
    const open = expectStatus(await world.approver.post(`/tasks/${t1.id}/pull-back`, { comment: '意见有误，取回' }), 200).body;
    expect((await task(t2.id)).status).toBe('CANCELLED');
    expect(open).toHaveLength(1);
    const t3 = open[0];
    expect(t3).toMatchObject({ candidateOrgId: world.builder.id, status: 'OPEN' });
    expect(t3.id).not.toBe(t1.id);
    expectStatus(await world.approver.post(`/tasks/${t1.id}/pull-back`, { comment: '再取回' }), 409);
    expectStatus(await decide(world.outsider, t2.id, 'APPROVE', '晚了'), 409);
    expect(actions(await proc(p.id))).toContain('PULLED_BACK');

    // The chain resumes: the builder again, then the added organisation.
    expect(expectStatus(await decide(world.approver, t3.id, 'APPROVE', '重新同意'), 200).body.process.status).toBe('RUNNING');
    const t4 = await nextOpenTask(p.id, [t1.id, t2.id, t3.id]);
    expect(t4.candidateOrgId).toBe(world.otherOrg.id);
    expect(expectStatus(await decide(world.outsider, t4.id, 'APPROVE', '会签同意'), 200).body.process.status).toBe('APPROVED');
    maybeRecord('establish-branch-v3-pull-back', p.workflowId);
  });

  it('no candidate: a builder without an approver hands the step to its parent (NO_CANDIDATE_ESCALATED)', async () => {
    const world = w.nocand!;
    const districtId = world.builder.parentId as string;
    expect(districtId).toEqual(expect.any(String));
    const district = await mkUser('district', ['APPROVER'], [districtId]);
    expectStatus(await admin.patch(`/users/${world.approverUser.id}`, { organizationIds: [] }), 200);

    const p = expectStatus(await submit(world), 201).body;
    const t = await nextOpenTask(p.id);
    expect(t.candidateOrgId).toBe(districtId);
    const escalated = (await proc(p.id)).timeline.find((e: any) => e.action === 'NO_CANDIDATE_ESCALATED');
    expect(escalated).toMatchObject({ data: { requestedOrgId: world.builder.id, orgId: districtId } });
    expect(expectStatus(await decide(district.http, t.id, 'APPROVE', '区委同意'), 200).body.process.status).toBe('APPROVED');
    // The branch still belongs under the responsible body (the builder).
    const done = await proc(p.id);
    expect(expectStatus(await admin.get(`/organizations/${done.result.partyOrganizationId}`), 200).body.parentId).toBe(world.builder.id);
  });

  it('self-approval: the applicant may not decide its own request; another approver does, or else the parent', async () => {
    // Another approver of the builder exists (the world's approver).
    const a = w.selfA!;
    const both = await mkUser('both', ['APPLICANT', 'APPROVER'], [a.builder.id], [a.institution.id]);
    const p = expectStatus(await submit(a, both.http), 201).body;
    expect(p.applicantId).toBe(both.user.id);
    const t = await nextOpenTask(p.id);
    expect(t.candidateOrgId).toBe(a.builder.id);
    expect(actions(await proc(p.id))).not.toContain('NO_CANDIDATE_ESCALATED');
    expectStatus(await decide(both.http, t.id, 'APPROVE', '自己批自己'), 403);
    expect((await task(t.id)).status).toBe('OPEN');
    // Nor may the task be handed to the applicant: nobody could decide it then.
    expect(fieldsOf(expectStatus(await a.approver.post(`/tasks/${t.id}/transfer`, { toUserId: both.user.id, comment: '给申请人' }), 400))).toContain('toUserId');
    expect(fieldsOf(expectStatus(await admin.post(`/tasks/${t.id}/reassign`, { toUserId: both.user.id, comment: '给申请人' }), 400))).toContain('toUserId');
    expect((await task(t.id)).assigneeId).toBeNull();
    expect(expectStatus(await decide(a.approver, t.id, 'APPROVE', '同意'), 200).body.process.status).toBe('APPROVED');

    // The applicant is the builder's only approver: the district decides.
    const b = w.selfB!;
    const districtId = b.builder.parentId as string;
    const district = await mkUser('district', ['APPROVER'], [districtId]);
    expectStatus(await admin.patch(`/users/${b.approverUser.id}`, { organizationIds: [] }), 200);
    const onlyOne = await mkUser('only', ['APPLICANT', 'APPROVER'], [b.builder.id], [b.institution.id]);
    const p2 = expectStatus(await submit(b, onlyOne.http), 201).body;
    const t2 = await nextOpenTask(p2.id);
    expect(t2.candidateOrgId).toBe(districtId);
    expect(actions(await proc(p2.id))).toContain('NO_CANDIDATE_ESCALATED');
    expectStatus(await decide(onlyOne.http, t2.id, 'APPROVE', '自己批自己'), 403);
    expect(expectStatus(await decide(district.http, t2.id, 'APPROVE', '区委同意'), 200).body.process.status).toBe('APPROVED');
  });

  it('batch approval: one request approves several tasks of the same step; unknown tasks are a 400 naming taskIds', async () => {
    const world = w.batch!;
    const second = await addInstitution(world);
    const [p1, p2] = await Promise.all([submit(world), submit(second)]).then((rs) => rs.map((r) => expectStatus(r, 201).body));
    const [t1, t2] = await Promise.all([nextOpenTask(p1.id), nextOpenTask(p2.id)]);

    const unknown = expectStatus(
      await world.approver.post('/tasks/batch-decision', { taskIds: [t1.id, '00000000-0000-4000-8000-000000000000'], decision: 'APPROVE', comment: '批量' }),
      400,
    );
    expect(fieldsOf(unknown)).toContain('taskIds');
    const reject = expectStatus(await world.approver.post('/tasks/batch-decision', { taskIds: [t1.id], decision: 'REJECT', comment: '批量' }), 400);
    expect(fieldsOf(reject)).toContain('decision');
    expectStatus(await world.approver.post('/tasks/batch-decision', { taskIds: [], decision: 'APPROVE', comment: '批量' }), 400);
    expect((await task(t1.id)).status).toBe('OPEN');

    // Someone else's tasks: each answered 403 inside the batch, nothing decided.
    const foreign = expectStatus(await world.outsider.post('/tasks/batch-decision', { taskIds: [t1.id, t2.id], decision: 'APPROVE', comment: '越权' }), 200).body;
    expect(foreign.results.map((r: any) => r.status)).toEqual([403, 403]);

    const out = expectStatus(await world.approver.post('/tasks/batch-decision', { taskIds: [t1.id, t2.id], decision: 'APPROVE', comment: '批量同意' }), 200).body;
    expect(out.results.map((r: any) => [r.taskId, r.status])).toEqual([
      [t1.id, 200],
      [t2.id, 200],
    ]);
    for (const r of out.results) expect(r.body.process.status).toBe('APPROVED');
    expect((await proc(p1.id)).status).toBe('APPROVED');
    expect((await proc(p2.id)).status).toBe('APPROVED');
    const again = expectStatus(await world.approver.post('/tasks/batch-decision', { taskIds: [t1.id, t2.id], decision: 'APPROVE', comment: '再次' }), 200).body;
    expect(again.results.map((r: any) => r.status)).toEqual([409, 409]);
  });
});
