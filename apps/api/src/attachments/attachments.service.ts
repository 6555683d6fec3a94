import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AttachmentRef } from '@app/contracts';
import { AttachmentEntity, TaskEntity } from '@app/persistence';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { conflict, fieldError, forbidden, notFound } from '../common/errors';
import { isUuid } from '../common/params';
import { ProcessesService } from '../processes/processes.service';
import { ActorContextService } from '../actors/actor-context.service';
import { sizeLabel } from './attachment-size';
import { ATTACHMENT_EXTENSIONS, extensionOf, sniffAttachment } from './file-sniffer';

/** Bytes already uploaded to a task (attached to a decision or not). */
async function usedBytes(m: EntityManager, taskId: string): Promise<number> {
  const [row] = (await m.query(`SELECT coalesce(sum(size_bytes), 0)::bigint AS used FROM attachments WHERE task_id = $1`, [taskId])) as Array<{ used: string }>;
  return Number(row.used);
}

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
    /** The read scope is ProcessesService's own check (404 unknown, 403 outside the scope), as the record page's. */
    private readonly processes: ProcessesService,
    private readonly actors: ActorContextService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /**
   * May this user upload to this task now, and how many bytes are left of its quota? Asked before the body is read
   * (404 unknown task, 403 not its handler, 409 closed, 400 naming `file` when the quota is used up).
   */
  async uploadAllowance(user: AuthUser, taskId: string): Promise<{ task: TaskEntity; remainingBytes: number }> {
    const task = isUuid(taskId) ? await this.ds.getRepository(TaskEntity).findOneBy({ id: taskId }) : null;
    if (!task) throw notFound('待办');
    if (!isAdmin(user) && !ActorContextService.canSee(await this.actors.of(user), task)) throw forbidden('您不是该待办的办理人');
    if (task.status !== 'OPEN') throw conflict('该待办已办结，不能再上传附件');
    const remainingBytes = this.cfg.attachmentTaskQuotaBytes - (await usedBytes(this.ds.manager, task.id));
    if (remainingBytes <= 0) throw fieldError('file', `该待办的附件总大小已达上限 ${sizeLabel(this.cfg.attachmentTaskQuotaBytes)}`);
    return { task, remainingBytes };
  }

  async upload(user: AuthUser, taskId: string, file: Express.Multer.File | undefined): Promise<AttachmentView> {
    const { task } = await this.uploadAllowance(user, taskId);
    if (!file) throw fieldError('file', '请通过 multipart/form-data 的 file 字段上传附件');
    if (file.size === 0 || file.buffer.length === 0) throw fieldError('file', '文件为空');
    const fileName = cleanFileName(file.originalname);
    const ext = extensionOf(fileName);
    const expected = ATTACHMENT_EXTENSIONS[ext];
    if (!expected) throw fieldError('file', `不支持的文件类型${ext ? `（.${ext}）` : '（文件名没有扩展名）'}，仅限 ${KIND_LABELS}`);
    const sniffed = sniffAttachment(file.buffer);
    if (!sniffed) throw fieldError('file', `无法识别文件内容，仅限 ${KIND_LABELS}`);
    if (sniffed.kind !== expected) throw fieldError('file', `文件扩展名 .${ext} 与文件内容（${sniffed.kind}）不符`);
    // Two uploads at once must not both fit into the same remaining quota: one task's uploads are serialised.
    const saved = await this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('attachment-quota:' || $1))`, [task.id]);
      if ((await usedBytes(m, task.id)) + file.buffer.length > this.cfg.attachmentTaskQuotaBytes) {
        throw fieldError('file', `该待办的附件总大小不能超过 ${sizeLabel(this.cfg.attachmentTaskQuotaBytes)}`);
      }
      return m.getRepository(AttachmentEntity).save({
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
