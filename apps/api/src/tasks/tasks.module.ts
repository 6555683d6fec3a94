import { Module } from '@nestjs/common';
import { ProcessActivitiesModule } from '../../../worker/src/activities/process-activities.module';
import { ActorsModule } from '../actors/actor-context.service';
import { DelegationsController } from '../delegations/delegations.controller';
import { WorkflowGatewayModule } from '../workflow/workflow.gateway';
import { TaskActionsService } from './task-actions.service';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** The inbox and everything done to a task: decide, transfer, reassign, 加签, 取回, batch approval; delegations (委托). */
@Module({
  imports: [ActorsModule, WorkflowGatewayModule, ProcessActivitiesModule],
  controllers: [TasksController, DelegationsController],
  providers: [TasksService, TaskActionsService],
  exports: [TasksService, TaskActionsService],
})
export class TasksModule {}
