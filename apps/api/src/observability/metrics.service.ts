import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { OPEN_PROCESS_STATUSES, PROCESS_KINDS, PROCESS_STATUSES } from '@app/domain';
import { NotificationService } from '@app/notifications';
import { withTimeout } from '../admin/bounded-parallel';

/** Several metrics read one snapshot; concurrent scrapes (several Prometheus servers) share it too. */
const SNAPSHOT_TTL_MS = 2_000;
const REDIS_TIMEOUT_MS = 3_000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'paused', 'failed', 'completed'] as const;
const OUTBOX_STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED'] as const;
const FINAL_STATUSES = PROCESS_STATUSES.filter((s) => !OPEN_PROCESS_STATUSES.includes(s));

interface DatabaseSnapshot {
  processes: Array<{ kind: string; status: string; n: number }>;
  tasks: Array<{ kind: string; open: number; overdue: number }>;
  outbox: Array<{ status: string; n: number; attempts: number; failing: number }>;
  failingActivities: number;
}

/** null where the store did not answer: its metrics are left out of that scrape (not zeroed, not stale). */
interface Snapshot {
  db: DatabaseSnapshot | null;
  queue: Record<string, number> | null;
}

/**
 * The API's Prometheus registry. What every replica sees alike is read at scrape time from PostgreSQL and Redis
 * (processes, tasks, outbox, activity alerts, queue counts), so each replica reports the same, true values: aggregate
 * those with max(), not sum(). What a replica observes itself (HTTP and decision latency) is a histogram of its own:
 * aggregate those with sum().
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private snapshot: { at: number; value: Promise<Snapshot> } | null = null;

  readonly httpDuration = new Histogram({
    name: 'epa_http_request_duration_seconds',
    help: 'HTTP requests answered by this API replica, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly decisionDuration = new Histogram({
    name: 'epa_decision_duration_seconds',
    help: 'Time to answer a decision request until the workflow accepted or refused it, by channel (inbox, batch, email) and outcome (accepted, refused, error)',
    labelNames: ['channel', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly notifications: NotificationService,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.databaseMetrics();
    this.storeMetrics();
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private databaseMetrics(): void {
    const read = async (): Promise<DatabaseSnapshot> => {
      const { db } = await this.read();
      if (!db) throw new NoData();
      return db;
    };
    // A metric whose store is away resets itself and so shows no samples in that scrape.
    const from = <M extends { reset(): void }>(fill: (m: M, s: DatabaseSnapshot) => void) =>
      async function collect(this: M): Promise<void> {
        this.reset();
        try {
          fill(this, await read());
        } catch (err) {
          if (!(err instanceof NoData)) throw err;
        }
      };
    new Counter({
      name: 'epa_process_starts_total',
      help: 'Processes started, by kind (from the database: the same on every replica)',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      collect: from<Counter<'kind'>>((m, s) => {
        for (const kind of PROCESS_KINDS) m.inc({ kind }, sum(s.processes.filter((p) => p.kind === kind).map((p) => p.n)));
      }),
    });
    new Counter({
      name: 'epa_process_completions_total',
      help: 'Processes finished, by kind and final status (APPROVED, REJECTED, WITHDRAWN, FAILED)',
      labelNames: ['kind', 'status'] as const,
      registers: [this.registry],
      collect: from<Counter<'kind' | 'status'>>((m, s) => {
        for (const kind of PROCESS_KINDS) {
          for (const status of FINAL_STATUSES) m.inc({ kind, status }, sum(s.processes.filter((p) => p.kind === kind && p.status === status).map((p) => p.n)));
        }
      }),
    });
    new Gauge({
      name: 'epa_processes',
      help: 'Processes by kind and current status',
      labelNames: ['kind', 'status'] as const,
      registers: [this.registry],
      collect: from<Gauge<'kind' | 'status'>>((m, s) => {
        for (const kind of PROCESS_KINDS) {
          for (const status of PROCESS_STATUSES) m.set({ kind, status }, sum(s.processes.filter((p) => p.kind === kind && p.status === status).map((p) => p.n)));
        }
      }),
    });
    new Gauge({
      name: 'epa_tasks_open',
      help: 'Open inbox tasks, by process kind',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      collect: from<Gauge<'kind'>>((m, s) => {
        for (const kind of PROCESS_KINDS) m.set({ kind }, s.tasks.find((t) => t.kind === kind)?.open ?? 0);
      }),
    });
    new Gauge({
      name: 'epa_tasks_overdue',
      help: 'Open inbox tasks past their due date, by process kind',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      collect: from<Gauge<'kind'>>((m, s) => {
        for (const kind of PROCESS_KINDS) m.set({ kind }, s.tasks.find((t) => t.kind === kind)?.overdue ?? 0);
      }),
    });
    new Gauge({
      name: 'epa_email_outbox_messages',
      help: 'Emails in the transactional outbox, by status',
      labelNames: ['status'] as const,
      registers: [this.registry],
      collect: from<Gauge<'status'>>((m, s) => {
        for (const status of OUTBOX_STATUSES) m.set({ status }, s.outbox.find((o) => o.status === status)?.n ?? 0);
      }),
    });
    new Gauge({
      name: 'epa_email_failing_messages',
      help: 'Emails not sent yet whose last attempt failed (the relay refused or was away); they are retried',
      registers: [this.registry],
      collect: from<Gauge>((m, s) => m.set(sum(s.outbox.filter((o) => o.status !== 'SENT').map((o) => o.failing)))),
    });
    new Counter({
      name: 'epa_email_send_failures_total',
      help: 'Failed attempts to hand an email to the relay (from the outbox attempt counts)',
      registers: [this.registry],
      collect: from<Counter>((m, s) => {
        // Every attempt but a sent message's last one and a SENDING message's one in flight has failed.
        const attempts = sum(s.outbox.map((o) => o.attempts));
        const notFailed = sum(s.outbox.filter((o) => o.status === 'SENT' || o.status === 'SENDING').map((o) => o.n));
        m.inc(Math.max(0, attempts - notFailed));
      }),
    });
    new Gauge({
      name: 'epa_activities_failing',
      help: 'Activities still failing after ACTIVITY_ALERT_AFTER_ATTEMPTS attempts (retried on; listed on /admin/overdue)',
      registers: [this.registry],
      collect: from<Gauge>((m, s) => m.set(s.failingActivities)),
    });
  }

  private storeMetrics(): void {
    const read = (): Promise<Snapshot> => this.read();
    new Gauge({
      name: 'epa_database_up',
      help: '1 when PostgreSQL answered this scrape, else 0 (the metrics read from it are then left out)',
      registers: [this.registry],
      async collect() {
        this.set((await read()).db ? 1 : 0);
      },
    });
    new Gauge({
      name: 'epa_email_queue_jobs',
      help: 'Jobs of the BullMQ email queue by state: waiting/active/delayed/prioritized/paused are its depth, failed used up their attempts',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const q = (await read()).queue;
        if (q) for (const state of QUEUE_STATES) this.set({ state }, q[state] ?? 0);
      },
    });
    new Gauge({
      name: 'epa_email_queue_up',
      help: '1 when the email queue (Redis) answered this scrape, else 0',
      registers: [this.registry],
      async collect() {
        this.set((await read()).queue ? 1 : 0);
      },
    });
  }

  private read(): Promise<Snapshot> {
    if (this.snapshot && Date.now() - this.snapshot.at < SNAPSHOT_TTL_MS) return this.snapshot.value;
    const value = this.query();
    this.snapshot = { at: Date.now(), value };
    return value;
  }

  private async query(): Promise<Snapshot> {
    const [db, queue] = await Promise.all([this.databaseCounts(), this.queueCounts()]);
    return { db, queue };
  }

  private async databaseCounts(): Promise<DatabaseSnapshot | null> {
    try {
      return await this.readDatabase();
    } catch (err) {
      this.logger.warn(`database unreachable for the metrics: ${(err as Error).message}`);
      return null;
    }
  }

  private async readDatabase(): Promise<DatabaseSnapshot> {
    const [processes, tasks, outbox, alerts] = await Promise.all([
      this.ds.query(`SELECT kind, status, count(*)::int AS n FROM processes GROUP BY kind, status`),
      this.ds.query(
        `SELECT kind, count(*)::int AS open, count(*) FILTER (WHERE overdue OR due_at < now())::int AS overdue
           FROM tasks WHERE status = 'OPEN' GROUP BY kind`,
      ),
      this.ds.query(
        `SELECT status, count(*)::int AS n, coalesce(sum(attempts), 0)::int AS attempts, count(*) FILTER (WHERE last_error IS NOT NULL)::int AS failing
           FROM email_outbox GROUP BY status`,
      ),
      this.ds.query(`SELECT count(*)::int AS n FROM activity_alerts`),
    ]);
    return { processes, tasks, outbox, failingActivities: (alerts as Array<{ n: number }>)[0]?.n ?? 0 };
  }

  private async queueCounts(): Promise<Record<string, number> | null> {
    try {
      return await withTimeout(this.notifications.queue.getJobCounts(...QUEUE_STATES), REDIS_TIMEOUT_MS);
    } catch (err) {
      this.logger.warn(`email queue unreachable for the metrics: ${(err as Error).message}`);
      return null;
    }
  }
}

class NoData extends Error {}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
