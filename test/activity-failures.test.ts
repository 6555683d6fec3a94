/**
 * Activities never retry forever on input the database refuses, and never fail silently (issue #15): a request
 * whose text PostgreSQL refuses is refused (400) after one attempt and the process stays where it was; an activity
 * that keeps failing for another reason is retried, listed on /admin/overdue meanwhile, and unlisted once it succeeds.
 * The API refuses such text before it reaches a workflow; this is the worker's own line of defence.
 */
import { stateQuery, urgeUpdate, withdrawUpdate } from '@app/contracts';
import { SettingEntity, SettingsService } from '@app/persistence';
import { OverdueService } from '../apps/api/src/admin/overdue.service';
import { mapUpdateError } from '../apps/api/src/workflow/workflow-errors';
import { decide, refusal, startKernelHarness, step, type KernelHarness, type Org } from './support/kernel-harness';
import { waitFor } from './support/net';

let h: KernelHarness;
let A: Org;
let applicant: string;
const attempts = new Map<string, number>();
const count = (key: string): number => {
  const n = (attempts.get(key) ?? 0) + 1;
  attempts.set(key, n);
  return n;
};
/** Processes whose urge fails at its first two attempts (a relay that is away for a while). */
const flakyUrge = new Set<string>();

beforeAll(async () => {
  h = await startKernelHarness('activity_failures', {
    alertAfterAttempts: 2,
    wrap: (real) => ({
      recordDecision: async (input) => {
        count(`decision:${input.processId}`);
        return real.recordDecision(input);
      },
      recordWithdrawal: async (input) => {
        count(`withdrawal:${input.processId}`);
        return real.recordWithdrawal(input);
      },
      recordUrge: async (input) => {
        if (flakyUrge.has(input.processId) && count(`urge:${input.processId}`) <= 2) throw new Error('mail relay is away');
        return real.recordUrge(input);
      },
    }),
  });
  const parent = await h.org('上级党委', null);
  A = await h.org('甲党委', parent.id);
  applicant = await h.user('申请人', [], '{APPLICANT}');
});

afterAll(async () => {
  await h?.stop();
});

describe('a data error is refused, not retried', () => {
  it('a decision whose comment the database refuses: 400 after one attempt; the task stays open and can be decided', async () => {
    const { processId, handle } = await start();
    const [t] = await h.openTasks(processId, 1);
    const began = Date.now();
    const refused = decide(handle, t!, A, 'APPROVE', { comment: '同意\u0000' });
    expect(await refusal(refused)).toBe('DataRefused');
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(mapUpdateError(await refused.catch((e: unknown) => e))?.getStatus()).toBe(400);
    expect(attempts.get(`decision:${processId}`)).toBe(1);
    expect((await h.tasks(processId))[0]!.status).toBe('OPEN');
    const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM process_events WHERE process_id = $1 AND action = 'APPROVE'`, [processId]);
    expect(n).toBe(0);

    await decide(handle, t!, A, 'APPROVE', { comment: '同意' });
    expect((await handle.result()).state.status).toBe('APPROVED');
  });

  it('a withdrawal whose reason the database refuses: 400 after one attempt; the process runs on', async () => {
    const { processId, handle } = await start();
    const [t] = await h.openTasks(processId, 1);
    expect(await refusal(handle.executeUpdate(withdrawUpdate, { args: [{ actorId: applicant, reason: '撤回\u0000' }] }))).toBe('DataRefused');
    expect(attempts.get(`withdrawal:${processId}`)).toBe(1);
    expect((await handle.query(stateQuery)).status).toBe('RUNNING');
    await decide(handle, t!, A, 'REJECT', { comment: '不同意' });
    expect((await handle.result()).state.status).toBe('REJECTED');
  });
});

describe('an activity that keeps failing', () => {
  it('is retried, shown on /admin/overdue while it fails, and no longer once it succeeds', async () => {
    const { processId, handle } = await start();
    await h.openTasks(processId, 1);
    flakyUrge.add(processId);
    const overdue = new OverdueService(h.ds, new SettingsService(h.ds.getRepository(SettingEntity)));
    const urged = handle.executeUpdate(urgeUpdate, { args: [{ actorId: applicant, actorOrgIds: [] }] });
    const listed = await waitFor('the failing activity listed', async () => {
      const report = await overdue.report();
      return report.activities.find((a) => a.workflowId === handle.workflowId);
    });
    expect(listed).toMatchObject({ activityType: 'recordUrge', attempt: 2, lastError: 'mail relay is away' });
    await urged;
    expect(attempts.get(`urge:${processId}`)).toBe(3);
    expect((await overdue.report()).activities.find((a) => a.workflowId === handle.workflowId)).toBeUndefined();
    await handle.terminate('test done');
  });
});

async function start(): ReturnType<KernelHarness['start']> {
  return h.start([step('SINGLE', [A.id])], applicant);
}
