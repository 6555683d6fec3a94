import { WorkflowNotFoundError } from '@temporalio/client';
import type { TemporalClientService } from '@app/temporal';
import { WorkflowStateService } from './workflow-state.service';

type Describe = (id: string) => Promise<unknown>;

function serviceWith(describe: Describe, fetchHistory: Describe = async () => ({ events: [] })): { svc: WorkflowStateService; asked: string[] } {
  const asked: string[] = [];
  const temporal = {
    client: {
      withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
      workflow: {
        getHandle: (id: string) => ({
          describe: () => {
            asked.push(id);
            return describe(id);
          },
          fetchHistory: () => fetchHistory(id),
        }),
      },
    },
  } as unknown as TemporalClientService;
  return { svc: new WorkflowStateService(temporal), asked };
}

const running = {
  status: { code: 1, name: 'RUNNING' },
  historyLength: 12,
  raw: { pendingActivities: [{ activityId: '4', activityType: { name: 'openTask' }, state: 2, attempt: 3, lastFailure: { message: 'db down' } }, { activityId: '5', activityType: { name: 'openTask' }, state: 1, attempt: 1 }] },
};

describe('WorkflowStateService', () => {
  it('maps describe() to status, history length and pending activities', async () => {
    const { svc } = serviceWith(async () => running);
    await expect(svc.describe('w1')).resolves.toEqual({
      workflowStatus: 'RUNNING',
      historyLength: 12,
      liveError: null,
      pendingActivities: {
        count: 2,
        activityTypes: ['openTask'],
        items: [
          { activityId: '4', activityType: 'openTask', state: 'STARTED', attempt: 3, lastFailure: 'db down' },
          { activityId: '5', activityType: 'openTask', state: 'SCHEDULED', attempt: 1, lastFailure: null },
        ],
      },
    });
  });

  it('shows UNKNOWN for a workflow Temporal no longer has (not-found error or gRPC NOT_FOUND)', async () => {
    const gone = serviceWith(async (id) => {
      throw new WorkflowNotFoundError('gone', id, undefined);
    });
    await expect(gone.svc.describe('w1')).resolves.toMatchObject({ workflowStatus: 'UNKNOWN', historyLength: null, pendingActivities: { count: 0 } });
    const notFound = async (): Promise<never> => {
      throw Object.assign(new Error('5 NOT_FOUND: workflow not found'), { code: 5 });
    };
    const grpc = serviceWith(notFound, notFound);
    await expect(grpc.svc.describe('w1')).resolves.toMatchObject({ workflowStatus: 'UNKNOWN' });
    await expect(grpc.svc.history('w1')).resolves.toMatchObject({ available: false });
  });

  it('stops asking once Temporal is unreachable, and keeps the order of the rows', async () => {
    const { svc, asked } = serviceWith(async (id) => {
      if (id === 'w2') throw Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14 });
      return running;
    });
    const ids = Array.from({ length: 30 }, (_, i) => `w${i}`);
    const states = await svc.describeMany(ids);
    expect(states).toHaveLength(30);
    expect(states[0]!.workflowStatus).toBe('RUNNING');
    expect(states[2]!.workflowStatus).toBe('UNAVAILABLE');
    expect(states[29]!.workflowStatus).toBe('UNAVAILABLE');
    expect(states[29]!.liveError).toContain('UNAVAILABLE');
    expect(asked.length).toBeLessThan(30);
  });

  it('gives up on a describe that never answers', async () => {
    const { svc } = serviceWith(() => new Promise(() => undefined));
    const started = Date.now();
    await expect(svc.describe('w1')).resolves.toMatchObject({ workflowStatus: 'UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(6_000);
  }, 10_000);

  it('lets a history read fail loudly when Temporal is unreachable (the controller answers 503)', async () => {
    const { svc } = serviceWith(async () => running, async () => {
      throw Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    });
    await expect(svc.history('w1')).rejects.toThrow('UNAVAILABLE');
  });
});
