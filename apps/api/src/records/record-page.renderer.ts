import { html, SafeHtml } from './safe-html';
import { shanghaiDateTime } from './record-labels';

/** Everything the 审批单 shows, already in words (labels, names); the renderer only lays it out and escapes. */
export interface RecordView {
  processId: string;
  title: string;
  institutionName: string;
  applicantName: string;
  submittedAt: Date;
  statusLabel: string;
  currentStepLabel: string;
  /** 申请内容: label/value pairs taken from the request. */
  request: Array<[string, string]>;
  entries: RecordEntry[];
  /** 办理结果, one line each. */
  result: string[];
  printedAt: Date;
}

export interface RecordEntry {
  at: Date;
  step: string;
  actor: string;
  action: string;
  comment: string;
  /** What the system adds to the line (the organisation a task went to, its due date, …). */
  note: string;
  /** A decision's attachments, one line each (name, size, start of the sha256). */
  attachments?: string[];
}

/** A constant of this file, never data: the one interpolation that is not escaped. */
const STYLE = new SafeHtml(`
  @page { size: A4; margin: 18mm 16mm 20mm; }
  * { box-sizing: border-box; }
  body { margin: 0 auto; padding: 24px; max-width: 210mm; color: #000; background: #fff;
         font: 12pt/1.6 "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif; }
  h1 { margin: 0 0 4px; text-align: center; font-size: 20pt; letter-spacing: 0.2em; }
  .sub { margin: 0 0 12px; display: flex; justify-content: space-between; font-size: 10pt; }
  h2 { margin: 18px 0 6px; font-size: 13pt; }
  table { width: 100%; border-collapse: collapse; table-layout: fixed; }
  th, td { border: 1px solid #000; padding: 5px 8px; text-align: left; vertical-align: top; word-wrap: break-word; overflow-wrap: anywhere; }
  th { font-weight: bold; background: #f2f2f2; }
  .form th { width: 18%; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .note { display: block; color: #444; font-size: 10pt; }
  .comment { white-space: pre-wrap; }
  .time { white-space: nowrap; }
  .footer { margin-top: 16px; font-size: 9pt; color: #444; display: flex; justify-content: space-between; }
  .hint { margin-bottom: 12px; padding: 6px 10px; border: 1px dashed #999; font-size: 10pt; color: #444; }
  @media print {
    body { padding: 0; max-width: none; }
    .no-print { display: none; }
    th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }
`);

export function renderRecordPage(r: RecordView): string {
  const lines = (items: string[]): SafeHtml[] => items.map((l, i) => html`${i ? html`<br>` : ''}${l}`);
  const rows = r.entries.map(
    (e) => html`
      <tr>
        <td class="time">${shanghaiDateTime(e.at)}</td>
        <td>${e.step}</td>
        <td>${e.actor}</td>
        <td>${e.action}</td>
        <td>${e.comment ? html`<span class="comment">${e.comment}</span>` : ''}${e.note ? html`<span class="note">${e.note}</span>` : ''}${(e.attachments ?? []).map((a) => html`<span class="note">附件：${a}</span>`)}</td>
      </tr>`,
  );
  const page = html`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>审批单 · ${r.title}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="hint no-print">打印：使用浏览器的“打印”（Ctrl+P / ⌘P），纸张选择 A4。</div>
<h1>审批单</h1>
<p class="sub"><span>编号：${r.processId}</span><span>打印时间：${shanghaiDateTime(r.printedAt)}（北京时间）</span></p>
<table class="form">
  <tbody>
    <tr><th>事项</th><td>${r.title}</td></tr>
    <tr><th>机构</th><td>${r.institutionName}</td></tr>
    <tr><th>申请人</th><td>${r.applicantName}</td></tr>
    <tr><th>提交时间</th><td>${shanghaiDateTime(r.submittedAt)}</td></tr>
    <tr><th>当前状态</th><td>${r.statusLabel}${r.currentStepLabel ? html`（当前环节：${r.currentStepLabel}）` : ''}</td></tr>
    ${r.request.map(([label, value]) => html`<tr><th>${label}</th><td>${value}</td></tr>`)}
  </tbody>
</table>
<h2>审批记录</h2>
<table class="log">
  <colgroup><col style="width:20%"><col style="width:11%"><col style="width:17%"><col style="width:14%"><col></colgroup>
  <thead><tr><th>时间</th><th>环节</th><th>办理人</th><th>操作</th><th>意见</th></tr></thead>
  <tbody>${rows.length ? rows : html`<tr><td colspan="5">暂无记录</td></tr>`}</tbody>
</table>
<h2>办理结果</h2>
<table class="form">
  <tbody><tr><th>结果</th><td class="comment">${lines(r.result)}</td></tr></tbody>
</table>
<p class="footer"><span>本审批单由养老机构党建审批系统根据审批记录生成，时间均为北京时间。</span><span>流程编号 ${r.processId}</span></p>
</body>
</html>
`;
  return page.value;
}
