import type { ProcessStatus } from '@app/domain';
import { descriptorOf, processTitle } from '@app/contracts';

/** 审批单 wording. Anything not listed is shown as stored, so a new action is never hidden. */
export const STATUS_LABELS: Record<ProcessStatus, string> = {
  RUNNING: '审批中',
  RETURNED: '已退回，待申请人修改',
  APPROVED: '已同意',
  REJECTED: '不同意',
  WITHDRAWN: '已撤回',
  FAILED: '未通过',
};

export const ACTION_LABELS: Record<string, string> = {
  SUBMITTED: '提交',
  RESUBMITTED: '重新提交',
  RULES_PASSED: '政策审查通过',
  RULES_FAILED: '政策审查未通过',
  TASK_OPENED: '待办生成',
  TASK_CANCELLED: '待办取消',
  TASK_OVERDUE: '逾期',
  APPROVE: '同意',
  REJECT: '不同意',
  RETURN: '退回',
  RETURNED: '退回',
  REJECTED: '不同意',
  WITHDRAWN: '撤回',
  CLOSED: '关闭',
  PULLED_BACK: '取回',
  URGED: '催办',
  REMINDED: '提醒',
  CC: '抄送',
  TRANSFERRED: '转交',
  REASSIGNED: '改派',
  DELEGATED: '委托',
  ADD_SIGNER_BEFORE: '前加签',
  ADD_SIGNER_AFTER: '后加签',
  ESCALATED: '上报上级',
  ESCALATION_UNROUTABLE: '无法上报上级',
  NO_CANDIDATE_ESCALATED: '无办理人，已上报上级',
  ORGANIZATION_CREATED: '组织成立',
  RELATION_FOLLOW_UPS: '开启组织关系转接、登记报到',
  LETTER_REQUIRED: '退回申请人补交介绍信',
  LETTER_EXPIRED: '介绍信过期，退回申请人',
  RELATION_MOVED: '组织关系转入',
};

export const STEP_LABELS: Record<string, string> = {
  submitted: '提交申请',
  check: '政策审查',
  approve: '审批',
  revise: '修改',
  withdraw: '撤回',
  done: '办结',
};

export function actionLabel(action: string, kind?: string): string {
  const known = ACTION_LABELS[action] ?? (kind ? descriptorOf(kind)?.actionLabels?.[action] : undefined);
  if (known) return known;
  const status = /^STATUS_(.+)$/.exec(action)?.[1];
  if (status) return `流程状态：${STATUS_LABELS[status as ProcessStatus] ?? status}`;
  return action;
}

/** A step in words: the kind's own title for it (its descriptor), else the common steps' names. */
export const stepLabel = (step: string, kind?: string): string => (kind ? descriptorOf(kind)?.steps[step]?.title : undefined) ?? STEP_LABELS[step] ?? step;
export const statusLabel = (status: string): string => STATUS_LABELS[status as ProcessStatus] ?? status;
export { processTitle };

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai (UTC+8, no DST), whatever the server's zone. */
export function shanghaiDateTime(d: Date | string): string {
  const t = new Date(d).getTime();
  if (Number.isNaN(t)) return String(d);
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
