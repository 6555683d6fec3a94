import { ConfigError } from '@app/config';
import { emailActionToken, EMAIL_ACTION_TOKEN_PATTERN, hashEmailActionToken, loadEmailActionSettings } from '@app/notifications';
import { payloadRows, renderMessagePage, renderTaskPage } from './email-action-pages';

describe('email-action tokens', () => {
  const task = '6f1c2a7e-0000-4000-8000-000000000001';
  const user = '6f1c2a7e-0000-4000-8000-000000000002';

  it('are deterministic, 256-bit base64url, and bound to secret, task and user', () => {
    const t = emailActionToken(Buffer.from('secret'), task, user);
    expect(emailActionToken(Buffer.from('secret'), task, user)).toBe(t);
    expect(t).toMatch(EMAIL_ACTION_TOKEN_PATTERN);
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(emailActionToken(Buffer.from('secret2'), task, user)).not.toBe(t);
    expect(emailActionToken(Buffer.from('secret'), user, task)).not.toBe(t);
    expect(hashEmailActionToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEmailActionToken(t)).not.toContain(t);
  });

  it('settings default to 7 days and sign-in required, and refuse bad values', () => {
    expect(loadEmailActionSettings({})).toEqual({ ttlDays: 7, requireLogin: true });
    expect(loadEmailActionSettings({ EMAIL_ACTION_TTL_DAYS: '3', EMAIL_ACTION_REQUIRE_LOGIN: 'false' })).toEqual({ ttlDays: 3, requireLogin: false });
    expect(loadEmailActionSettings({ EMAIL_ACTION_REQUIRE_LOGIN: 'TRUE' }).requireLogin).toBe(true);
    expect(() => loadEmailActionSettings({ EMAIL_ACTION_TTL_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadEmailActionSettings({ EMAIL_ACTION_TTL_DAYS: '1.5' })).toThrow(/EMAIL_ACTION_TTL_DAYS/);
    expect(() => loadEmailActionSettings({ EMAIL_ACTION_REQUIRE_LOGIN: 'no' })).toThrow(/EMAIL_ACTION_REQUIRE_LOGIN/);
  });
});

describe('email-action pages', () => {
  const base = {
    token: 'tok',
    taskTitle: '<b>审批</b>',
    processTitle: '成立党支部申请',
    institutionName: '颐乐园"><script>x()</script>',
    dueAt: new Date('2025-12-01T02:00:00Z'),
    overdue: false,
    payload: payloadRows({ name: '支部&', institutionId: 'id-should-not-show', memberIds: ['a'], memberCount: 3, amountFen: 12345, elderly: true }),
    recipientName: '张三',
    askCredentials: true,
    proof: 'p"q',
  };

  it('escapes every value and leaves ids out of the payload summary', () => {
    const html = renderTaskPage({ ...base, comment: '</textarea><script>' });
    expect(html).not.toMatch(/<script>|<b>/);
    expect(html).toContain('颐乐园&quot;&gt;&lt;script&gt;');
    expect(html).not.toContain('zhang');
    expect(html).toContain('value="p&quot;q"');
    expect(html).toContain('&lt;/textarea&gt;');
    expect(html).toContain('支部&amp;');
    expect(html).toContain('123.45 元');
    expect(html).toContain('2025年12月1日 10:00');
    expect(html).not.toContain('id-should-not-show');
    expect(renderMessagePage('t', '<i>')).toContain('&lt;i&gt;');
  });

  it('shows credential fields only when sign-in is required', () => {
    expect(renderTaskPage(base)).toContain('type="password"');
    const relaxed = renderTaskPage({ ...base, askCredentials: false });
    expect(relaxed).not.toContain('type="password"');
    expect(relaxed).not.toContain('name="username"');
  });
});
