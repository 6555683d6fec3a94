import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { ProcessActivities } from '@app/contracts';
import { workflowBundleOptions } from '@app/temporal';
import { ApprovalActivitiesService } from '../activities/approval-activities.service';
import { ProcessActivitiesService } from '../activities/process-activities.service';
import { SecretarySuccessionActivitiesService, type SecretarySuccessionActivities } from '../activities/secretary-succession.activities';

/**
 * Activities bound to their Nest providers so `this` survives being passed to the worker (type-checked map).
 * Workflow tests that run only process workflows may leave out the succession provider (it needs a Temporal client).
 */
export function createActivities(p: ProcessActivitiesService, k: ApprovalActivitiesService, s?: SecretarySuccessionActivitiesService): ProcessActivities {
  return {
    checkEstablishBranch: p.checkEstablishBranch.bind(p),
    openTask: p.openTask.bind(p),
    recordDecision: p.recordDecision.bind(p),
    cancelOpenTasks: p.cancelOpenTasks.bind(p),
    createPartyOrganizationForProcess: p.createPartyOrganizationForProcess.bind(p),
    finishProcess: p.finishProcess.bind(p),
    markTaskOverdue: p.markTaskOverdue.bind(p),
    recordWithdrawal: p.recordWithdrawal.bind(p),
    loadApprovalPolicy: k.loadApprovalPolicy.bind(k),
    resolveCandidates: k.resolveCandidates.bind(k),
    cancelTask: k.cancelTask.bind(k),
    reopenTask: k.reopenTask.bind(k),
    remindTask: k.remindTask.bind(k),
    escalateTask: k.escalateTask.bind(k),
    assignTask: k.assignTask.bind(k),
    recordAddSigner: k.recordAddSigner.bind(k),
    notifyCc: k.notifyCc.bind(k),
    recordUrge: k.recordUrge.bind(k),
    applyResubmission: k.applyResubmission.bind(k),
    ...successionActivities(s),
  };
}

function successionActivities(s?: SecretarySuccessionActivitiesService): SecretarySuccessionActivities {
  if (!s) {
    const missing = (): Promise<never> => Promise.reject(new Error('secretary succession activities are not wired into this worker'));
    return { applySecretaryChange: missing, inheritSecretaryTasks: missing };
  }
  return { applySecretaryChange: s.applySecretaryChange.bind(s), inheritSecretaryTasks: s.inheritSecretaryTasks.bind(s) };
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
    private readonly kernelActivities: ApprovalActivitiesService,
    private readonly successionActivities: SecretarySuccessionActivitiesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = await NativeConnection.connect({ address: this.cfg.temporalAddress });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.cfg.temporalNamespace,
      taskQueue: this.cfg.temporalTaskQueue,
      activities: createActivities(this.activities, this.kernelActivities, this.successionActivities),
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
