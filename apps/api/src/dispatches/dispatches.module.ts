import { Module } from '@nestjs/common';
import { ScopeModule } from '../common/scope.service';
import { WorkflowGatewayModule } from '../workflow/workflow.gateway';
import { DispatchesController } from './dispatches.controller';
import { DispatchesService } from './dispatches.service';

/** 选派 records (R8/R9): `GET /dispatches`, `GET /dispatches/:id`, `POST /dispatches/:id/end`, `POST /duty-logs`, `POST /duty-logs/:id/confirm`. */
@Module({
  imports: [ScopeModule, WorkflowGatewayModule],
  controllers: [DispatchesController],
  providers: [DispatchesService],
})
export class DispatchesModule {}
