/**
 * Fifty approvals at once on fifty different tasks all succeed and each process ends APPROVED with exactly one
 * organization. One approver of one public builder is the candidate for all fifty institutions.
 *
 * The other concurrency case, ten decisions racing on the same task (one 200, nine 409), is covered by
 * "decides exactly once when ten approvers race" in test/establish-branch.test.ts and not repeated here.
 */
import { Client } from 'pg';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

const N = 50;
const BATCH = 10;

let sys: TestSystem;
let admin: Http;
let db: Client;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('concurrency'));
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

/** Runs `fn` over `items` in parallel batches (keeps set-up fast without flooding a 2-core machine). */
async function inBatches<T, R>(items: T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    out.push(...(await Promise.all(items.slice(i, i + BATCH).map((item, j) => fn(item, i + j)))));
  }
  return out;
}

describe('concurrent decisions', () => {
  it(`${N} approvals fired at once on ${N} different tasks all answer 200 and every process ends APPROVED`, async () => {
    const tag = Date.now().toString(36);
    const district = expectStatus(await admin.post('/organizations', { name: `并发区委${tag}`, kind: 'DISTRICT' }), 201).body;
    const township = expectStatus(await admin.post('/organizations', { name: `并发镇党委${tag}`, kind: 'TOWNSHIP', parentId: district.id }), 201).body;
    const builder = expectStatus(await admin.post('/organizations', { name: `并发公建方${tag}`, kind: 'PUBLIC_BUILDER', parentId: district.id }), 201).body;
    const institutions = await inBatches(Array.from({ length: N }, (_, i) => i), async (i) => {
      const inst = expectStatus(
        await admin.post('/institutions', {
          name: `并发颐养院${tag}-${i}`,
          type: 'PUBLIC_BUILT_PRIVATE_RUN',
          district: '海曙区',
          townshipOrgId: township.id,
          publicBuilderOrgId: builder.id,
          operatorName: '某养老服务公司',
          bedCount: 100,
        }),
        201,
      ).body;
      const members: any[] = [];
      for (let k = 0; k < 3; k++) {
        members.push(expectStatus(await admin.post('/members', { name: `党员${i}-${k}`, institutionId: inst.id, category: 'STAFF', status: 'FULL' }), 201).body);
      }
      return { inst, memberIds: members.map((m) => m.id as string) };
    });
    const mkUser = async (username: string, roles: string[], organizationIds: string[], institutionIds: string[]): Promise<{ user: any; http: Http }> => {
      const user = expectStatus(
        await admin.post('/users', { username, password: 'secret-password', displayName: username, email: `${username}@example.test`, roles, organizationIds, institutionIds }),
        201,
      ).body;
      return { user, http: await admin.as('').login(username, 'secret-password') };
    };
    const applicant = await mkUser(`applicant_c${tag}`, ['APPLICANT'], [], institutions.map((x) => x.inst.id));
    const approver = await mkUser(`approver_c${tag}`, ['APPROVER'], [builder.id], []);

    const processIds = await inBatches(institutions, async ({ inst, memberIds }) => {
      const created = expectStatus(
        await applicant.http.post('/processes/establish-branch', { institutionId: inst.id, name: `${inst.name}党支部`, memberIds }),
        201,
      ).body;
      return created.id as string;
    });

    const tasks = await waitFor(`${N} open tasks in the approver's inbox`, async () => {
      const inbox = expectStatus(await approver.http.get('/tasks?status=OPEN&limit=500'), 200).body;
      return inbox.items.length >= N ? (inbox.items as any[]) : null;
    }, 90_000, 500);
    expect(tasks).toHaveLength(N);
    expect(new Set(tasks.map((t) => t.processId))).toEqual(new Set(processIds));
    expect(tasks.every((t) => t.candidateOrgId === builder.id)).toBe(true);

    const started = Date.now();
    const results = await Promise.all(
      tasks.map((t, i) => approver.http.post(`/tasks/${t.id}/decision`, { decision: 'APPROVE', comment: `并发同意 ${i}` })),
    );
    const wallMs = Date.now() - started;
    // eslint-disable-next-line no-console
    console.log(`${N} concurrent decisions on ${N} tasks: ${wallMs} ms wall time; statuses ${JSON.stringify(countBy(results.map((r) => r.status)))}`);

    expect(results.map((r) => r.status)).toEqual(Array(N).fill(200));
    for (const [i, r] of results.entries()) {
      expect(r.body.task).toMatchObject({ id: tasks[i].id, status: 'COMPLETED', decision: 'APPROVE' });
      expect(r.body.process).toMatchObject({ id: tasks[i].processId, status: 'APPROVED' });
    }
    const procs = await inBatches(processIds, async (id) => expectStatus(await admin.get(`/processes/${id}`), 200).body);
    expect(procs.map((p) => p.status)).toEqual(Array(N).fill('APPROVED'));
    for (const p of procs) {
      expect(p.timeline.filter((e: any) => e.action === 'APPROVE')).toHaveLength(1);
      expect(p.result.partyOrganizationId).toEqual(expect.any(String));
    }
    const orgs = await db.query(`SELECT created_by_process_id AS p FROM organizations WHERE created_by_process_id = ANY($1::uuid[])`, [processIds]);
    expect(orgs.rows).toHaveLength(N);
    expect(new Set(orgs.rows.map((r) => r.p))).toEqual(new Set(processIds));
    expect(expectStatus(await approver.http.get('/tasks?status=OPEN&limit=500'), 200).body.items).toEqual([]);

    // Every email of the burst went out once: a task email per process to the approver, a decision per process.
    await waitFor('all emails', async () => sys.mail.messages.length >= 2 * N, 60_000, 500);
    expect(sys.mail.to(approver.user.email)).toHaveLength(N);
    expect(sys.mail.to(applicant.user.email)).toHaveLength(N);
    expect(new Set(sys.mail.messages.map((m) => m.messageId)).size).toBe(2 * N);
  });
});

function countBy(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
