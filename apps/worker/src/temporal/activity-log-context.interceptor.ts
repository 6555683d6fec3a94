import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import { processIdOfWorkflow, withLogContext } from '@app/observability';

/**
 * Every line an activity logs (through any Nest logger) carries its workflow, run, process, activity and attempt:
 * the activity runs inside a log context made from its Temporal activity info.
 */
export const activityLogContextInterceptor: ActivityInterceptorsFactory = (ctx: Context) => ({ inbound: new ActivityLogContextInbound(ctx) });

class ActivityLogContextInbound implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Context) {}

  execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const info = this.ctx.info;
    const workflowId = info.workflowExecution?.workflowId;
    const arg = input.args[0] as { processId?: unknown } | undefined;
    const processId = typeof arg?.processId === 'string' ? arg.processId : processIdOfWorkflow(workflowId);
    return withLogContext(
      {
        workflowId,
        runId: info.workflowExecution?.runId,
        ...(processId ? { processId } : {}),
        activityType: info.activityType,
        activityId: info.activityId,
        attempt: info.attempt,
      },
      () => next(input),
    );
  }
}
