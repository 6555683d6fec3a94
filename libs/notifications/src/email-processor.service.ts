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
    if (!row) {
      const [current]: Array<{ status: string }> = await this.outbox.query(`SELECT status FROM email_outbox WHERE id = $1`, [job.data.outboxId]);
      if (!current || current.status === 'SENT') return 'already-sent';
      // Claimed by a sender that is still sending, or that died sending: never finish the job with the email unsent
      // (a finished job stays in Redis, and the sweep would not enqueue its row again). BullMQ tries again later;
      // once the claim has expired, this job sends it.
      throw new Error(`email ${job.data.outboxId} is claimed by another sender until its claim expires`);
    }
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
    await this.markSent(row.id);
    return 'sent';
  }

  /**
   * Records a delivered email as SENT. A failure here would have it sent again once the claim expires, so a lost
   * database connection (the pool opens a new one) is tried a few times before giving up.
   */
  private async markSent(id: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.outbox.update({ id }, { status: 'SENT', sentAt: new Date(), lockedUntil: null, lastError: null });
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        this.logger.warn(`email ${id} delivered, recording it failed (attempt ${attempt}): ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
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
      // A job that used up its attempts (a long SMTP outage) is kept as failed, and one that finished while its row
      // still waits (written before the processor refused to finish such jobs) is kept as completed; re-adding
      // either id is a no-op: retry them instead, so a row is never stranded.
      const fresh: string[] = [];
      for (const { id } of rows) {
        const job = await this.notifications.queue.getJob(id);
        if (!job) fresh.push(id);
        else if (await job.isFailed()) await job.retry('failed');
        else if (await job.isCompleted()) await job.retry('completed');
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
