import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DECISIONS, type Decision } from '@app/domain';
import { processTitle } from '@app/contracts';
import { EMAIL_ACTION_TOKEN_PATTERN, hashEmailActionToken, loadEmailActionSettings, type EmailActionSettings } from '@app/notifications';
import { EmailActionTokenEntity, InstitutionEntity, ProcessEntity, TaskEntity, UserEntity } from '@app/persistence';
import { LoginThrottleService } from '../auth/login-throttle.service';
import { userByCredentials } from '../auth/password';
import { authUserOf, type AuthUser } from '../common/auth-user';
import { ApiError } from '../common/errors';
import { TasksService } from '../tasks/tasks.service';
import {
  DECISION_TEXT,
  formatDate,
  payloadRows,
  renderResultPage,
  renderTaskPage,
  type TaskPageData,
} from './email-action-pages';
import { EmailActionPageError } from './email-action-page.filter';

/** A link that may still be acted on, with what its page shows. */
interface LinkContext {
  token: string;
  tokenHash: string;
  link: EmailActionTokenEntity;
  task: TaskEntity;
  owner: UserEntity;
  processTitle: string;
  institutionName: string;
}

/** Where a POST came from, as the browser tells it. */
export interface RequestOrigin {
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** This server's origin as the request reached it (scheme + Host). */
  ownOrigin: string;
  /** The client's address (login throttling). */
  address: string;
}

/** One answer for a wrong password and for someone else's account: the page tells nothing about either. */
export const CREDENTIALS_REFUSED = '用户名或密码错误，或该账号不是此链接的收件人，本次未作任何更改。';

const MAX_COMMENT = 2000;

const field = (body: Record<string, unknown>, name: string): string | undefined => {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Email-action links: `show` only reads; `submit` checks the link, the form, and who is submitting, then decides
 * through TasksService.decide — the same path as POST /tasks/:id/decision — and only then marks the link used.
 */
@Injectable()
export class EmailActionsService {
  private readonly settings: EmailActionSettings = loadEmailActionSettings();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly tasks: TasksService,
    private readonly throttle: LoginThrottleService,
  ) {}

  async show(token: string): Promise<string> {
    const ctx = await this.open(token);
    return renderTaskPage(this.pageData(ctx));
  }

  async submit(token: string, rawBody: unknown, from: RequestOrigin): Promise<string> {
    const ctx = await this.open(token);
    const body = typeof rawBody === 'object' && rawBody !== null && !Array.isArray(rawBody) ? (rawBody as Record<string, unknown>) : {};
    this.checkOrigin(from);
    this.checkProof(ctx, field(body, 'proof'));
    const decision = field(body, 'decision');
    if (!decision || !(DECISIONS as readonly string[]).includes(decision)) {
      throw new EmailActionPageError(400, '提交内容有误', 'decision：请选择“同意”“不同意”或“退回修改”之一。', undefined, token);
    }
    const comment = body.comment === undefined || body.comment === null ? '' : field(body, 'comment');
    if (comment === undefined || comment.length > MAX_COMMENT) {
      throw new EmailActionPageError(400, '提交内容有误', `comment：意见说明须为不超过 ${MAX_COMMENT} 字的文本。`, undefined, token);
    }
    const choice = { decision: decision as Decision, comment };
    const actor = this.settings.requireLogin ? await this.authenticate(ctx, body, choice, from.address) : ctx.owner;

    let out: { status: number; body: unknown };
    try {
      // The key makes a double submit replay the first answer instead of deciding twice.
      out = await this.tasks.decide(authUserOf(actor), ctx.task.id, choice, `email-action:${ctx.tokenHash}`);
    } catch (err) {
      throw refusalPage(err) ?? err;
    }
    if (out.status !== 200) throw replayedRefusal(out.status, out.body);
    await this.ds.query(`UPDATE email_action_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL`, [ctx.tokenHash]);
    const result = out.body as { task?: { decision?: string | null; comment?: string | null }; process?: { status?: string } };
    return renderResultPage({
      decision: result.task?.decision ?? choice.decision,
      comment: result.task?.comment ?? choice.comment,
      processTitle: ctx.processTitle,
      institutionName: ctx.institutionName,
      taskTitle: ctx.task.title,
      processStatus: result.process?.status ?? '',
    });
  }

  /** The link's row and task, or the page that says why it cannot be acted on. Never writes. */
  private async open(token: string): Promise<LinkContext> {
    if (!EMAIL_ACTION_TOKEN_PATTERN.test(token)) throw invalidLink();
    const tokenHash = hashEmailActionToken(token);
    const link = await this.ds.getRepository(EmailActionTokenEntity).findOneBy({ tokenHash });
    if (!link) throw invalidLink();
    if (link.usedAt) {
      throw new EmailActionPageError(410, '链接已使用', `该链接已于 ${formatDate(link.usedAt)} 使用，审批决定已提交，无需重复操作。`);
    }
    if (link.expiresAt.getTime() <= Date.now()) {
      throw new EmailActionPageError(410, '链接已过期', `该链接已于 ${formatDate(link.expiresAt)} 过期。请登录系统，在待办中办理。`);
    }
    const task = await this.ds.getRepository(TaskEntity).findOneBy({ id: link.taskId });
    if (!task) throw invalidLink();
    if (task.status !== 'OPEN') {
      const outcome = task.status === 'COMPLETED' && task.decision ? `已办结（结果：${DECISION_TEXT[task.decision] ?? task.decision}）` : '已取消（流程已撤回或已结束）';
      throw new EmailActionPageError(409, '待办已办结', `该待办${outcome}，无需再办理，本次未作任何更改。`);
    }
    const owner = await this.ds.getRepository(UserEntity).findOneBy({ id: link.userId, active: true });
    if (!owner) throw new EmailActionPageError(403, '无权办理', '该链接的收件人账号已停用。');
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId });
    const institution = process.institutionId ? await this.ds.getRepository(InstitutionEntity).findOneBy({ id: process.institutionId }) : null;
    return {
      token,
      tokenHash,
      link,
      task,
      owner,
      processTitle: processTitle(task.kind),
      institutionName: institution?.name ?? '（无）',
    };
  }

  private pageData(ctx: LinkContext, extra: Partial<TaskPageData> = {}): TaskPageData {
    return {
      token: ctx.token,
      appTaskPath: `/tasks/${ctx.task.id}`,
      taskTitle: ctx.task.title,
      processTitle: ctx.processTitle,
      institutionName: ctx.institutionName,
      dueAt: ctx.task.dueAt,
      overdue: ctx.task.overdue || ctx.task.dueAt.getTime() < Date.now(),
      payload: payloadRows(ctx.task.payloadSummary),
      recipientName: ctx.owner.displayName,
      askCredentials: this.settings.requireLogin,
      proof: this.proof(ctx.tokenHash),
      ...extra,
    };
  }

  /** The form's hidden field: only a page this server rendered for this link carries it. */
  private proof(tokenHash: string): string {
    return createHmac('sha256', this.cfg.keys.emailActionForm).update(`email-action-form:v1:${tokenHash}`).digest('base64url');
  }

  private checkProof(ctx: LinkContext, given: string | undefined): void {
    const expected = Buffer.from(this.proof(ctx.tokenHash));
    const actual = Buffer.from(given ?? '');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new EmailActionPageError(403, '请求无效', '提交的表单无效或已过期，未作任何更改。请重新打开邮件中的链接后再提交。', undefined, ctx.token);
    }
  }

  /**
   * Refuses a POST the browser marks as coming from another site. `Origin: null` is let through: the page is sent
   * with `Referrer-Policy: no-referrer`, under which browsers send exactly that for the page's own form.
   */
  private checkOrigin(from: RequestOrigin): void {
    const allowed = new Set([from.ownOrigin, new URL(this.cfg.publicBaseUrl).origin]);
    const crossSite = from.secFetchSite === 'cross-site' || (from.origin !== undefined && from.origin !== 'null' && !allowed.has(from.origin));
    if (crossSite) throw new EmailActionPageError(403, '请求无效', '该请求来自其他网站，已拒绝，未作任何更改。');
  }

  /**
   * The credentials must be the link's user's: a wrong password or another user's account changes nothing and gets
   * the same answer. Attempts count against the same limits as the login.
   */
  private async authenticate(
    ctx: LinkContext,
    body: Record<string, unknown>,
    choice: { decision: Decision; comment: string },
    address: string,
  ): Promise<UserEntity> {
    const username = (field(body, 'username') ?? '').trim();
    const password = field(body, 'password') ?? '';
    const again = (message: string): EmailActionPageError =>
      new EmailActionPageError(403, '无权办理', message, renderTaskPage(this.pageData(ctx, { error: message, ...choice })));
    if (!username || !password) throw again('请输入用户名和密码后再提交，本次未作任何更改。');
    await this.throttle.before(address, username, 'email-action');
    const user = await userByCredentials(this.ds, username, password);
    if (!user || user.id !== ctx.link.userId) {
      await this.throttle.failed(address, username, 'email-action');
      throw again(CREDENTIALS_REFUSED);
    }
    await this.throttle.succeeded(username);
    return user;
  }
}

function invalidLink(): EmailActionPageError {
  return new EmailActionPageError(404, '链接无效', '该链接无效或不完整，请检查是否完整复制了邮件中的链接。如需办理，请登录系统在待办中查看。');
}


/** A refusal from the decision path, as a page (same statuses as POST /tasks/:id/decision). */
function refusalPage(err: unknown): EmailActionPageError | null {
  if (!(err instanceof ApiError) || err.getStatus() >= 500) return null;
  const body = err.getResponse() as { message?: string; details?: Array<{ field?: string }> };
  if (err.getStatus() === 400 && body.details?.some((d) => d.field === 'Idempotency-Key')) {
    return new EmailActionPageError(409, '无法办理', '该链接已提交过另一项审批决定，本次未作任何更改。请登录系统查看办理结果。');
  }
  return replayedRefusal(err.getStatus(), body);
}

function replayedRefusal(status: number, body: unknown): EmailActionPageError {
  const message = typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : '请求未被接受';
  const title = status === 403 ? '无权办理' : status === 409 ? '无法办理' : '提交内容有误';
  return new EmailActionPageError(status, title, `${message.replace(/[。.！!]+$/, '')}。本次未作任何更改。`);
}
