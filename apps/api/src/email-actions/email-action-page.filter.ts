import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { hashEmailActionToken } from '@app/notifications';
import { clientAddress } from '../auth/auth.controller';
import { ThrottledError } from '../auth/login-throttle.service';
import { securityEvent } from '../common/security-log';
import { renderMessagePage, sendPage } from './email-action-pages';

/** Why a link cannot be used (or a submission was refused), shown as a page with that HTTP status. */
export class EmailActionPageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    /** Pre-rendered page to show instead of the plain message (the form again, with the error above it). */
    readonly html?: string,
    readonly retryHref?: string,
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = { 400: '提交内容有误', 403: '无权办理', 404: '链接无效', 409: '无法办理', 410: '链接已失效', 429: '操作过于频繁' };

/** Email-action links are opened in a browser: every refusal is a zh-CN page, never the JSON error body. */
@Catch()
export class EmailActionPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('EmailActions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const status = exception instanceof EmailActionPageError ? exception.status : exception instanceof HttpException ? exception.getStatus() : 500;
    if (status < 500) {
      // The path holds the token: only a prefix of its hash identifies the link in the log.
      const token = typeof req.params?.token === 'string' ? req.params.token : '';
      securityEvent(status === 429 ? 'email_action.throttled' : 'email_action.refused', {
        method: req.method,
        status,
        reason: exception instanceof EmailActionPageError ? exception.title : (exception as Error).message,
        link: hashEmailActionToken(token).slice(0, 12),
        address: clientAddress(req),
      });
    }
    if (exception instanceof ThrottledError) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (exception instanceof EmailActionPageError) {
      sendPage(res, exception.status, exception.html ?? renderMessagePage(exception.title, exception.message, exception.retryHref));
      return;
    }
    if (exception instanceof HttpException && status < 500) {
      const raw = exception.getResponse();
      const message =
        status === 429
          ? '提交过于频繁，请稍后再试。'
          : typeof raw === 'object' && raw !== null && typeof (raw as { message?: unknown }).message === 'string'
            ? (raw as { message: string }).message
            : '请求无法处理。';
      sendPage(res, status, renderMessagePage(TITLES[status] ?? '无法办理', message));
      return;
    }
    const correlationId = randomUUID();
    // The path holds the token: log only its route.
    this.logger.error(`${req.method} email-action [${correlationId}] ${exception instanceof Error ? exception.stack : String(exception)}`);
    sendPage(res, 500, renderMessagePage('服务器内部错误', `处理时发生错误，请稍后重新打开邮件中的链接查看办理结果。（错误编号：${correlationId}）`));
  }
}
