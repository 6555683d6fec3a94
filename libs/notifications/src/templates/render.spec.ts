import { renderEmail } from './render';

const vars = {
  recipientName: '张三',
  processTitle: '成立党支部申请',
  institutionName: '康乐苑<养老院>',
  decisionLabel: '退回修改',
  actorName: '李四',
  comment: '请补充 <党员名单>',
  processUrl: 'https://example.test/processes/1',
};

describe('email templates', () => {
  it('退回: asks the applicant to revise or withdraw, with the approver’s comment and a link to the request', () => {
    const mail = renderEmail('returned', vars);
    expect(mail.subject).toBe('【退回修改】康乐苑<养老院>：成立党支部申请');
    expect(mail.text).toContain('请根据审批意见修改后重新提交');
    expect(mail.text).toContain('意见：请补充 <党员名单>');
    expect(mail.text).toContain('查看并修改：https://example.test/processes/1');
    // HTML escapes what people typed.
    expect(mail.html).toContain('请补充 &lt;党员名单&gt;');
    expect(mail.html).not.toContain('<党员名单>');
  });

  it('a decision email says the result, not a request to revise', () => {
    const mail = renderEmail('decided', { ...vars, decisionLabel: '同意', comment: '' });
    expect(mail.subject).toBe('【审批结果】康乐苑<养老院>：成立党支部申请（同意）');
    expect(mail.text).toContain('意见：（无）');
    expect(mail.text).not.toContain('重新提交');
  });
});
