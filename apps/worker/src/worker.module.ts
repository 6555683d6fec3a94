import { Module } from '@nestjs/common';
import { AppConfigModule } from '@app/config';
import { EmailProcessorService, NotificationsModule } from '@app/notifications';
import { loggerModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { TemporalClientModule } from '@app/temporal';
import { ProcessActivitiesModule } from './activities/process-activities.module';
import { MaintenanceSweepService } from './maintenance/maintenance-sweep.service';
import { FundsSchedulesService } from './temporal/funds-schedules.service';
import { TermWatchBackfillService } from './maintenance/term-watch-backfill.service';
import { TemporalWorkerService } from './temporal/temporal-worker.service';

@Module({
  imports: [AppConfigModule, loggerModule('worker'), PersistenceModule, NotificationsModule, TemporalClientModule, ProcessActivitiesModule],
  providers: [TemporalWorkerService, EmailProcessorService, MaintenanceSweepService, FundsSchedulesService, TermWatchBackfillService],
})
export class WorkerModule {}
