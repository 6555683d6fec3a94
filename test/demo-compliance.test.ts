/**
 * The demo city (`npm run seed:demo`) driven over HTTP as its people would: for each process that forms or completes
 * an institution's party organisation, the compliance verdict before names the action and after it completes is
 * NONE (issue #9: establish-branch, joint-organization; relation-transfer clears the R11 transfer it was due).
 * The data is the seed's (seed 1); the test adds only the approver and applicant accounts the seed does not have.
 */
import { Client } from 'pg';
import { createDataSource } from '@app/persistence';
import { DEMO_DEFAULT_PASSWORD, generateDemoCity } from '../scripts/demo/demo-city.generator';
import { writeDemoCity } from '../scripts/demo/demo-city.writer';
import { makeUser, shanghaiDate } from './support/fixtures';
import { expectStatus, type Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('democity'));
  const ds = createDataSource(sys.databaseUrl);
  await ds.initialize();
  try {
    expect((await writeDemoCity(ds, generateDemoCity({ seed: 1 }))).written).toBe(true);
  } finally {
    await ds.destroy();
  }
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

const compliance = async (as: Http, institutionId: string): Promise<any> => expectStatus(await as.get(`/institutions/${institutionId}/compliance`), 200).body;

const openTask = (as: Http, processId: string, step: string): Promise<any> =>
  waitFor(`the ${step} task of ${processId}`, async () => {
    const items = expectStatus(await as.get('/tasks?status=OPEN&limit=500'), 200).body.items as any[];
    return items.find((t) => t.processId === processId && t.step === step);
  });

async function decide(as: Http, processId: string, step: string, data?: Record<string, unknown>): Promise<void> {
  const task = await openTask(as, processId, step);
  expectStatus(await as.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意', ...(data ? { data } : {}) }), 200);
}

const finished = (processId: string): Promise<any> =>
  waitFor(`process ${processId} approved`, async () => {
    const p = expectStatus(await admin.get(`/processes/${processId}`), 200).body;
    if (p.status === 'REJECTED' || p.status === 'FAILED' || p.status === 'WITHDRAWN') throw new Error(`process ${processId} ended ${p.status}`);
    return p.status === 'APPROVED' && p;
  });

describe('the demo city', () => {
  it('establish-branch: the demo applicant’s public-built, privately-run institution goes from STANDALONE_ORG to NONE', async () => {
    const applicant = await admin.as('').login('demo_applicant', DEMO_DEFAULT_PASSWORD);
    const approver = await admin.as('').login('demo_approver', DEMO_DEFAULT_PASSWORD);
    const [institutionId] = expectStatus(await applicant.get('/auth/me'), 200).body.institutionIds as string[];
    const before = await compliance(applicant, institutionId);
    expect(before).toMatchObject({ requiredAction: 'STANDALONE_ORG', partyOrganizationId: null });
    expect(before.fullStaffMembers).toBeGreaterThanOrEqual(3);

    const members = expectStatus(await applicant.get(`/members?institutionId=${institutionId}&limit=500`), 200).body.items as any[];
    const staff = members.filter((m) => m.category === 'STAFF' && (m.status === 'FULL' || m.status === 'PROBATIONARY'));
    const secretary = staff.find((m) => m.status === 'FULL');
    const process = expectStatus(await applicant.post('/processes/establish-branch', { institutionId, name: '演示养老院党支部', memberIds: staff.map((m) => m.id) }), 201).body;

    // R2: the public builder approves and (R8) designates the secretary; the new branch has nobody to act for it yet,
    // so its responsible body records the founding election.
    await decide(approver, process.id, 'approve');
    await decide(approver, process.id, 'designate', { secretaryMemberId: secretary.id });
    await decide(approver, process.id, 'founding-election', { electionDate: shanghaiDate(0), secretaryMemberId: secretary.id });
    const done = await finished(process.id);

    const after = await compliance(applicant, institutionId);
    expect(after).toMatchObject({ requiredAction: 'NONE', partyOrganizationId: done.result.partyOrganizationId });
    expect(after.findings.filter((f: any) => f.severity === 'VIOLATION')).toEqual([]);
  });

  it('joint-organization: two private institutions of one township, each below 3 FULL staff, go from JOINT_ORG to NONE', async () => {
    // Two uncovered PRIVATE institutions of the same township with 1–2 FULL staff members each (R5), from the seed.
    const { rows } = await db.query(`
      WITH counts AS (
        SELECT i.id, i.township_org_id, count(m.id) FILTER (WHERE m.category = 'STAFF' AND m.status = 'FULL')::int AS full_staff
        FROM institutions i LEFT JOIN party_members m ON m.institution_id = i.id
        WHERE i.type = 'PRIVATE' AND i.party_organization_id IS NULL
        GROUP BY i.id, i.township_org_id)
      SELECT township_org_id, (array_agg(id ORDER BY id))[1:2] AS ids
      FROM counts WHERE full_staff BETWEEN 1 AND 2
      GROUP BY township_org_id HAVING count(*) >= 2
      ORDER BY township_org_id LIMIT 1`);
    expect(rows).toHaveLength(1);
    const townshipId: string = rows[0].township_org_id;
    const ids: string[] = rows[0].ids;
    for (const id of ids) expect(await compliance(admin, id)).toMatchObject({ requiredAction: 'JOINT_ORG', partyOrganizationId: null });

    const [initiator, other] = await Promise.all(ids.map((id) => makeUser(admin, 'demounit', ['APPLICANT'], [], [id])));
    const township = await makeUser(admin, 'demotwp', ['APPROVER'], [townshipId]);
    const memberIds: string[] = [];
    for (const id of ids) {
      const items = expectStatus(await admin.get(`/members?institutionId=${id}&limit=500`), 200).body.items as any[];
      memberIds.push(...items.filter((m) => m.category === 'STAFF' && m.status === 'FULL').map((m) => m.id));
    }
    const process = expectStatus(
      await initiator.http.post('/processes/joint-organization', { institutionId: ids[0], institutionIds: ids, mode: 'CO_BUILD', name: '演示联合党支部', memberIds }),
      201,
    ).body;
    await decide(other.http, process.id, 'consent');
    await decide(township.http, process.id, 'approve');
    const done = await finished(process.id);

    for (const id of ids) {
      expect(await compliance(admin, id)).toMatchObject({ requiredAction: 'NONE', partyOrganizationId: done.result.partyOrganizationId });
    }
  });

  it('relation-transfer: a staff member whose relation sits with a township moves into the institution’s organisation; the transfer due is gone', async () => {
    const { rows } = await db.query(`
      SELECT m.id AS member_id, m.relation_org_id, i.id AS institution_id, i.party_organization_id
      FROM party_members m JOIN institutions i ON i.id = m.institution_id
      JOIN organizations o ON o.id = m.relation_org_id
      WHERE m.category = 'STAFF' AND m.status = 'FULL' AND i.party_organization_id IS NOT NULL
        AND m.relation_org_id <> i.party_organization_id AND o.kind = 'TOWNSHIP'
      ORDER BY m.id LIMIT 1`);
    expect(rows).toHaveLength(1);
    const { member_id: memberId, relation_org_id: fromOrg, institution_id: institutionId, party_organization_id: toOrg } = rows[0];
    const before = await compliance(admin, institutionId);
    expect(before.transfersDue).toContain(memberId);

    const releasing = await makeUser(admin, 'demorel', ['APPROVER'], [fromOrg]);
    const receiving = await makeUser(admin, 'demorcv', ['APPROVER'], [toOrg]);
    const process = expectStatus(await admin.post('/processes/relation-transfer', { memberId, toOrganizationId: toOrg }), 201).body;
    await decide(releasing.http, process.id, 'release');
    await decide(receiving.http, process.id, 'accept');
    await finished(process.id);

    expect(expectStatus(await admin.get(`/members/${memberId}`), 200).body.relationOrgId).toBe(toOrg);
    const after = await compliance(admin, institutionId);
    expect(after.requiredAction).toBe('NONE');
    expect(after.transfersDue).not.toContain(memberId);
  });
});
