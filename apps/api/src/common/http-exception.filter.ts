import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { requestIdOf } from '../observability/request-logging';
import { shortName } from './errors';
import { securityEvent } from './security-log';

/**
 * One shape for every error. Known database refusals become 4xx; anything else is a 500 that hides internals
 * and carries a correlation id to find it in the log.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const { status, body } = this.toBody(exception, req);
    if (status === 403) {
      const user = (req as Request & { user?: { id: string } }).user;
      securityEvent('access.forbidden', { method: req.method, path: req.route?.path ?? req.path, userId: user?.id ?? null, address: req.ip, message: body.message });
    }
    res.status(status).json(body);
  }

  private toBody(exception: unknown, req: Request): { status: number; body: Record<string, unknown> } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      if (typeof raw === 'object' && raw !== null && 'message' in raw && typeof (raw as { message: unknown }).message === 'string') {
        return { status, body: { statusCode: status, error: shortName(status), ...(raw as object) } };
      }
      const message = typeof raw === 'string' ? raw : Array.isArray((raw as { message?: unknown }).message) ? ((raw as { message: string[] }).message.join('; ')) : exception.message;
      return { status, body: { statusCode: status, error: shortName(status), message: localise(status, message) } };
    }
    if (exception instanceof QueryFailedError) {
      const refusal = databaseRefusal((exception as QueryFailedError & { code?: string }).code);
      if (refusal) {
        // Logged: it means a validator let through what the database then refused.
        this.logger.warn(`${req.method} ${req.route?.path ?? req.path} refused by the database: ${exception.message}`);
        return this.simple(refusal.status, refusal.message);
      }
    }
    // The request id (X-Request-Id): every log line of the request carries it.
    const correlationId = requestIdOf(req) ?? randomUUID();
    this.logger.error(`${req.method} ${req.url} [${correlationId}] ${exception instanceof Error ? exception.stack : String(exception)}`);
    return { status: 500, body: { statusCode: 500, error: shortName(500), message: '服务器内部错误', correlationId } };
  }

  private simple(status: number, message: string): { status: number; body: Record<string, unknown> } {
    return { status, body: { statusCode: status, error: shortName(status), message } };
  }
}

/**
 * A last line of defence: input the validators should have refused but the database did (PostgreSQL class 22,
 * data exceptions, and the integrity violations of class 23) is still the request's fault, not a 500.
 */
function databaseRefusal(code: string | undefined): { status: number; message: string } | null {
  if (code === '23505') return { status: 409, message: '记录已存在或与当前状态冲突' };
  if (code === '23503') return { status: 400, message: '引用的记录不存在' };
  if (code === '23502') return { status: 400, message: '缺少必填的值' };
  if (code === '23514') return { status: 400, message: '数值不符合要求' };
  if (code?.startsWith('22')) return { status: 400, message: '参数格式不正确或超出范围' };
  return null;
}

function localise(status: number, message: string): string {
  if (status === 401) return '未登录或登录已失效';
  if (status === 403 && message === 'Forbidden resource') return '无权执行此操作';
  if (status === 429) return '请求过于频繁，请稍后再试';
  if (status === 404 && message.startsWith('Cannot ')) return '接口不存在';
  return message;
}
