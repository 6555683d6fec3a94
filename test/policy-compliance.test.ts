/**
 * GET /institutions/:id/compliance over HTTP against the real system: the rules engine's verdict at 0/1/2/3 FULL
 * staff members (probationary ones never count toward a threshold, but make an institution R5 rather than R6), work
 * coverage, an established branch, elderly members and the R7 count basis, routing (R2 without a builder
 * organisation, R3b set to DISTRICT), scope.
 */
import { Client } from 'pg';
import { SEED_SOURCES, type RuleId } from '@app/domain';
import { buildWorld, grantEstablishBranch, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
const worlds: World[] = [];

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('policycomp'));
  for (const n of [0, 1, 2, 3]) worlds.push(await buildWorld(admin, n, 'PUBLIC_BUILT_PRIVATE_RUN'));
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
  it('gives JOINT_ORG / JOINT_ORG / JOINT_ORG / STANDALONE_ORG at 0/1/2/3 FULL staff beside a probationary one (R5, never R6)', async () => {
    const expected = [
      { requiredAction: 'JOINT_ORG', rule: 'R5', severity: 'WARNING' },
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
      expect(v.findings.find((f: any) => f.ruleId === 'R6')).toBeUndefined();
    }
    const r4 = (await compliance(admin, worlds[3]!.institution.id)).findings.find((f: any) => f.ruleId === 'R4');
    expect(r4.source).toContain('有3名及3名以上工作人员党员的养老机构');
    expect(r4.message).toContain('预备党员不计入');
    const r5 = (await compliance(admin, worlds[0]!.institution.id)).findings.find((f: any) => f.ruleId === 'R5');
    expect(r5.message).toContain('均为预备党员');
    // R8: a PUBLIC_BUILT_PRIVATE_RUN institution that cannot form its own organisation needs an instructor dispatched by the builder.
    expect((await compliance(admin, worlds[0]!.institution.id)).dispatchRoleDue).toBe('INSTRUCTOR');
  });

  it('is NONE once work coverage exists where there is no staff party member; probationary staff need an organisation', async () => {
    // The probationary staff member makes world 0 an R5 case: an instructor is work coverage, not the organisation it needs.
    await db.query(`UPDATE institutions SET has_instructor = true WHERE id = $1`, [worlds[0]!.institution.id]);
    const probationary = await compliance(admin, worlds[0]!.institution.id);
    expect(probationary).toMatchObject({ requiredAction: 'JOINT_ORG', coverage: { organisation: false, work: true, kind: 'WORK_INSTRUCTOR' } });

    const empty = expectStatus(
      await admin.post('/institutions', { name: `无党员养老院${Date.now()}`, type: 'PUBLIC_BUILT_PRIVATE_RUN', district: '海曙区', townshipOrgId: worlds[0]!.township.id, publicBuilderOrgId: worlds[0]!.builder.id }),
      201,
    ).body;
    const r6 = await compliance(admin, empty.id);
    expect(r6).toMatchObject({ requiredAction: 'INSTRUCTOR', dispatchRoleDue: 'INSTRUCTOR' });
    expect(r6.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'R6', severity: 'WARNING' })]));
    await db.query(`UPDATE institutions SET has_instructor = true WHERE id = $1`, [empty.id]);
    const v = await compliance(admin, empty.id);
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

  it('counts every FULL elderly resident for R7 by default (R12-exempt ones too), only relations in under RELATION_IN, and reports the exempt ones', async () => {
    const world = worlds[1]!;
    for (const [i, birthDate] of ['1955-03-01', '1958-07-15', '1935-03-01'].entries()) {
      expectStatus(await admin.post('/members', { name: `老年党员${i}`, institutionId: world.institution.id, category: 'ELDERLY', status: 'FULL', birthDate }), 201);
    }
    expectStatus(await admin.post('/members', { name: '老年预备党员', institutionId: world.institution.id, category: 'ELDERLY', status: 'PROBATIONARY' }), 201);
    const v = await compliance(world.applicant, world.institution.id);
    expect(v).toMatchObject({ fullStaffMembers: 1, fullElderlyMembers: 3, elderlyBranchEligible: true, requiredAction: 'JOINT_ORG' });
    expect(v.transferExempt).toHaveLength(1);
    expect(v.transferExempt[0].reasons).toEqual(['ADVANCED_AGE']);
    expectCited(v.findings);
    expect(v.findings.map((f: any) => f.ruleId)).toEqual(expect.arrayContaining(['R7', 'R12']));

    // RELATION_IN: nobody's relation is in an organisation of the institution (it has none), so nobody counts.
    expectStatus(await admin.patch('/admin/settings/policy', { elderlyBranchCountBasis: 'RELATION_IN' }), 200);
    try {
      const relationIn = await compliance(world.applicant, world.institution.id);
      expect(relationIn).toMatchObject({ fullElderlyMembers: 3, elderlyBranchEligible: false });
    } finally {
      expectStatus(await admin.patch('/admin/settings/policy', { elderlyBranchCountBasis: 'ALL_FULL_RESIDENTS' }), 200);
    }
    expect((await compliance(world.applicant, world.institution.id)).elderlyBranchEligible).toBe(true);
  });

  it('is NONE with the organisation, its term and the transfers due after establish-branch is approved', async () => {
    const world = worlds[3]!;
    const memberIds = world.members.filter((m) => m.status === 'FULL').map((m) => m.id);
    const created = expectStatus(
      await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: '颐乐园党支部', memberIds, secretaryMemberId: memberIds[0] }),
      201,
    ).body;
    // Approved, the secretary designated by the builder (R8), and the founding election held: the term runs.
    const proc = await grantEstablishBranch(admin, world, created.id, memberIds[0]!);
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

describe('routing (R2, R3b)', () => {
  it('R2: a PUBLIC_BUILT_PRIVATE_RUN institution whose builder has no party organisation on record is managed by its township', async () => {
    // The API insists on a builder; older or imported rows may lack one.
    const { rows } = await db.query(
      `INSERT INTO institutions (name, type, district, township_org_id) VALUES ($1, 'PUBLIC_BUILT_PRIVATE_RUN', '海曙区', $2) RETURNING id`,
      [`无公建方党组织养老院${Date.now()}`, worlds[2]!.township.id],
    );
    const v = await compliance(admin, rows[0].id);
    expect(v.responsibleBodyId).toBe(worlds[2]!.township.id);
    expect(v.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'R2', severity: 'INFO' })]));
  });

  it('R3b: follows the per-type setting to the district organisation above the township, and back', async () => {
    const township = worlds[2]!.township;
    expect(township.parentId).toEqual(expect.any(String));
    const centre = expectStatus(await admin.post('/institutions', { name: `居家养老服务中心${Date.now()}`, type: 'HOME_CARE_CENTER', district: '海曙区', townshipOrgId: township.id }), 201).body;
    const priv = expectStatus(await admin.post('/institutions', { name: `民营养老院${Date.now()}`, type: 'PRIVATE', district: '海曙区', townshipOrgId: township.id }), 201).body;
    expect((await compliance(admin, centre.id)).responsibleBodyId).toBe(township.id);
    expectStatus(await admin.patch('/admin/settings/policy', { silentTypesResponsibleBody: { HOME_CARE_CENTER: 'DISTRICT' } }), 200);
    try {
      const v = await compliance(admin, centre.id);
      expect(v.responsibleBodyId).toBe(township.parentId);
      expect(v.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'R3b', severity: 'INFO' })]));
      expect((await compliance(admin, priv.id)).responsibleBodyId).toBe(township.id);
    } finally {
      expectStatus(await admin.patch('/admin/settings/policy', { silentTypesResponsibleBody: { HOME_CARE_CENTER: 'TOWNSHIP' } }), 200);
    }
    expect((await compliance(admin, centre.id)).responsibleBodyId).toBe(township.id);
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
