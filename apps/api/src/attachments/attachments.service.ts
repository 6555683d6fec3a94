import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import type { AttachmentRef } from '@app/contracts';
import { AttachmentEntity, TaskEntity } from '@app/persistence';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { conflict, fieldError, forbidden, notFound } from '../common/errors';
import { ProcessesService } from '../processes/processes.service';
import { ActorContextService } from '../tasks/actor-context.service';
import { ATTACHMENT_EXTENSIONS, extensionOf, sniffAttachment } from './file-sniffer';

/** What the API answers about an attachment (never the bytes). */
export interface AttachmentView {
  id: string;
  taskId: string;
  processId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedById: string;
  decisionId: string | null;
  createdAt: Date;
}

export interface AttachmentDownload {
  fileName: string;
  contentType: string;
  sha256: string;
  content: Buffer;
}

const KIND_LABELS = 'PDF、PNG、JPEG、DOC、DOCX、XLS、XLSX、TXT';

export const viewOf = (a: AttachmentEntity): AttachmentView => ({
  id: a.id,
  taskId: a.taskId,
  processId: a.processId,
  fileName: a.fileName,
  contentType: a.contentType,
  sizeBytes: a.sizeBytes,
  sha256: a.sha256,
  uploadedById: a.uploadedById,
  decisionId: a.decisionId,
  createdAt: a.createdAt,
});

/** The name as given, without any path, control characters or surrounding blanks, at most 200 characters. */
export function cleanFileName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (raw.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (base.length <= 200) return base;
  const ext = extensionOf(base);
  return ext ? `${base.slice(0, 199 - ext.length)}.${ext}` : base.slice(0, 200);
}

/**
 * Decision attachments: upload to an open task (by whoever may act on it now), list and download (by whoever may
 * read the process). The type is decided by the bytes; the extension must agree with them.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly actors: ActorContextService,
  ) {}

  /** The read scope is ProcessesService's own check (404 unknown, 403 outside the scope), as the record page does. */
  private get processes(): ProcessesService {
    return this.moduleRef.get(ProcessesService, { strict: false });
  }

  async upload(user: AuthUser, taskId: string, file: Express.Multer.File | undefined): Promise<AttachmentView> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id: taskId });
    if (!task) throw notFound('待办');
    if (!isAdmin(user) && !ActorContextService.canAct(await this.actors.of(user), user, task)) throw forbidden('您不是该待办的办理人');
    if (task.status !== 'OPEN') throw conflict('该待办已办结，不能再上传附件');
    if (!file) throw fieldError('file', '请通过 multipart/form-data 的 file 字段上传附件');
    if (file.size === 0 || file.buffer.length === 0) throw fieldError('file', '文件为空');
    const fileName = cleanFileName(file.originalname);
    const ext = extensionOf(fileName);
    const expected = ATTACHMENT_EXTENSIONS[ext];
    if (!expected) throw fieldError('file', `不支持的文件类型${ext ? `（.${ext}）` : '（文件名没有扩展名）'}，仅限 ${KIND_LABELS}`);
    const sniffed = sniffAttachment(file.buffer);
    if (!sniffed) throw fieldError('file', `无法识别文件内容，仅限 ${KIND_LABELS}`);
    if (sniffed.kind !== expected) throw fieldError('file', `文件扩展名 .${ext} 与文件内容（${sniffed.kind}）不符`);
    const saved = await this.ds.getRepository(AttachmentEntity).save({
      taskId: task.id,
      processId: task.processId,
      uploadedById: user.id,
      fileName,
      contentType: sniffed.contentType,
      sizeBytes: file.buffer.length,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      content: file.buffer,
      decisionId: null,
    });
    return viewOf(saved);
  }

  async listForTask(user: AuthUser, taskId: string): Promise<AttachmentView[]> {
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id: taskId });
    if (!task) throw notFound('待办');
    await this.processes.readable(user, task.processId);
    const rows = await this.ds.getRepository(AttachmentEntity).find({ where: { taskId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(viewOf);
  }

  async download(user: AuthUser, id: string): Promise<AttachmentDownload> {
    const meta = await this.ds.getRepository(AttachmentEntity).findOneBy({ id });
    if (!meta) throw notFound('附件');
    await this.processes.readable(user, meta.processId);
    const row = await this.ds.getRepository(AttachmentEntity).findOneOrFail({ select: { id: true, content: true }, where: { id } });
    return { fileName: meta.fileName, contentType: meta.contentType, sha256: meta.sha256, content: row.content };
  }
}

/**
 * The refs a decision carries: each id must name a file this user uploaded to this task that no decision holds
 * yet (400 naming `attachmentIds` otherwise). Called by TasksService before the Update is sent.
 */
export async function attachmentRefsForDecision(ds: DataSource, user: AuthUser, taskId: string, ids: string[] | undefined): Promise<AttachmentRef[] | undefined> {
  if (!ids || ids.length === 0) return undefined;
  const rows = await ds.getRepository(AttachmentEntity).findBy({ id: In(ids) });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const a = byId.get(id);
    if (!a) throw fieldError('attachmentIds', `附件 ${id} 不存在`);
    if (a.decisionId !== null) throw fieldError('attachmentIds', `附件「${a.fileName}」已用于另一项审批决定`);
    if (a.taskId !== taskId) throw fieldError('attachmentIds', `附件「${a.fileName}」不属于该待办`);
    if (a.uploadedById !== user.id) throw fieldError('attachmentIds', `附件「${a.fileName}」不是您上传的`);
    return { id: a.id, fileName: a.fileName, contentType: a.contentType, sizeBytes: a.sizeBytes, sha256: a.sha256 };
  });
}
