/**
 * Two decisions racing for one task (issue #14). A decision is slowed in its recording activity so the window
 * between the kernel taking the first decision and recording it is wide; a second decision for the same task sent
 * at the same moment must be refused (409), never recorded, emailed or answered twice, in 会签 (ALL) and 依次
 * (SEQUENTIAL) steps alike.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { stateQuery } from '@app/contracts';
import { mapUpdateError } from '../apps/api/src/workflow/workflow-errors';
import { decide, startKernelHarness, step, type KernelHarness, type Org, type TaskRow } from './support/kernel-harness';
import { waitFor } from './support/net';

const ITERATIONS = 30;
const BATCH = 10;
const SLOW_MS = 150;

let h: KernelHarness;
let parent: Org;
let A: Org;
let A2: string; // a second approver of A: the two racing decisions come from two people of the same organisation
let B: Org;
let C: Org;
let applicant: string;

beforeAll(async () => {
  h = await startKernelHarness('kernel_race', {
    wrap: (real) => ({
      recordDecision: async (input) => {
        await sleep(SLOW_MS);
        return real.recordDecision(input);
      },
    }),
  });
  parent = await h.org('上级党委', null);
  A = await h.org('甲党委', parent.id);
  A2 = await h.user('甲党委第二审批人', [A.id]);
  B = await h.org('乙党委', parent.id);
  C = await h.org('丙党委', parent.id);
  applicant = await h.user('申请人', [], '{APPLICANT}');
});

afterAll(async () => {
  await h?.stop();
});

interface RaceOutcome {
  statuses: number[];
}

/** Sends two APPROVE decisions for the same task at once, from two approvers of its organisation. */
async function race(handle: Parameters<typeof decide>[0], task: TaskRow): Promise<RaceOutcome> {
  const settled = await Promise.allSettled([decide(handle, task, A, 'APPROVE'), decide(handle, task, { id: A.id, approver: A2 }, 'APPROVE')]);
  const statuses = settled.map((s) => (s.status === 'fulfilled' ? 200 : (mapUpdateError(s.reason)?.getStatus() ?? 500)));
  return { statuses };
}

async function countRows(processId: string, taskId: string): Promise<{ decisions: number; emails: number }> {
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM process_events WHERE process_id = $1 AND action = 'APPROVE' AND data->>'taskId' = $2`, [processId, taskId]);
  const [{ m }] = await h.ds.query(`SELECT count(*)::int AS m FROM email_outbox WHERE process_id = $1 AND template = 'decided'`, [processId]);
  return { decisions: n, emails: m };
}

async function inBatches(run: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < ITERATIONS; i += BATCH) await Promise.all(Array.from({ length: Math.min(BATCH, ITERATIONS - i) }, (_, j) => run(i + j)));
}

describe('two decisions for one task at the same moment', () => {
  it('ALL (会签): exactly one is accepted, recorded and emailed; the other gets 409; the step still needs the others', async () => {
    await inBatches(async () => {
      const { processId, handle } = await h.start([step('ALL', [A.id, B.id, C.id])], applicant);
      const open = await h.openTasks(processId, 3);
      const ta = open.find((t) => t.candidate_org_id === A.id)!;
      const { statuses } = await race(handle, ta);
      expect(statuses.sort()).toEqual([200, 409]);
      expect(await countRows(processId, ta.id)).toEqual({ decisions: 1, emails: 1 });
      expect((await handle.query(stateQuery)).status).toBe('RUNNING');
      const rest = await h.openTasks(processId, 2);
      for (const t of rest) await decide(handle, t, t.candidate_org_id === B.id ? B : C, 'APPROVE');
      expect((await handle.result()).state.status).toBe('APPROVED');
      const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM process_events WHERE process_id = $1 AND action = 'APPROVE'`, [processId]);
      expect(n).toBe(3);
    });
  });

  it('SEQUENTIAL (依次): exactly one is accepted; the next organisation is asked once and the process ends only after it decides', async () => {
    await inBatches(async () => {
      const { processId, handle } = await h.start([step('SEQUENTIAL', [A.id, B.id])], applicant);
      const [ta] = await h.openTasks(processId, 1);
      const { statuses } = await race(handle, ta!);
      expect(statuses.sort()).toEqual([200, 409]);
      expect(await countRows(processId, ta!.id)).toEqual({ decisions: 1, emails: 1 });
      const [tb] = await h.openTasks(processId, 1);
      expect(tb!.candidate_org_id).toBe(B.id);
      expect((await handle.query(stateQuery)).status).toBe('RUNNING');
      await decide(handle, tb!, B, 'APPROVE');
      expect((await handle.result()).state.status).toBe('APPROVED');
      const all = await waitFor('every task closed', async () => {
        const rows = await h.tasks(processId);
        return rows.every((r) => r.status !== 'OPEN') ? rows : null;
      });
      expect(all.map((r) => `${r.candidate_org_id === A.id ? 'A' : 'B'}:${r.status}`)).toEqual(['A:COMPLETED', 'B:COMPLETED']);
    });
  });
});
