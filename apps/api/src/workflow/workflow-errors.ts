import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { UPDATE_REFUSALS } from '@app/contracts';
import { ApiError, badRequest, conflict, forbidden } from '../common/errors';

/** Maps a workflow's refusal of an update (its validator) to the HTTP answer API.md promises. */
export function mapUpdateError(err: unknown): ApiError | null {
  if (err instanceof WorkflowNotFoundError) return conflict('流程已结束，无法再办理');
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      switch (cause.type) {
        case UPDATE_REFUSALS.NOT_CANDIDATE:
          return forbidden(cause.message);
        case UPDATE_REFUSALS.INVALID:
          return badRequest(`请求参数有误：${cause.message}`, [{ field: cause.message, message: '取值无效' }]);
        case UPDATE_REFUSALS.DATA_REFUSED:
          return badRequest(cause.message);
        case UPDATE_REFUSALS.URGE_LIMIT:
          return new ApiError(429, cause.message);
        case UPDATE_REFUSALS.TASK_NOT_OPEN:
        case UPDATE_REFUSALS.PROCESS_CLOSED:
        case UPDATE_REFUSALS.NOT_RETURNED:
        case UPDATE_REFUSALS.NOT_PULLABLE:
          return conflict(cause.message);
      }
    }
    return conflict('流程未接受该操作');
  }
  const grpc = err as { code?: number; details?: string };
  // gRPC NOT_FOUND / FAILED_PRECONDITION: the run has completed meanwhile.
  if (grpc && (grpc.code === 5 || grpc.code === 9)) return conflict('流程已结束，无法再办理');
  return null;
}
