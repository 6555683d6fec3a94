import { Logger } from '@nestjs/common';
import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { ACTIVITY_FAILURES } from '@app/contracts';

/**
 * PostgreSQL refuses the data itself (class 22 data exceptions, class 23 integrity violations): no retry can change
 * that. A unique violation (23505) is left retryable, because an idempotent activity racing an earlier attempt of
 * itself finds the row on its next try; connection and serialization errors (08, 40, 57) always are.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown; driverError?: { code?: unknown } } | null)?.driverError?.code ?? (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code) && code !== '23505';
}

/**
 * Wraps every activity the worker runs:
 * - a data error becomes a non-retryable `DataError` failure, which the workflow turns into a refusal of the request
 *   (instead of Temporal retrying it forever while the request hangs);
 * - an activity still failing at its `alertAfterAttempts`-th attempt (ACTIVITY_ALERT_AFTER_ATTEMPTS) is recorded in `activity_alerts` (shown on
 *   /admin/overdue), and the row goes when the activity finally succeeds: retries go on, but never silently.
 */
export function activityFailuresInterceptor(ds: DataSource, alertAfterAttempts: number): ActivityInterceptorsFactory {
  const logger = new Logger('Activities');
  return (ctx: Context) => ({ inbound: new ActivityFailuresInbound(ctx, ds, alertAfterAttempts, logger) });
}

class ActivityFailuresInbound implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly ds: DataSource,
    private readonly alertAfterAttempts: number,
    private readonly logger: Logger,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const info = this.ctx.info;
    const workflowId = info.workflowExecution?.workflowId ?? 'standalone';
    const key = `${workflowId}:${info.workflowExecution?.runId ?? ''}:${info.activityId}`;
    try {
      const out = await next(input);
      if (info.attempt >= this.alertAfterAttempts) await this.ds.query(`DELETE FROM activity_alerts WHERE id = $1`, [key]).catch(() => undefined);
      return out;
    } catch (err) {
      if (isDataError(err)) {
        this.logger.warn(`${info.activityType} (${workflowId}) refused by the database: ${(err as Error).message}`);
        throw ApplicationFailure.create({ type: ACTIVITY_FAILURES.DATA_ERROR, message: (err as Error).message, nonRetryable: true });
      }
      if (info.attempt >= this.alertAfterAttempts) {
        this.logger.error(`${info.activityType} (${workflowId}) still failing at attempt ${info.attempt}: ${(err as Error).message}`);
        await this.ds
          .query(
            `INSERT INTO activity_alerts (id, workflow_id, activity_type, attempt, last_error) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET attempt = EXCLUDED.attempt, last_error = EXCLUDED.last_error, updated_at = now()`,
            [key, workflowId, info.activityType, info.attempt, String((err as Error).message ?? err).slice(0, 2000)],
          )
          .catch(() => undefined); // the database may be what is failing; the log line above still says it
      }
      throw err;
    }
  }
}
