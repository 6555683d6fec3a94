/**
 * Admin monitoring over HTTP against the real API and worker: processes beside their live Temporal state, the
 * summarised event history, overdue work (tasks past due, terms past expiry without renewal) and the role check.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { buildWorld, recordFoundingElection, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('adminmon'));
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

async function submit(world: World): Promise<any> {
  const memberIds = world.members.map((m) => m.id);
  return expectStatus(
    await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id, name: `${world.institution.name}党支部`, memberIds, secretaryMemberId: memberIds[0] }),
    201,
  ).body;
}

async function openTaskFor(world: World, processId: string): Promise<any> {
  return waitFor('the approval task in the inbox', async () => {
    const inbox = expectStatus(await world.approver.get('/tasks?status=OPEN'), 200).body;
    return inbox.items.find((t: any) => t.processId === processId);
  });
}

async function adminRow(processId: string, query = 'kind=establish-branch&limit=500'): Promise<any> {
  const page = expectStatus(await admin.get(`/admin/processes?${query}`), 200).body;
  return page.items.find((r: any) => r.id === processId);
}

/** Submitted and approved, with the workflow run to its end. */
async function approvedProcess(): Promise<{ world: World; process: any }> {
  const world = await buildWorld(admin, 3);
  const process = await submit(world);
  const task = await openTaskFor(world, process.id);
  expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意成立' }), 200);
  await recordFoundingElection(admin, world, process.id);
  await waitFor('the workflow completed', async () => (await adminRow(process.id))?.workflowStatus === 'COMPLETED');
  return { world, process };
}

describe('GET /admin/processes', () => {
  it('shows each process beside its workflow: RUNNING while open, COMPLETED after approval', async () => {
    const world = await buildWorld(admin, 3);
    const created = await submit(world);
    const task = await openTaskFor(world, created.id);

    const open = await adminRow(created.id);
    expect(open).toMatchObject({
      id: created.id,
      kind: 'establish-branch',
      status: 'RUNNING',
      workflowId: created.workflowId,
      institutionId: world.institution.id,
      institutionName: world.institution.name,
      workflowStatus: 'RUNNING',
      inSync: true,
      liveError: null,
    });
    expect(open.historyLength).toBeGreaterThan(0);
    expect(open.pendingActivities).toEqual({ count: expect.any(Number), activityTypes: expect.any(Array), items: expect.any(Array) });
    expect(open.pendingActivities.count).toBe(open.pendingActivities.items.length);
    expect(open.openTasks).toEqual([expect.objectContaining({ id: task.id, candidateOrgId: world.builder.id, overdue: false })]);

    expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意成立' }), 200);
    // Granted, the workflow runs on until the founding election is recorded; the admin view shows both, in sync.
    const granted = await waitFor('granted', async () => {
      const row = await adminRow(created.id);
      return row?.status === 'APPROVED' ? row : null;
    });
    expect(granted).toMatchObject({ workflowStatus: 'RUNNING', inSync: true, currentStep: 'founding-election' });
    await recordFoundingElection(admin, world, created.id);
    const done = await waitFor('the workflow completed', async () => {
      const row = await adminRow(created.id);
      return row?.workflowStatus === 'COMPLETED' ? row : null;
    });
    expect(done).toMatchObject({ status: 'APPROVED', workflowStatus: 'COMPLETED', inSync: true, openTasks: [], pendingActivities: { count: 0, activityTypes: [] } });
    expect(done.historyLength).toBeGreaterThan(open.historyLength);

    // The database filters apply before Temporal is asked.
    expect(await adminRow(created.id, 'status=APPROVED&limit=500')).toBeDefined();
    expect(await adminRow(created.id, 'status=RUNNING&limit=500')).toBeUndefined();
    expect(await adminRow(created.id, 'kind=term-renewal&limit=500')).toBeUndefined();
  });

  it('pages with a keyset cursor and validates its query', async () => {
    const a = await buildWorld(admin, 3);
    const b = await buildWorld(admin, 3);
    await submit(a);
    await submit(b);
    const first = expectStatus(await admin.get('/admin/processes?limit=1'), 200).body;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = expectStatus(await admin.get(`/admin/processes?limit=1&cursor=${first.nextCursor}`), 200).body;
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);

    const bad = expectStatus(await admin.get('/admin/processes?status=DONE&kind=nope&overdue=maybe&limit=501'), 400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(bad.body.details.map((d: any) => d.field)).toEqual(expect.arrayContaining(['status', 'kind', 'overdue', 'limit']));
    expectStatus(await admin.get('/admin/processes?cursor=garbage'), 400);
  });

  it('shows UNKNOWN for a workflow Temporal no longer has, without failing the list', async () => {
    const world = await buildWorld(admin, 3);
    const id = randomUUID();
    // As after the namespace retention: the database keeps the process, Temporal has forgotten the workflow.
    await db.query(
      `INSERT INTO processes (id, kind, status, workflow_id, institution_id, applicant_id, current_step, payload, closed_at)
       VALUES ($1, 'establish-branch', 'APPROVED', $2, $3, $4, 'done', '{}', now())`,
      [id, `establish-branch/${id}`, world.institution.id, world.applicantUser.id],
    );
    const row = await adminRow(id);
    expect(row).toMatchObject({ status: 'APPROVED', workflowStatus: 'UNKNOWN', historyLength: null, inSync: null, pendingActivities: { count: 0 } });
    expect(row.liveError).toContain('保留期');

    const history = expectStatus(await admin.get(`/admin/processes/${id}/history`), 200).body;
    expect(history).toMatchObject({ processId: id, historyAvailable: false, eventCount: 0, events: [] });
    expect(history.note).toContain('时间线');
  });
});

describe('GET /admin/processes/:id/history', () => {
  it('summarises the event history with names for the event types and the activity each event is about', async () => {
    const { process } = await approvedProcess();
    const h = expectStatus(await admin.get(`/admin/processes/${process.id}/history`), 200).body;
    expect(h).toMatchObject({ processId: process.id, workflowId: process.workflowId, historyAvailable: true, note: null, runId: expect.any(String) });
    expect(h.eventCount).toBe(h.events.length);
    const types: string[] = h.events.map((e: any) => e.type);
    expect(types[0]).toBe('WORKFLOW_EXECUTION_STARTED');
    expect(types).toEqual(expect.arrayContaining(['WORKFLOW_EXECUTION_STARTED', 'ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_COMPLETED', 'WORKFLOW_EXECUTION_COMPLETED']));
    expect(types.some((t) => /^\d+$/.test(t) || t.startsWith('UNKNOWN_'))).toBe(false);
    expect(h.events.map((e: any) => e.eventId)).toEqual(h.events.map((_: unknown, i: number) => i + 1));
    for (const e of h.events) expect(new Date(e.time).toISOString()).toBe(e.time);

    expect(h.events[0].details).toMatchObject({ workflowType: expect.any(String), taskQueue: expect.any(String) });
    const scheduled = h.events.filter((e: any) => e.type === 'ACTIVITY_TASK_SCHEDULED');
    for (const e of scheduled) expect(e.details.activityType).toEqual(expect.any(String));
    // A completion names the activity of its scheduling event.
    const completed = h.events.find((e: any) => e.type === 'ACTIVITY_TASK_COMPLETED');
    expect(scheduled.map((e: any) => e.details.activityType)).toContain(completed.details.activityType);
    // The decision arrived as an update, and the task deadline is a durable timer.
    const update = h.events.find((e: any) => e.type === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(update?.details.updateName).toEqual(expect.any(String));
    const timer = h.events.find((e: any) => e.type === 'TIMER_STARTED');
    expect(timer?.details).toMatchObject({ timerId: expect.any(String), timerDuration: expect.any(String), timerDurationMs: expect.any(Number) });
  });

  it('answers 404 for an unknown or malformed id', async () => {
    const missing = expectStatus(await admin.get(`/admin/processes/${randomUUID()}/history`), 404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: '流程不存在' });
    expectStatus(await admin.get('/admin/processes/not-a-uuid/history'), 404);
  });
});

describe('GET /admin/overdue', () => {
  it('lists an OPEN task past its due time with its process, candidate organization and how long it is overdue', async () => {
    const late = await buildWorld(admin, 3);
    const onTime = await buildWorld(admin, 3);
    const lateProcess = await submit(late);
    const onTimeProcess = await submit(onTime);
    const task = await openTaskFor(late, lateProcess.id);
    await openTaskFor(onTime, onTimeProcess.id);
    await db.query(`UPDATE tasks SET due_at = now() - interval '2 days 3 hours' WHERE id = $1`, [task.id]);

    const report = expectStatus(await admin.get('/admin/overdue'), 200).body;
    expect(report.dispatches).toEqual([]);
    expect(report.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const row = report.tasks.find((t: any) => t.taskId === task.id);
    expect(row).toMatchObject({
      processId: lateProcess.id,
      processKind: 'establish-branch',
      processStatus: 'RUNNING',
      candidateOrgId: late.builder.id,
      candidateOrgName: late.builder.name,
      institutionId: late.institution.id,
      institutionName: late.institution.name,
      markedOverdue: false,
      overdueText: '2天3小时',
    });
    expect(row.overdueSeconds).toBeGreaterThanOrEqual((2 * 24 + 3) * 3600);
    expect(row.overdueSeconds).toBeLessThan((2 * 24 + 4) * 3600);
    expect(report.tasks.some((t: any) => t.processId === onTimeProcess.id)).toBe(false);
    expect(report.counts.tasks).toBe(report.tasks.length);

    // The same condition filters the process list.
    const overdue = expectStatus(await admin.get('/admin/processes?overdue=true&limit=500'), 200).body.items.map((r: any) => r.id);
    expect(overdue).toContain(lateProcess.id);
    expect(overdue).not.toContain(onTimeProcess.id);
    const lateRow = await adminRow(lateProcess.id, 'overdue=true&limit=500');
    expect(lateRow.openTasks[0]).toMatchObject({ id: task.id, overdue: true });
  });

  it('lists party organizations past their term with no renewal under way', async () => {
    const { world, process } = await approvedProcess();
    const orgId = expectStatus(await admin.get(`/processes/${process.id}`), 200).body.result.partyOrganizationId;
    const before = expectStatus(await admin.get('/admin/overdue'), 200).body;
    expect(before.terms.some((t: any) => t.organizationId === orgId)).toBe(false); // a fresh 3-year term

    await db.query(`UPDATE organizations SET term_start = '2019-06-01', term_end = '2022-06-01' WHERE id = $1`, [orgId]);
    const expired = expectStatus(await admin.get('/admin/overdue'), 200).body;
    const term = expired.terms.find((t: any) => t.organizationId === orgId);
    expect(term).toMatchObject({
      kind: 'BRANCH',
      parentId: world.builder.id,
      parentName: world.builder.name,
      institutionId: world.institution.id,
      institutionName: world.institution.name,
      termStart: '2019-06-01',
      termEnd: '2022-06-01',
    });
    expect(term.expiredDays).toBeGreaterThan(365);

    // A renewal under way takes it off the list.
    const renewalId = randomUUID();
    await db.query(
      `INSERT INTO processes (id, kind, status, workflow_id, institution_id, applicant_id, current_step, payload)
       VALUES ($1, 'term-renewal', 'RUNNING', $2, $3, $4, 'plan', $5)`,
      [renewalId, `term-renewal/${renewalId}`, world.institution.id, world.applicantUser.id, JSON.stringify({ partyOrganizationId: orgId })],
    );
    const renewing = expectStatus(await admin.get('/admin/overdue'), 200).body;
    expect(renewing.terms.some((t: any) => t.organizationId === orgId)).toBe(false);
  });
});

describe('admin endpoints are for ADMIN only', () => {
  it('answers 403 to applicants and approvers, 401 without a token', async () => {
    const world = await buildWorld(admin, 0);
    const id = randomUUID();
    for (const path of ['/admin/processes', `/admin/processes/${id}/history`, '/admin/overdue', '/admin/queues']) {
      for (const who of [world.applicant, world.approver]) {
        const res = expectStatus(await who.get(path), 403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
      }
      expectStatus(await new Http(sys.baseUrl).get(path), 401);
    }
  });

  it('documents the admin endpoints in the OpenAPI document', async () => {
    const spec = (await (await fetch(sys.baseUrl.replace('/api/v1', '/api/docs-json'))).json()) as { paths: Record<string, any> };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/admin/processes', '/api/v1/admin/processes/{id}/history', '/api/v1/admin/overdue', '/api/v1/admin/queues', '/api/v1/processes/{id}/record']),
    );
    expect(JSON.stringify(spec.paths['/api/v1/admin/overdue'])).toContain('空列表');
  });
});
