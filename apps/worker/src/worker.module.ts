import { Module } from '@nestjs/common';
import { AppConfigModule } from '@app/config';
import { EmailProcessorService, NotificationsModule } from '@app/notifications';
import { PersistenceModule } from '@app/persistence';
import { TemporalClientModule } from '@app/temporal';
import { ActivitySupport } from './activities/activity-support';
import { ApprovalActivitiesService } from './activities/approval-activities.service';
import { ProcessActivitiesService } from './activities/process-activities.service';
import { SecretarySuccessionActivitiesService } from './activities/secretary-succession.activities';
import { TemporalWorkerService } from './temporal/temporal-worker.service';

@Module({
  imports: [AppConfigModule, PersistenceModule, NotificationsModule, TemporalClientModule],
  providers: [ActivitySupport, ProcessActivitiesService, ApprovalActivitiesService, SecretarySuccessionActivitiesService, TemporalWorkerService, EmailProcessorService],
})
export class WorkerModule {}
