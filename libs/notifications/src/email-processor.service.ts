import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Worker, type Job } from 'bullmq';
import type { Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EMAIL_JOB, EMAIL_QUEUE, type EmailJobData } from '@app/contracts';
import { EmailOutboxEntity } from '@app/persistence';
import { MailTransportService } from './mail-transport.service';
import { NotificationService } from './notification.service';
import { createRedis } from './redis-connection';

/**
 * How long a claimed row stays ours; a crashed sender's row becomes claimable again after this. A sender killed
 * between the relay's "250 OK" and the SENT update leaves the one case SMTP cannot settle: the row is sent
 * again (at-least-once rather than lost), with the same Message-ID so receivers can drop the copy.
 */

/**
 * Sends outbox emails. BullMQ is at-least-once, so the row is claimed in Postgres first and marked SENT after
 * delivery: a job that runs twice sends once. A periodic sweep re-enqueues rows that never reached Redis.
 */
@Injectable()
export class EmailProcessorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EmailProcessor');
  private worker?: Worker<EmailJobData>;
  private sweepTimer?: NodeJS.Timeout;
  private healthy = false;

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @InjectRepository(EmailOutboxEntity) private readonly outbox: Repository<EmailOutboxEntity>,
    private readonly transport: MailTransportService,
    private readonly notifications: NotificationService,
  ) {}

  onApplicationBootstrap(): void {
    const connection = createRedis(this.cfg.redisUrl, 'worker');
    connection.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
    this.worker = new Worker<EmailJobData>(EMAIL_QUEUE, (job) => this.process(job), {
      connection,
      prefix: this.cfg.redisPrefix,
      concurrency: 5,
    });
    // A worker can stop silently after a Redis blip; make it visible.
    this.worker.on('ready', () => (this.healthy = true));
    this.worker.on('error', (err) => {
      this.healthy = false;
      this.logger.warn(`worker error: ${err.message}`);
    });
    this.worker.on('closed', () => (this.healthy = false));
    this.worker.on('failed', (job, err) => this.logger.warn(`email job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
    this.sweepTimer = setInterval(() => void this.sweep(), this.cfg.outboxSweepIntervalMs);
    void this.sweep();
  }

  isHealthy(): boolean {
    return this.healthy && this.worker?.isRunning() === true;
  }

  async process(job: Job<EmailJobData>): Promise<'sent' | 'already-sent'> {
    if (job.name !== EMAIL_JOB) throw new Error(`no handler for job ${job.name}`);
    const claimed: EmailOutboxEntity[] = await this.outbox.query(
      `UPDATE email_outbox SET status = 'SENDING', attempts = attempts + 1, locked_until = now() + ($2 || ' seconds')::interval
        WHERE id = $1 AND (status = 'PENDING' OR (status = 'SENDING' AND locked_until < now()))
        RETURNING id, to_address AS "toAddress", subject, text, html`,
      [job.data.outboxId, String(this.cfg.emailClaimSeconds)],
    ).then((r: [EmailOutboxEntity[], number] | EmailOutboxEntity[]) => (Array.isArray(r[0]) ? (r[0] as EmailOutboxEntity[]) : (r as EmailOutboxEntity[])));
    const row = claimed[0];
    if (!row) return 'already-sent';
    try {
      await this.transport.send({
        to: row.toAddress,
        subject: row.subject,
        text: row.text,
        html: row.html,
        messageId: `<${row.id}@party-approvals>`,
      });
    } catch (err) {
      await this.outbox.update({ id: row.id }, { status: 'PENDING', lockedUntil: null, lastError: (err as Error).message });
      throw err;
    }
    await this.outbox.update({ id: row.id }, { status: 'SENT', sentAt: new Date(), lockedUntil: null, lastError: null });
    return 'sent';
  }

  /** Re-enqueue rows still pending after a while (Redis was away, or the job was lost with it). */
  async sweep(): Promise<number> {
    try {
      const rows: Array<{ id: string }> = await this.outbox.query(
        `SELECT id FROM email_outbox
          WHERE (status = 'PENDING' AND created_at < now() - interval '5 seconds')
             OR (status = 'SENDING' AND locked_until < now())
          ORDER BY created_at LIMIT 500`,
      );
      if (rows.length === 0) return 0;
      // A job that used up its attempts (a long SMTP outage) is kept as failed, and re-adding its id is a no-op:
      // retry it instead, so a pending row is never stranded.
      const fresh: string[] = [];
      for (const { id } of rows) {
        const job = await this.notifications.queue.getJob(id);
        if (job && (await job.isFailed())) await job.retry();
        else if (!job) fresh.push(id);
      }
      await this.notifications.enqueue(fresh);
      return rows.length;
    } catch (err) {
      this.logger.warn(`sweep failed: ${(err as Error).message}`);
      return 0;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.worker?.close();
  }
}
