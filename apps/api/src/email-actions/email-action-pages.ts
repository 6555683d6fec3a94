/**
 * The zh-CN pages behind an email-action link. Plain server-rendered HTML with no scripts or external resources
 * (the CSP sent with them forbids both); every value is escaped.
 */
import type { Response } from 'express';
import { DECISIONS, type Decision } from '@app/domain';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const DECISION_TEXT: Record<Decision, string> = { APPROVE: '同意', REJECT: '不同意', RETURN: '退回修改' };

const PROCESS_STATUS_TEXT: Record<string, string> = {
  RUNNING: '办理中',
  RETURNED: '已退回修改',
  APPROVED: '已通过',
  REJECTED: '未通过',
  WITHDRAWN: '已撤回',
  FAILED: '异常终止',
};
export const processStatusText = (status: string): string => PROCESS_STATUS_TEXT[status] ?? status;

const PAYLOAD_LABELS: Record<string, string> = {
  name: '名称',
  memberCount: '党员人数',
  year: '年度',
  month: '月份',
  reason: '事由',
  elderly: '老年党员支部',
  secretaryName: '书记人选',
  termYears: '任期（年）',
  amountFen: '金额',
  note: '备注',
};

const dateFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long', timeStyle: 'short', hourCycle: 'h23' });
export const formatDate = (d: Date): string => dateFormat.format(d);

function formatValue(key: string, v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number' && /Fen$/.test(key) && Number.isInteger(v)) return `${(v / 100).toFixed(2)} 元`;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string' || typeof x === 'number') ? v.join('、') : `${v.length} 项`;
  return JSON.stringify(v);
}

/** The task's payload summary as label/value rows; internal ids are left out (the page names the institution). */
export function payloadRows(summary: Record<string, unknown>): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [key, raw] of Object.entries(summary)) {
    if (/Ids?$/.test(key)) continue;
    const value = formatValue(key, raw);
    if (value !== null) rows.push([PAYLOAD_LABELS[key] ?? key, value]);
  }
  return rows;
}

function layout(title: string, body: string): string {
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex, nofollow"><title>${escapeHtml(title)} - 养老机构党建审批系统</title>` +
    `<style>body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.6}` +
    `h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{color:#666}dd{margin:0}` +
    `fieldset{border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.8rem}label{display:block;margin:.3rem 0}` +
    `textarea,input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}` +
    `button{font:inherit;padding:.5rem 1.5rem}.notice{padding:.6rem .8rem;border-radius:6px;background:#fdecea;color:#8a1c12}` +
    `.ok{background:#e7f5ea;color:#1d5e2c}footer{margin-top:2rem;color:#888;font-size:.85rem}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${body}<footer>养老机构党建审批系统</footer></body></html>`
  );
}

function details(rows: Array<[string, string]>): string {
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

export interface TaskPageData {
  token: string;
  /** The same task in the web application (`/tasks/:id`), for whoever prefers to act there. */
  appTaskPath?: string;
  taskTitle: string;
  processTitle: string;
  institutionName: string;
  dueAt: Date;
  overdue: boolean;
  payload: Array<[string, string]>;
  recipientName: string;
  /**
   * Whether the form asks for the recipient's credentials (EMAIL_ACTION_REQUIRE_LOGIN). The username is never
   * filled in: whoever holds the link does not learn the account name from it.
   */
  askCredentials: boolean;
  proof: string;
  /** Shown above the form after a refused attempt. */
  error?: string;
  /** What the previous attempt chose, kept when the form is shown again. */
  decision?: Decision;
  comment?: string;
}

/** The confirmation page: the task and a form that POSTs the decision to the same link. */
export function renderTaskPage(d: TaskPageData): string {
  const rows: Array<[string, string]> = [
    ['事项', d.processTitle],
    ['机构', d.institutionName],
    ['环节', d.taskTitle],
    ['办理期限', `${formatDate(d.dueAt)}${d.overdue ? '（已逾期）' : ''}`],
    ...d.payload,
  ];
  const choices = DECISIONS.map(
    (v) =>
      `<label><input type="radio" name="decision" value="${v}" required${d.decision === v ? ' checked' : ''}> ${escapeHtml(DECISION_TEXT[v])}</label>`,
  ).join('');
  const login =
    !d.askCredentials
      ? ''
      : `<fieldset><legend>请以收件人身份登录后提交</legend>` +
        `<label>用户名<input type="text" name="username" required autocomplete="username"></label>` +
        `<label>密码<input type="password" name="password" required autocomplete="current-password"></label></fieldset>`;
  const form =
    `<form method="post" action="${escapeHtml(d.token)}" accept-charset="utf-8">` +
    `<input type="hidden" name="proof" value="${escapeHtml(d.proof)}">` +
    `<fieldset><legend>审批意见</legend>${choices}` +
    `<label>意见说明（选填）<textarea name="comment" rows="4" maxlength="2000">${escapeHtml(d.comment ?? '')}</textarea></label></fieldset>` +
    `${login}<button type="submit">确认提交</button></form>`;
  const notice = d.error ? `<p class="notice" role="alert">${escapeHtml(d.error)}</p>` : '';
  return layout(
    '审批确认',
    `${notice}<p>${escapeHtml(d.recipientName)}，您好：以下事项等待您办理。打开本页面不会作出任何决定，请选择意见并点击“确认提交”。</p>` +
      details(rows) +
      form +
      (d.appTaskPath ? `<p><a href="${escapeHtml(d.appTaskPath)}">在审批系统中打开此待办</a></p>` : ''),
  );
}

export interface ResultPageData {
  decision: string;
  comment: string;
  processTitle: string;
  institutionName: string;
  taskTitle: string;
  processStatus: string;
}

export function renderResultPage(d: ResultPageData): string {
  return layout(
    '审批已提交',
    `<p class="notice ok">您的审批决定已提交，本链接随即失效。</p>` +
      details([
        ['事项', d.processTitle],
        ['机构', d.institutionName],
        ['环节', d.taskTitle],
        ['审批决定', DECISION_TEXT[d.decision as Decision] ?? d.decision],
        ['意见说明', d.comment || '（无）'],
        ['流程状态', processStatusText(d.processStatus)],
      ]),
  );
}

/** A page that explains why nothing was done; `retryHref` links back to the form when trying again can help. */
export function renderMessagePage(title: string, message: string, retryHref?: string): string {
  const retry = retryHref ? `<p><a href="${escapeHtml(retryHref)}">返回办理页面</a></p>` : '';
  return layout(title, `<p class="notice">${escapeHtml(message)}</p>${retry}`);
}

/** Headers of every email-action page: never cached, never indexed, never framed, never leaking the link. */
export function sendPage(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex, nofollow',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    })
    .send(html);
}
