import { Controller, Get, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, type AuthUser } from '../common/auth-user';
import { IdParam } from '../common/params';
import { attachmentHeader } from '../imports/import-template.service';
import { AttachmentUploadInterceptor } from './attachment-upload.interceptor';
import { AttachmentsService, type AttachmentView } from './attachments.service';

const UPLOAD_BODY = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description: 'PDF、PNG、JPEG、DOC、DOCX、XLS、XLSX 或 TXT；类型按文件内容判定，扩展名须一致；大小上限见 ATTACHMENT_MAX_BYTES（默认 10 MB）' } },
  },
};

/** Decision attachments: uploaded to an open task, then named in the decision (`attachmentIds`). */
@ApiTags('tasks')
@ApiBearerAuth()
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('tasks/:id/attachments')
  @UseInterceptors(AttachmentUploadInterceptor)
  @ApiOperation({ summary: '上传审批附件', description: '可办理该待办的用户在待办未办结时上传；返回附件信息（含 sha256），在审批决定的 attachmentIds 中引用。' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiBadRequestResponse({ description: '缺少文件、文件为空、过大、类型不支持或扩展名与内容不符（details 指明 file）' })
  @ApiForbiddenResponse({ description: '不是该待办的办理人' })
  @ApiNotFoundResponse({ description: '待办不存在' })
  @ApiConflictResponse({ description: '待办已办结' })
  upload(@CurrentUser() user: AuthUser, @Param('id', new IdParam('待办')) id: string, @Req() req: Request): Promise<AttachmentView> {
    return this.attachments.upload(user, id, req.file);
  }

  @Get('tasks/:id/attachments')
  @ApiOperation({ summary: '待办的附件列表', description: '可查看该流程的用户均可获取（不含文件内容）。' })
  list(@CurrentUser() user: AuthUser, @Param('id', new IdParam('待办')) id: string): Promise<AttachmentView[]> {
    return this.attachments.listForTask(user, id);
  }

  @Get('attachments/:id')
  @ApiOperation({ summary: '下载附件', description: '管理员、申请人和可查看该流程的用户可下载；响应头 X-Content-SHA256 为上传时记录的校验值。' })
  @ApiProduces('application/octet-stream')
  @ApiForbiddenResponse({ description: '无权查看该流程' })
  @ApiNotFoundResponse({ description: '附件不存在' })
  async download(
    @CurrentUser() user: AuthUser,
    @Param('id', new IdParam('附件')) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.attachments.download(user, id);
    const ext = file.fileName.includes('.') ? file.fileName.slice(file.fileName.lastIndexOf('.')) : '';
    // nosniff: the browser keeps the type the bytes were checked for at upload.
    res.status(200).set({
      'Content-Type': file.contentType,
      'Content-Disposition': attachmentHeader(`attachment-${id}${/^\.[A-Za-z0-9]+$/.test(ext) ? ext : ''}`, file.fileName),
      'X-Content-SHA256': file.sha256,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
    res.send(file.content);
  }
}
