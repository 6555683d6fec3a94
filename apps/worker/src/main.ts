import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module';

/** The worker process: Temporal activities and workflows plus the email queue processor; no HTTP. */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: false });
  app.enableShutdownHooks();
  Logger.log('worker started', 'Worker');
}

main().catch((err: unknown) => {
  Logger.error(err instanceof Error ? err.stack ?? err.message : String(err), 'Worker');
  process.exit(1);
});
