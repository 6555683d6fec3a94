import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { EMAIL_QUEUE } from '@app/contracts';
import { NotificationService } from '@app/notifications';
import { withTimeout } from './bounded-parallel';
import type { EmailJobDto, OutboxCountsDto, OutboxProblemDto, QueueCountsDto, QueueReportDto } from './queues.dto';

/** BullMQ waits for a connection that never comes while Redis is away; the answer must not. */
const REDIS_TIMEOUT_MS = 3_000;
const JOB_PAGE_END = 49;
const COUNT_TYPES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'paused'] as const;
const OUTBOX_STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED'] as const;

type JobLike = Pick<Job, 'id' | 'name' | 'data' | 'attemptsMade' | 'failedReason' | 'timestamp' | 'finishedOn' | 'processedOn' | 'opts'>;

/** The email pipeline as an operator checks it: queue counts and failing jobs from Redis, the outbox from Postgres. */
@Injectable()
export class QueueMonitorService {
  private readonly logger = new Logger('QueueMonitor');

  constructor(
    private readonly notifications: NotificationService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async report(): Promise<QueueReportDto> {
    const [queue, outbox, outboxErrors] = await Promise.all([this.queueState(), this.outboxCounts(), this.outboxErrors()]);
    return { queue: EMAIL_QUEUE, ...queue, outbox, outboxErrors };
  }

  private async queueState(): Promise<Pick<QueueReportDto, 'redis' | 'redisError' | 'counts' | 'failedJobs' | 'retryingJobs'>> {
    const q = this.notifications.queue;
    try {
      const [counts, failed, delayed] = await withTimeout(
        Promise.all([q.getJobCounts(...COUNT_TYPES), q.getFailed(0, JOB_PAGE_END), q.getDelayed(0, JOB_PAGE_END)]),
        REDIS_TIMEOUT_MS,
      );
      return {
        redis: 'up',
        redisError: null,
        counts: Object.fromEntries(COUNT_TYPES.map((t) => [t, counts[t] ?? 0])) as unknown as QueueCountsDto,
        failedJobs: (failed as JobLike[]).map(jobView),
        // A job that failed and waits for its next attempt sits in `delayed`; that is where SMTP trouble shows first.
        retryingJobs: (delayed as JobLike[]).filter((j) => j.attemptsMade > 0).map(jobView),
      };
    } catch (err) {
      this.logger.warn(`email queue unreachable: ${(err as Error).message}`);
      return { redis: 'down', redisError: (err as Error).message, counts: null, failedJobs: [], retryingJobs: [] };
    }
  }

  private async outboxCounts(): Promise<OutboxCountsDto> {
    const rows: Array<{ status: string; n: string }> = await this.ds.query(`SELECT status, COUNT(*) AS n FROM email_outbox GROUP BY status`);
    const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<string, number>;
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts as unknown as OutboxCountsDto;
  }

  private outboxErrors(): Promise<OutboxProblemDto[]> {
    return this.ds.query(
      `SELECT id, template, to_address AS "toAddress", status, attempts, last_error AS "lastError", process_id AS "processId", created_at AS "createdAt"
         FROM email_outbox WHERE status <> 'SENT' AND last_error IS NOT NULL
        ORDER BY created_at ASC LIMIT 50`,
    );
  }
}

function jobView(j: JobLike): EmailJobDto {
  const last = j.finishedOn ?? j.processedOn;
  return {
    id: String(j.id),
    name: j.name,
    outboxId: (j.data as { outboxId?: string } | undefined)?.outboxId ?? null,
    attemptsMade: j.attemptsMade,
    maxAttempts: j.opts?.attempts ?? 1,
    failedReason: j.failedReason || null,
    createdAt: new Date(j.timestamp).toISOString(),
    lastAttemptAt: last ? new Date(last).toISOString() : null,
  };
}
