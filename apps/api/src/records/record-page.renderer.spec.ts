import { actionLabel, shanghaiDateTime, stepLabel } from './record-labels';
import { renderRecordPage, type RecordView } from './record-page.renderer';
import { escapeHtml, html } from './safe-html';

const view = (over: Partial<RecordView> = {}): RecordView => ({
  processId: '6f1c0a52-2c1f-4d55-9e0e-4b8f7c1a0001',
  title: '成立党支部申请：颐乐园党支部',
  institutionName: '颐乐园',
  applicantName: '张三',
  submittedAt: new Date('2026-03-01T01:02:00Z'),
  statusLabel: '已同意',
  currentStepLabel: '',
  request: [['党员人数', '3 名']],
  entries: [
    { at: new Date('2026-03-01T16:30:00Z'), step: '审批', actor: '李四', action: '同意', comment: '同意成立', note: '' },
  ],
  result: ['已同意', '已成立：颐乐园党支部'],
  printedAt: new Date('2026-03-02T00:00:00Z'),
  ...over,
});

describe('renderRecordPage', () => {
  it('is a zh-CN A4 print page with the form and the log', () => {
    const page = renderRecordPage(view());
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('@page { size: A4;');
    expect(page).toContain('@media print');
    for (const label of ['事项', '机构', '申请人', '提交时间', '当前状态', '时间', '环节', '办理人', '操作', '意见', '办理结果']) expect(page).toContain(label);
    expect(page).toContain('2026-03-01 09:02'); // submitted at 01:02Z is 09:02 in Shanghai
    expect(page).toContain('2026-03-02 00:30'); // past midnight in Shanghai, still the 1st in UTC
    expect(page).toContain('已成立：颐乐园党支部');
    expect(page).not.toMatch(/<script/i);
  });

  it('escapes every value: no markup can come in through a comment, a name or a label', () => {
    const evil = '<script>alert("x")</script>&\'';
    const page = renderRecordPage(
      view({
        title: evil,
        institutionName: evil,
        applicantName: evil,
        request: [[evil, evil]],
        entries: [{ at: new Date(0), step: evil, actor: evil, action: evil, comment: evil, note: evil }],
        result: [evil],
      }),
    );
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('"x"');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  it('says so when there is no timeline yet', () => {
    expect(renderRecordPage(view({ entries: [] }))).toContain('暂无记录');
  });
});

describe('labels', () => {
  it.each([
    ['SUBMITTED', '提交'],
    ['TASK_OPENED', '待办生成'],
    ['APPROVE', '同意'],
    ['REJECT', '不同意'],
    ['RETURN', '退回'],
    ['WITHDRAWN', '撤回'],
    ['TASK_OVERDUE', '逾期'],
    ['ORGANIZATION_CREATED', '组织成立'],
    ['STATUS_APPROVED', '流程状态：已同意'],
    ['STATUS_SOMETHING_NEW', '流程状态：SOMETHING_NEW'],
    ['BRAND_NEW_ACTION', 'BRAND_NEW_ACTION'],
  ])('%s → %s', (action, label) => expect(actionLabel(action)).toBe(label));

  it('translates known steps and keeps unknown ones', () => {
    expect(stepLabel('approve')).toBe('审批');
    expect(stepLabel('countersign-2')).toBe('countersign-2');
  });

  it('formats times in Asia/Shanghai', () => {
    expect(shanghaiDateTime(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01 00:00');
  });
});

describe('html', () => {
  it('escapes interpolations, joins arrays and keeps nested SafeHtml', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html`<p>${['<b>', html`<i>${'&'}</i>`, null, 3]}</p>`.value).toBe('<p>&lt;b&gt;<i>&amp;</i>3</p>');
  });
});
