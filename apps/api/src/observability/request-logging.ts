import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Options } from 'pino-http';
import { withLogContext, type LogFields } from '@app/observability';

/** A request id from the proxy (nginx `$request_id`) or a client is kept when it is a plain token; else a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/** Probes and scrapes would drown the log: they get no summary line (their failures still log). */
const QUIET_PATHS = /^\/(metrics|api\/v1\/health)(\/|$|\?)/;
const LOG_FIELDS = Symbol('logFields');

type WithFields = IncomingMessage & { [LOG_FIELDS]?: LogFields; id?: unknown; user?: { id?: string }; route?: { path?: string }; originalUrl?: string };

/**
 * First middleware of the API: gives the request its id (answered as `X-Request-Id`, returned as `correlationId` of
 * a 500) and a log context that later code fills (user, process, task).
 */
export function requestContext(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  (req as unknown as { id: string }).id = id;
  res.setHeader('X-Request-Id', id);
  const fields: LogFields = {};
  (req as unknown as WithFields)[LOG_FIELDS] = fields;
  withLogContext(fields, next);
}

export function requestIdOf(req: Request): string | undefined {
  const id = (req as unknown as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

/** The path as it may be logged: an email-action link's token is a credential. */
export function loggablePath(url: string): string {
  return url.replace(/\/email-actions\/[^/?#]+/, '/email-actions/:token');
}

/** pino-http for the API: one summary line per request, with the request's context and no credential. */
export function apiHttpLogging(): Omit<Options, 'logger'> {
  const fieldsOf = (req: IncomingMessage): LogFields => {
    const r = req as WithFields;
    // The route template is known only once the request was routed (the request's own fields were bound before).
    return { ...(r.route?.path ? { route: r.route.path } : {}), ...(r.user?.id ? { userId: r.user.id } : {}), ...r[LOG_FIELDS] };
  };
  return {
    genReqId: (req: IncomingMessage) => (req as WithFields).id as string,
    quietReqLogger: true,
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: { method?: string; url?: string; raw?: WithFields; remoteAddress?: string }) => ({
        method: req.method,
        url: loggablePath(req.raw?.originalUrl ?? req.url ?? ''),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    customSuccessObject: (req: IncomingMessage, _res: ServerResponse, val: object) => ({ ...val, ...fieldsOf(req) }),
    customErrorObject: (req: IncomingMessage, _res: ServerResponse, _err: Error, val: object) => ({ ...val, ...fieldsOf(req) }),
  };
}
