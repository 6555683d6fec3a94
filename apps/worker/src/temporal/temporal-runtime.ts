import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger as Pino } from 'pino';
import type { AppConfig } from '@app/config';

const TEMPORAL_LEVEL: Record<AppConfig['logLevel'], LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};
const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The Temporal runtime of the worker process, installed once before any connection:
 * - its logs (the SDK's, workflow `log` calls with their workflow id, activity context logs, and Core's own, forwarded)
 *   go into the process's pino logger as JSON lines like every other;
 * - the SDK's metrics (task slots, poll and schedule-to-start latency, activity and workflow outcomes, sticky cache…)
 *   are served for Prometheus at WORKER_METRICS_ADDRESS `/metrics`, with Prometheus naming (`_total`, seconds).
 */
export function installTemporalRuntime(cfg: Pick<AppConfig, 'logLevel' | 'workerMetricsAddress'>, log: Pino): void {
  const temporalLog = log.child({ context: 'Temporal' });
  Runtime.install({
    logger: new DefaultLogger(TEMPORAL_LEVEL[cfg.logLevel], ({ level, message, meta }: LogEntry) => temporalLog[PINO_LEVEL[level]]({ ...meta }, message)),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(cfg.workerMetricsAddress
        ? { metrics: { prometheus: { bindAddress: cfg.workerMetricsAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } } }
        : {}),
    },
  });
}
