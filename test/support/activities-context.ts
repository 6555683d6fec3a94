/**
 * The worker's real activities (Nest providers over the real database and outbox) without the worker process,
 * for workflow tests on the Temporal test servers.
 */
import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfigModule } from '@app/config';
import { NotificationsModule } from '@app/notifications';
import { PersistenceModule } from '@app/persistence';
import { ActivitySupport } from '../../apps/worker/src/activities/activity-support';
import { ApprovalActivitiesService } from '../../apps/worker/src/activities/approval-activities.service';
import { ProcessActivitiesService } from '../../apps/worker/src/activities/process-activities.service';

@Module({
  imports: [AppConfigModule, PersistenceModule, NotificationsModule],
  providers: [ActivitySupport, ProcessActivitiesService, ApprovalActivitiesService],
})
class ActivitiesTestModule {}

export async function createActivitiesContext(env: Record<string, string>): Promise<INestApplicationContext> {
  Object.assign(process.env, env);
  return NestFactory.createApplicationContext(ActivitiesTestModule, { logger: ['error', 'warn'] });
}
