import { HttpStatus, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import { ApiError, fieldError } from '../common/errors';

/** Upload limit per file; a bigger spreadsheet is split into several files. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Reads the multipart field `file` into memory (multer), mapping its failures to the API's error shape in
 * Chinese (Nest's FileInterceptor would answer multer's English messages).
 */
@Injectable()
export class SpreadsheetUploadInterceptor implements NestInterceptor {
  private readonly upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, parts: 30 },
  }).single('file');

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    await new Promise<void>((resolve, reject) => {
      this.upload(req, res, (err: unknown) => (err ? reject(uploadError(err)) : resolve()));
    });
    return next.handle();
  }
}

function uploadError(err: unknown): ApiError {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') {
      return new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, `文件过大，单个文件不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, [
        { field: 'file', message: '文件过大' },
      ]);
    }
    if (err.code === 'LIMIT_UNEXPECTED_FILE') return fieldError('file', `文件须通过 multipart 字段 file 上传（收到字段 ${err.field ?? ''}）`);
    if (err.code === 'LIMIT_FILE_COUNT') return fieldError('file', '一次只能上传一个文件');
    return fieldError('file', '上传内容不符合要求');
  }
  return fieldError('file', '无法解析上传内容（multipart/form-data）');
}
