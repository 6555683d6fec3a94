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

export type TemplateName = 'task-opened' | 'task-overdue' | 'task-reminder' | 'task-escalated' | 'task-urged' | 'decided' | 'returned' | 'withdrawn' | 'cc';
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
export const PROCESS_TITLES: Record<string, string> = {
  'establish-branch': '成立党支部申请',
  'joint-organization': '组建联合党组织申请',
  'term-renewal': '换届选举',
  'annual-budget': '党建工作经费年度预算',
  'stipend-disbursement': '书记工作补贴发放',
  'secretary-dispatch': '选派书记/第一书记/党建工作指导员',
  'relation-transfer': '组织关系转接',
};
