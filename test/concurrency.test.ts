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
    // PUBLIC institutions: their sponsoring unit decides alone (a publicly built, privately run one also designates).
    const builder = expectStatus(await admin.post('/organizations', { name: `并发举办单位${tag}`, kind: 'SPONSOR', parentId: district.id }), 201).body;
    const institutions = await inBatches(Array.from({ length: N }, (_, i) => i), async (i) => {
      const inst = expectStatus(
        await admin.post('/institutions', {
          name: `并发颐养院${tag}-${i}`,
          type: 'PUBLIC',
          district: '海曙区',
          townshipOrgId: township.id,
          sponsorOrgId: builder.id,
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
    // What is left open is each new branch's founding election (its responsible body records it), once per process.
    const left = await waitFor(`${N} founding elections open`, async () => {
      const items = expectStatus(await approver.http.get('/tasks?status=OPEN&limit=500'), 200).body.items as any[];
      return items.length >= N ? items : null;
    });
    expect(left.map((t) => t.step)).toEqual(Array(N).fill('founding-election'));
    expect(new Set(left.map((t) => t.processId))).toEqual(new Set(processIds));

    // Every email of the burst went out once: per process, the approval's and the election's task emails to the
    // approver and the decision to the applicant.
    // (Each new branch also opens relation-transfers for its founding members, R11; their emails are not counted here.)
    const about = (to: string) => sys.mail.to(to).filter((m) => m.subject.includes('成立党支部'));
    await waitFor('all emails', async () => about(approver.user.email).length >= 2 * N && about(applicant.user.email).length >= N, 60_000, 500);
    await new Promise((r) => setTimeout(r, 1000));
    expect(about(approver.user.email)).toHaveLength(2 * N);
    expect(about(applicant.user.email)).toHaveLength(N);
    expect(new Set([...about(approver.user.email), ...about(applicant.user.email)].map((m) => m.messageId)).size).toBe(3 * N);
    expect(new Set(sys.mail.messages.map((m) => m.messageId)).size).toBe(sys.mail.messages.length);
  });
});

function countBy(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
