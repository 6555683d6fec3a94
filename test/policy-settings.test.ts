/**
 * Policy settings over HTTP: GET the effective settings, PATCH with field-level validation (nothing changes on
 * error), the append-only audit, and that a change never re-routes a task that is already open.
 */
import { Client } from 'pg';
import { DEFAULT_POLICY_SETTINGS } from '@app/domain';
import { createDataSource, MIGRATIONS } from '@app/persistence';
import { buildWorld, makeUser, openStepTask, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
let world: World;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('policyset'));
  world = await buildWorld(admin, 2, 'PUBLIC_BUILT_PRIVATE_RUN');
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

const PATH = '/admin/settings/policy';
const settingsNow = async (): Promise<any> => expectStatus(await admin.get(PATH), 200).body;
const auditRows = async (): Promise<any[]> => expectStatus(await admin.get(`${PATH}/audit?limit=500`), 200).body.items;

describe('policy settings', () => {
  it('GET returns the effective settings (seeded row over the defaults); ADMIN only', async () => {
    expect(await settingsNow()).toEqual(DEFAULT_POLICY_SETTINGS);
    expectStatus(await world.applicant.get(PATH), 403);
    expectStatus(await world.approver.patch(PATH, { advancedAgeYears: 85 }), 403);
    expectStatus(await new Http(sys.baseUrl).get(PATH), 401);
  });

  it('refuses bad PATCHes with 400 naming the field, and changes nothing', async () => {
    const before = await settingsNow();
    const cases: Array<[unknown, string[]]> = [
      [{ foo: 1 }, ['foo']],
      [{ advancedAgeYears: -1 }, ['advancedAgeYears']],
      [{ standaloneOrgMinFullStaff: '3' }, ['standaloneOrgMinFullStaff']],
      [{ standaloneOrgMinFullStaff: 2.5 }, ['standaloneOrgMinFullStaff']],
      [{ termYears: { BRANCH: 'three' } }, ['termYears.BRANCH']],
      [{ termYears: { CASTLE: 3 } }, ['termYears.CASTLE']],
      [{ coverageTargets: { PUBLIC: { targetDate: '2020-02-30' } } }, ['coverageTargets.PUBLIC.targetDate']],
      [{ weeklyDutyAppliesTo: ['PUBLIC', 'CASTLE'] }, ['weeklyDutyAppliesTo[1]']],
      [{ committeeMinSize: 9 }, ['committeeMinSize']],
      [{ silentTypesResponsibleBody: 'TOWNSHIP' }, ['silentTypesResponsibleBody']],
      [{ silentTypesResponsibleBody: { PRIVATE: 'CITY' } }, ['silentTypesResponsibleBody.PRIVATE']],
      [{ silentTypesResponsibleBody: { PUBLIC: 'DISTRICT' } }, ['silentTypesResponsibleBody.PUBLIC']],
      [{ elderlyBranchCountBasis: 'CONSENTED_TRANSFERS' }, ['elderlyBranchCountBasis']],
      [{ electionMaxShiftDays: 365 }, ['electionMaxShiftDays']],
      [{ electionMaxShiftYears: 0.5 }, ['electionMaxShiftYears']],
      // A valid change beside an invalid one: the whole request is refused.
      [{ advancedAgeYears: 85, stipendMonthlyFen: -100 }, ['stipendMonthlyFen']],
      [{ advancedAgeYears: 85, unknownKey: true }, ['unknownKey']],
      [{}, ['body']],
      [[{ advancedAgeYears: 85 }], ['body']],
    ];
    for (const [body, fields] of cases) {
      const res = expectStatus(await admin.patch(PATH, body), 400).body;
      expect(res).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.details.map((d: any) => d.field)).toEqual(fields);
      for (const f of fields) expect(res.message).toContain(f);
    }
    expect(await settingsNow()).toEqual(before);
    expect(await auditRows()).toHaveLength(0);
  });

  it('merges a valid partial PATCH over nested defaults, stores it and audits who changed what', async () => {
    const me = expectStatus(await admin.get('/auth/me'), 200).body;
    const after = expectStatus(await admin.patch(PATH, { advancedAgeYears: 85, termYears: { COMMITTEE: 4 }, coverageTargets: { PRIVATE: { firmness: 'FIRM' } } }), 200).body;
    expect(after).toEqual({
      ...DEFAULT_POLICY_SETTINGS,
      advancedAgeYears: 85,
      termYears: { ...DEFAULT_POLICY_SETTINGS.termYears, COMMITTEE: 4 },
      coverageTargets: { ...DEFAULT_POLICY_SETTINGS.coverageTargets, PRIVATE: { targetDate: '2022-12-31', firmness: 'FIRM' } },
    });
    expect(await settingsNow()).toEqual(after);
    const row = (await db.query(`SELECT value FROM settings WHERE key = 'policy'`)).rows[0].value;
    expect(row.termYears).toEqual({ ...DEFAULT_POLICY_SETTINGS.termYears, COMMITTEE: 4 });

    const audit = await auditRows();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ settingKey: 'policy', changedById: me.id, patch: { advancedAgeYears: 85 } });
    expect(audit[0].changedByName).toContain(me.username);
    expect(audit[0].changes).toEqual(
      expect.arrayContaining([
        { path: 'advancedAgeYears', before: 80, after: 85 },
        { path: 'termYears.COMMITTEE', before: 5, after: 4 },
        { path: 'coverageTargets.PRIVATE.firmness', before: 'ASPIRATIONAL', after: 'FIRM' },
      ]),
    );
    expect(audit[0].changes).toHaveLength(3);

    // Repeating it changes nothing and records nothing.
    expectStatus(await admin.patch(PATH, { advancedAgeYears: 85 }), 200);
    expect(await auditRows()).toHaveLength(1);

    // The audit is append-only.
    await expect(db.query(`UPDATE settings_audit SET changed_by_name = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM settings_audit`)).rejects.toThrow(/append-only/);
  });

  it('applies to verdicts evaluated from now on', async () => {
    const url = `/institutions/${world.institution.id}/compliance`;
    expect(expectStatus(await world.applicant.get(url), 200).body.requiredAction).toBe('JOINT_ORG');
    expectStatus(await admin.patch(PATH, { standaloneOrgMinFullStaff: 2 }), 200);
    expect(expectStatus(await world.applicant.get(url), 200).body.requiredAction).toBe('STANDALONE_ORG');
    expectStatus(await admin.patch(PATH, { standaloneOrgMinFullStaff: 3 }), 200);
    expect(expectStatus(await world.applicant.get(url), 200).body.requiredAction).toBe('JOINT_ORG');
    expect((await auditRows()).slice(0, 2).map((a) => a.patch)).toEqual([{ standaloneOrgMinFullStaff: 3 }, { standaloneOrgMinFullStaff: 2 }]);
  });
});

describe('the revised settings (R3b per type, R7 count basis, R15 shift in years)', () => {
  it('are edited through the same PATCH and audited leaf by leaf', async () => {
    const after = expectStatus(
      await admin.patch(PATH, { silentTypesResponsibleBody: { HOME_CARE_STATION: 'DISTRICT' }, elderlyBranchCountBasis: 'RELATION_IN', electionMaxShiftYears: 2 }),
      200,
    ).body;
    expect(after).toMatchObject({
      silentTypesResponsibleBody: { PRIVATE: 'TOWNSHIP', HOME_CARE_CENTER: 'TOWNSHIP', HOME_CARE_STATION: 'DISTRICT' },
      elderlyBranchCountBasis: 'RELATION_IN',
      electionMaxShiftYears: 2,
    });
    expect((await auditRows())[0].changes).toEqual([
      { path: 'silentTypesResponsibleBody.HOME_CARE_STATION', before: 'TOWNSHIP', after: 'DISTRICT' },
      { path: 'elderlyBranchCountBasis', before: 'ALL_FULL_RESIDENTS', after: 'RELATION_IN' },
      { path: 'electionMaxShiftYears', before: 1, after: 2 },
    ]);
    expectStatus(await admin.patch(PATH, { silentTypesResponsibleBody: { HOME_CARE_STATION: 'TOWNSHIP' }, elderlyBranchCountBasis: 'ALL_FULL_RESIDENTS', electionMaxShiftYears: 1 }), 200);
  });

  it('R3b DISTRICT routes a new establish-branch of a PRIVATE institution to the organisation above its township', async () => {
    const inst = expectStatus(await admin.post('/institutions', { name: `民营颐养院${Date.now()}`, type: 'PRIVATE', district: '海曙区', townshipOrgId: world.township.id }), 201).body;
    const applicant = await makeUser(admin, 'applicant', ['APPLICANT'], [], [inst.id]);
    const memberIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      memberIds.push(expectStatus(await admin.post('/members', { name: `党员${i}`, institutionId: inst.id, category: 'STAFF', status: 'FULL', birthDate: '1980-01-01' }), 201).body.id);
    }
    expectStatus(await admin.patch(PATH, { silentTypesResponsibleBody: { PRIVATE: 'DISTRICT' } }), 200);
    try {
      const created = expectStatus(await applicant.http.post('/processes/establish-branch', { institutionId: inst.id, name: '民营颐养院党支部', memberIds }), 201).body;
      const candidate = await waitFor('the approval task', async () => (await db.query(`SELECT candidate_org_id FROM tasks WHERE process_id = $1`, [created.id])).rows[0]?.candidate_org_id);
      expect(candidate).toBe(world.township.parentId);
    } finally {
      expectStatus(await admin.patch(PATH, { silentTypesResponsibleBody: { PRIVATE: 'TOWNSHIP' } }), 200);
    }
  });

  it('a row stored in the old shape is migrated (R3b value → per-type record, days → years)', async () => {
    const before = await settingsNow();
    const Migration = MIGRATIONS.find((m) => m.name === 'PolicySettingShapes1764840000000')!;
    const ds = createDataSource(sys.databaseUrl);
    await ds.initialize();
    const q = ds.createQueryRunner();
    try {
      await db.query(
        `UPDATE settings SET value = (value - 'silentTypesResponsibleBody' - 'electionMaxShiftYears') || '{"silentTypesResponsibleBody": "TOWNSHIP", "electionMaxShiftDays": 730}'::jsonb WHERE key = 'policy'`,
      );
      await new Migration().up(q);
      const row = (await db.query(`SELECT value FROM settings WHERE key = 'policy'`)).rows[0].value;
      expect(row.silentTypesResponsibleBody).toEqual({ PRIVATE: 'TOWNSHIP', HOME_CARE_CENTER: 'TOWNSHIP', HOME_CARE_STATION: 'TOWNSHIP' });
      expect(row.electionMaxShiftYears).toBe(2);
      expect(row).not.toHaveProperty('electionMaxShiftDays');
      expect(await settingsNow()).toEqual({ ...before, electionMaxShiftYears: 2 });
      // Running it again changes nothing.
      await new Migration().up(q);
      expect((await db.query(`SELECT value FROM settings WHERE key = 'policy'`)).rows[0].value).toEqual(row);
    } finally {
      await q.release();
      await ds.destroy();
    }
    expectStatus(await admin.patch(PATH, { electionMaxShiftYears: 1 }), 200);
    expect(await settingsNow()).toEqual(before);
  });
});

describe('no silent re-routing', () => {
  it('keeps an open task with the builder after managedBy: TOWNSHIP and a settings change; the builder still decides it', async () => {
    const w = await buildWorld(admin, 3, 'PUBLIC_BUILT_PRIVATE_RUN');
    const username = `township_approver_${Date.now()}`;
    expectStatus(
      await admin.post('/users', { username, password: 'secret-password', displayName: '镇审批人', email: `${username}@example.test`, roles: ['APPROVER'], organizationIds: [w.township.id] }),
      201,
    );
    const townshipApprover = await new Http(sys.baseUrl).login(username, 'secret-password');

    const memberIds = w.members.filter((m) => m.status === 'FULL').map((m) => m.id);
    const created = expectStatus(
      await w.applicant.post('/processes/establish-branch', { institutionId: w.institution.id, name: '不改派党支部', memberIds, secretaryMemberId: memberIds[0] }),
      201,
    ).body;
    const task = await waitFor('the approval task', async () => {
      const inbox = expectStatus(await w.approver.get('/tasks?status=OPEN'), 200).body;
      return inbox.items.find((t: any) => t.processId === created.id);
    });
    expect(task.candidateOrgId).toBe(w.builder.id);

    // The institution is now to be managed by its township (R2's alternative), and the settings change.
    // (publicBuilderOrgId is repeated because PATCH /institutions currently re-validates absent fields as empty.)
    const patched = expectStatus(await admin.patch(`/institutions/${w.institution.id}`, { managedBy: 'TOWNSHIP', publicBuilderOrgId: w.builder.id }), 200).body;
    expect(patched).toMatchObject({ managedBy: 'TOWNSHIP', name: w.institution.name, townshipOrgId: w.township.id });
    expectStatus(await admin.patch(PATH, { establishBranchAnswerDays: 20, approvalStepWorkingDays: 10 }), 200);

    // New verdicts follow the new routing ...
    const v = expectStatus(await w.applicant.get(`/institutions/${w.institution.id}/compliance`), 200).body;
    expect(v.responsibleBodyId).toBe(w.township.id);
    // ... but the open task keeps the candidate and due date it was opened with.
    const still = expectStatus(await w.approver.get(`/tasks/${task.id}`), 200).body;
    expect(still).toMatchObject({ status: 'OPEN', candidateOrgId: w.builder.id, dueAt: task.dueAt });
    const stored = (await db.query(`SELECT candidate_org_id FROM tasks WHERE id = $1`, [task.id])).rows[0];
    expect(stored.candidate_org_id).toBe(w.builder.id);
    const townshipInbox = expectStatus(await townshipApprover.get('/tasks?status=OPEN'), 200).body;
    expect(townshipInbox.items.find((t: any) => t.id === task.id)).toBeUndefined();
    expectStatus(await townshipApprover.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '越权' }), 403);

    const decided = expectStatus(await w.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意成立' }), 200).body;
    expect(decided.task).toMatchObject({ status: 'COMPLETED', decision: 'APPROVE', candidateOrgId: w.builder.id });
    // R8: the builder still designates the secretary.
    const designate = await openStepTask(w.approver, created.id, 'designate');
    const designated = expectStatus(await w.approver.post(`/tasks/${designate.id}/decision`, { decision: 'APPROVE', comment: '指定', data: { secretaryMemberId: memberIds[0] } }), 200).body;
    expect(designated.process.status).toBe('APPROVED');
    const proc = expectStatus(await admin.get(`/processes/${created.id}`), 200).body;
    const org = expectStatus(await admin.get(`/organizations/${proc.result.partyOrganizationId}`), 200).body;
    expect(org.parentId).toBe(w.builder.id);
  });
});
