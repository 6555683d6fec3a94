import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type { EntityManager, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EMAIL_JOB, EMAIL_QUEUE, type EmailJobData } from '@app/contracts';
import { EmailOutboxEntity } from '@app/persistence';
import { createRedis } from './redis-connection';
import { renderEmail, type TemplateName, type TemplateVars } from './templates/render';

export interface NotificationRequest<T extends TemplateName> {
  /** What this email is about, unique per recipient: the same key never makes a second email. */
  dedupeKey: string;
  template: T;
  to: string;
  vars: TemplateVars[T];
  processId?: string | null;
}

export const emailJobOptions = {
  attempts: 10,
  backoff: { type: 'exponential' as const, delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: false,
};

/**
 * The outbox: a row per email in Postgres (the record that it must be sent), then a BullMQ job whose id is the
 * row id. If Redis is away the row stays PENDING and the sweeper enqueues it later; nothing is lost.
 */
@Injectable()
export class NotificationService implements OnApplicationShutdown {
  private readonly logger = new Logger(NotificationService.name);
  readonly queue: Queue<EmailJobData>;

  constructor(
    @Inject(APP_CONFIG) cfg: AppConfig,
    @InjectRepository(EmailOutboxEntity) private readonly outbox: Repository<EmailOutboxEntity>,
  ) {
    const connection = createRedis(cfg.redisUrl, 'producer');
    connection.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
    this.queue = new Queue<EmailJobData>(EMAIL_QUEUE, { connection, prefix: cfg.redisPrefix });
    this.queue.on('error', (err) => this.logger.warn(`email queue: ${err.message}`));
  }

  static outboxId(dedupeKey: string): string {
    return createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40);
  }

  /**
   * Writes the outbox rows (idempotent) with the given manager, so a caller inside a transaction records the
   * emails atomically with the state change they announce. Call `enqueue` after the commit.
   */
  async stage(m: EntityManager, requests: Array<NotificationRequest<TemplateName>>): Promise<string[]> {
    if (requests.length === 0) return [];
    const rows = requests.map((r) => {
      const rendered = renderEmail(r.template, r.vars);
      return {
        id: NotificationService.outboxId(r.dedupeKey),
        dedupeKey: r.dedupeKey,
        template: r.template,
        toAddress: r.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        processId: r.processId ?? null,
        status: 'PENDING' as const,
      };
    });
    await m.createQueryBuilder().insert().into(EmailOutboxEntity).values(rows).orIgnore().execute();
    return rows.map((r) => r.id);
  }

  /** Outside a transaction: stage and enqueue at once. */
  async notify(requests: Array<NotificationRequest<TemplateName>>): Promise<string[]> {
    const ids = await this.stage(this.outbox.manager, requests);
    if (ids.length) await this.enqueue(ids);
    return ids;
  }

  /** Re-adding a job id that BullMQ still keeps is a no-op, so this is safe to repeat. */
  async enqueue(outboxIds: string[]): Promise<boolean> {
    if (outboxIds.length === 0) return true;
    try {
      await this.queue.addBulk(outboxIds.map((id) => ({ name: EMAIL_JOB, data: { outboxId: id }, opts: { ...emailJobOptions, jobId: id } })));
      return true;
    } catch (err) {
      this.logger.warn(`enqueue deferred to the outbox sweeper: ${(err as Error).message}`);
      return false;
    }
  }

  /** Redis reachability for /health (fails fast: the producer connection has no offline queue). */
  async ping(): Promise<void> {
    const client = (await this.queue.client) as unknown as { ping(): Promise<string> };
    await client.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }
}
