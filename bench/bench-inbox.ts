import { Client } from 'pg';
import { PROCESS_KINDS } from '@app/domain';
import type { DemoCity } from '../scripts/demo/demo-city.types';
import { DemoRandom } from '../scripts/demo/demo-random';

/**
 * A year's worth of inbox for the benchmark only (not part of the demo data): per institution one running
 * process with an OPEN task and two approved ones with COMPLETED tasks, candidate = the responsible body as
 * R1-R3 name it. Rows are written directly; no workflow stands behind them, so they are only read.
 */
export async function seedInbox(databaseUrl: string, city: DemoCity, seed: number): Promise<{ tasks: number; openForApprover: number }> {
  const rng = new DemoRandom(seed + 2_000_003);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const [{ id: applicantId }] = (await db.query(`SELECT id FROM users WHERE username = 'demo_applicant'`)).rows as Array<{ id: string }>;
    const p = { id: [] as string[], kind: [] as string[], status: [] as string[], inst: [] as string[], step: [] as string[], at: [] as string[] };
    const t = { id: [] as string[], process: [] as string[], kind: [] as string[], org: [] as string[], status: [] as string[], due: [] as string[], at: [] as string[] };
    const now = Date.now();
    for (const inst of city.institutions) {
      const candidate =
        inst.type === 'PUBLIC' ? inst.sponsorOrgId! : inst.type === 'PUBLIC_BUILT_PRIVATE_RUN' && inst.managedBy !== 'TOWNSHIP' ? inst.publicBuilderOrgId! : inst.townshipOrgId;
      for (let k = 0; k < 3; k++) {
        const open = k === 0;
        const createdAt = new Date(now - rng.int(1, 365) * 86_400_000).toISOString();
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
        t.org.push(candidate);
        t.status.push(open ? 'OPEN' : 'COMPLETED');
        t.due.push(new Date(Date.parse(createdAt) + 21 * 86_400_000).toISOString());
        t.at.push(createdAt);
      }
    }
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO processes (id, kind, status, workflow_id, institution_id, applicant_id, current_step, payload, created_at, updated_at)
       SELECT id, kind, status, 'bench-' || id, inst, $7, step, '{}'::jsonb, at, at
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
    const approver = city.users.find((u) => u.username === 'demo_approver')!;
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM tasks WHERE status = 'OPEN' AND candidate_org_id = ANY($1::uuid[])`, [approver.organizationIds]))
      .rows as Array<{ n: number }>;
    return { tasks: t.id.length, openForApprover: n };
  } finally {
    await db.end();
  }
}
