import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { shortName } from './errors';

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
      const code = (exception as QueryFailedError & { code?: string }).code;
      if (code === '22P02' || code === '22007' || code === '22008') return this.simple(400, '参数格式不正确');
      if (code === '23505') return this.simple(409, '记录已存在或与当前状态冲突');
      if (code === '23503') return this.simple(400, '引用的记录不存在');
    }
    if (typeof exception === 'object' && exception !== null && (exception as { type?: string }).type === 'entity.parse.failed') {
      return this.simple(400, '请求体不是有效的 JSON');
    }
    const correlationId = randomUUID();
    this.logger.error(`${req.method} ${req.url} [${correlationId}] ${exception instanceof Error ? exception.stack : String(exception)}`);
    return { status: 500, body: { statusCode: 500, error: shortName(500), message: '服务器内部错误', correlationId } };
  }

  private simple(status: number, message: string): { status: number; body: Record<string, unknown> } {
    return { status, body: { statusCode: status, error: shortName(status), message } };
  }
}

function localise(status: number, message: string): string {
  if (status === 401) return '未登录或登录已失效';
  if (status === 403 && message === 'Forbidden resource') return '无权执行此操作';
  if (status === 429) return '请求过于频繁，请稍后再试';
  if (status === 404 && message.startsWith('Cannot ')) return '接口不存在';
  return message;
}
