/**
 * The audit trail cannot be rewritten. At the database level the timeline table (process_events) refuses
 * UPDATE, DELETE and TRUNCATE through its trigger, while appending still works; the policy-settings audit
 * (settings_audit) is guarded the same way. Over HTTP no route edits or deletes audit rows: the OpenAPI document
 * lists none, and every PATCH/PUT/DELETE route aimed at a process id is refused and leaves its timeline as it was.
 */
import { Client } from 'pg';
import { buildWorld, recordFoundingElection, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

const WRITE_METHODS = ['put', 'patch', 'delete'] as const;
const REFUSED = / → (403|404|405)$/;
const REFUSED_OR_INVALID = / → (400|403|404|405)$/;

let sys: TestSystem;
let admin: Http;
let db: Client;
let world: World;
let processId: string;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('audit'));

  // A process with a full timeline: submitted, rules passed, task opened, approved, organization created.
  world = await buildWorld(admin, 3);
  const created = expectStatus(
    await world.applicant.post('/processes/establish-branch', {
      institutionId: world.institution.id,
      name: `${world.institution.name}党支部`,
      memberIds: world.members.map((m) => m.id),
    }),
    201,
  ).body;
  processId = created.id;
  const task = await waitFor('open task', async () =>
    expectStatus(await world.approver.get('/tasks'), 200).body.items.find((t: any) => t.processId === processId),
  );
  expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意' }), 200);
  // Until the founding election is recorded the process still writes to its timeline.
  await recordFoundingElection(admin, world, processId);
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

/** Every stored column of the process's audit rows, in order. */
async function auditRows(): Promise<unknown[]> {
  return (await db.query(`SELECT * FROM process_events WHERE process_id = $1 ORDER BY id`, [processId])).rows;
}

/** Runs a statement in a transaction that is always rolled back: if a guard were missing, nothing is lost. */
async function attempt(sql: string, params: unknown[] = []): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query(sql, params);
  } finally {
    await db.query('ROLLBACK');
  }
}

describe('the timeline is append-only in the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE (also through TRUNCATE … CASCADE of processes) and still accepts appends', async () => {
    const before = await auditRows();
    expect(before.length).toBeGreaterThanOrEqual(5); // so the row-level trigger has rows to fire on
    const refused = (op: string): object => expect.objectContaining({ code: '42501', message: `process_events is append-only (${op} refused)` });

    await expect(attempt(`UPDATE process_events SET comment = '篡改' WHERE process_id = $1`, [processId])).rejects.toEqual(refused('UPDATE'));
    await expect(attempt(`UPDATE process_events SET action = 'REJECT' WHERE process_id = $1 AND action = 'APPROVE'`, [processId])).rejects.toEqual(refused('UPDATE'));
    await expect(attempt(`DELETE FROM process_events WHERE process_id = $1`, [processId])).rejects.toEqual(refused('DELETE'));
    await expect(attempt(`DELETE FROM process_events`)).rejects.toEqual(refused('DELETE'));
    await expect(attempt(`TRUNCATE process_events`)).rejects.toEqual(refused('TRUNCATE'));
    await expect(attempt(`TRUNCATE processes CASCADE`)).rejects.toEqual(refused('TRUNCATE'));

    // Appending is what the system does all the time; it stays allowed.
    await attempt(`INSERT INTO process_events (process_id, event_key, step, action) VALUES ($1, $2, 'test', 'TEST_APPEND')`, [processId, `append-test:${processId}`]);
    expect(await auditRows()).toEqual(before);
  });

  it('guards the policy-settings audit the same way', async () => {
    expectStatus(await admin.patch('/admin/settings/policy', { establishBranchAnswerDays: 31 }), 200);
    const { rows } = await db.query(`SELECT id FROM settings_audit`);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    const refused = (op: string): object => expect.objectContaining({ code: '42501', message: `settings_audit is append-only (${op} refused)` });
    await expect(attempt(`UPDATE settings_audit SET changed_by_name = '别人'`)).rejects.toEqual(refused('UPDATE'));
    await expect(attempt(`DELETE FROM settings_audit`)).rejects.toEqual(refused('DELETE'));
    await expect(attempt(`TRUNCATE settings_audit`)).rejects.toEqual(refused('TRUNCATE'));
    expectStatus(await admin.patch('/admin/settings/policy', { establishBranchAnswerDays: 30 }), 200);
  });
});

describe('no API route changes an audit row', () => {
  let routes: Array<{ method: string; path: string }>;

  beforeAll(async () => {
    const res = await fetch(sys.baseUrl.replace('/api/v1', '/api/docs-json'));
    expect(res.status).toBe(200);
    const spec = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method, path })));
  });

  it('lists no PUT, PATCH or DELETE on any timeline, events or audit path', () => {
    // The document is the real one (the routes the tests use are in it), so an empty list cannot pass by accident.
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'get', path: '/api/v1/processes/{id}' },
        { method: 'post', path: '/api/v1/tasks/{id}/decision' },
        { method: 'patch', path: '/api/v1/institutions/{id}' },
      ]),
    );
    const auditWrites = routes.filter((r) => /timeline|events|audit/i.test(r.path) && (WRITE_METHODS as readonly string[]).includes(r.method));
    expect(auditWrites).toEqual([]);
  });

  it('refuses every PATCH/PUT/DELETE route aimed at the process, and its timeline stays identical', async () => {
    const writes = routes.filter((r) => (WRITE_METHODS as readonly string[]).includes(r.method));
    const withId = writes.filter((r) => r.path.includes('{'));
    expect(withId.length).toBeGreaterThan(0);
    // Routes a client might guess for editing a timeline, whether or not they exist.
    const guessed = ['/processes/{id}', '/processes/{id}/timeline', '/processes/{id}/events', '/processes/{id}/timeline/{eventId}', '/processes/{id}/events/{eventId}'].flatMap(
      (path) => WRITE_METHODS.map((method) => ({ method, path: `/api/v1${path}` })),
    );

    const beforeApi = expectStatus(await admin.get(`/processes/${processId}`), 200).body;
    const beforeDb = await auditRows();
    const eventId = String((beforeDb[0] as { id: string }).id);
    const tamper = { action: 'REJECT', comment: '篡改', step: 'done', status: 'REJECTED', at: '2000-01-01T00:00:00Z' };
    const callers: Array<[string, Http]> = [
      ['admin', admin],
      ['applicant', world.applicant],
      ['approver', world.approver],
    ];
    const seen: string[] = [];
    for (const route of [...withId, ...guessed]) {
      const path = route.path.replace(/^\/api\/v1/, '').replace(/\{eventId\}/g, eventId).replace(/\{[^}]+\}/g, processId);
      for (const [who, http] of callers) {
        // An empty body passes any partial-update validation, so the answer is about the id, not the body.
        const plain = await http.request(route.method.toUpperCase(), path, {});
        const label = `${route.method.toUpperCase()} ${path.split(processId).join(':processId')} as ${who}`;
        seen.push(`${label} → ${plain.status}`);
        expect(`${label} → ${plain.status}`).toMatch(REFUSED);
        // A body that tries to rewrite an entry may also be refused for its shape (400).
        const forged = await http.request(route.method.toUpperCase(), path, tamper);
        expect(`${label} with a forged entry → ${forged.status}`).toMatch(REFUSED_OR_INVALID);
      }
    }
    const byStatus = seen.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.slice(-3)]: (acc[s.slice(-3)] ?? 0) + 1 }), {});
    // eslint-disable-next-line no-console
    console.log(`write routes in the OpenAPI document: ${writes.map((r) => `${r.method.toUpperCase()} ${r.path}`).join(', ')}; ${seen.length} calls aimed at the process answered ${JSON.stringify(byStatus)}`);

    const afterApi = expectStatus(await admin.get(`/processes/${processId}`), 200).body;
    expect(afterApi.timeline).toEqual(beforeApi.timeline);
    expect(afterApi.status).toBe('APPROVED');
    expect(await auditRows()).toEqual(beforeDb);
  });
});
