import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './errors';

/** Largest JSON or form body; the biggest request of the contract (a 500-member branch) is well under it. */
export const MAX_BODY_BYTES = 100 * 1024;
/** Form bodies are the email-action page's few flat fields. */
const MAX_FORM_PARAMETERS = 100;
const MAX_FORM_DEPTH = 5;

/**
 * The JSON and form parsers with explicit limits, in place of Nest's defaults. Compressed request bodies are not
 * accepted (`inflate: false`): no client of the API sends them, and refusing them (415) spares the server from
 * inflating whatever arrives. Multipart uploads are read by their own interceptors.
 *
 * The parsers' failures are turned into the API's errors right behind them: Nest would otherwise answer most
 * of them 500 and the rest with body-parser's English text.
 */
export function configureBodyParsing(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: MAX_BODY_BYTES, inflate: false });
  app.useBodyParser('urlencoded', { extended: true, limit: MAX_BODY_BYTES, inflate: false, parameterLimit: MAX_FORM_PARAMETERS, depth: MAX_FORM_DEPTH });
  app.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    const refusal = bodyReadError(err);
    next(refusal ? new ApiError(refusal.status, refusal.message) : err);
  });
}

/** A failure of the body parsers (an http-errors error with a `type`), as the API answers it. */
export function bodyReadError(exception: unknown): { status: number; message: string } | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const { type, status, charset } = exception as { type?: unknown; status?: unknown; charset?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return null;
  switch (type) {
    case 'entity.too.large':
      return { status: 413, message: `请求体过大，不能超过 ${MAX_BODY_BYTES / 1024} KB` };
    case 'charset.unsupported':
      return { status: 415, message: `不支持的字符集${typeof charset === 'string' ? ` ${charset}` : ''}，请使用 UTF-8` };
    case 'encoding.unsupported':
      return { status: 415, message: '不支持压缩或编码的请求体（Content-Encoding），请直接发送未压缩的内容' };
    case 'parameters.too.many':
      return { status: 400, message: `表单参数过多，最多 ${MAX_FORM_PARAMETERS} 个` };
    case 'querystring.parse.rangeError':
      return { status: 400, message: `表单字段嵌套层级过深，最多 ${MAX_FORM_DEPTH} 层` };
    case 'entity.parse.failed':
      return { status: 400, message: '请求体不是有效的 JSON' };
    default:
      // Aborted or truncated uploads and the like: the request is at fault, not the server.
      return status >= 400 && status < 500 ? { status: 400, message: '无法读取请求体' } : null;
  }
}
