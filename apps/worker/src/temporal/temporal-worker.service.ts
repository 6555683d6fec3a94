import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { workflowBundleOptions } from '@app/temporal';
import { ActivityRegistry } from '../activities/process-activities.module';
import { activityFailuresInterceptor } from './activity-failures.interceptor';
import { activityLogContextInterceptor } from './activity-log-context.interceptor';

/** Production loads the prebuilt bundle; development and tests bundle `workflows/` at start-up. */
function workflowSource(bundlePath: string | null): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (bundlePath) return { workflowBundle: { codePath: bundlePath } };
  // Every other bundling option goes to the bundler as it is, as the production build and the tests pass them.
  const { workflowsPath, ...bundlerOptions } = workflowBundleOptions();
  return { workflowsPath, bundlerOptions };
}

/**
 * Hosts the Temporal worker inside the Nest application context. `run()` is kept and awaited on shutdown, and
 * in-flight activities get a grace period (the default of 0 would abandon them on SIGTERM).
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TemporalWorker');
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly registry: ActivityRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = await NativeConnection.connect({ address: this.cfg.temporalAddress });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.cfg.temporalNamespace,
      taskQueue: this.cfg.temporalTaskQueue,
      activities: this.registry.activities,
      shutdownGraceTime: '20 seconds',
      // Bounded: a long-lived process (terms last years) waits asleep; it replays from history when it wakes.
      maxCachedWorkflows: this.cfg.workerMaxCachedWorkflows,
      // The log context first, so the failures interceptor's own lines carry it too.
      interceptors: { activity: [activityLogContextInterceptor, activityFailuresInterceptor(this.ds, this.cfg.activityAlertAfterAttempts)] },
      ...workflowSource(this.cfg.workflowBundlePath),
    });
    this.running = this.worker.run();
    this.running.catch((err: unknown) => {
      this.logger.error(`worker stopped: ${(err as Error).message}`);
      process.exitCode = 1;
    });
    this.logger.log(`polling task queue "${this.cfg.temporalTaskQueue}" at ${this.cfg.temporalAddress}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}
