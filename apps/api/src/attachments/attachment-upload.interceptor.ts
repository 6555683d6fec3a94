import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ApiError, fieldError } from '../common/errors';

/** "10 MB", "512 KB", "300 字节": the limit as people read it. */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} 字节`;
}

/**
 * Reads the multipart field `file` of an attachment upload into memory, as the spreadsheet imports do, with the
 * size limit from ATTACHMENT_MAX_BYTES. Every refusal is a 400 naming `file` (never 413). Part parameters without
 * an explicit charset are read as UTF-8 (multer's default latin1 would garble a Chinese file name).
 */
@Injectable()
export class AttachmentUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;

  constructor(@Inject(APP_CONFIG) private readonly cfg: AppConfig) {
    this.upload = multer({
      storage: multer.memoryStorage(),
      defParamCharset: 'utf8',
      limits: { fileSize: cfg.attachmentMaxBytes, files: 1, fields: 10, parts: 20 },
    }).single('file');
  }

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    await new Promise<void>((resolve, reject) => {
      this.upload(req, res, (err: unknown) => (err ? reject(this.uploadError(err)) : resolve()));
    });
    return next.handle();
  }

  private uploadError(err: unknown): ApiError {
    if (err instanceof multer.MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') return fieldError('file', `文件过大，附件不能超过 ${sizeLabel(this.cfg.attachmentMaxBytes)}`);
      if (err.code === 'LIMIT_UNEXPECTED_FILE') return fieldError('file', `附件须通过 multipart 字段 file 上传（收到字段 ${err.field ?? ''}）`);
      if (err.code === 'LIMIT_FILE_COUNT') return fieldError('file', '一次只能上传一个附件');
      return fieldError('file', '上传内容不符合要求');
    }
    return fieldError('file', '无法解析上传内容（multipart/form-data）');
  }
}
