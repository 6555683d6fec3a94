/**
 * relation-transfer 组织关系转接 and reporting 报到 over HTTP against the real API and worker: a new branch opens the
 * transfers its staff members are due (R11), the compliance card and /admin/overdue list them with their due dates
 * until they complete, R12/R13 refusals, the member's own request, and elderly members who report instead.
 */
import { buildWorld, grantEstablishBranch, makeUser, openStepTask, recordFoundingElection, shanghaiDate, type Person, type World } from './support/fixtures';
import { fetchHistory, maybeRecord, replay } from './support/histories';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystem, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let world: World;
let township: Person;
/** The institution's branch, created by the establish-branch of the first test. */
let branchId: string;
const m: Record<'away' | 'recent' | 'aged' | 'disabled' | 'elder', any> = {} as never;
let elderSelf: Person;

beforeAll(async () => {
  sys = await startSystem('transfer');
  admin = await new Http(sys.baseUrl).login(sys.env.ADMIN_USERNAME!, sys.adminPassword);
  world = await buildWorld(admin, 3);
  township = await makeUser(admin, 'township', ['APPROVER'], [world.township.id]);
  const member = async (body: Record<string, unknown>): Promise<any> =>
    expectStatus(await world.applicant.post('/members', { institutionId: world.institution.id, status: 'FULL', ...body }), 201).body;
  // Two staff members whose relation sits with another registered organisation: one joined 100 days ago (overdue), one 10.
  m.away = await member({ name: '外转人员甲', category: 'STAFF', relationOrgId: world.otherOrg.id, joinedAt: shanghaiDate(-100) });
  m.recent = await member({ name: '外转人员乙', category: 'STAFF', relationOrgId: world.otherOrg.id, joinedAt: shanghaiDate(-10) });
  // Elderly residents: advanced age and disabled (R12-exempt), and a 75-year-old (R13).
  m.aged = await member({ name: '高龄老人', category: 'ELDERLY', birthDate: '1935-04-01', relationOrgId: world.otherOrg.id });
  m.disabled = await member({ name: '失能老人', category: 'ELDERLY', birthDate: '1950-04-01', disabled: true, relationOrgId: world.otherOrg.id });
  m.elder = await member({ name: '自愿老人', category: 'ELDERLY', birthDate: '1950-06-01', relationOrgId: world.otherOrg.id });
  elderSelf = await makeUser(admin, 'elder', ['APPLICANT'], [], [], { memberId: m.elder.id });
});

afterAll(async () => {
  await sys?.stop();
});

const proc = async (id: string): Promise<any> => expectStatus(await admin.get(`/processes/${id}`), 200).body;
const compliance = async (): Promise<any> => expectStatus(await admin.get(`/institutions/${world.institution.id}/compliance`), 200).body;
const transfersOf = async (): Promise<any[]> =>
  expectStatus(await admin.get(`/processes?kind=relation-transfer&institutionId=${world.institution.id}&limit=500`), 200).body.items;
const relationOf = async (memberId: string): Promise<string | null> => expectStatus(await admin.get(`/members/${memberId}`), 200).body.relationOrgId;

async function until(what: string, id: string, done: (p: any) => boolean): Promise<any> {
  return waitFor(what, async () => {
    const p = await proc(id);
    return done(p) ? p : null;
  });
}

async function decide(as: Http, processId: string, step: string, decision = 'APPROVE'): Promise<any> {
  const task = await openStepTask(as, processId, step);
  return expectStatus(await as.post(`/tasks/${task.id}/decision`, { decision, comment: '同意' }), 200).body;
}

describe('a new branch opens the transfers its staff members are due (R11)', () => {
  it('one per staff member whose relation is elsewhere, filed under the institution with the branch applicant; compliance and /admin/overdue show them', async () => {
    // No organisation yet: nothing can be transferred into, so nothing is due.
    expect((await compliance()).transfers).toEqual([]);
    const staff = [...world.members.map((x) => x.id), m.away.id, m.recent.id];
    const created = expectStatus(
      await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds: staff, secretaryMemberId: staff[0] }),
      201,
    ).body;
    const done = await grantEstablishBranch(admin, world, created.id, staff[0]);
    branchId = done.result.partyOrganizationId;
    const followUps = done.timeline.find((e: any) => e.action === 'RELATION_FOLLOW_UPS');
    expect(followUps.data).toMatchObject({ partyOrganizationId: branchId, reportedMemberIds: [] });
    expect(followUps.data.transferProcessIds).toHaveLength(staff.length);

    const transfers = await transfersOf();
    expect(transfers.map((t) => t.id).sort()).toEqual([...followUps.data.transferProcessIds].sort());
    for (const t of transfers) expect(t).toMatchObject({ kind: 'relation-transfer', institutionId: world.institution.id, applicantId: world.applicantUser.id });
    const byMember = new Map<string, any>();
    for (const t of transfers) byMember.set((await proc(t.id)).payload.memberId, t);
    expect([...byMember.keys()].sort()).toEqual([...staff].sort());
    // A relation on record: its organisation is asked to release it. None on record: the applicant must bring the
    // transfer letter (the request comes back to them at once, and they are told).
    expect((await openStepTask(world.outsider, byMember.get(m.away.id).id, 'release')).candidateOrgId).toBe(world.otherOrg.id);
    const external = await until('the external transfer returned', byMember.get(world.members[0].id).id, (p) => p.status === 'RETURNED');
    expect(external.timeline.map((e: any) => e.action)).toEqual(expect.arrayContaining(['RULES_PASSED', 'LETTER_REQUIRED']));
    await waitFor('the letter emails', async () => sys.mail.to(world.applicantUser.email).filter((x) => x.subject.includes('【退回修改】') && x.subject.includes('组织关系转接')).length === 4);

    const card = await compliance();
    expect(card.partyOrganizationId).toBe(branchId);
    expect([...card.transfersDue].sort()).toEqual([...staff].sort());
    const due = new Map(card.transfers.map((t: any) => [t.memberId, t]));
    expect(due.get(m.away.id)).toEqual({ memberId: m.away.id, dueBy: shanghaiDate(-10), overdue: true, underWay: true });
    expect(due.get(m.recent.id)).toEqual({ memberId: m.recent.id, dueBy: shanghaiDate(80), overdue: false, underWay: true });
    expect(due.get(world.members[0].id)).toEqual({ memberId: world.members[0].id, dueBy: null, overdue: false, underWay: true });
    const overdue = expectStatus(await admin.get('/admin/overdue'), 200).body;
    const mine = overdue.transfers.filter((t: any) => t.institutionId === world.institution.id);
    expect(mine).toEqual([
      expect.objectContaining({ memberId: m.away.id, dueBy: shanghaiDate(-10), overdueDays: 10, organizationId: branchId, processId: byMember.get(m.away.id).id }),
    ]);
    expect(overdue.counts.transfers).toBeGreaterThanOrEqual(1);

    const history = await fetchHistory(created.workflowId);
    await replay(history, created.workflowId);
    maybeRecord('establish-branch-v3-relation-follow-ups', created.workflowId);
  });
});

describe('who may ask, and what R12/R13 refuse', () => {
  it('400 naming R12 for an exempt member without an exception reason; R13 needs the member\'s own request; 403, 409 and field errors', async () => {
    const ask = (as: Http, body: Record<string, unknown>) => as.post('/processes/relation-transfer', body);
    // R12: the member's own request alone never moves them.
    const r12 = expectStatus(await ask(world.applicant, { memberId: m.aged.id, toOrganizationId: branchId, reason: '本人书面申请迁入' }), 400).body;
    expect(r12.message).toContain('R12');
    expect(r12.details).toEqual([expect.objectContaining({ ruleId: 'R12', severity: 'VIOLATION', source: expect.stringContaining('高龄、失能、失智老年人党员一般不转移') })]);
    // R13: staff submitting for an elderly member state the member's own request.
    const r13 = expectStatus(await ask(world.applicant, { memberId: m.elder.id, toOrganizationId: branchId }), 400).body;
    expect(r13.details).toEqual([{ field: 'reason', message: expect.stringContaining('R13') }]);
    expect(await transfersOf()).toHaveLength(6);

    expectStatus(await ask(world.outsider, { memberId: m.elder.id, toOrganizationId: branchId, reason: '本人申请' }), 403);
    expect(expectStatus(await ask(world.applicant, { memberId: m.away.id, toOrganizationId: branchId }), 409).body.message).toContain('进行中');
    const wrongOrg = expectStatus(await ask(world.applicant, { memberId: m.elder.id, toOrganizationId: world.otherOrg.id, reason: '本人申请' }), 400).body;
    expect(wrongOrg.details.map((d: any) => d.field)).toEqual(['toOrganizationId']);
    const letterForRegistry = expectStatus(
      await ask(world.applicant, { memberId: m.elder.id, toOrganizationId: branchId, reason: '本人申请', fromOrganizationName: '原单位', letterNumber: '1', letterIssuedOn: shanghaiDate(-1) }),
      400,
    ).body;
    expect(letterForRegistry.details.map((d: any) => d.field)).toEqual(['fromOrganizationName', 'letterNumber', 'letterIssuedOn']);
    const blank = expectStatus(await ask(world.applicant, { memberId: m.aged.id, toOrganizationId: branchId, exceptionReason: '  ' }), 400).body;
    expect(blank.details.map((d: any) => d.field)).toEqual(['exceptionReason']);
    expect(expectStatus(await ask(world.applicant, { memberId: '00000000-0000-4000-8000-000000000099', toOrganizationId: branchId }), 400).body.details).toEqual([
      { field: 'memberId', message: '党员不存在' },
    ]);

    // The elderly member's own account asks for themself (R13): no reason needed.
    const own = expectStatus(await ask(elderSelf.http, { memberId: m.elder.id, toOrganizationId: branchId }), 201).body;
    expect(own).toMatchObject({ kind: 'relation-transfer', institutionId: world.institution.id, applicantId: elderSelf.user.id });
    expect((await openStepTask(world.outsider, own.id, 'release')).candidateOrgId).toBe(world.otherOrg.id);

    // R12 exception: the member's request and a reason; the branch's responsible body (R1: the sponsor) approves first.
    const exception = expectStatus(
      await ask(world.applicant, { memberId: m.aged.id, toOrganizationId: branchId, reason: '本人书面申请迁入', exceptionReason: '子女均在本市，本人坚持' }),
      201,
    ).body;
    const first = await openStepTask(world.approver, exception.id, 'exception');
    expect(first).toMatchObject({ candidateOrgId: world.builder.id, title: expect.stringContaining('R12') });
    expect((await proc(exception.id)).findings.map((f: any) => f.ruleId)).toEqual(['R12', 'R1']);
    maybeRecord('relation-transfer-exception-open', exception.workflowId);
  });
});

describe('transfers complete', () => {
  it('the relation moves only when the receiving side accepts; letters bring external ones in; the compliance card and /admin/overdue then show none', async () => {
    const byMember = new Map<string, any>();
    for (const t of await transfersOf()) {
      const p = await proc(t.id);
      if (p.status === 'RUNNING' || p.status === 'RETURNED') byMember.set(p.payload.memberId, p);
    }
    // Registered releasing side: it confirms, then the new branch accepts (nobody acts for it yet: its sponsor does).
    const away = byMember.get(m.away.id);
    await decide(world.outsider, away.id, 'release');
    expect(await relationOf(m.away.id)).toBe(world.otherOrg.id);
    const accepted = await decide(world.approver, away.id, 'accept');
    expect(accepted.process.status).toBe('APPROVED');
    expect(await relationOf(m.away.id)).toBe(branchId);
    const moved = await proc(away.id);
    expect(moved.result).toEqual({ memberId: m.away.id, fromOrganizationId: world.otherOrg.id, fromOrganizationName: null, toOrganizationId: branchId });
    const history = expectStatus(await admin.get(`/members/${m.away.id}/history`), 200).body;
    expect(history).toEqual([expect.objectContaining({ changedById: world.approverUser.id, source: `relation-transfer:${away.id}`, changes: [{ field: 'relationOrgId', before: world.otherOrg.id, after: branchId }] })]);
    expect((await compliance()).transfers.map((t: any) => t.memberId)).not.toContain(m.away.id);
    await replay(await fetchHistory(away.workflowId), away.workflowId);
    maybeRecord('relation-transfer-approved', away.workflowId);

    await decide(world.outsider, byMember.get(m.recent.id).id, 'release');
    await decide(world.approver, byMember.get(m.recent.id).id, 'accept');

    // Outside the registry: the applicant resubmits with the letter; the receiving side checks it, then accepts.
    const expired = expectStatus(
      await world.applicant.post(`/processes/${byMember.get(world.members[0].id).id}/resubmit`, {
        memberId: world.members[0].id,
        toOrganizationId: branchId,
        fromOrganizationName: '某物业公司党支部',
        letterNumber: '介字第 9 号',
        letterIssuedOn: shanghaiDate(-91),
      }),
      400,
    ).body;
    expect(expired.details).toEqual([{ field: 'letterIssuedOn', message: expect.stringContaining('过期') }]);
    for (const [i, x] of world.members.entries()) {
      const p = byMember.get(x.id);
      expectStatus(
        await world.applicant.post(`/processes/${p.id}/resubmit`, {
          memberId: x.id,
          toOrganizationId: branchId,
          fromOrganizationName: '某物业公司党支部',
          letterNumber: `介字第 ${i + 1} 号`,
          letterIssuedOn: shanghaiDate(-30),
        }),
        200,
      );
      await decide(world.approver, p.id, 'letter');
      await decide(world.approver, p.id, 'accept');
    }
    const letterOne = byMember.get(world.members[0].id);
    const done = await until('the letter transfer done', letterOne.id, (p) => p.status === 'APPROVED');
    expect(done.timeline.map((e: any) => e.action)).toEqual(expect.arrayContaining(['LETTER_REQUIRED', 'RESUBMITTED', 'RELATION_MOVED']));
    expect(done.result).toMatchObject({ fromOrganizationId: null, fromOrganizationName: '某物业公司党支部', toOrganizationId: branchId });
    await replay(await fetchHistory(letterOne.workflowId), letterOne.workflowId);
    maybeRecord('relation-transfer-letter-resubmitted', letterOne.workflowId);

    const card = await waitFor('every staff transfer done', async () => {
      const c = await compliance();
      return c.transfers.length === 0 ? c : null;
    });
    expect(card.transfersDue).toEqual([]);
    expect(card.findings.filter((f: any) => f.ruleId === 'R11')).toEqual([]);
    const overdue = expectStatus(await admin.get('/admin/overdue'), 200).body;
    expect(overdue.transfers.filter((t: any) => t.institutionId === world.institution.id)).toEqual([]);
  });
});

describe('R7 RELATION_IN and reporting (报到)', () => {
  it('open transfers in count toward an elderly branch; the new elderly branch records its exempt members as reporting', async () => {
    expectStatus(await admin.patch('/admin/settings/policy', { elderlyBranchCountBasis: 'RELATION_IN' }), 200);
    try {
      // The aged member's exception and the elder's own request are under way; the disabled member's is not.
      let card = await compliance();
      expect(card).toMatchObject({ fullElderlyMembers: 3, elderlyBranchEligible: false });
      expectStatus(
        await admin.post('/processes/relation-transfer', { memberId: m.disabled.id, toOrganizationId: branchId, reason: '家属代本人申请', exceptionReason: '长期在本院护理' }),
        201,
      );
      card = await compliance();
      expect(card.elderlyBranchEligible).toBe(true);
      expect(card.transferExempt).toEqual([]);

      // The township decides an elderly branch (R3); once it exists, the exempt members report to it.
      const created = expectStatus(
        await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: '老年人党支部', memberIds: [m.aged.id, m.disabled.id, m.elder.id], elderly: true }),
        201,
      ).body;
      await decide(township.http, created.id, 'approve');
      await recordFoundingElection(admin, { approver: township.http }, created.id);
      const done = await proc(created.id);
      const elderlyBranchId = done.result.partyOrganizationId;
      const followUps = done.timeline.find((e: any) => e.action === 'RELATION_FOLLOW_UPS').data;
      expect(followUps).toMatchObject({ partyOrganizationId: elderlyBranchId, transferProcessIds: [] });
      expect([...followUps.reportedMemberIds].sort()).toEqual([m.aged.id, m.disabled.id].sort());
      const reports = expectStatus(await world.applicant.get(`/members/${m.disabled.id}/reports`), 200).body;
      expect(reports).toEqual([expect.objectContaining({ organizationId: elderlyBranchId, institutionId: world.institution.id, processId: created.id, reportedOn: shanghaiDate() })]);
      expect(expectStatus(await admin.get(`/members/${m.elder.id}/reports`), 200).body).toEqual([]);
      maybeRecord('establish-branch-v3-elderly-reports', created.workflowId);
    } finally {
      expectStatus(await admin.patch('/admin/settings/policy', { elderlyBranchCountBasis: 'ALL_FULL_RESIDENTS' }), 200);
    }
  });

  it('POST /members/:id/report records an elderly member with the institution\'s organisation, once, without moving the relation', async () => {
    const path = `/members/${m.elder.id}/report`;
    const saved = expectStatus(await world.applicant.post(path, { organizationId: branchId, note: '参加支部组织生活' }), 201).body;
    expect(saved).toMatchObject({ memberId: m.elder.id, organizationId: branchId, institutionId: world.institution.id, note: '参加支部组织生活', recordedById: world.applicantUser.id, processId: null });
    expect(await relationOf(m.elder.id)).toBe(world.otherOrg.id);
    expect(expectStatus(await world.applicant.post(path, { organizationId: branchId }), 409).body.message).toContain('已向该党组织报到');
    expectStatus(await world.outsider.post(path, { organizationId: branchId }), 403);
    expect(expectStatus(await world.applicant.post(`/members/${m.away.id}/report`, { organizationId: branchId }), 400).body.details).toEqual([
      { field: 'memberId', message: expect.stringContaining('R11') },
    ]);
    expect(expectStatus(await world.applicant.post(path, { organizationId: world.otherOrg.id }), 400).body.details.map((d: any) => d.field)).toEqual(['organizationId']);
    expect(expectStatus(await world.applicant.post(path, { organizationId: 'nope' }), 400).body.details.map((d: any) => d.field)).toEqual(['organizationId']);
    expectStatus(await admin.post('/members/00000000-0000-4000-8000-000000000099/report', { organizationId: branchId }), 404);
    expect(expectStatus(await world.approver.get(`/members/${m.elder.id}/reports`), 200).body).toEqual([expect.objectContaining({ id: saved.id })]);
    expectStatus(await world.outsider.get(`/members/${m.elder.id}/reports`), 403);
    // The joining date is kept and may be corrected (PATCH), the relation never.
    expect(expectStatus(await world.applicant.patch(`/members/${m.recent.id}`, { joinedAt: shanghaiDate(-20) }), 200).body.joinedAt).toBe(shanghaiDate(-20));
    expectStatus(await world.applicant.patch(`/members/${m.recent.id}`, { relationOrgId: world.otherOrg.id }), 400);
  });
});
