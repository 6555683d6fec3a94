/** How values read for people: Beijing time, yuan from integer fen, Chinese names of the API's codes. */
import type {
  Decision,
  InstitutionType,
  MemberCategory,
  MemberStatus,
  OrganizationKind,
  ProcessKind,
  ProcessStatus,
  RequiredAction,
  Role,
  TaskStatus,
} from '@app/domain';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** An instant in Beijing time: 2026/11/30 16:05. */
export const fmtTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
/** The Beijing date of an instant; a plain `YYYY-MM-DD` is shown as it is (it is already a calendar date). */
export const fmtDate = (iso: string | null | undefined): string => (!iso ? '—' : /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso : dateOnly.format(new Date(iso)));
/** Today in Beijing as YYYY-MM-DD. */
export const beijingToday = (): string => new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

/** Integer fen as yuan: 123456 → ¥1,234.56 (computed on integers, never through a float sum). */
export function fmtYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100).toLocaleString('zh-CN');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

export const KIND_NAMES: Record<ProcessKind, string> = {
  'establish-branch': '成立党支部',
  'joint-organization': '成立联合党组织',
  'term-renewal': '党组织换届',
  'annual-budget': '年度党建经费预算',
  'stipend-disbursement': '书记补贴发放',
  'secretary-dispatch': '选派书记（党建指导员）',
  'secretary-source': '调整党组织负责人产生方式',
  'relation-transfer': '组织关系转接',
};
export const kindName = (k: string): string => KIND_NAMES[k as ProcessKind] ?? k;

export const PROCESS_STATUS: Record<ProcessStatus, { text: string; color: string }> = {
  RUNNING: { text: '办理中', color: 'processing' },
  RETURNED: { text: '已退回待修改', color: 'warning' },
  APPROVED: { text: '已通过', color: 'success' },
  REJECTED: { text: '未通过', color: 'error' },
  WITHDRAWN: { text: '已撤回', color: 'default' },
  FAILED: { text: '异常终止', color: 'error' },
};
export const TASK_STATUS: Record<TaskStatus, string> = { OPEN: '待办', COMPLETED: '已办结', CANCELLED: '已取消' };
export const DECISION_NAMES: Record<Decision, string> = { APPROVE: '同意', REJECT: '不同意', RETURN: '退回修改' };
export const ROLE_NAMES: Record<Role, string> = { ADMIN: '管理员', APPROVER: '审批人', APPLICANT: '申请人（机构）' };
export const INSTITUTION_TYPE_NAMES: Record<InstitutionType, string> = {
  PUBLIC: '公办养老机构',
  PUBLIC_BUILT_PRIVATE_RUN: '公建民营养老机构',
  PRIVATE: '民办养老机构',
  HOME_CARE_CENTER: '居家养老服务中心',
  HOME_CARE_STATION: '居家养老服务站',
};
export const ORG_KIND_NAMES: Record<OrganizationKind, string> = {
  CIVIL_AFFAIRS: '民政部门',
  DISTRICT: '区（县）党委',
  TOWNSHIP: '镇乡（街道）党（工）委',
  SPONSOR: '举办单位党组织',
  PUBLIC_BUILDER: '公建方党组织',
  OPERATOR: '运营方党组织',
  BRANCH: '党支部',
  GENERAL_BRANCH: '党总支',
  COMMITTEE: '党委',
  JOINT: '联合党组织',
  ELDERLY_BRANCH: '老年人党支部',
};
/** 选派 roles (R8). */
export const DISPATCH_ROLE_NAMES: Record<string, string> = { SECRETARY: '书记', FIRST_SECRETARY: '第一书记', INSTRUCTOR: '党建指导员' };
export const MEMBER_STATUS_NAMES: Record<MemberStatus, string> = { FULL: '正式党员', PROBATIONARY: '预备党员' };
export const MEMBER_CATEGORY_NAMES: Record<MemberCategory, string> = { STAFF: '工作人员', ELDERLY: '入住老人' };
export const REQUIRED_ACTION_NAMES: Record<RequiredAction, string> = {
  STANDALONE_ORG: '单独成立党组织',
  JOINT_ORG: '成立联合党组织',
  INSTRUCTOR: '选派党建指导员',
  MASS_ORGANISATION: '通过群团组织开展党的工作',
  NONE: '无需新的行动',
};
export const TERM_STATUS_NAMES: Record<string, string> = {
  ACTIVE: '任期内',
  RENEWAL_DUE: '即将到期，应筹备换届',
  RENEWAL_REQUEST_DUE: '应提出换届请示',
  OVERDUE: '任期已届满',
  POSTPONED: '已批准延期换届',
};
export const SEVERITY: Record<string, { text: string; color: string }> = {
  INFO: { text: '提示', color: 'blue' },
  WARNING: { text: '注意', color: 'orange' },
  VIOLATION: { text: '不符合', color: 'red' },
};
/** Timeline actions as people read them. */
export const ACTION_NAMES: Record<string, string> = {
  SUBMITTED: '提交申请',
  RESUBMITTED: '修改后重新提交',
  TASK_OPENED: '待办已送达',
  APPROVE: '同意',
  REJECT: '不同意',
  RETURN: '退回修改',
  TRANSFERRED: '转交',
  REASSIGNED: '改派',
  ADD_SIGNER_BEFORE: '前加签',
  ADD_SIGNER_AFTER: '后加签',
  PULLED_BACK: '取回',
  REMINDED: '到期提醒',
  URGED: '催办',
  CC: '抄送',
  TASK_OVERDUE: '已逾期',
  TASK_CANCELLED: '待办取消',
  WITHDRAWN: '申请人撤回',
  ORGANIZATION_CREATED: '党组织已建立',
  FOUNDING_ELECTION_RECORDED: '成立选举结果已登记',
  NO_CANDIDATE_ESCALATED: '无人办理，已上交上级组织',
  ESCALATED: '逾期上报上级组织',
  ESCALATION_UNROUTABLE: '无法上报上级组织',
  RULES_PASSED: '规则检查通过',
  RULES_FAILED: '规则检查未通过',
  RETURNED: '已退回申请人修改',
  APPROVED: '已通过',
  REJECTED: '未通过',
  CLOSED: '流程结束',
};
/** Steps of the kernel that are not a descriptor's step. */
export const KERNEL_STEP_NAMES: Record<string, string> = { submitted: '提交申请', revise: '申请人修改', done: '办结' };
export function actionName(action: string): string {
  if (ACTION_NAMES[action]) return ACTION_NAMES[action];
  const status = /^STATUS_(.+)$/.exec(action)?.[1];
  if (status && status in PROCESS_STATUS) return `流程${PROCESS_STATUS[status as ProcessStatus].text}`;
  return action;
}

/** A schema title `name（支部名称）` as its Chinese part; a bare key stays as it is. */
export const fieldLabel = (title: string | undefined, key: string): string => (title ? /（(.+)）\s*$/.exec(title)?.[1] ?? title : key);
