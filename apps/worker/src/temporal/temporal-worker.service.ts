import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { ProcessActivities } from '@app/contracts';
import { workflowBundleOptions } from '@app/temporal';
import { ProcessActivitiesService } from '../activities/process-activities.service';

/** Activities bound to their Nest provider so `this` survives being passed to the worker. */
export function createActivities(svc: ProcessActivitiesService): ProcessActivities {
  const names: Array<keyof ProcessActivities> = [
    'checkEstablishBranch',
    'openTask',
    'recordDecision',
    'cancelOpenTasks',
    'createPartyOrganizationForProcess',
    'finishProcess',
    'markTaskOverdue',
    'recordWithdrawal',
  ];
  return Object.fromEntries(names.map((n) => [n, (svc[n] as (...a: unknown[]) => unknown).bind(svc)])) as unknown as ProcessActivities;
}

/** Production loads the prebuilt bundle; development and tests bundle `workflows/` at start-up. */
function workflowSource(bundlePath: string | null): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (bundlePath) return { workflowBundle: { codePath: bundlePath } };
  const { workflowsPath, webpackConfigHook } = workflowBundleOptions();
  return { workflowsPath, bundlerOptions: { webpackConfigHook } };
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
    private readonly activities: ProcessActivitiesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = await NativeConnection.connect({ address: this.cfg.temporalAddress });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.cfg.temporalNamespace,
      taskQueue: this.cfg.temporalTaskQueue,
      activities: createActivities(this.activities),
      shutdownGraceTime: '20 seconds',
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
