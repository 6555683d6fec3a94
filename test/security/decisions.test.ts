/**
 * Issue #8 items 2 and 6 against the real API and workflow: no self-approval through a delegation (委托), a
 * delegation only to a colleague of the same organisation and ending with their role, admin batch decisions under
 * the same checks as single ones, and typed decision data (unknown keys and system fields refused).
 */
import { randomUUID } from 'node:crypto';
import { Client as TemporalClient, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client } from 'pg';
import { decideUpdate } from '@app/contracts';
import { buildWorld, makeUser, shanghaiDate, type Person, type World } from '../support/fixtures';
import { expectStatus, type Http, type HttpResult } from '../support/http';
import { waitFor } from '../support/net';
import { readState } from '../support/state';
import { startSystemAsAdmin, type TestSystem } from '../support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
let world: World;
/** An approver of the world's managing organisation who is also an applicant of its institution. */
let insider: Person;
/** Insider's colleague in the managing organisation, and their deputy. */
let deputy: Person;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('sec_decisions'));
  world = await buildWorld(admin, 3);
  insider = await makeUser(admin, 'insider', ['APPROVER', 'APPLICANT'], [world.builder.id], [world.institution.id]);
  deputy = await makeUser(admin, 'deputy', ['APPROVER'], [world.builder.id]);
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

const submit = (as: Http, w: World = world): Promise<{ id: string; workflowId: string }> =>
  as
    .post('/processes/establish-branch', { institutionId: w.institution.id, name: `${w.institution.name}党支部${randomUUID().slice(0, 4)}`, memberIds: w.members.map((m) => m.id) })
    .then((r) => expectStatus(r, 201).body);

async function openTask(processId: string): Promise<{ id: string; step: string }> {
  return waitFor('an open task', async () => (await db.query(`SELECT id, step FROM tasks WHERE process_id = $1 AND status = 'OPEN'`, [processId])).rows[0]);
}

const decide = (as: Http, taskId: string, body: Record<string, unknown> = {}): Promise<HttpResult> =>
  as.post(`/tasks/${taskId}/decision`, { decision: 'APPROVE', comment: '同意', ...body });

describe('self-approval through a delegation', () => {
  it('a delegation goes only to an active approver of the same organisation, for organisations both hold', async () => {
    const outsiderId = expectStatus(await world.outsider.get('/auth/me'), 200).body.id;
    const range = { startsOn: shanghaiDate(), endsOn: shanghaiDate(30) };
    expect(expectStatus(await insider.http.post('/delegations', { deputyId: outsiderId, ...range }), 400).body.details[0].field).toBe('deputyId');
    expect(expectStatus(await insider.http.post('/delegations', { deputyId: world.applicantUser.id, ...range }), 400).body.details[0].field).toBe('deputyId');
    expect(expectStatus(await insider.http.post('/delegations', { deputyId: deputy.user.id, ...range, organizationIds: [world.otherOrg.id] }), 400).body.details[0].field).toBe(
      'organizationIds',
    );
    // An applicant who is no approver delegates nothing.
    expect(expectStatus(await world.applicant.post('/delegations', { deputyId: deputy.user.id, ...range }), 400).body.details[0].field).toBe('userId');
  });

  it('the deputy of the applicant gets 403 on the applicant’s own request (API and workflow); another approver decides; the delegation ends with the delegator’s role', async () => {
    expectStatus(await insider.http.post('/delegations', { deputyId: deputy.user.id, startsOn: shanghaiDate(), endsOn: shanghaiDate(30), reason: '出差' }), 201);
    const p = await submit(insider.http);
    const task = await openTask(p.id);

    // The applicant is skipped (self-approval), and so is the person they chose to stand in for them.
    expect(expectStatus(await decide(insider.http, task.id), 403).body.message).toContain('申请人');
    expect(expectStatus(await decide(deputy.http, task.id), 403).body.message).toContain('委托代理人');

    // The workflow's validator refuses it too, even when a client goes round the API.
    const connection = await Connection.connect({ address: readState().temporalAddress });
    try {
      const decisionId = randomUUID();
      const refused = await new TemporalClient({ connection }).workflow
        .getHandle(p.workflowId)
        .executeUpdate(decideUpdate, {
          updateId: decisionId,
          args: [
            {
              decisionId,
              taskId: task.id,
              decision: 'APPROVE',
              comment: '绕过接口',
              actorId: deputy.user.id,
              actorOrgIds: [world.builder.id],
              ownOrgIds: [world.builder.id],
              standsInFor: [{ userId: insider.user.id, orgIds: [world.builder.id] }],
            },
          ],
        })
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(((refused as WorkflowUpdateFailedError).cause as { type?: string }).type).toBe('NotCandidate');
    } finally {
      await connection.close();
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM process_events WHERE process_id = $1 AND action = 'APPROVE'`, [p.id])).rows[0].n).toBe(0);

    // Once the delegator is no approver any more, the delegation is over: the colleague decides in their own right.
    expectStatus(await admin.patch(`/users/${insider.user.id}`, { roles: ['APPLICANT'] }), 200);
    const decided = expectStatus(await decide(deputy.http, task.id), 200).body;
    expect(decided.process.status).toBe('APPROVED');
    const approval = (await db.query(`SELECT actor_id, on_behalf_of_id FROM process_events WHERE process_id = $1 AND action = 'APPROVE'`, [p.id])).rows[0];
    expect(approval).toEqual({ actor_id: deputy.user.id, on_behalf_of_id: null });
  });

  it('an admin’s batch decision goes through the same checks: an admin who is no candidate gets 403 per task', async () => {
    const other = await buildWorld(admin, 3);
    const p = await submit(other.applicant, other);
    const task = await openTask(p.id);
    const batch = expectStatus(await admin.post('/tasks/batch-decision', { taskIds: [task.id], decision: 'APPROVE', comment: '批量同意' }), 200).body;
    expect(batch.results).toEqual([expect.objectContaining({ taskId: task.id, status: 403 })]);
    expect((await db.query(`SELECT status FROM tasks WHERE id = $1`, [task.id])).rows[0].status).toBe('OPEN');
    // The candidate's own batch approves it.
    const own = expectStatus(await other.approver.post('/tasks/batch-decision', { taskIds: [task.id], decision: 'APPROVE', comment: '批量同意' }), 200).body;
    expect(own.results).toEqual([expect.objectContaining({ taskId: task.id, status: 200 })]);
  });
});

describe('typed decision data', () => {
  it('refuses keys a step does not declare, system fields included, naming the field; nothing is recorded', async () => {
    const other = await buildWorld(admin, 3);
    const p = await submit(other.applicant, other);
    const task = await openTask(p.id);
    const fake = [{ id: randomUUID(), fileName: '伪造.pdf', contentType: 'application/pdf', sizeBytes: 1, sha256: '0'.repeat(64) }];
    for (const [data, field] of [
      [{ attachments: fake }, 'data.attachments'],
      [{ taskId: randomUUID() }, 'data.taskId'],
      [{ anything: 1 }, 'data.anything'],
      [{ secretaryMemberId: other.members[0].id }, 'data.secretaryMemberId'],
    ] as const) {
      const res = expectStatus(await decide(other.approver, task.id, { data }), 400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
    }
    expect((await db.query(`SELECT status FROM tasks WHERE id = $1`, [task.id])).rows[0].status).toBe('OPEN');
    expect((await db.query(`SELECT count(*)::int AS n FROM process_events WHERE process_id = $1 AND action = 'APPROVE'`, [p.id])).rows[0].n).toBe(0);
    expectStatus(await decide(other.approver, task.id), 200);
  });
});
