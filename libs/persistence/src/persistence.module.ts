import { Global, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule, InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ENTITIES } from './entities';
import { dataSourceOptions, runMigrationsLocked } from './data-source';
import { SettingsService } from './settings.service';
import { TimelineWriter } from './timeline-writer.service';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) => dataSourceOptions(cfg.databaseUrl, cfg.databasePoolSize),
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  providers: [SettingsService, TimelineWriter],
  exports: [TypeOrmModule, SettingsService, TimelineWriter],
})
export class PersistenceModule implements OnModuleInit {
  private readonly logger = new Logger('Migrations');
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Migrations run on start-up in every process, serialised by an advisory lock. */
  async onModuleInit(): Promise<void> {
    const ran = await runMigrationsLocked(this.ds);
    if (ran.length > 0) this.logger.log(`applied ${ran.join(', ')}`);
  }
}
