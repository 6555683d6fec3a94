import type { InstitutionType, ManagedBy, MemberCategory, MemberStatus } from '@app/domain';

export interface ColumnSpec {
  header: string;
  required: boolean;
  /** Shown as the cell comment / CSV-free hint in the xlsx template. */
  hint: string;
  /** Allowed labels (the template offers them as a drop-down list). */
  choices?: readonly string[];
  width: number;
}

/** Column headers of the institutions sheet (the Chinese headers are the contract of the file). */
export const INST = {
  name: '机构名称',
  type: '机构类型',
  district: '所在区县',
  township: '属地镇街党组织',
  sponsor: '举办单位党组织',
  builder: '公建方党组织',
  managedBy: '管理方',
  operator: '运营方',
  beds: '床位数',
  residents: '在院老人数',
} as const;

/** Column headers of the members sheet. `所在区县` is optional and only tells same-named institutions apart. */
export const MEM = {
  name: '姓名',
  institution: '所在机构',
  district: '所在区县',
  category: '类别',
  status: '党员状态',
  birthDate: '出生日期',
  disabled: '失能',
  dementia: '失智',
  relationOrg: '组织关系所在党组织',
  joinedAt: '入职（入住）日期',
} as const;

/** Institution type labels; the codes themselves are accepted too. */
export const INSTITUTION_TYPE_LABELS: Record<string, InstitutionType> = {
  公办: 'PUBLIC',
  公办养老机构: 'PUBLIC',
  公建民营: 'PUBLIC_BUILT_PRIVATE_RUN',
  公建民营养老机构: 'PUBLIC_BUILT_PRIVATE_RUN',
  民营: 'PRIVATE',
  民营养老机构: 'PRIVATE',
  民办: 'PRIVATE',
  居家养老服务中心: 'HOME_CARE_CENTER',
  '乡镇（街道）居家养老服务中心': 'HOME_CARE_CENTER',
  居家养老服务站: 'HOME_CARE_STATION',
  '村（社区）居家养老服务站': 'HOME_CARE_STATION',
};

/** The preferred label of each type (templates, examples). */
export const INSTITUTION_TYPE_NAMES: Record<InstitutionType, string> = {
  PUBLIC: '公办',
  PUBLIC_BUILT_PRIVATE_RUN: '公建民营',
  PRIVATE: '民营',
  HOME_CARE_CENTER: '居家养老服务中心',
  HOME_CARE_STATION: '居家养老服务站',
};

export const MANAGED_BY_LABELS: Record<string, ManagedBy> = {
  公建方: 'PUBLIC_BUILDER',
  公建方党组织: 'PUBLIC_BUILDER',
  属地镇街: 'TOWNSHIP',
  属地镇街党组织: 'TOWNSHIP',
  '属地镇乡（街道）': 'TOWNSHIP',
  '属地镇乡（街道）党组织': 'TOWNSHIP',
};

export const CATEGORY_LABELS: Record<string, MemberCategory> = {
  工作人员: 'STAFF',
  在院老年人: 'ELDERLY',
  在院老人: 'ELDERLY',
  老年人: 'ELDERLY',
};

export const STATUS_LABELS: Record<string, MemberStatus> = {
  正式党员: 'FULL',
  正式: 'FULL',
  预备党员: 'PROBATIONARY',
  预备: 'PROBATIONARY',
};

export const YES_NO_LABELS: Record<string, boolean> = { 是: true, 否: false, y: true, n: false, yes: true, no: false, true: true, false: false, '1': true, '0': false };

export const INSTITUTION_COLUMNS: readonly ColumnSpec[] = [
  { header: INST.name, required: true, hint: '必填；与所在区县一起识别同一机构，重复导入将更新而不是新增', width: 28 },
  { header: INST.type, required: true, hint: '必填；公办、公建民营、民营、居家养老服务中心或居家养老服务站', choices: Object.values(INSTITUTION_TYPE_NAMES), width: 18 },
  { header: INST.district, required: true, hint: '必填；如 海曙区', width: 14 },
  { header: INST.township, required: true, hint: '必填；已登记的镇乡（街道）党（工）委名称', width: 24 },
  { header: INST.sponsor, required: false, hint: '公办机构必填；已登记的举办单位党组织名称', width: 24 },
  { header: INST.builder, required: false, hint: '公建民营机构必填；已登记的公建方党组织名称', width: 24 },
  { header: INST.managedBy, required: false, hint: '仅公建民营机构：公建方（默认）或属地镇街', choices: ['公建方', '属地镇街'], width: 12 },
  { header: INST.operator, required: false, hint: '民营方（运营方）名称', width: 24 },
  { header: INST.beds, required: false, hint: '非负整数', width: 10 },
  { header: INST.residents, required: false, hint: '非负整数', width: 12 },
];

export const MEMBER_COLUMNS: readonly ColumnSpec[] = [
  { header: MEM.name, required: true, hint: '必填；与所在机构、出生日期一起识别同一党员', width: 12 },
  { header: MEM.institution, required: true, hint: '必填；已登记的机构名称', width: 28 },
  { header: MEM.district, required: false, hint: '可选；存在同名机构时用于区分', width: 14 },
  { header: MEM.category, required: true, hint: '必填；工作人员或在院老年人', choices: ['工作人员', '在院老年人'], width: 12 },
  { header: MEM.status, required: true, hint: '必填；正式党员或预备党员', choices: ['正式党员', '预备党员'], width: 12 },
  { header: MEM.birthDate, required: false, hint: 'YYYY-MM-DD 或 Excel 日期', width: 14 },
  { header: MEM.disabled, required: false, hint: '是或否，默认否', choices: ['是', '否'], width: 8 },
  { header: MEM.dementia, required: false, hint: '是或否，默认否', choices: ['是', '否'], width: 8 },
  { header: MEM.relationOrg, required: false, hint: '可选；组织关系所在党组织名称，须已登记', width: 26 },
  { header: MEM.joinedAt, required: false, hint: '可选；YYYY-MM-DD 或 Excel 日期；工作人员组织关系应在入职后 90 天内转入', width: 16 },
];

export const IMPORT_KINDS = ['institutions', 'members'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const COLUMNS_OF: Record<ImportKind, readonly ColumnSpec[]> = { institutions: INSTITUTION_COLUMNS, members: MEMBER_COLUMNS };

/** The downloaded template's file name (Chinese, sent as RFC 5987 filename*). */
export const TEMPLATE_TITLES: Record<ImportKind, string> = { institutions: '养老机构导入模板', members: '党员导入模板' };
