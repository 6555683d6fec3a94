/**
 * GET /admin/coverage over HTTP: the totals must equal a direct SQL count over the same database, for a small
 * hand-made dataset and again after bulk-loading a city's worth of institutions and members (timed).
 */
import { Client } from 'pg';
import { createDataSource } from '@app/persistence';
import { generateDemoCity } from '../scripts/demo/demo-city.generator';
import { writeDemoCity } from '../scripts/demo/demo-city.writer';
import { expectStatus, Http } from './support/http';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
const org: Record<string, string> = {};

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('policycov'));
  const district = expectStatus(await admin.post('/organizations', { name: '区委组织部', kind: 'DISTRICT' }), 201).body;
  for (const [key, kind] of [['township', 'TOWNSHIP'], ['sponsor', 'SPONSOR'], ['builder', 'PUBLIC_BUILDER']] as const) {
    org[key] = expectStatus(await admin.post('/organizations', { name: `${key}党委`, kind, parentId: district.id }), 201).body.id;
  }
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

const TYPES = ['PUBLIC', 'PUBLIC_BUILT_PRIVATE_RUN', 'PRIVATE', 'HOME_CARE_CENTER', 'HOME_CARE_STATION'];
const DISTRICTS = ['海曙区', '江北区', '鄞州区'];
/** Types whose target year is at most `year` (PUBLIC 2020, PBPR 2021, PRIVATE and centres 2022; stations none). */
const dueTypes = (year: number): string[] =>
  [['PUBLIC', 2020], ['PUBLIC_BUILT_PRIVATE_RUN', 2021], ['PRIVATE', 2022], ['HOME_CARE_CENTER', 2022]].filter(([, y]) => (y as number) <= year).map(([t]) => t as string);

/**
 * The expected figures, computed independently of the service (correlated subqueries, no GROUP BY join). An
 * institution with staff party members, FULL or PROBATIONARY (R5), needs organisation coverage; one with none, work
 * coverage (R6).
 */
const EXPECTED_SQL = `
  WITH f AS (
    SELECT i.id, i.type, i.district,
           (SELECT count(*) FROM party_members m WHERE m.institution_id = i.id AND m.category = 'STAFF') AS staff,
           COALESCE(o.kind IN ('BRANCH', 'GENERAL_BRANCH', 'COMMITTEE', 'JOINT'), false) AS org_cov,
           COALESCE(o.kind IN ('BRANCH', 'GENERAL_BRANCH', 'COMMITTEE', 'JOINT'), false) OR COALESCE(i.has_instructor, false) OR COALESCE(i.has_mass_organisation, false) AS work_cov
      FROM institutions i LEFT JOIN organizations o ON o.id = i.party_organization_id)
  SELECT id, type, district, org_cov, work_cov, CASE WHEN staff > 0 THEN org_cov ELSE work_cov END AS met FROM f`;

interface Expected {
  id: string;
  type: string;
  district: string;
  org_cov: boolean;
  work_cov: boolean;
  met: boolean;
}

async function compareWithSql(year: number): Promise<any> {
  const report = expectStatus(await admin.get(`/admin/coverage?year=${year}`), 200).body;
  const rows = (await db.query(EXPECTED_SQL)).rows as Expected[];
  const tally = (rs: Expected[]): Record<string, number> => ({
    total: rs.length,
    organisationCovered: rs.filter((r) => r.org_cov).length,
    workCovered: rs.filter((r) => r.work_cov).length,
    met: rs.filter((r) => r.met).length,
    short: rs.filter((r) => !r.met).length,
  });
  expect(report.year).toBe(year);
  expect(report.totals).toMatchObject(tally(rows));
  const due = dueTypes(year);
  const dueRows = rows.filter((r) => due.includes(r.type));
  expect(report.totals).toMatchObject({ targetTotal: dueRows.length, targetMet: dueRows.filter((r) => r.met).length });
  for (const type of TYPES) {
    expect(report.byType.find((t: any) => t.type === type)).toMatchObject({ ...tally(rows.filter((r) => r.type === type)), targetApplies: due.includes(type) });
  }
  const districts = [...new Set(rows.map((r) => r.district))].sort();
  expect(report.byDistrict.map((d: any) => d.district)).toEqual(districts);
  for (const district of districts) {
    expect(report.byDistrict.find((d: any) => d.district === district)).toMatchObject(tally(rows.filter((r) => r.district === district)));
  }
  const shortIds = dueRows.filter((r) => !r.met).map((r) => r.id).sort();
  expect(report.shortOfTarget.map((s: any) => s.institutionId).sort()).toEqual(shortIds);
  return report;
}

describe('coverage dashboard', () => {
  it('matches a direct SQL count over a small generated dataset, with each short institution\'s required action', async () => {
    // 20 institutions: 4 of each type spread over 3 districts, with 0..4 FULL staff, a probationary one, own
    // branches, a joint organisation shared by two, instructors and mass organisations.
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const type = TYPES[i % 5]!;
      const { rows } = await db.query(
        `INSERT INTO institutions (name, type, district, township_org_id, sponsor_org_id, public_builder_org_id, has_instructor, has_mass_organisation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [`机构${i}`, type, DISTRICTS[i % 3], org.township, type === 'PUBLIC' ? org.sponsor : null, type === 'PUBLIC_BUILT_PRIVATE_RUN' ? org.builder : null, i % 7 === 3, i % 6 === 5],
      );
      const id = rows[0].id as string;
      ids.push(id);
      const fullStaff = Math.floor(i / 5); // 0, 1, 2, 3 across the four rounds
      for (let k = 0; k < fullStaff; k++) {
        await db.query(`INSERT INTO party_members (name, institution_id, category, status) VALUES ($1, $2, 'STAFF', 'FULL')`, [`党员${i}-${k}`, id]);
      }
      await db.query(`INSERT INTO party_members (name, institution_id, category, status) VALUES ($1, $2, 'STAFF', 'PROBATIONARY')`, [`预备${i}`, id]);
      if (i % 4 === 0) await db.query(`INSERT INTO party_members (name, institution_id, category, status) VALUES ($1, $2, 'ELDERLY', 'FULL')`, [`老年${i}`, id]);
      if (fullStaff === 3 && i % 2 === 1) {
        const branch = await db.query(`INSERT INTO organizations (name, kind, parent_id, institution_id) VALUES ($1, 'BRANCH', $2, $3) RETURNING id`, [`支部${i}`, org.township, id]);
        await db.query(`UPDATE institutions SET party_organization_id = $1 WHERE id = $2`, [branch.rows[0].id, id]);
      }
    }
    const joint = await db.query(`INSERT INTO organizations (name, kind, parent_id) VALUES ('联合党支部', 'JOINT', $1) RETURNING id`, [org.township]);
    await db.query(`UPDATE institutions SET party_organization_id = $1 WHERE id = ANY($2::uuid[])`, [joint.rows[0].id, [ids[5], ids[7]]]);

    const report = await compareWithSql(2022);
    expect(report.totals.total).toBe(20);
    // Hand-checked: 机构16 (PBPR, 3 FULL staff, no organisation) must set up its own; 机构10 (PUBLIC, 2, only an
    // instructor) should join a joint organisation; 机构0 (PUBLIC, no FULL staff but a probationary one) too (R5, not
    // R6); 机构5 (PUBLIC, 1) is in the joint organisation and 机构15 (PUBLIC, 3) has its own branch, so neither is
    // short. 机构3 (HOME_CARE_CENTER, only a probationary member and an instructor) has work coverage only: short (R16).
    const byName = (name: string): any => report.shortOfTarget.find((s: any) => s.name === name);
    expect(byName('机构16')).toMatchObject({
      type: 'PUBLIC_BUILT_PRIVATE_RUN',
      requiredAction: 'STANDALONE_ORG',
      fullStaffMembers: 3,
      responsibleBodyId: org.builder,
      target: { targetDate: '2021-12-31', firmness: 'FIRM' },
    });
    expect(byName('机构10')).toMatchObject({ type: 'PUBLIC', requiredAction: 'JOINT_ORG', fullStaffMembers: 2, coverageKind: 'WORK_INSTRUCTOR', responsibleBodyId: org.sponsor });
    expect(byName('机构0')).toMatchObject({ requiredAction: 'JOINT_ORG', fullStaffMembers: 0, fullElderlyMembers: 1 });
    expect(byName('机构3')).toMatchObject({ type: 'HOME_CARE_CENTER', requiredAction: 'JOINT_ORG', fullStaffMembers: 0, coverageKind: 'WORK_INSTRUCTOR' });
    expect(byName('机构15')).toBeUndefined();
    expect(byName('机构5')).toBeUndefined();
    expect(report.byType.find((t: any) => t.type === 'HOME_CARE_STATION')).toMatchObject({ target: { targetDate: null, firmness: 'NONE' }, targetApplies: false });
    expect(report.shortOfTarget.some((s: any) => s.type === 'HOME_CARE_STATION')).toBe(false);

    // Earlier reporting years apply fewer targets; the default year is this year in Asia/Shanghai.
    expect((await compareWithSql(2021)).shortOfTarget.some((s: any) => s.type === 'PRIVATE')).toBe(false);
    expect((await compareWithSql(2019)).shortOfTarget).toEqual([]);
    const shanghaiYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    expect(expectStatus(await admin.get('/admin/coverage'), 200).body.year).toBe(shanghaiYear);
  });

  it('refuses a bad year with 400 naming year, and non-admins with 403', async () => {
    for (const bad of ['abc', '1999', '2101', '2020.5', '', '0x7e4', '2020&year=2021']) {
      const res = expectStatus(await admin.get(`/admin/coverage?year=${bad}`), 400).body;
      expect(res).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.details.map((d: any) => d.field)).toContain('year');
    }
    expectStatus(await admin.get('/admin/coverage?year=2022&extra=1'), 400);
    const username = `viewer_${Date.now()}`;
    expectStatus(await admin.post('/users', { username, password: 'secret-password', displayName: '审批人', email: `${username}@example.test`, roles: ['APPROVER'], organizationIds: [org.township] }), 201);
    const approver = await new Http(sys.baseUrl).login(username, 'secret-password');
    expectStatus(await approver.get('/admin/coverage'), 403);
    expectStatus(await new Http(sys.baseUrl).get('/admin/coverage'), 401);
  });

  it('documents the policy endpoints in the OpenAPI document', async () => {
    const docs = await fetch(sys.baseUrl.replace('/api/v1', '/api/docs-json'));
    const spec = (await docs.json()) as { paths: Record<string, any> };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/admin/coverage', '/api/v1/admin/settings/policy', '/api/v1/admin/settings/policy/audit', '/api/v1/institutions/{id}/compliance']),
    );
    const patchBody = spec.paths['/api/v1/admin/settings/policy'].patch.requestBody.content['application/json'].schema;
    expect(patchBody.properties.termYears.properties.BRANCH).toMatchObject({ type: 'integer', minimum: 1 });
  });

  it('matches a direct SQL count on the demo city at the scale of the seed (3,315 institutions and centres)', async () => {
    // Latency is measured by `npm run bench`, not asserted here.
    const ds = createDataSource(sys.databaseUrl);
    await ds.initialize();
    try {
      const outcome = await writeDemoCity(ds, generateDemoCity({ seed: 1 }));
      expect(outcome.written).toBe(true);
    } finally {
      await ds.destroy();
    }
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM institutions WHERE type IN ('PUBLIC', 'PUBLIC_BUILT_PRIVATE_RUN', 'PRIVATE')`);
    expect(rows[0].n).toBeGreaterThanOrEqual(261);
    await db.query('ANALYZE');
    for (const year of [2020, 2021, 2022, 2026]) await compareWithSql(year);
  });
});
