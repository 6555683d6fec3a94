import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '@app/config';

/**
 * One lazily connected Temporal client per process. Lazy so the API starts (and reports Temporal as down in
 * /health) when the cluster is not reachable yet.
 */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  readonly taskQueue: string;

  constructor(@Inject(APP_CONFIG) cfg: AppConfig) {
    this.connection = Connection.lazy({ address: cfg.temporalAddress });
    this.client = new Client({ connection: this.connection, namespace: cfg.temporalNamespace });
    this.taskQueue = cfg.temporalTaskQueue;
  }

  /** Cheap reachability check for /health. */
  async ping(): Promise<void> {
    await this.connection.ensureConnected();
    await this.connection.workflowService.getSystemInfo({});
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClientService], exports: [TemporalClientService] })
export class TemporalClientModule {}
