import { Client } from 'pg';
import { PROCESS_KINDS } from '@app/domain';
import type { DemoCity } from '../scripts/demo/demo-city.types';
import { DemoRandom } from '../scripts/demo/demo-random';

/** Inbox rows in all (issue #13: GET /tasks with 100,000 tasks in the database, 1,000 of them open for one approver). */
export const INBOX_TASKS = 100_000;
export const OPEN_FOR_APPROVER = 1_000;

/**
 * An inbox the size the benchmark asks for, for the benchmark only (not part of the demo data): INBOX_TASKS tasks
 * over the city's institutions, each with its process, candidate = the responsible body as R1-R3 name it;
 * OPEN_FOR_APPROVER of them open for demo_approver's organisations, a few percent open elsewhere, the rest
 * decided. Rows are written directly; no workflow stands behind them, so they are only read.
 */
export async function seedInbox(databaseUrl: string, city: DemoCity, seed: number): Promise<{ tasks: number; openForApprover: number }> {
  const rng = new DemoRandom(seed + 2_000_003);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const [{ id: applicantId }] = (await db.query(`SELECT id FROM users WHERE username = 'demo_applicant'`)).rows as Array<{ id: string }>;
    const approverOrgs = new Set(city.users.find((u) => u.username === 'demo_approver')!.organizationIds);
    const p = { id: [] as string[], kind: [] as string[], status: [] as string[], inst: [] as string[], step: [] as string[], at: [] as string[] };
    const t = { id: [] as string[], process: [] as string[], kind: [] as string[], org: [] as string[], status: [] as string[], due: [] as string[], at: [] as string[] };
    const now = Date.now();
    let openForApprover = 0;
    const candidateOf = (inst: DemoCity['institutions'][number]): string =>
      inst.type === 'PUBLIC' ? inst.sponsorOrgId! : inst.type === 'PUBLIC_BUILT_PRIVATE_RUN' && inst.managedBy !== 'TOWNSHIP' ? inst.publicBuilderOrgId! : inst.townshipOrgId;
    const add = (inst: DemoCity['institutions'][number], open: boolean): void => {
      const createdAt = new Date(now - rng.int(1, 365) * 86_400_000 - rng.int(0, 86_399_999)).toISOString();
      const processId = rng.uuid();
      const kind = PROCESS_KINDS[rng.int(0, PROCESS_KINDS.length - 1)];
      p.id.push(processId);
      p.kind.push(kind);
      p.status.push(open ? 'RUNNING' : 'APPROVED');
      p.inst.push(inst.id);
      p.step.push(open ? 'decision' : 'done');
      p.at.push(createdAt);
      t.id.push(rng.uuid());
      t.process.push(processId);
      t.kind.push(kind);
      t.org.push(candidateOf(inst));
      t.status.push(open ? 'OPEN' : 'COMPLETED');
      t.due.push(new Date(Date.parse(createdAt) + 21 * 86_400_000).toISOString());
      t.at.push(createdAt);
    };
    for (let i = 0; i < INBOX_TASKS; i++) {
      const inst = city.institutions[i % city.institutions.length]!;
      const mine = approverOrgs.has(candidateOf(inst));
      const open = mine ? openForApprover < OPEN_FOR_APPROVER : rng.int(0, 99) < 5;
      if (mine && open) openForApprover += 1;
      add(inst, open);
    }
    // The approver's organisations may hold fewer institutions than 1,000 open tasks need: top them up.
    const theirs = city.institutions.filter((i) => approverOrgs.has(candidateOf(i)));
    for (let i = 0; openForApprover < OPEN_FOR_APPROVER; i++, openForApprover++) add(theirs[i % theirs.length]!, true);
    await db.query('BEGIN');
    await db.query(
      // Each row its own subject: the bench inbox has many open processes of a kind per institution.
      `INSERT INTO processes (id, kind, status, workflow_id, institution_id, applicant_id, subject_key, current_step, payload, created_at, updated_at)
       SELECT id, kind, status, 'bench-' || id, inst, $7, id::text, step, '{}'::jsonb, at, at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::timestamptz[]) AS x(id, kind, status, inst, step, at)`,
      [p.id, p.kind, p.status, p.inst, p.step, p.at, applicantId],
    );
    await db.query(
      `INSERT INTO tasks (id, process_id, kind, step, title, candidate_org_id, due_at, status, created_at)
       SELECT id, process, kind, 'decision', '审批（基准测试数据）', org, due, status, at
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::timestamptz[], $7::timestamptz[]) AS x(id, process, kind, org, status, due, at)`,
      [t.id, t.process, t.kind, t.org, t.status, t.due, t.at],
    );
    await db.query('COMMIT');
    await db.query('ANALYZE');
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM tasks WHERE status = 'OPEN' AND candidate_org_id = ANY($1::uuid[])`, [[...approverOrgs]])).rows as Array<{ n: number }>;
    if (n !== OPEN_FOR_APPROVER) throw new Error(`the bench inbox has ${n} open tasks for demo_approver, not ${OPEN_FOR_APPROVER}`);
    return { tasks: t.id.length, openForApprover: n };
  } finally {
    await db.end();
  }
}
