/**
 * joint-organization 组建联合党组织 (DOMAIN.md process 2, R5) end to end over HTTP against the real API and worker, the
 * Temporal dev server, PostgreSQL, Redis and an SMTP sink: three units, one refusal, an amendment, then approval;
 * the refusals with 400; compliance before and after, and the R4 spin-off of a unit that reaches 3 FULL staff.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { makeUser, shanghaiDate } from './support/fixtures';
import { fetchHistory, maybeRecord, replay } from './support/histories';
import { expectStatus, type Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
let district: any;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('joint'));
  district = expectStatus(await admin.post('/organizations', { name: `区委组织部${Date.now()}`, kind: 'DISTRICT' }), 201).body;
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

let seq = 0;

interface Unit {
  institution: any;
  applicant: Http;
  applicantUser: any;
  full: any[];
  probationary: any[];
}

/** A township organisation under the district, with an approver. */
async function township(): Promise<{ org: any; approver: Http; approverUser: any }> {
  const org = expectStatus(await admin.post('/organizations', { name: `镇党委${++seq}-${Date.now()}`, kind: 'TOWNSHIP', parentId: district.id }), 201).body;
  const approver = await makeUser(admin, 'twp', ['APPROVER'], [org.id]);
  return { org, approver: approver.http, approverUser: approver.user };
}

/** A PRIVATE institution (R3b: its township manages it) with its applicant and its staff party members. */
async function unit(townshipOrg: any, full: number, probationary = 0): Promise<Unit> {
  const institution = expectStatus(
    await admin.post('/institutions', { name: `民营养老院${++seq}-${Date.now()}`, type: 'PRIVATE', district: '海曙区', townshipOrgId: townshipOrg.id, bedCount: 60 }),
    201,
  ).body;
  const applicant = await makeUser(admin, 'unit', ['APPLICANT'], [], [institution.id]);
  const member = async (status: string, i: number): Promise<any> =>
    expectStatus(await admin.post('/members', { name: `党员${seq}-${i}`, institutionId: institution.id, category: 'STAFF', status, birthDate: '1985-06-01' }), 201).body;
  const fullMembers = [];
  for (let i = 0; i < full; i++) fullMembers.push(await member('FULL', i));
  const probationaryMembers = [];
  for (let i = 0; i < probationary; i++) probationaryMembers.push(await member('PROBATIONARY', full + i));
  return { institution, applicant: applicant.http, applicantUser: applicant.user, full: fullMembers, probationary: probationaryMembers };
}

const request = (initiator: Unit, units: Unit[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  institutionId: initiator.institution.id,
  institutionIds: units.map((u) => u.institution.id),
  mode: 'CO_BUILD',
  name: `联合党支部${seq}`,
  memberIds: units.flatMap((u) => [...u.full, ...u.probationary].map((m) => m.id)),
  ...extra,
});

async function openTasks(as: Http, processId: string): Promise<any[]> {
  const inbox = expectStatus(await as.get('/tasks?status=OPEN&limit=500'), 200).body.items as any[];
  return inbox.filter((t) => t.processId === processId);
}

const taskOf = (as: Http, processId: string, step: string): Promise<any> =>
  waitFor(`the ${step} task`, async () => (await openTasks(as, processId)).find((t) => t.step === step));

const processOf = async (processId: string): Promise<any> => expectStatus(await admin.get(`/processes/${processId}`), 200).body;

const waitStatus = (processId: string, status: string): Promise<any> =>
  waitFor(`process ${status}`, async () => {
    const p = await processOf(processId);
    return p.status === status ? p : null;
  });

const compliance = async (u: Unit): Promise<any> => expectStatus(await u.applicant.get(`/institutions/${u.institution.id}/compliance`), 200).body;

describe('joint-organization', () => {
  it('three units: one refuses, the initiator amends the list, the consents given stand, the township approves; every unit is linked', async () => {
    const t1 = await township();
    const t2 = await township();
    const initiator = await unit(t1.org, 2, 1);
    const peer = await unit(t1.org, 1);
    const refuser = await unit(t2.org, 1);
    const replacement = await unit(t2.org, 1);
    expect(await compliance(initiator)).toMatchObject({ requiredAction: 'JOINT_ORG', partyOrganizationId: null });

    const created = expectStatus(await initiator.applicant.post('/processes/joint-organization', request(initiator, [initiator, peer, refuser])), 201).body;
    expect(created).toMatchObject({ kind: 'joint-organization', status: 'RUNNING', institutionId: initiator.institution.id });

    // Round 1: the two other units consent in parallel; the initiator's submission is its own consent.
    const peerTask = await taskOf(peer.applicant, created.id, 'consent');
    const refuserTask = await taskOf(refuser.applicant, created.id, 'consent');
    expect(await openTasks(initiator.applicant, created.id)).toEqual([]);
    // A consent is given or refused; it is never sent back.
    const returned = expectStatus(await peer.applicant.post(`/tasks/${peerTask.id}/decision`, { decision: 'RETURN', comment: '退回' }), 400);
    expect(returned.body.details.map((d: any) => d.field)).toEqual(['decision']);
    // Not this unit's task.
    expectStatus(await peer.applicant.post(`/tasks/${refuserTask.id}/decision`, { decision: 'APPROVE', comment: '越权' }), 403);
    expectStatus(await peer.applicant.post(`/tasks/${peerTask.id}/decision`, { decision: 'APPROVE', comment: '同意共建' }), 200);
    expect((await processOf(created.id)).status).toBe('RUNNING');
    expectStatus(await refuser.applicant.post(`/tasks/${refuserTask.id}/decision`, { decision: 'REJECT', comment: '本单位另有安排' }), 200);
    const back = await waitStatus(created.id, 'RETURNED');
    expect(back.currentStep).toBe('revise');

    // The amendment: the refusing unit is replaced. A refusal of the amended request would name the field.
    const bad = expectStatus(await initiator.applicant.post(`/processes/${created.id}/resubmit`, request(initiator, [initiator, peer, refuser], { institutionIds: [peer.institution.id, refuser.institution.id] })), 400);
    expect(bad.body.details.map((d: any) => d.field)).toContain('institutionIds');
    expectStatus(await initiator.applicant.post(`/processes/${created.id}/resubmit`, request(initiator, [initiator, peer, replacement])), 200);

    // Round 2: only the unit that has not consented is asked; the peer's consent stands.
    const replacementTask = await taskOf(replacement.applicant, created.id, 'consent');
    expect(await openTasks(peer.applicant, created.id)).toEqual([]);
    expectStatus(await replacement.applicant.post(`/tasks/${replacementTask.id}/decision`, { decision: 'APPROVE', comment: '同意加入' }), 200);

    // The units' bodies differ (t1, t1, t2): the initiator's township decides, the other township is copied.
    const approve = await taskOf(t1.approver, created.id, 'approve');
    expect(approve.candidateOrgId).toBe(t1.org.id);
    expect(await openTasks(t2.approver, created.id)).toEqual([]);
    await waitFor('the CC email to the other township', async () => sys.mail.to(t2.approverUser.email).length >= 1);
    const decided = expectStatus(await t1.approver.post(`/tasks/${approve.id}/decision`, { decision: 'APPROVE', comment: '同意组建' }), 200).body;
    expect(decided.process.status).toBe('APPROVED');

    const done = await processOf(created.id);
    expect(done).toMatchObject({ status: 'APPROVED', currentStep: 'done', result: { partyOrganizationId: expect.any(String) } });
    const orgId = done.result.partyOrganizationId;
    const org = expectStatus(await admin.get(`/organizations/${orgId}`), 200).body;
    const today = shanghaiDate();
    expect(org).toMatchObject({ kind: 'JOINT', jointMode: 'CO_BUILD', parentId: t1.org.id, termStart: today, createdByProcessId: created.id });
    expect(Number(org.termEnd.slice(0, 4)) - Number(today.slice(0, 4))).toBe(3);
    for (const u of [initiator, peer, replacement]) {
      expect(expectStatus(await admin.get(`/institutions/${u.institution.id}`), 200).body.partyOrganizationId).toBe(orgId);
      const v = await compliance(u);
      expect(v).toMatchObject({ requiredAction: 'NONE', partyOrganizationId: orgId, coverage: { organisation: true, kind: 'ORG_JOINT' } });
    }
    expect(expectStatus(await admin.get(`/institutions/${refuser.institution.id}`), 200).body.partyOrganizationId).toBeNull();
    expect((await compliance(refuser)).requiredAction).toBe('JOINT_ORG');

    // The timeline: each consent once, the peer's from round 1 only; the round-2 check, the CC, the organisation.
    const actions = done.timeline.map((e: any) => `${e.step}:${e.action}`);
    expect(actions.filter((a: string) => a === 'consent:APPROVE')).toHaveLength(2);
    expect(actions.filter((a: string) => a === 'consent:REJECT')).toHaveLength(1);
    expect(actions).toEqual(expect.arrayContaining(['submitted:RESUBMITTED', 'check:RULES_PASSED', 'approve:CC', 'create:ORGANIZATION_CREATED', 'done:STATUS_APPROVED']));
    const checks = done.timeline.filter((e: any) => e.action === 'RULES_PASSED');
    expect(checks.map((e: any) => e.data.basis)).toEqual(['INITIATOR_TOWNSHIP', 'INITIATOR_TOWNSHIP']);
    expect(checks[1].data.ccOrgIds).toEqual([t2.org.id]);
    expect(done.timeline.find((e: any) => e.action === 'ORGANIZATION_CREATED').data.institutionIds).toEqual([initiator.institution.id, peer.institution.id, replacement.institution.id]);

    // A unit of the joint organisation that reaches 3 FULL staff must build its own within 90 days (R4). The grace
    // counts from the day the third member became FULL (the member history), not from when the records were made.
    await db.query(`UPDATE party_members SET created_at = created_at - interval '300 days' WHERE institution_id = $1`, [initiator.institution.id]);
    await db.query(`UPDATE organizations SET created_at = created_at - interval '200 days' WHERE id = $1`, [orgId]);
    expectStatus(await admin.patch(`/members/${initiator.probationary[0].id}`, { status: 'FULL' }), 200);
    const spin = await compliance(initiator);
    expect(spin).toMatchObject({ requiredAction: 'STANDALONE_ORG', fullStaffMembers: 3, partyOrganizationId: orgId });
    const r4 = spin.findings.find((f: any) => f.ruleId === 'R4');
    expect(r4).toMatchObject({ severity: 'WARNING' });
    expect(r4.message).toContain(shanghaiDate(90));
    // The other units are not affected.
    expect((await compliance(peer)).requiredAction).toBe('NONE');

    const history = await fetchHistory(created.workflowId);
    await replay(history, created.workflowId);
    maybeRecord('joint-organization-refused-amended-approved', created.workflowId);
  });

  it('refuses with 400 naming the field: a covered unit, a unit with 3 FULL staff (R4), a unit of another open joint process; nothing starts', async () => {
    const t = await township();
    const [a, b, c, d] = [await unit(t.org, 1), await unit(t.org, 2), await unit(t.org, 1), await unit(t.org, 1)];
    const big = await unit(t.org, 3);

    // A unit of another open joint process (and the initiator's own second request: 409).
    const open = expectStatus(await a.applicant.post('/processes/joint-organization', request(a, [a, b])), 201).body;
    const busy = expectStatus(await c.applicant.post('/processes/joint-organization', request(c, [c, b])), 400);
    expect(busy.body.details).toEqual([expect.objectContaining({ field: 'institutionIds[1]', message: expect.stringContaining(open.id) })]);
    expectStatus(await a.applicant.post('/processes/joint-organization', request(a, [a, d])), 409);

    // 3 FULL staff members: R4, not a joint organisation.
    const r4 = expectStatus(await c.applicant.post('/processes/joint-organization', request(c, [c, big])), 400);
    expect(r4.body.message).toContain('R4');
    expect(r4.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'R4', severity: 'VIOLATION', message: expect.stringContaining(big.institution.name) })]));

    // A unit already covered by an organisation: its own branch, written as an approved establish-branch leaves it.
    const [branch] = (await db.query(`INSERT INTO organizations (name, kind, parent_id, institution_id) VALUES ('已有党支部', 'BRANCH', $1, $2) RETURNING id`, [t.org.id, d.institution.id])).rows;
    await db.query(`UPDATE institutions SET party_organization_id = $1 WHERE id = $2`, [branch.id, d.institution.id]);
    const covered = expectStatus(await c.applicant.post('/processes/joint-organization', request(c, [c, d])), 400);
    expect(covered.body.details).toEqual([{ field: 'institutionIds[1]', message: expect.stringContaining('已有党组织（已有党支部）') }]);

    // AFFILIATE: the host must exist, and its own FULL members (here the branch's institution's one) join the pool.
    const ghost = expectStatus(await c.applicant.post('/processes/joint-organization', request(c, [c, big], { mode: 'AFFILIATE', hostOrganizationId: randomUUID() })), 400);
    expect(ghost.body.details).toEqual([{ field: 'hostOrganizationId', message: '挂靠党组织不存在' }]);
    const onlyProbationary = await unit(t.org, 0, 1);
    const pool = expectStatus(await c.applicant.post('/processes/joint-organization', request(c, [c, onlyProbationary], { mode: 'AFFILIATE', hostOrganizationId: branch.id })), 400);
    expect(pool.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'R5', severity: 'VIOLATION', message: expect.stringContaining('各单位与挂靠党组织工作人员正式党员合计 2 名') })]));

    // The request's own shape.
    const shape = expectStatus(await c.applicant.post('/processes/joint-organization', { ...request(c, [c, a]), institutionIds: [a.institution.id, b.institution.id], mode: 'AFFILIATE' }), 400);
    expect(shape.body.details.map((x: any) => x.field).sort()).toEqual(['hostOrganizationId', 'institutionIds']);
    const stranger = expectStatus(await c.applicant.post('/processes/joint-organization', { ...request(c, [c, big]), institutionIds: [c.institution.id, a.institution.id] }), 400);
    expect(stranger.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'memberIds', message: expect.stringContaining('不属于参加单位') })]));
    // Only the initiating unit's applicant (or an admin) starts it.
    expectStatus(await a.applicant.post('/processes/joint-organization', request(c, [c, big], { memberIds: c.full.map((m) => m.id) })), 403);

    for (const u of [c, d, big]) {
      expect(expectStatus(await admin.get(`/processes?kind=joint-organization&institutionId=${u.institution.id}`), 200).body.items).toEqual([]);
    }

    // Withdrawn, the open request frees its units.
    await taskOf(b.applicant, open.id, 'consent');
    expectStatus(await a.applicant.post(`/processes/${open.id}/withdraw`, { reason: '暂缓组建' }), 200);
    expect((await processOf(open.id)).status).toBe('WITHDRAWN');
    expectStatus(await c.applicant.post('/processes/joint-organization', request(c, [c, b])), 201);
    maybeRecord('joint-organization-withdrawn', open.workflowId);
  });
});
