import { Injectable, Module } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import { TemporalClientModule, TemporalClientService } from '@app/temporal';
import { ApiError } from '../common/errors';
import { mapUpdateError } from './workflow-errors';

/**
 * The API's one door to running workflows: it starts them and sends every Update, and turns a workflow's refusal
 * into the HTTP answer API.md promises (403 not yours, 409 closed, 400 invalid, 429 too often). An Update is
 * answered only once the workflow has applied it.
 */
@Injectable()
export class WorkflowGateway {
  constructor(private readonly temporal: TemporalClientService) {}

  /** Starts a workflow; 503 when the engine cannot be reached (the caller records the process as failed). */
  async start(workflowType: string, workflowId: string, args: unknown[]): Promise<void> {
    try {
      await this.temporal.client.workflow.start(workflowType, { workflowId, taskQueue: this.temporal.taskQueue, args });
    } catch {
      throw new ApiError(503, '流程引擎暂不可用，请稍后重试');
    }
  }

  /** Sends an Update and waits for the workflow's answer; `updateId` makes a repeated request apply once. */
  async update<R, A>(workflowId: string, def: UpdateDefinition<R, [A]>, args: A, updateId?: string): Promise<R> {
    try {
      return await this.temporal.client.workflow.getHandle(workflowId).executeUpdate(def, { args: [args], ...(updateId ? { updateId } : {}) });
    } catch (err) {
      throw mapUpdateError(err) ?? err;
    }
  }
}

@Module({ imports: [TemporalClientModule], providers: [WorkflowGateway], exports: [WorkflowGateway] })
export class WorkflowGatewayModule {}
