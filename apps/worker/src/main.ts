import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { loadConfig } from '@app/config';
import { rootLogger } from '@app/observability';
import { installTemporalRuntime } from './temporal/temporal-runtime';
import { WorkerModule } from './worker.module';

/** The worker process: Temporal activities and workflows plus the email queue processor; no HTTP. */
async function main(): Promise<void> {
  // The Temporal runtime is process-wide and must exist before the worker's first connection (at bootstrap).
  const cfg = loadConfig();
  installTemporalRuntime(cfg, rootLogger('worker', cfg));
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  app.enableShutdownHooks();
  Logger.log(`worker started${cfg.workerMetricsAddress ? ` (Temporal metrics on http://${cfg.workerMetricsAddress}/metrics)` : ''}`, 'Worker');
}

main().catch((err: unknown) => {
  // A start that failed before the logger took over has its lines still buffered: out with them, then the reason.
  Logger.flush();
  Logger.error(err instanceof Error ? err.stack ?? err.message : String(err), 'Worker');
  process.exit(1);
});
