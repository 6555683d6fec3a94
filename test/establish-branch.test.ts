/**
 * The platform's acceptance path, driven only through HTTP against the real API and worker processes, the
 * Temporal dev server, PostgreSQL, Redis and an SMTP sink.
 */
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { buildWorld, shanghaiDate, type World } from './support/fixtures';
import { expectStatus, Http, type HttpResult } from './support/http';
import { waitFor } from './support/net';
import { fetchHistory, maybeRecord, replay } from './support/histories';
import { startSystem, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;

beforeAll(async () => {
  sys = await startSystem('establish');
  admin = await new Http(sys.baseUrl).login(sys.env.ADMIN_USERNAME!, sys.adminPassword);
});

afterAll(async () => {
  await sys?.stop();
});

async function openTaskFor(world: World, processId: string): Promise<any> {
  return waitFor('the approval task in the inbox', async () => {
    const inbox = expectStatus(await world.approver.get('/tasks?status=OPEN'), 200).body;
    return inbox.items.find((t: any) => t.processId === processId);
  });
}

function submit(world: World, memberIds = world.members.map((m) => m.id)): Promise<HttpResult> {
  return world.applicant.post('/processes/establish-branch', {
    institutionId: world.institution.id,
    name: `${world.institution.name}党支部`,
    memberIds,
    secretaryMemberId: memberIds[0],
  });
}

describe('establish-branch end to end', () => {
  it('R8 end to end: the builder approves, then designates the secretary; the branch exists; its founding election starts the term', async () => {
    const world = await buildWorld(admin, 3, 'PUBLIC_BUILT_PRIVATE_RUN');
    const created = expectStatus(await submit(world), 201).body;
    expect(created).toMatchObject({ kind: 'establish-branch', status: 'RUNNING', institutionId: world.institution.id });
    expect(created.workflowId).toContain(created.id);

    const task = await openTaskFor(world, created.id);
    expect(task).toMatchObject({ candidateOrgId: world.builder.id, step: 'approve' }); // R2: the public builder manages it
    expect(new Date(task.dueAt).getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);

    // Not a candidate: an approver of another organization.
    expectStatus(await world.outsider.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '越权' }), 403);
    expectStatus(await world.outsider.get(`/tasks/${task.id}`), 403);
    // The approval carries no data: the secretary is designated in a step of its own (typed decision data).
    const early = expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意', data: { secretaryMemberId: world.members[1].id } }), 400);
    expect(early.body.details.map((d: any) => d.field)).toEqual(['data.secretaryMemberId']);

    const decided = expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意成立' }), 200).body;
    expect(decided.task).toMatchObject({ id: task.id, status: 'COMPLETED', decision: 'APPROVE' });
    expect(decided.process.status).toBe('RUNNING');
    // A second decision on the same task is a conflict.
    expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'REJECT', comment: '再次' }), 409);

    // R8: the builder designates; the secretary must be a FULL member of the branch, and only the builder may say.
    const designate = await waitFor('the designation task', async () => (await openTaskFor(world, created.id))?.step === 'designate' && openTaskFor(world, created.id));
    const notMember = expectStatus(await world.approver.post(`/tasks/${designate.id}/decision`, { decision: 'APPROVE', comment: '指定', data: { secretaryMemberId: world.members[3].id } }), 400);
    expect(notMember.body.details).toEqual([{ field: 'data.secretaryMemberId', message: '书记人选必须是支部的正式党员' }]);
    const missing = expectStatus(await world.approver.post(`/tasks/${designate.id}/decision`, { decision: 'APPROVE', comment: '指定' }), 400);
    expect(missing.body.details.map((d: any) => d.field)).toEqual(['data.secretaryMemberId']);
    expectStatus(await world.approver.post(`/tasks/${designate.id}/decision`, { decision: 'REJECT', comment: '不行' }), 400);
    const designated = expectStatus(
      await world.approver.post(`/tasks/${designate.id}/decision`, { decision: 'APPROVE', comment: '指定书记', data: { secretaryMemberId: world.members[1].id } }),
      200,
    ).body;
    expect(designated.process.status).toBe('APPROVED');

    const proc = expectStatus(await world.applicant.get(`/processes/${created.id}`), 200).body;
    expect(proc).toMatchObject({ status: 'APPROVED', currentStep: 'founding-election' });
    const orgId = proc.result.partyOrganizationId;
    let org = expectStatus(await admin.get(`/organizations/${orgId}`), 200).body;
    expect(org).toMatchObject({ kind: 'BRANCH', parentId: world.builder.id, institutionId: world.institution.id, secretaryMemberId: world.members[1].id, termStart: null });
    const inst = expectStatus(await admin.get(`/institutions/${world.institution.id}`), 200).body;
    expect(inst.partyOrganizationId).toBe(orgId);
    // Withdrawing a granted request is a conflict.
    expectStatus(await world.applicant.post(`/processes/${created.id}/withdraw`, { reason: '晚了' }), 409);

    // The founding election: the new branch has nobody to record it, so its responsible body does.
    const election = await waitFor('the founding-election task', async () => (await openTaskFor(world, created.id))?.step === 'founding-election' && openTaskFor(world, created.id));
    expect(election.candidateOrgId).toBe(world.builder.id);
    expect(new Date(election.dueAt).getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);
    const future = expectStatus(await world.approver.post(`/tasks/${election.id}/decision`, { decision: 'APPROVE', comment: '选举', data: { electionDate: '2999-01-01' } }), 400);
    expect(future.body.details.map((d: any) => d.field)).toEqual(['data.electionDate']);
    const electionDate = shanghaiDate();
    expectStatus(await world.approver.post(`/tasks/${election.id}/decision`, { decision: 'APPROVE', comment: '已召开党员大会选举', data: { electionDate } }), 200);
    const done = await waitFor('the process done', async () => {
      const p = expectStatus(await world.applicant.get(`/processes/${created.id}`), 200).body;
      return p.currentStep === 'done' ? p : null;
    });
    org = expectStatus(await admin.get(`/organizations/${orgId}`), 200).body;
    expect(org.termStart).toBe(electionDate);
    expect(Number(org.termEnd.slice(0, 4)) - Number(electionDate.slice(0, 4))).toBe(3);
    expect(done.timeline.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['SUBMITTED', 'RULES_PASSED', 'TASK_OPENED', 'APPROVE', 'ORGANIZATION_CREATED', 'STATUS_APPROVED', 'NO_CANDIDATE_ESCALATED', 'FOUNDING_ELECTION_RECORDED']),
    );
    expect(done.timeline.find((e: any) => e.action === 'APPROVE')).toMatchObject({ comment: '同意成立', actorId: world.approverUser.id });

    // Emails: the approver got each task; the applicant one email per decision, and (R11) one per staff member whose
    // relation-transfer the new branch opened and returned for the transfer letter (no relation on record).
    await waitFor('emails delivered', async () => sys.mail.to(world.approverUser.email).length >= 3 && sys.mail.to(world.applicantUser.email).length >= 3 + world.members.length);
    expect(sys.mail.to(world.approverUser.email)[0]!.subject).toContain('待审批');
    const toApplicant = sys.mail.to(world.applicantUser.email);
    const [decisions, letters] = [toApplicant.filter((x) => x.subject.includes('成立党支部')), toApplicant.filter((x) => x.subject.includes('组织关系转接'))];
    expect(decisions).toHaveLength(3);
    expect(decisions[0]!.text).toContain('同意成立');
    expect(letters).toHaveLength(world.members.length);
    expect(letters[0]!.subject).toContain('退回修改');
    expect(toApplicant).toHaveLength(3 + world.members.length);

    // Today's code replays the history it just made; recorded copies guard future changes.
    const history = await fetchHistory(created.workflowId);
    await replay(history, created.workflowId);
    maybeRecord('establish-branch-v3-approved', created.workflowId);
  });

  it('refuses fewer than 3 FULL staff members with a 400 naming R4 and starts nothing', async () => {
    const world = await buildWorld(admin, 2);
    // Two FULL members plus the probationary one: probationary members never count.
    const res = expectStatus(await submit(world), 400);
    expect(res.body.message).toContain('R4');
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'R4', severity: 'VIOLATION' })]));
    expect(res.body.details.find((f: any) => f.ruleId === 'R4').source).toContain('有3名及3名以上工作人员党员的养老机构');
    const list = expectStatus(await admin.get(`/processes?institutionId=${world.institution.id}`), 200).body;
    expect(list.items).toHaveLength(0);
  });

  it('allows one open process of a kind per institution (409), and the applicant may withdraw it', async () => {
    const world = await buildWorld(admin, 3);
    const first = expectStatus(await submit(world), 201).body;
    expectStatus(await submit(world), 409);
    const task = await openTaskFor(world, first.id);
    expectStatus(await world.outsider.post(`/processes/${first.id}/withdraw`, { reason: '不是我的' }), 403);
    const withdrawn = expectStatus(await world.applicant.post(`/processes/${first.id}/withdraw`, { reason: '材料需补充' }), 200).body;
    expect(withdrawn.status).toBe('WITHDRAWN');
    expectStatus(await world.applicant.post(`/processes/${first.id}/withdraw`, { reason: '再次' }), 409);
    const closedTask = expectStatus(await world.approver.get(`/tasks/${task.id}`), 200).body;
    expect(closedTask.status).toBe('CANCELLED');
    expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '晚了' }), 409);
    // The withdrawn one no longer blocks a new request.
    expectStatus(await submit(world), 201);
    maybeRecord('establish-branch-v3-withdrawn', first.workflowId);
  });

  it('decides exactly once when ten approvers race, and an Idempotency-Key replays the first answer', async () => {
    const world = await buildWorld(admin, 3);
    const created = expectStatus(await submit(world), 201).body;
    const task = await openTaskFor(world, created.id);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => world.approver.post(`/tasks/${task.id}/decision`, { decision: i % 2 ? 'REJECT' : 'APPROVE', comment: `并发 ${i}` })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    const proc = expectStatus(await admin.get(`/processes/${created.id}`), 200).body;
    expect(proc.timeline.filter((e: any) => e.action === 'APPROVE' || e.action === 'REJECT')).toHaveLength(1);

    const world2 = await buildWorld(admin, 3);
    const p2 = expectStatus(await submit(world2), 201).body;
    const t2 = await openTaskFor(world2, p2.id);
    const headers = { 'Idempotency-Key': `key-${p2.id}` };
    const body = { decision: 'REJECT', comment: '条件不成熟' };
    const a = expectStatus(await world2.approver.post(`/tasks/${t2.id}/decision`, body, headers), 200);
    const b = expectStatus(await world2.approver.post(`/tasks/${t2.id}/decision`, body, headers), 200);
    expect(b.body).toEqual(a.body);
    expect(a.body.process.status).toBe('REJECTED');
    // The same key for a different request is refused, naming the header.
    const c = expectStatus(await world2.approver.post(`/tasks/${t2.id}/decision`, { ...body, comment: '另一个' }, headers), 400);
    expect(c.body.details[0].field).toBe('Idempotency-Key');
    maybeRecord('establish-branch-v3-rejected', p2.workflowId);
  });

  it('an Idempotency-Key whose first request died unanswered is in progress (409), then taken over once stale', async () => {
    const world = await buildWorld(admin, 3);
    const created = expectStatus(await submit(world), 201).body;
    const task = await openTaskFor(world, created.id);
    const key = `stranded-${created.id}`;
    const body = { decision: 'APPROVE', comment: '同意' };
    // What a request leaves behind when it dies before answering and cannot release its claim (its database
    // connection dropped, or its process killed): the claim, with no answer.
    const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
    const claim = sha(`${world.approverUser.id}:${key}`);
    const db = new Client({ connectionString: sys.databaseUrl });
    await db.connect();
    try {
      await db.query(`INSERT INTO idempotency_records (id, user_id, request_fingerprint) VALUES ($1, $2, $3)`, [claim, world.approverUser.id, sha(JSON.stringify([task.id, body.decision, body.comment, null]))]);
      const inProgress = expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, body, { 'Idempotency-Key': key }), 409);
      expect(inProgress.body.message).toContain('正在处理中');
      await db.query(`UPDATE idempotency_records SET created_at = now() - interval '1 minute' WHERE id = $1`, [claim]);
    } finally {
      await db.end();
    }
    const first = expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, body, { 'Idempotency-Key': key }), 200);
    expect(first.body.task.status).toBe('COMPLETED');
    expect(expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, body, { 'Idempotency-Key': key }), 200).body).toEqual(first.body);
    const proc = expectStatus(await admin.get(`/processes/${created.id}`), 200).body;
    expect(proc.timeline.filter((e: any) => e.action === 'APPROVE')).toHaveLength(1);
  });
});

describe('registry, auth and errors', () => {
  it('answers 401 without a token, 403 without the role, 400 naming fields, 404 for unknown ids', async () => {
    const anon = new Http(sys.baseUrl);
    expectStatus(await anon.get('/auth/me'), 401);
    expectStatus(await anon.as('not-a-token').get('/auth/me'), 401);
    const bad = expectStatus(await anon.post('/auth/login', { username: 'nobody', password: 'wrong' }), 401);
    expect(bad.body.message).toBe('用户名或密码错误');

    const world = await buildWorld(admin, 0);
    expectStatus(await world.applicant.post('/organizations', { name: 'x', kind: 'TOWNSHIP' }), 403);

    const missing = expectStatus(await admin.post('/institutions', { name: '缺少公建方', type: 'PUBLIC_BUILT_PRIVATE_RUN', district: '江北区', townshipOrgId: world.township.id }), 400);
    expect(missing.body.details[0].field).toBe('publicBuilderOrgId');
    const pub = expectStatus(await admin.post('/institutions', { name: '公办', type: 'PUBLIC', district: '江北区', townshipOrgId: world.township.id }), 400);
    expect(pub.body.details[0].field).toBe('sponsorOrgId');
    const wrongKind = expectStatus(await admin.post('/institutions', { name: '错类型', type: 'PRIVATE', district: '江北区', townshipOrgId: world.builder.id }), 400);
    expect(wrongKind.body.details[0].field).toBe('townshipOrgId');
    const invalid = expectStatus(await admin.post('/institutions', { name: '', type: 'CASTLE', district: '江北区', townshipOrgId: 'nope', extra: 1 }), 400);
    const fields = invalid.body.details.map((d: any) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'type', 'townshipOrgId', 'extra']));
    expect(invalid.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });

    expectStatus(await admin.get('/institutions/00000000-0000-0000-0000-000000000000'), 404);
    expectStatus(await admin.get('/institutions/not-a-uuid'), 404);
    expectStatus(await admin.get('/processes/00000000-0000-0000-0000-000000000000'), 404);
    expectStatus(await admin.post('/processes/no-such-kind', {}), 404);
    expectStatus(await admin.get('/institutions?cursor=garbage'), 400);

    const memberBad = expectStatus(await world.applicant.post('/members', { name: '张三', institutionId: world.institution.id, category: 'STAFF', status: 'MAYBE', birthDate: '1990-13-45' }), 400);
    expect(memberBad.body.details.map((d: any) => d.field)).toEqual(expect.arrayContaining(['status', 'birthDate']));
    const emptyBody = expectStatus(await world.applicant.post('/processes/establish-branch', { institutionId: world.institution.id }), 400);
    expect(emptyBody.body.details.map((d: any) => d.field)).toEqual(expect.arrayContaining(['name', 'memberIds']));
  });

  it('scopes reads: an applicant sees its own institution only, an approver what lies under its organizations', async () => {
    const a = await buildWorld(admin, 1);
    const b = await buildWorld(admin, 1);
    expectStatus(await a.applicant.get(`/institutions/${a.institution.id}`), 200);
    expectStatus(await a.applicant.get(`/institutions/${b.institution.id}`), 403);
    expectStatus(await a.applicant.post('/members', { name: '越权', institutionId: b.institution.id, category: 'STAFF', status: 'FULL' }), 403);
    const listed = expectStatus(await a.applicant.get('/institutions?limit=500'), 200).body.items.map((i: any) => i.id);
    expect(listed).toEqual([a.institution.id]);
    expectStatus(await a.approver.get(`/institutions/${a.institution.id}`), 200);
    expectStatus(await a.approver.get(`/institutions/${b.institution.id}`), 403);
    const me = expectStatus(await a.approver.get('/auth/me'), 200).body;
    expect(me).toMatchObject({ roles: ['APPROVER'], organizationIds: [a.builder.id] });
    const members = expectStatus(await b.applicant.get(`/members?institutionId=${a.institution.id}`), 200).body;
    expect(members.items).toHaveLength(0);
  });

  it('patches only the fields sent (R2 alternative: managed by the township)', async () => {
    const world = await buildWorld(admin, 0, 'PUBLIC_BUILT_PRIVATE_RUN');
    const patched = expectStatus(await admin.patch(`/institutions/${world.institution.id}`, { managedBy: 'TOWNSHIP' }), 200).body;
    expect(patched).toMatchObject({ managedBy: 'TOWNSHIP', publicBuilderOrgId: world.builder.id, townshipOrgId: world.township.id, bedCount: 200 });
    const bad = expectStatus(await admin.patch(`/institutions/${world.institution.id}`, { managedBy: 'NOBODY' }), 400);
    expect(bad.body.details[0].field).toBe('managedBy');
    expect(expectStatus(await admin.get(`/institutions/${world.institution.id}`), 200).body.managedBy).toBe('TOWNSHIP');
  });

  it('pages lists with a keyset cursor', async () => {
    const world = await buildWorld(admin, 3);
    const page1 = expectStatus(await admin.get(`/members?institutionId=${world.institution.id}&limit=2`), 200).body;
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = expectStatus(await admin.get(`/members?institutionId=${world.institution.id}&limit=2&cursor=${page1.nextCursor}`), 200).body;
    expect(page2.items).toHaveLength(2);
    expect(page2.nextCursor).toBeNull();
    const ids = [...page1.items, ...page2.items].map((m: any) => m.id);
    expect(new Set(ids).size).toBe(4);
    expectStatus(await admin.get('/members?limit=501'), 400);
  });

  it('reports every component in /health and serves the OpenAPI document', async () => {
    const health = expectStatus(await new Http(sys.baseUrl).get('/health'), 200).body;
    expect(health).toEqual({ status: 'ok', components: { database: { status: 'ok' }, redis: { status: 'ok' }, temporal: { status: 'ok' }, smtp: { status: 'ok' } } });
    const docs = await fetch(sys.baseUrl.replace('/api/v1', '/api/docs-json'));
    expect(docs.status).toBe(200);
    const spec = (await docs.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/tasks/{id}/decision', '/api/v1/processes/{kind}', '/api/v1/health']));
  });
});
