/**
 * The worker's real activities (Nest providers over the real database and outbox) without the worker process,
 * for workflow tests on the Temporal test servers.
 */
import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfigModule } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { ActivityRegistry, ProcessActivitiesModule } from '../../apps/worker/src/activities/process-activities.module';
import type { ActivityFunction } from '../../apps/worker/src/activities/activity.decorator';
import { readState } from './state';

@Module({ imports: [AppConfigModule, PersistenceModule, ProcessActivitiesModule] })
class ActivitiesTestModule {}

/** `env` on top of the run's Temporal address (activities that start or signal workflows use it). */
export async function createActivitiesContext(env: Record<string, string>): Promise<INestApplicationContext> {
  Object.assign(process.env, { TEMPORAL_ADDRESS: readState().temporalAddress }, env);
  return NestFactory.createApplicationContext(ActivitiesTestModule, { logger: ['error', 'warn'] });
}

/** Every activity a process worker registers, by name. */
export function testActivities(ctx: INestApplicationContext): Record<string, ActivityFunction> {
  return ctx.get(ActivityRegistry).activities;
}
