/**
 * GET /institutions/:id/compliance over HTTP against the real system: the rules engine's verdict at 0/1/2/3 FULL
 * staff members (probationary ones never count), work coverage, an established branch, elderly members, scope.
 */
import { Client } from 'pg';
import { SEED_SOURCES, type RuleId } from '@app/domain';
import { buildWorld, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
const worlds: World[] = [];

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('policycomp'));
  for (const n of [0, 1, 2, 3]) worlds.push(await buildWorld(admin, n));
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

const compliance = async (http: Http, id: string): Promise<any> => expectStatus(await http.get(`/institutions/${id}/compliance`), 200).body;

/** Every finding names a rule and quotes that rule's seed sentence. */
function expectCited(findings: any[]): void {
  expect(findings.length).toBeGreaterThan(0);
  for (const f of findings) {
    expect(Object.keys(SEED_SOURCES)).toContain(f.ruleId);
    expect(['INFO', 'WARNING', 'VIOLATION']).toContain(f.severity);
    expect(f.message).toEqual(expect.any(String));
    expect(f.source.length).toBeGreaterThan(0);
    expect(f.source).toBe(SEED_SOURCES[f.ruleId as RuleId]);
  }
}

describe('compliance verdicts', () => {
  it('gives INSTRUCTOR / JOINT_ORG / JOINT_ORG / STANDALONE_ORG at 0/1/2/3 FULL staff, probationary members not counted', async () => {
    const expected = [
      { requiredAction: 'INSTRUCTOR', rule: 'R6', severity: 'WARNING' },
      { requiredAction: 'JOINT_ORG', rule: 'R5', severity: 'WARNING' },
      { requiredAction: 'JOINT_ORG', rule: 'R5', severity: 'WARNING' },
      { requiredAction: 'STANDALONE_ORG', rule: 'R4', severity: 'VIOLATION' },
    ];
    for (const [n, world] of worlds.entries()) {
      const v = await compliance(world.applicant, world.institution.id);
      expect(v).toMatchObject({
        institutionId: world.institution.id,
        requiredAction: expected[n]!.requiredAction,
        responsibleBodyId: world.builder.id, // R2: the public builder by default
        partyOrganizationId: null,
        fullStaffMembers: n, // each world also has one PROBATIONARY staff member
        fullElderlyMembers: 0,
        elderlyBranchEligible: false,
        transfersDue: [],
        transferExempt: [],
        termStatus: null,
      });
      expect(v.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expectCited(v.findings);
      expect(v.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: expected[n]!.rule, severity: expected[n]!.severity })]));
      expect(v.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'R2', severity: 'INFO' })]));
    }
    const r4 = (await compliance(admin, worlds[3]!.institution.id)).findings.find((f: any) => f.ruleId === 'R4');
    expect(r4.source).toContain('有3名及3名以上工作人员党员的养老机构');
    expect(r4.message).toContain('预备党员不计入');
    // R8: a PUBLIC_BUILT_PRIVATE_RUN institution without members needs an instructor dispatched by the builder.
    expect((await compliance(admin, worlds[0]!.institution.id)).dispatchRoleDue).toBe('INSTRUCTOR');
  });

  it('is NONE once work coverage exists (instructor; mass organisation for a private institution)', async () => {
    await db.query(`UPDATE institutions SET has_instructor = true WHERE id = $1`, [worlds[0]!.institution.id]);
    const v = await compliance(admin, worlds[0]!.institution.id);
    expect(v).toMatchObject({ requiredAction: 'NONE', coverage: { organisation: false, work: true, kind: 'WORK_INSTRUCTOR' } });
    expect(v.findings.find((f: any) => f.ruleId === 'R6')).toBeUndefined();

    const priv = expectStatus(
      await admin.post('/institutions', { name: `民营养老院${Date.now()}`, type: 'PRIVATE', district: '江北区', townshipOrgId: worlds[0]!.township.id }),
      201,
    ).body;
    const before = await compliance(admin, priv.id);
    expect(before).toMatchObject({ requiredAction: 'INSTRUCTOR', responsibleBodyId: worlds[0]!.township.id, fullStaffMembers: 0 });
    expect(before.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'R3b' }), expect.objectContaining({ ruleId: 'R6' })]));
    await db.query(`UPDATE institutions SET has_mass_organisation = true WHERE id = $1`, [priv.id]);
    expect(await compliance(admin, priv.id)).toMatchObject({ requiredAction: 'NONE', coverage: { kind: 'WORK_MASS_ORG' } });
  });

  it('counts FULL elderly members for R7 (R12-exempt ones only with consent) and reports the exempt ones', async () => {
    const world = worlds[1]!;
    for (const [i, birthDate] of ['1955-03-01', '1958-07-15', '1960-01-01', '1935-03-01'].entries()) {
      expectStatus(await admin.post('/members', { name: `老年党员${i}`, institutionId: world.institution.id, category: 'ELDERLY', status: 'FULL', birthDate }), 201);
    }
    expectStatus(await admin.post('/members', { name: '老年预备党员', institutionId: world.institution.id, category: 'ELDERLY', status: 'PROBATIONARY' }), 201);
    const v = await compliance(world.applicant, world.institution.id);
    expect(v).toMatchObject({ fullStaffMembers: 1, fullElderlyMembers: 4, elderlyBranchEligible: true, requiredAction: 'JOINT_ORG' });
    expect(v.transferExempt).toHaveLength(1);
    expect(v.transferExempt[0].reasons).toEqual(['ADVANCED_AGE']);
    expectCited(v.findings);
    expect(v.findings.map((f: any) => f.ruleId)).toEqual(expect.arrayContaining(['R7', 'R12']));
  });

  it('is NONE with the organisation, its term and the transfers due after establish-branch is approved', async () => {
    const world = worlds[3]!;
    const memberIds = world.members.filter((m) => m.status === 'FULL').map((m) => m.id);
    const created = expectStatus(
      await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: '颐乐园党支部', memberIds, secretaryMemberId: memberIds[0] }),
      201,
    ).body;
    const task = await waitFor('the approval task', async () => {
      const inbox = expectStatus(await world.approver.get('/tasks?status=OPEN'), 200).body;
      return inbox.items.find((t: any) => t.processId === created.id);
    });
    expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意' }), 200);
    const proc = expectStatus(await admin.get(`/processes/${created.id}`), 200).body;
    const v = await compliance(world.applicant, world.institution.id);
    expect(v).toMatchObject({
      requiredAction: 'NONE',
      partyOrganizationId: proc.result.partyOrganizationId,
      termStatus: 'ACTIVE',
      coverage: { organisation: true, work: true, kind: 'ORG_STANDALONE' },
    });
    // R11: staff relations recorded nowhere must move into the new branch (the probationary member too).
    expect([...v.transfersDue].sort()).toEqual(world.members.map((m) => m.id).sort());
    expect(v.findings.filter((f: any) => f.ruleId === 'R11')).toHaveLength(world.members.length);
    expect(v.findings.find((f: any) => f.ruleId === 'R4' && f.severity === 'VIOLATION')).toBeUndefined();
  });
});

describe('compliance access and cost', () => {
  it('answers scoped users, 403 out of scope, 404 for unknown ids, 401 without a token', async () => {
    const [a, b] = [worlds[1]!, worlds[2]!];
    await compliance(a.applicant, a.institution.id);
    await compliance(a.approver, a.institution.id); // the builder's approver reads what lies under it
    const outsider = expectStatus(await a.outsider.get(`/institutions/${a.institution.id}/compliance`), 403).body;
    expect(outsider).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
    expectStatus(await a.applicant.get(`/institutions/${b.institution.id}/compliance`), 403);
    expectStatus(await b.approver.get(`/institutions/${a.institution.id}/compliance`), 403);
    const missing = expectStatus(await admin.get('/institutions/00000000-0000-0000-0000-000000000000/compliance'), 404).body;
    expect(missing).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expectStatus(await admin.get('/institutions/not-a-uuid/compliance'), 404);
    expectStatus(await new Http(sys.baseUrl).get(`/institutions/${a.institution.id}/compliance`), 401);
  });
});
