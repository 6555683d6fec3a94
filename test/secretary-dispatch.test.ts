/**
 * secretary-dispatch 选派 over HTTP against the real API and worker: R8 refuses a role that does not fit the
 * institution (400 naming R8), the builder's approvers name and approve, the dispatch and its duty loop exist, the
 * dispatched person records duty and the institution's applicants confirm it, the read routes scope by institution,
 * and a decision of the dispatching body ends the dispatch.
 */
import { buildWorld, grantEstablishBranch, makeUser, openStepTask, shanghaiDate, type Person, type World } from './support/fixtures';
import { isoWeekOf } from '@app/domain';
import { fetchHistory, maybeRecord, replay } from './support/histories';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystem, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let world: World;
let decider: Person;
let person: Person;

beforeAll(async () => {
  sys = await startSystem('dispatch');
  admin = await new Http(sys.baseUrl).login(sys.env.ADMIN_USERNAME!, sys.adminPassword);
  // A publicly built, privately run institution with 3 FULL staff members and no organisation yet.
  world = await buildWorld(admin, 3, 'PUBLIC_BUILT_PRIVATE_RUN');
  decider = await makeUser(admin, 'builder', ['APPROVER'], [world.builder.id]);
  person = await makeUser(admin, 'dispatched', ['APPLICANT'], []);
});

afterAll(async () => {
  await sys?.stop();
});

const proc = async (id: string): Promise<any> => expectStatus(await admin.get(`/processes/${id}`), 200).body;

describe('secretary-dispatch over HTTP', () => {
  let processId: string;
  let workflowId: string;
  let dispatch: any;

  it('R8: a role that does not fit the institution is refused with 400 naming R8; the institution\'s applicants do not dispatch', async () => {
    const base = { institutionId: world.institution.id, personName: '王书记', personUserId: person.user.id, from: shanghaiDate() };
    for (const role of ['FIRST_SECRETARY', 'INSTRUCTOR']) {
      const refused = expectStatus(await world.approver.post('/processes/secretary-dispatch', { ...base, role }), 400).body;
      expect(refused.message).toContain('R8');
      expect(refused.details).toEqual([expect.objectContaining({ ruleId: 'R8', severity: 'VIOLATION' })]);
    }
    expectStatus(await world.applicant.post('/processes/secretary-dispatch', { ...base, role: 'SECRETARY' }), 403);
    const bad = expectStatus(await world.approver.post('/processes/secretary-dispatch', { ...base, role: 'CHAIRMAN' }), 400).body;
    expect(bad.details).toEqual([expect.objectContaining({ field: 'role' })]);
    const backwards = expectStatus(await world.approver.post('/processes/secretary-dispatch', { ...base, role: 'SECRETARY', to: '2000-01-01' }), 400).body;
    expect(backwards.details).toEqual([expect.objectContaining({ field: 'to' })]);
  });

  it('the builder names a secretary, another of its approvers approves: the dispatch exists and its duty loop runs', async () => {
    const created = expectStatus(
      await world.approver.post('/processes/secretary-dispatch', { institutionId: world.institution.id, role: 'SECRETARY', personName: '王书记', personUserId: person.user.id, from: shanghaiDate() }),
      201,
    ).body;
    processId = created.id;
    workflowId = created.workflowId;
    expect(created).toMatchObject({ kind: 'secretary-dispatch', institutionId: world.institution.id });
    // One open dispatch process per institution and role.
    expectStatus(await world.approver.post('/processes/secretary-dispatch', { institutionId: world.institution.id, role: 'SECRETARY', personName: '赵书记', from: shanghaiDate() }), 409);
    // The one who named the person does not approve it alone: the builder's other approver does.
    const task = await openStepTask(decider.http, processId, 'approve');
    expect(task.candidateOrgId).toBe(world.builder.id);
    expectStatus(await decider.http.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意选派' }), 200);
    const done = await waitFor('the dispatch approved', async () => {
      const p = await proc(processId);
      return p.status === 'APPROVED' ? p : null;
    });
    expect(done.timeline.map((e: any) => e.action)).toEqual(expect.arrayContaining(['RULES_PASSED', 'DISPATCH_CREATED', 'STATUS_APPROVED']));
    dispatch = expectStatus(await world.applicant.get(`/dispatches/${done.result.dispatchId}`), 200).body;
    expect(dispatch).toMatchObject({
      institutionId: world.institution.id,
      role: 'SECRETARY',
      personName: '王书记',
      personUserId: person.user.id,
      dispatchingOrgId: world.builder.id,
      status: 'ACTIVE',
      weeks: [],
      alerts: [],
      dutyLogs: [],
    });
    // A second secretary is not dispatched while this one is in post (R8).
    const again = expectStatus(await world.approver.post('/processes/secretary-dispatch', { institutionId: world.institution.id, role: 'SECRETARY', personName: '赵书记', from: shanghaiDate() }), 400).body;
    expect(again.message).toContain('R8');

    const listed = expectStatus(await world.applicant.get(`/dispatches?institutionId=${world.institution.id}`), 200).body.items;
    expect(listed.map((d: any) => d.id)).toEqual([dispatch.id]);
    expect(expectStatus(await person.http.get('/dispatches'), 200).body.items.map((d: any) => d.id)).toEqual([dispatch.id]);
    expect(expectStatus(await world.outsider.get(`/dispatches?institutionId=${world.institution.id}`), 200).body.items).toEqual([]);
    expectStatus(await world.outsider.get(`/dispatches/${dispatch.id}`), 403);

    // The compliance card shows it (no week assessed yet); R8 asks for no other secretary; nothing is short of duty.
    const card = expectStatus(await world.applicant.get(`/institutions/${world.institution.id}/compliance`), 200).body;
    expect(card.dispatches).toEqual([expect.objectContaining({ id: dispatch.id, role: 'SECRETARY', personName: '王书记', status: 'ACTIVE', consecutiveMissed: 0, weeks: [] })]);
    expect(card.dispatchRoleDue).toBeNull();
    expect(expectStatus(await admin.get('/admin/overdue'), 200).body.dispatches).toEqual([]);

    await replay(await fetchHistory(workflowId), workflowId);
    maybeRecord('secretary-dispatch-v1-http-approved', workflowId);
  });

  it('the dispatched person records duty; the institution\'s applicants confirm it, once', async () => {
    const log = (as: Http, body: Record<string, unknown>) => as.post('/duty-logs', { dispatchId: dispatch.id, ...body });
    const created = expectStatus(await log(person.http, { date: shanghaiDate(), hours: 4.5, note: '组织党员学习' }), 201).body;
    expect(created).toMatchObject({ dispatchId: dispatch.id, date: shanghaiDate(), hours: 4.5, note: '组织党员学习', loggedById: person.user.id, confirmedAt: null });
    expectStatus(await log(world.applicant, { date: shanghaiDate(), hours: 4 }), 403);
    expect(expectStatus(await log(person.http, { date: shanghaiDate(1), hours: 4 }), 400).body.details).toEqual([expect.objectContaining({ field: 'date' })]);
    expect(expectStatus(await log(person.http, { date: shanghaiDate(-1), hours: 4 }), 400).body.details).toEqual([expect.objectContaining({ field: 'date' })]);
    expect(expectStatus(await log(person.http, { date: shanghaiDate(), hours: 0 }), 400).body.details).toEqual([expect.objectContaining({ field: 'hours' })]);
    expect(expectStatus(await log(person.http, { date: shanghaiDate(), hours: 25 }), 400).body.details).toEqual([expect.objectContaining({ field: 'hours' })]);

    // Not the person (an applicant of no institution), not another institution's applicant, not the builder.
    expectStatus(await person.http.post(`/duty-logs/${created.id}/confirm`, {}), 403);
    expectStatus(await world.approver.post(`/duty-logs/${created.id}/confirm`, {}), 403);
    const confirmed = expectStatus(await world.applicant.post(`/duty-logs/${created.id}/confirm`, {}), 200).body;
    expect(confirmed).toMatchObject({ id: created.id, confirmedById: world.applicantUser.id });
    expect(confirmed.confirmedAt).not.toBeNull();
    expectStatus(await world.applicant.post(`/duty-logs/${created.id}/confirm`, {}), 409);
    const detail = expectStatus(await admin.get(`/dispatches/${dispatch.id}`), 200).body;
    expect(detail.dutyLogs).toEqual([expect.objectContaining({ id: created.id, hours: 4.5, confirmedById: world.applicantUser.id })]);
  });

  it('the dispatching body approves leave: weeks not yet assessed become exempt', async () => {
    const week = (days: number): string => isoWeekOf(shanghaiDate(days)).key;
    const weeks = [week(14), week(21)];
    expectStatus(await world.applicant.post(`/dispatches/${dispatch.id}/leave`, { weeks, reason: '参加集中培训' }), 403);
    expectStatus(await world.outsider.post(`/dispatches/${dispatch.id}/leave`, { weeks, reason: '参加集中培训' }), 403);
    expect(expectStatus(await decider.http.post(`/dispatches/${dispatch.id}/leave`, { weeks: ['2026-W99'], reason: '培训' }), 400).body.details).toEqual([
      expect.objectContaining({ field: expect.stringMatching(/^weeks/) }),
    ]);
    const after = expectStatus(await decider.http.post(`/dispatches/${dispatch.id}/leave`, { weeks, reason: '参加集中培训' }), 200).body;
    expect(after.leaveWeeks).toEqual([...weeks].sort());
    expect((await proc(processId)).timeline.map((e: any) => e.action)).toContain('DUTY_LEAVE');
  });

  it('a decision of the dispatching body ends the dispatch; its duty loop stops', async () => {
    expectStatus(await world.outsider.post(`/dispatches/${dispatch.id}/end`, { reason: '越权' }), 403);
    expectStatus(await world.applicant.post(`/dispatches/${dispatch.id}/end`, { reason: '越权' }), 403);
    expect(expectStatus(await decider.http.post(`/dispatches/${dispatch.id}/end`, {}), 400).body.details).toEqual([expect.objectContaining({ field: 'reason' })]);
    const ended = expectStatus(await decider.http.post(`/dispatches/${dispatch.id}/end`, { reason: '工作调整，结束选派' }), 200).body;
    expect(ended).toMatchObject({ status: 'ENDED', endReason: '工作调整，结束选派', endedOn: shanghaiDate() });
    expectStatus(await decider.http.post(`/dispatches/${dispatch.id}/end`, { reason: '再次结束' }), 409);
    expectStatus(await person.http.post('/duty-logs', { dispatchId: dispatch.id, date: shanghaiDate(), hours: 4 }), 409);
    expect((await proc(processId)).timeline.map((e: any) => e.action)).toContain('DISPATCH_ENDED');
    await replay(await fetchHistory(dispatch.dutyWorkflowId), dispatch.dutyWorkflowId);
    maybeRecord('secretary-dispatch-duty-v1-http-ended', dispatch.dutyWorkflowId);
  });
});

describe('R10: switching the secretary source (secretary-source)', () => {
  it('refused with 400 naming R10 without a sound organisation; with one the builder approves and R8 asks for no builder\'s secretary', async () => {
    const ask = (as: Http, institutionId: string, source = 'OPERATOR') => as.post('/processes/secretary-source', { institutionId, source, reason: '党组织健全，民营方党组织具备选派条件' });
    // No organisation yet: not sound.
    const refused = expectStatus(await ask(world.applicant, world.institution.id), 400).body;
    expect(refused.message).toContain('R10');
    expect(refused.details).toEqual([expect.objectContaining({ ruleId: 'R10', severity: 'VIOLATION', message: expect.stringContaining('尚未建立党组织') })]);

    // Another publicly built, privately run institution whose branch is set up, with the builder's secretary.
    const sound = await buildWorld(admin, 3, 'PUBLIC_BUILT_PRIVATE_RUN');
    const staff = sound.members.filter((x) => x.status === 'FULL').map((x) => x.id);
    const branch = expectStatus(await sound.applicant.post('/processes/establish-branch', { institutionId: sound.institution.id, name: `${sound.institution.name}党支部`, memberIds: staff }), 201).body;
    await grantEstablishBranch(admin, sound, branch.id, staff[0]);
    expectStatus(await ask(sound.outsider, sound.institution.id), 403);
    expectStatus(await ask(sound.applicant, sound.institution.id, 'PUBLIC_BUILDER'), 409);
    const created = expectStatus(await ask(sound.applicant, sound.institution.id), 201).body;
    const task = await openStepTask(sound.approver, created.id, 'approve');
    expect(task.candidateOrgId).toBe(sound.builder.id);
    expectStatus(await sound.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意由民营方党组织选派' }), 200);
    const done = await waitFor('the switch approved', async () => {
      const p = await proc(created.id);
      return p.status === 'APPROVED' ? p : null;
    });
    expect(done.result).toEqual({ institutionId: sound.institution.id, from: 'PUBLIC_BUILDER', to: 'OPERATOR' });
    expect(done.timeline.map((e: any) => e.action)).toEqual(expect.arrayContaining(['RULES_PASSED', 'SECRETARY_SOURCE_CHANGED', 'STATUS_APPROVED']));
    const card = expectStatus(await sound.applicant.get(`/institutions/${sound.institution.id}/compliance`), 200).body;
    expect(card.dispatchRoleDue).toBeNull();
    expect(card.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'R10', message: expect.stringContaining('民营方党组织选派') })]));
    expectStatus(await ask(sound.applicant, sound.institution.id), 409);
    await replay(await fetchHistory(created.workflowId), created.workflowId);
    maybeRecord('secretary-source-v1-approved', created.workflowId);
  });
});
