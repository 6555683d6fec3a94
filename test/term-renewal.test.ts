/**
 * term-renewal 换届选举 over HTTP against the real API and worker (R4, DOMAIN.md process 3): who may open one, the
 * election rules on the plan (seats, 差额) and on the result (quorum, majority, the secretary's standing) refused
 * with 400 naming R4, the new committee and term, a newly elected secretary taking over the predecessor's open
 * tasks, and `GET /organizations/:id/term` along the way.
 */
import { Client as PgClient } from 'pg';
import { termWatchWorkflowId } from '@app/contracts';
import { addDays, addYears } from '@app/domain';
import { buildWorld, makeUser, recordFoundingElection, openStepTask, shanghaiDate, type Person, type World } from './support/fixtures';
import { fetchHistory, maybeRecord, replay } from './support/histories';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: PgClient;
let world: World;
let pred: Person;
let succ: Person;
let branchId: string;
/** The FULL staff members (7: the branch elects a committee of 3–5). */
let full: any[];

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('term_renewal'));
  world = await buildWorld(admin, 7);
  full = world.members.filter((m) => m.status === 'FULL');
  // The founding secretary has an account (it acts for the branch); the one the renewal elects has one too.
  pred = await makeUser(admin, 'pred', ['APPROVER'], [], [], { memberId: full[0].id });
  succ = await makeUser(admin, 'succ', [], [], [], { memberId: full[1].id });
  const created = expectStatus(
    await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds: full.map((m) => m.id), secretaryMemberId: full[0].id }),
    201,
  ).body;
  const approve = await openStepTask(world.approver, created.id, 'approve');
  expectStatus(await world.approver.post(`/tasks/${approve.id}/decision`, { decision: 'APPROVE', comment: '同意' }), 200);
  // The named secretary's account acts for the new branch (a change of its organisations ends its tokens: it signs
  // in again); the founding election is theirs to record.
  await waitFor('the branch created', async () => (await proc(created.id)).currentStep === 'founding-election');
  pred.http = await pred.http.as('').login(pred.user.username, 'secret-password');
  await recordFoundingElection(admin, { approver: pred.http }, created.id);
  branchId = (await proc(created.id)).result.partyOrganizationId;
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

const proc = async (id: string): Promise<any> => expectStatus(await admin.get(`/processes/${id}`), 200).body;
const term = async (): Promise<any> => expectStatus(await admin.get(`/organizations/${branchId}/term`), 200).body;
const decide = async (as: Http, processId: string, step: string, body: Record<string, unknown>) => as.post(`/tasks/${(await openStepTask(as, processId, step)).id}/decision`, body);

describe('term-renewal 换届选举', () => {
  let renewal: any;

  it('the new branch has a 3-year term from its founding election and a term watch', async () => {
    const t = await term();
    expect(t).toMatchObject({ organizationId: branchId, termStart: shanghaiDate(), termEnd: addYears(shanghaiDate(), 3), status: 'ACTIVE', phase: 'ACTIVE', renewalProcessId: null, events: [] });
    expect(t.watchWorkflowId).toBe(termWatchWorkflowId(branchId));
    // The watch started with the organisation and moved to the term when the founding election was recorded.
    await waitFor('the watch on the term', async () => {
      const h = await fetchHistory(termWatchWorkflowId(branchId));
      return (h.events ?? []).some((e) => e.workflowExecutionStartedEventAttributes?.continuedExecutionRunId) || (h.events ?? []).some((e) => e.timerStartedEventAttributes);
    });
    // Not a party organisation: no term.
    expect(expectStatus(await admin.get(`/organizations/${world.builder.id}/term`), 200).body).toMatchObject({ termEnd: null, status: null, watchWorkflowId: null });
    expectStatus(await admin.get('/organizations/00000000-0000-4000-8000-000000000000/term'), 404);
  });

  it('who may open one: 400 naming the field for a managing body or an unknown id, 403 for another organisation, 409 for a second', async () => {
    const ask = (as: Http, body: Record<string, unknown>) => as.post('/processes/term-renewal', body);
    expect(expectStatus(await ask(admin, { partyOrganizationId: world.builder.id }), 400).body.details).toEqual([{ field: 'partyOrganizationId', message: expect.stringContaining('按期换届') }]);
    expect(expectStatus(await ask(admin, { partyOrganizationId: '00000000-0000-4000-8000-000000000099' }), 400).body.details).toEqual([{ field: 'partyOrganizationId', message: '党组织不存在' }]);
    expect(expectStatus(await ask(admin, { partyOrganizationId: 'x' }), 400).body.details.map((d: any) => d.field)).toEqual(['partyOrganizationId']);
    expectStatus(await ask(world.outsider, { partyOrganizationId: branchId }), 403);
    renewal = expectStatus(await ask(world.applicant, { partyOrganizationId: branchId, reason: '提前换届' }), 201).body;
    expect(renewal).toMatchObject({ kind: 'term-renewal', institutionId: world.institution.id, status: 'RUNNING' });
    expectStatus(await ask(pred.http, { partyOrganizationId: branchId }), 409);
    expect(await term()).toMatchObject({ status: 'RENEWAL_DUE', renewalProcessId: renewal.id });
  });

  it('the plan: seats and the 20% candidate margin (R4) refused with 400 naming the rule; the superior approves', async () => {
    const plan = (data: Record<string, unknown>) => decide(pred.http, renewal.id, 'plan', { decision: 'APPROVE', comment: '报送方案', data });
    const ids = full.map((m) => m.id);
    const margin = expectStatus(await plan({ seats: 5, candidateMemberIds: ids.slice(0, 5), plannedDate: shanghaiDate() }), 400).body;
    expect(margin.details).toEqual([{ field: 'data.candidateMemberIds', message: expect.stringMatching(/^R4：差额选举.*至少需要候选人 6 名/) }]);
    const seats = expectStatus(await plan({ seats: 2, candidateMemberIds: ids.slice(0, 3), plannedDate: shanghaiDate() }), 400).body;
    expect(seats.details).toEqual([{ field: 'data.seats', message: expect.stringMatching(/^R4：.*3–5 名委员/) }]);
    const stranger = expectStatus(await plan({ seats: 3, candidateMemberIds: [...ids.slice(1, 4), world.members.find((m) => m.status !== 'FULL').id], plannedDate: shanghaiDate() }), 400).body;
    expect(stranger.details.map((d: any) => d.field)).toEqual(['data.candidateMemberIds']);
    expectStatus(await plan({ seats: 3, candidateMemberIds: ids.slice(1, 5), plannedDate: shanghaiDate() }), 200);
    expectStatus(await decide(world.approver, renewal.id, 'approve-plan', { decision: 'APPROVE', comment: '同意换届选举方案' }), 200);
  });

  it('the result: quorum of 4/5 and the secretary’s year of standing (R4) refused; a new secretary takes over the predecessor’s open task', async () => {
    const ids = full.map((m) => m.id);
    const votes = [
      { memberId: ids[1], votes: 7 },
      { memberId: ids[2], votes: 6 },
      { memberId: ids[3], votes: 5 },
      { memberId: ids[4], votes: 2 },
    ];
    const good = { electionDate: shanghaiDate(), dueToAttend: 8, present: 7, votes, secretaryMemberId: ids[1], secretaryFullMemberSince: '2015-07-01' };
    const result = (data: Record<string, unknown>) => decide(pred.http, renewal.id, 'result', { decision: 'APPROVE', comment: '登记选举结果', data });
    const quorum = expectStatus(await result({ ...good, present: 6, votes: votes.map((v) => ({ ...v, votes: Math.min(v.votes, 6) })) }), 400).body;
    expect(quorum.details).toEqual([{ field: 'data.present', message: expect.stringMatching(/^R4：到会 6 人，未达到应到会人数的 4\/5/) }]);
    const standing = expectStatus(await result({ ...good, secretaryFullMemberSince: shanghaiDate(-100) }), 400).body;
    expect(standing.details).toEqual([{ field: 'data.secretaryFullMemberSince', message: expect.stringMatching(/^R4：.*党龄不足 1 年/) }]);
    const loser = expectStatus(await result({ ...good, secretaryMemberId: ids[4] }), 400).body;
    expect(loser.details.map((d: any) => d.field)).toEqual(['data.secretaryMemberId']);
    // Exactly 4/5 (8 of 10 due) counts.
    expectStatus(await result({ ...good, dueToAttend: 10, present: 8, votes: votes.map((v) => ({ ...v, votes: v.votes + 1 })) }), 200);

    // Meanwhile the predecessor holds an open task of the branch: a member's relation transfer to accept.
    const mover = expectStatus(await admin.post('/members', { name: '转入党员', institutionId: world.institution.id, category: 'STAFF', status: 'FULL', relationOrgId: world.otherOrg.id }), 201).body;
    const transfer = expectStatus(await world.applicant.post('/processes/relation-transfer', { memberId: mover.id, toOrganizationId: branchId }), 201).body;
    expectStatus(await decide(world.outsider, transfer.id, 'release', { decision: 'APPROVE', comment: '同意转出' }), 200);
    const accept = await openStepTask(pred.http, transfer.id, 'accept');
    expectStatus(await admin.post(`/tasks/${accept.id}/reassign`, { toUserId: pred.user.id, comment: '交书记办理' }), 200);

    expectStatus(await decide(world.approver, renewal.id, 'approve-result', { decision: 'APPROVE', comment: '同意选举结果' }), 200);
    const done = await waitFor('the renewal approved', async () => {
      const p = await proc(renewal.id);
      return p.status === 'APPROVED' ? p : null;
    });
    expect(done.result).toMatchObject({
      organizationId: branchId,
      termStart: shanghaiDate(),
      termEnd: addYears(shanghaiDate(), 3),
      electedMemberIds: [ids[1], ids[2], ids[3]],
      secretaryMemberId: ids[1],
      previousSecretaryMemberId: ids[0],
    });
    expect(done.timeline.map((e: any) => `${e.step}:${e.action}`)).toEqual([
      'submitted:SUBMITTED',
      'check:RULES_PASSED',
      'plan:TASK_OPENED',
      'plan:APPROVE',
      'approve-plan:TASK_OPENED',
      'approve-plan:APPROVE',
      'result:TASK_OPENED',
      'result:APPROVE',
      'approve-result:TASK_OPENED',
      'approve-result:APPROVE',
      'record:ELECTION_RECORDED',
      'done:STATUS_APPROVED',
    ]);
    const election = (await db.query(`SELECT structure, seats, due_to_attend, present, elected_member_ids FROM elections WHERE process_id = $1`, [renewal.id])).rows;
    expect(election).toEqual([{ structure: 'COMMITTEE', seats: 3, due_to_attend: 10, present: 8, elected_member_ids: [ids[1], ids[2], ids[3]] }]);

    // The succession: the branch's secretary changed, and the predecessor's open task moved to the successor.
    const org = await waitFor('the new secretary', async () => {
      const o = expectStatus(await admin.get(`/organizations/${branchId}`), 200).body;
      return o.secretaryMemberId === ids[1] ? o : null;
    });
    expect(org.termStart).toBe(shanghaiDate());
    const moved = await waitFor('the task handed over', async () => {
      const t = expectStatus(await admin.get(`/tasks/${accept.id}`), 200).body;
      return t.assigneeId === succ.user.id ? t : null;
    });
    expect(moved.status).toBe('OPEN');
    const changes = expectStatus(await admin.get(`/organizations/${branchId}/secretary-changes`), 200).body.items;
    expect(changes[0]).toMatchObject({ fromMemberId: ids[0], toMemberId: ids[1], tasksMoved: 1 });
    expect(await term()).toMatchObject({ status: 'ACTIVE', renewalProcessId: null, termEnd: addYears(shanghaiDate(), 3) });

    // 延期/提前换届: the superior decides, at most 1 calendar year (exactly a year counts), once per term.
    const termEnd = addYears(shanghaiDate(), 3);
    const reschedule = (as: Http, body: Record<string, unknown>) => as.post(`/organizations/${branchId}/term/reschedule`, body);
    expectStatus(await reschedule(world.outsider, { until: addYears(termEnd, 1), reason: '延期' }), 403);
    expectStatus(await reschedule(world.applicant, { until: addYears(termEnd, 1), reason: '延期' }), 403);
    expect(expectStatus(await reschedule(world.approver, { until: 'x', reason: '延期' }), 400).body.details.map((d: any) => d.field)).toEqual(['until']);
    const tooFar = expectStatus(await reschedule(world.approver, { until: addDays(addYears(termEnd, 1), 1), reason: '延期' }), 400).body;
    expect(tooFar.details).toEqual([{ field: 'until', message: expect.stringMatching(/^R4：换届延期 \d+ 天，超过 1 年的上限/) }]);
    const postponed = expectStatus(await reschedule(world.approver, { until: addYears(termEnd, 1), reason: '重大任务期间，经研究延期一年' }), 200).body;
    expect(postponed).toMatchObject({ status: 'POSTPONED', termEnd, postponedUntil: addYears(termEnd, 1), milestones: { endsOn: addYears(termEnd, 1) } });
    expect(postponed.events).toEqual([expect.objectContaining({ kind: 'RESCHEDULED', data: expect.objectContaining({ until: addYears(termEnd, 1), decidedById: world.approverUser.id }) })]);
    expectStatus(await reschedule(world.approver, { until: addDays(termEnd, 30), reason: '再次延期' }), 409);

    const history = await fetchHistory(renewal.workflowId);
    await replay(history, renewal.workflowId);
    maybeRecord('term-renewal-approved', renewal.workflowId);
    // The postponement signalled the watch, which continues as new: its new run's history, once it sleeps again.
    const watch = await waitFor('the watch asleep again', async () => {
      const h = await fetchHistory(termWatchWorkflowId(branchId));
      return h.events?.some((e) => e.timerStartedEventAttributes) ? h : null;
    });
    await replay(watch, termWatchWorkflowId(branchId));
    maybeRecord('term-watch-waiting', termWatchWorkflowId(branchId));
  });
});
