import { Module } from '@nestjs/common';
import { AppConfigModule } from '@app/config';
import { EmailProcessorService, NotificationsModule } from '@app/notifications';
import { PersistenceModule } from '@app/persistence';
import { ProcessActivitiesService } from './activities/process-activities.service';
import { TemporalWorkerService } from './temporal/temporal-worker.service';

@Module({
  imports: [AppConfigModule, PersistenceModule, NotificationsModule],
  providers: [ProcessActivitiesService, TemporalWorkerService, EmailProcessorService],
})
export class WorkerModule {}
