import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AuthUser } from '../common/auth-user';
import { ApiError, fieldError } from '../common/errors';
import { sizeLabel } from './attachment-size';
import { AttachmentsService } from './attachments.service';


/**
 * Reads the multipart field `file` of an attachment upload into memory, as the spreadsheet imports do — but only
 * after the task check: a user who may not upload to this task (or a task that is closed, or whose quota is used
 * up) is refused before a byte of the body is read. The size limit is ATTACHMENT_MAX_BYTES or what is left of the
 * task's quota (ATTACHMENT_TASK_QUOTA_BYTES), whichever is smaller. Every refusal is a 400 naming `file` (never
 * 413). Part parameters without an explicit charset are read as UTF-8 (multer's default latin1 would garble a
 * Chinese file name).
 */
@Injectable()
export class AttachmentUploadInterceptor implements NestInterceptor {
  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly attachments: AttachmentsService,
  ) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<Request & { user: AuthUser }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const { remainingBytes } = await this.attachments.uploadAllowance(req.user, String(req.params.id ?? ''));
    const limit = Math.min(this.cfg.attachmentMaxBytes, remainingBytes);
    const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: limit, files: 1, fields: 10, parts: 20 } }).single('file');
    await new Promise<void>((resolve, reject) => {
      upload(req, res, (err: unknown) => (err ? reject(this.uploadError(err, limit)) : resolve()));
    });
    return next.handle();
  }

  private uploadError(err: unknown, limit: number): ApiError {
    if (err instanceof multer.MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') {
        return limit < this.cfg.attachmentMaxBytes
          ? fieldError('file', `该待办的附件总大小不能超过 ${sizeLabel(this.cfg.attachmentTaskQuotaBytes)}，剩余 ${sizeLabel(limit)}`)
          : fieldError('file', `文件过大，附件不能超过 ${sizeLabel(this.cfg.attachmentMaxBytes)}`);
      }
      if (err.code === 'LIMIT_UNEXPECTED_FILE') return fieldError('file', `附件须通过 multipart 字段 file 上传（收到字段 ${err.field ?? ''}）`);
      if (err.code === 'LIMIT_FILE_COUNT') return fieldError('file', '一次只能上传一个附件');
      return fieldError('file', '上传内容不符合要求');
    }
    return fieldError('file', '无法解析上传内容（multipart/form-data）');
  }
}
