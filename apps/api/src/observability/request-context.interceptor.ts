import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { tap, type Observable } from 'rxjs';
import { addLogFields } from '@app/observability';
import type { AuthUser } from '../common/auth-user';

/** Routes whose `:id` names a process or a task (the template as Express matched it). */
const ID_PARAM: Array<[RegExp, 'processId' | 'taskId']> = [
  [/^\/api\/v1\/processes\/:id(\/|$)/, 'processId'],
  [/^\/api\/v1\/admin\/processes\/:id(\/|$)/, 'processId'],
  [/^\/api\/v1\/tasks\/:id(\/|$)/, 'taskId'],
];

/**
 * Runs after the guard, so the request's log context learns the signed-in user, the process or task its route names
 * and, from the answer, the process and workflow a decision or a start concerned. Only what is at hand: no lookups.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const route = (req.route as { path?: string } | undefined)?.path ?? '';
    const id = typeof req.params?.id === 'string' ? req.params.id : undefined;
    const named = ID_PARAM.find(([re]) => re.test(route))?.[1];
    addLogFields({ userId: req.user?.id, ...(named && id ? { [named]: id } : {}) });
    return next.handle().pipe(tap((body: unknown) => addLogFields(idsOfAnswer(body))));
  }
}

/** A process (`{id, workflowId}`), a decision (`{process: {...}, task: {...}}`) or a task (`{processId}`). */
function idsOfAnswer(body: unknown): { processId?: string; workflowId?: string; taskId?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const proc = (b.process && typeof b.process === 'object' ? b.process : 'workflowId' in b ? b : null) as Record<string, unknown> | null;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const task = b.task && typeof b.task === 'object' ? (b.task as Record<string, unknown>) : null;
  return {
    processId: str(proc?.id) ?? str(b.processId),
    workflowId: str(proc?.workflowId),
    taskId: str(task?.id),
  };
}
