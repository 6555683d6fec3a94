import type { DataSource } from 'typeorm';
import type { NotificationService } from '@app/notifications';
import { QueueMonitorService } from './queue-monitor.service';

const ds = {
  query: async (sql: string): Promise<unknown[]> =>
    sql.includes('GROUP BY status')
      ? [{ status: 'PENDING', n: '2' }, { status: 'SENT', n: '5' }]
      : [{ id: 'o1', template: 'task-opened', toAddress: 'a@example.test', status: 'PENDING', attempts: 3, lastError: 'connect ECONNREFUSED', processId: null, createdAt: new Date(0) }],
} as unknown as DataSource;

const monitorWith = (queue: object): QueueMonitorService => new QueueMonitorService({ queue } as unknown as NotificationService, ds);

describe('QueueMonitorService', () => {
  it('reports counts, failed jobs and jobs waiting for a retry', async () => {
    const job = (id: string, attemptsMade: number) => ({
      id,
      name: 'send-email',
      data: { outboxId: id },
      attemptsMade,
      failedReason: attemptsMade ? '550 rejected' : '',
      timestamp: 1_000,
      finishedOn: 2_000,
      opts: { attempts: 10 },
    });
    const report = await monitorWith({
      getJobCounts: async () => ({ waiting: 1, active: 0, completed: 4, failed: 1, delayed: 2, prioritized: 0, paused: 0 }),
      getFailed: async () => [job('f1', 10)],
      getDelayed: async () => [job('d1', 2), job('d2', 0)],
    }).report();
    expect(report).toMatchObject({
      redis: 'up',
      counts: { waiting: 1, completed: 4, failed: 1, delayed: 2 },
      failedJobs: [{ id: 'f1', outboxId: 'f1', attemptsMade: 10, maxAttempts: 10, failedReason: '550 rejected', lastAttemptAt: new Date(2_000).toISOString() }],
      retryingJobs: [{ id: 'd1', attemptsMade: 2 }],
      outbox: { PENDING: 2, SENDING: 0, SENT: 5, FAILED: 0 },
    });
    expect(report.outboxErrors[0]).toMatchObject({ lastError: 'connect ECONNREFUSED' });
  });

  it('answers with redis down and the outbox counts when Redis refuses', async () => {
    const refuse = async (): Promise<never> => {
      throw new Error('Stream isn\'t writeable and enableOfflineQueue options is false');
    };
    const report = await monitorWith({ getJobCounts: refuse, getFailed: refuse, getDelayed: refuse }).report();
    expect(report).toMatchObject({ redis: 'down', counts: null, failedJobs: [], retryingJobs: [], outbox: { PENDING: 2, SENT: 5 } });
    expect(report.redisError).toContain('enableOfflineQueue');
  });

  it('does not wait for a Redis that never answers', async () => {
    const hang = (): Promise<never> => new Promise<never>(() => undefined);
    const started = Date.now();
    const report = await monitorWith({ getJobCounts: hang, getFailed: hang, getDelayed: hang }).report();
    expect(report.redis).toBe('down');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
