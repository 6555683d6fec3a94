/** zh-CN email templates. Each returns subject, plain text and HTML; every value is escaped in HTML. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface TaskEmailVars {
  recipientName: string;
  processTitle: string;
  institutionName: string;
  stepTitle: string;
  dueAt: string;
  taskUrl: string;
}

export interface DecisionEmailVars {
  recipientName: string;
  processTitle: string;
  institutionName: string;
  decisionLabel: string;
  actorName: string;
  comment: string;
  processUrl: string;
}

export interface WithdrawnEmailVars {
  recipientName: string;
  processTitle: string;
  institutionName: string;
  reason: string;
}

export interface CcEmailVars {
  recipientName: string;
  processTitle: string;
  institutionName: string;
  stepTitle: string;
  processUrl: string;
}

export interface StipendPaidEmailVars {
  recipientName: string;
  institutionName: string;
  month: string;
  amountYuan: string;
  reference: string;
  daysInOffice: number;
  daysInMonth: number;
}

/** R9/R15: a dispatched person's missed week (to the person) or a streak of them (to the dispatching body or its parent). */
export interface DutyAlertEmailVars {
  recipientName: string;
  /** 'REMIND_PERSON' | 'ESCALATE_DISPATCHER' | 'ESCALATE_PARENT' */
  kind: string;
  institutionName: string;
  personName: string;
  roleLabel: string;
  week: string;
  consecutiveMissed: number;
  minHours: number;
  dispatchUrl: string;
}

/** A notice about an organisation's term (R15): the renewal reminder, or the term overdue and escalated. */
export interface TermNoticeVars {
  recipientName: string;
  /** 【换届提醒】 or 【换届逾期】 */
  tag: string;
  organizationName: string;
  message: string;
  termEnd: string;
  url: string;
}

export type TemplateName = 'task-opened' | 'task-overdue' | 'task-reminder' | 'task-escalated' | 'task-urged' | 'decided' | 'returned' | 'withdrawn' | 'cc' | 'stipend-paid' | 'duty-alert' | 'term-notice';
export type TemplateVars = {
  'task-opened': TaskEmailVars;
  'task-overdue': TaskEmailVars;
  'task-reminder': TaskEmailVars;
  'task-escalated': TaskEmailVars;
  'task-urged': TaskEmailVars;
  decided: DecisionEmailVars;
  returned: DecisionEmailVars;
  withdrawn: WithdrawnEmailVars;
  cc: CcEmailVars;
  'stipend-paid': StipendPaidEmailVars;
  'duty-alert': DutyAlertEmailVars;
  'term-notice': TermNoticeVars;
};

const TASK_HEADLINES: Record<string, [string, string]> = {
  'task-opened': ['【待审批】', '有一项审批事项等待您所在组织办理。'],
  'task-overdue': ['【已逾期】', '以下审批事项已超过办理期限，请尽快处理。'],
  'task-reminder': ['【办理提醒】', '以下审批事项即将到期，请在办理期限前处理。'],
  'task-escalated': ['【逾期上报】', '以下审批事项已超过办理期限，现上报贵组织督办，贵组织也可直接办理。'],
  'task-urged': ['【催办】', '申请人催办以下审批事项，请尽快处理。'],
};

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function layout(lines: Array<[string, string] | string>, link?: { href: string; label: string }): { text: string; html: string } {
  const text = lines.map((l) => (typeof l === 'string' ? l : `${l[0]}：${l[1]}`)).join('\n') + (link ? `\n\n${link.label}：${link.href}\n` : '\n');
  const rows = lines
    .map((l) => (typeof l === 'string' ? `<p>${escapeHtml(l)}</p>` : `<p><strong>${escapeHtml(l[0])}：</strong>${escapeHtml(l[1])}</p>`))
    .join('');
  const button = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  const html = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body style="font-family:sans-serif">${rows}${button}<hr><p style="color:#888">此邮件由养老机构党建审批系统自动发送，请勿直接回复。</p></body></html>`;
  return { text, html };
}

export function renderEmail<T extends TemplateName>(name: T, vars: TemplateVars[T]): RenderedEmail {
  switch (name) {
    case 'task-opened':
    case 'task-overdue':
    case 'task-reminder':
    case 'task-escalated':
    case 'task-urged': {
      const v = vars as TaskEmailVars;
      const [tag, headline] = TASK_HEADLINES[name]!;
      return {
        subject: `${tag}${v.institutionName}：${v.processTitle}`,
        ...layout(
          [
            `${v.recipientName}，您好：`,
            headline,
            ['事项', v.processTitle],
            ['机构', v.institutionName],
            ['环节', v.stepTitle],
            ['办理期限', v.dueAt],
          ],
          { href: v.taskUrl, label: '查看并办理' },
        ),
      };
    }
    case 'decided': {
      const v = vars as DecisionEmailVars;
      return {
        subject: `【审批结果】${v.institutionName}：${v.processTitle}（${v.decisionLabel}）`,
        ...layout(
          [
            `${v.recipientName}，您好：`,
            '您提交的申请有了新的审批意见（多人审批的事项，以最终结果为准）。',
            ['事项', v.processTitle],
            ['机构', v.institutionName],
            ['结果', v.decisionLabel],
            ['审批人', v.actorName],
            ['意见', v.comment || '（无）'],
          ],
          { href: v.processUrl, label: '查看详情' },
        ),
      };
    }
    case 'returned': {
      const v = vars as DecisionEmailVars;
      return {
        subject: `【退回修改】${v.institutionName}：${v.processTitle}`,
        ...layout(
          [
            `${v.recipientName}，您好：`,
            '您提交的申请被退回。请根据审批意见修改后重新提交；不再办理的，也可以撤回申请。',
            ['事项', v.processTitle],
            ['机构', v.institutionName],
            ['退回人', v.actorName],
            ['意见', v.comment || '（无）'],
          ],
          { href: v.processUrl, label: '查看并修改' },
        ),
      };
    }
    case 'cc': {
      const v = vars as CcEmailVars;
      return {
        subject: `【抄送】${v.institutionName}：${v.processTitle}`,
        ...layout(
          [`${v.recipientName}，您好：`, '以下事项抄送贵组织知悉，无需办理。', ['事项', v.processTitle], ['机构', v.institutionName], ['环节', v.stepTitle]],
          { href: v.processUrl, label: '查看详情' },
        ),
      };
    }
    case 'stipend-paid': {
      const v = vars as StipendPaidEmailVars;
      return {
        subject: `【补贴发放】${v.institutionName}：${v.month} 党组织书记工作补贴`,
        ...layout([
          `${v.recipientName}，您好：`,
          '您的党组织书记工作补贴已审批发放登记（R14）。',
          ['机构', v.institutionName],
          ['月份', v.month],
          ['在任天数', `${v.daysInOffice} / ${v.daysInMonth} 天`],
          ['金额', `${v.amountYuan} 元`],
          ['发放编号', v.reference],
        ]),
      };
    }
    case 'duty-alert': {
      const v = vars as DutyAlertEmailVars;
      const remind = v.kind === 'REMIND_PERSON';
      return {
        subject: remind ? `【驻点提醒】${v.institutionName}：${v.week} 驻点时长不足` : `【连续缺勤上报】${v.institutionName}：${v.roleLabel}${v.personName}连续 ${v.consecutiveMissed} 周驻点不足`,
        ...layout(
          [
            `${v.recipientName}，您好：`,
            remind
              ? `您在 ${v.week} 到机构开展党建和服务活动经确认的时长不足 ${v.minHours} 小时（每周至少半天，R9）。请按要求到岗，并及时登记、请机构确认驻点记录。`
              : `选派人员已连续 ${v.consecutiveMissed} 周未履行每周至少半天（${v.minHours} 小时）的驻点要求（R9、R15），现上报贵组织督促。`,
            ['机构', v.institutionName],
            ['选派人员', `${v.roleLabel} ${v.personName}`],
            ['评定周', v.week],
          ],
          { href: v.dispatchUrl, label: '查看驻点记录' },
        ),
      };
    }
    case 'term-notice': {
      const v = vars as TermNoticeVars;
      return {
        subject: `${v.tag}${v.organizationName}：换届选举`,
        ...layout([`${v.recipientName}，您好：`, v.message, ['党组织', v.organizationName], ['任期届满', v.termEnd]], { href: v.url, label: '查看任期' }),
      };
    }
    case 'withdrawn': {
      const v = vars as WithdrawnEmailVars;
      return {
        subject: `【已撤回】${v.institutionName}：${v.processTitle}`,
        ...layout([
          `${v.recipientName}，您好：`,
          '以下申请已由申请人撤回，无需继续办理。',
          ['事项', v.processTitle],
          ['机构', v.institutionName],
          ['撤回原因', v.reason || '（未说明）'],
        ]),
      };
    }
  }
  throw new Error(`unknown template ${String(name)}`);
}

export const DECISION_LABELS: Record<string, string> = { APPROVE: '同意', REJECT: '不同意', RETURN: '退回修改' };
