import { Module } from '@nestjs/common';
import { ProcessActivitiesModule } from '../../../worker/src/activities/process-activities.module';
import { ActorsModule } from '../actors/actor-context.service';
import { ScopeModule } from '../common/scope.service';
import { WorkflowGatewayModule } from '../workflow/workflow.gateway';
import { ProcessKindsController } from './process-kinds.controller';
import { ProcessesController } from './processes.controller';
import { ProcessesService } from './processes.service';

/** Processes of every kind: start (through the kind's admission), read, withdraw, urge, resubmit. */
@Module({
  imports: [ActorsModule, ScopeModule, WorkflowGatewayModule, ProcessActivitiesModule],
  controllers: [ProcessesController, ProcessKindsController],
  providers: [ProcessesService],
  exports: [ProcessesService],
})
export class ProcessesModule {}
