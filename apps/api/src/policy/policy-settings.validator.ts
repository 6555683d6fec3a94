import {
  BRANCH_MEETING_TYPES,
  DEFAULT_POLICY_SETTINGS,
  ELDERLY_BRANCH_COUNT_BASES,
  INSTITUTION_TYPES,
  SILENT_INSTITUTION_TYPES,
  SILENT_TYPE_BODIES,
  type PolicySettings,
} from '@app/domain';
import type { ErrorDetail } from '../common/errors';

/** The shape of one settings value: what PATCH accepts and what the OpenAPI document shows. */
export type SettingSpec =
  | { kind: 'int'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[] }
  /** 'MM-DD', a day that exists in a leap year. */
  | { kind: 'monthDay' }
  /** 'YYYY-MM-DD' or null. */
  | { kind: 'dateOrNull' }
  | { kind: 'array'; of: SettingSpec; maxItems: number }
  | { kind: 'object'; fields: Record<string, SettingSpec> };

const int = (min: number, max: number): SettingSpec => ({ kind: 'int', min, max });
const oneOf = (values: readonly string[]): SettingSpec => ({ kind: 'enum', values });
const DAYS = 3650;
const recordOf = (keys: readonly string[], spec: SettingSpec): SettingSpec => ({
  kind: 'object',
  fields: Object.fromEntries(keys.map((k) => [k, spec])),
});

/** Every key of PolicySettings (the compiler insists on completeness) with its type and bounds. */
export const POLICY_SETTINGS_SPEC: Record<keyof PolicySettings, SettingSpec> = {
  silentTypesResponsibleBody: recordOf(SILENT_INSTITUTION_TYPES, oneOf(SILENT_TYPE_BODIES)),
  standaloneOrgMinFullStaff: int(1, 1000),
  elderlyBranchMinFullElderly: int(1, 1000),
  elderlyBranchCountBasis: oneOf(ELDERLY_BRANCH_COUNT_BASES),
  advancedAgeYears: int(1, 150),
  establishBranchAnswerDays: int(1, DAYS),
  termYears: recordOf(Object.keys(DEFAULT_POLICY_SETTINGS.termYears), int(1, 10)),
  noMembersPreferredAction: oneOf(['INSTRUCTOR', 'MASS_ORGANISATION']),
  foundingElectionDays: int(1, DAYS),
  branchMaxMembers: int(1, 10000),
  committeeMinFullMembers: int(1, 10000),
  committeeMinSize: int(1, 100),
  committeeMaxSize: int(1, 100),
  secretaryMinPartyYears: int(0, 100),
  jointMaxUnits: int(2, 1000),
  jointMinPooledFullMembers: int(1, 1000),
  jointSpinOffGraceDays: int(0, DAYS),
  renewalReminderDaysBefore: int(0, DAYS),
  renewalRequestDaysBefore: int(0, DAYS),
  renewalReplyDays: int(1, DAYS),
  electionMaxShiftYears: int(0, 10),
  electionCandidateMarginPercent: int(0, 100),
  electionQuorumNumerator: int(1, 1000),
  electionQuorumDenominator: int(1, 1000),
  approvalStepWorkingDays: int(1, 365),
  approvalReminderWorkingDaysBefore: { kind: 'array', of: int(0, 365), maxItems: 10 },
  weeklyDutyMinHours: { kind: 'number', min: 0, max: 168 },
  weeklyDutyAppliesTo: { kind: 'array', of: oneOf(INSTITUTION_TYPES), maxItems: INSTITUTION_TYPES.length },
  weeklyDutyEscalateToDispatcherAfter: int(1, 52),
  weeklyDutyEscalateToParentAfter: int(1, 52),
  weeklyDutyExemptBelowWorkingDays: int(0, 7),
  staffTransferDueDays: int(1, DAYS),
  transferLetterValidDays: int(1, DAYS),
  orgSoundMaxSecretaryVacancyDays: int(0, DAYS),
  orgSoundMinMeetingCompliancePercent: int(0, 100),
  stipendMonthlyFen: int(0, Number.MAX_SAFE_INTEGER),
  stipendExcludeCivilServants: { kind: 'bool' },
  budgetOpensOn: { kind: 'monthDay' },
  budgetSubmissionDueOn: { kind: 'monthDay' },
  budgetApprovalDueOn: { kind: 'monthDay' },
  coverageTargets: recordOf(INSTITUTION_TYPES, {
    kind: 'object',
    fields: { targetDate: { kind: 'dateOrNull' }, firmness: oneOf(['FIRM', 'ASPIRATIONAL', 'NONE']) },
  }),
  branchMeetingPeriods: recordOf(BRANCH_MEETING_TYPES, oneOf(['MONTH', 'QUARTER', 'YEAR'])),
};

const ROOT: SettingSpec = { kind: 'object', fields: POLICY_SETTINGS_SPEC };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function validDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Checks one value against its spec; partial objects are allowed (a PATCH names only what changes). */
function check(spec: SettingSpec, value: unknown, field: string, out: ErrorDetail[]): void {
  const fail = (message: string): void => void out.push({ field, message });
  switch (spec.kind) {
    case 'int':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('必须是数字');
      if (spec.kind === 'int' && !Number.isInteger(value)) return fail('必须是整数');
      if (value < spec.min) return fail(value < 0 ? `不能为负数（最小 ${spec.min}）` : `不能小于 ${spec.min}`);
      if (value > spec.max) return fail(`不能大于 ${spec.max}`);
      return;
    case 'bool':
      if (typeof value !== 'boolean') fail('必须是布尔值');
      return;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) fail(`必须是 ${spec.values.join('、')} 之一`);
      return;
    case 'monthDay': {
      const m = typeof value === 'string' ? /^(\d{2})-(\d{2})$/.exec(value) : null;
      if (!m || !validDate(2000, Number(m[1]), Number(m[2]))) fail('必须是 MM-DD 格式的日期');
      return;
    }
    case 'dateOrNull': {
      if (value === null) return;
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
      if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) fail('必须是 YYYY-MM-DD 格式的日期或 null');
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return fail('必须是数组');
      if (value.length > spec.maxItems) return fail(`最多 ${spec.maxItems} 项`);
      if (new Set(value.map((v) => JSON.stringify(v))).size !== value.length) return fail('不能包含重复项');
      value.forEach((v, i) => check(spec.of, v, `${field}[${i}]`, out));
      return;
    case 'object':
      if (!isPlainObject(value)) return fail('必须是对象');
      if (field === '' && Object.keys(value).length === 0) return fail('至少包含一个设置项');
      for (const [k, v] of Object.entries(value)) {
        const path = field ? `${field}.${k}` : k;
        const sub = Object.prototype.hasOwnProperty.call(spec.fields, k) ? spec.fields[k] : undefined;
        if (!sub) out.push({ field: path, message: '未知的设置项' });
        else check(sub, v, path, out);
      }
      return;
  }
}

/** Field-level errors of a PATCH body (empty when it is valid). The root is reported as field `body`. */
export function validatePolicyPatch(patch: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  check(ROOT, patch, '', out);
  return out.map((d) => (d.field === '' ? { ...d, field: 'body' } : d));
}

/** Rules between settings, checked on the effective result; the offending field is the one the PATCH named. */
export function crossFieldErrors(s: PolicySettings, patch: Record<string, unknown>): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const pick = (a: string, b: string): string => (a in patch ? a : b in patch ? b : a);
  if (s.committeeMinSize > s.committeeMaxSize) {
    out.push({ field: pick('committeeMinSize', 'committeeMaxSize'), message: 'committeeMinSize 不能大于 committeeMaxSize' });
  }
  if (s.electionQuorumNumerator > s.electionQuorumDenominator) {
    out.push({ field: pick('electionQuorumNumerator', 'electionQuorumDenominator'), message: '法定人数比例不能大于 1' });
  }
  if (s.renewalRequestDaysBefore > s.renewalReminderDaysBefore) {
    out.push({ field: pick('renewalRequestDaysBefore', 'renewalReminderDaysBefore'), message: '换届申请期限不能早于换届提醒' });
  }
  if (s.weeklyDutyEscalateToDispatcherAfter > s.weeklyDutyEscalateToParentAfter) {
    out.push({
      field: pick('weeklyDutyEscalateToDispatcherAfter', 'weeklyDutyEscalateToParentAfter'),
      message: '上报派出单位的周数不能大于上报其上级的周数',
    });
  }
  for (const type of INSTITUTION_TYPES) {
    const t = s.coverageTargets[type];
    if (t.firmness !== 'NONE' && t.targetDate === null) {
      out.push({ field: `coverageTargets.${type}.targetDate`, message: '有覆盖目标的机构类型必须设定目标日期' });
    }
  }
  return out;
}

/** Applies a validated PATCH to the stored override: objects merge key by key, arrays and scalars replace. */
export function mergeOverride(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = mergeOverride(base[k], v);
  return out;
}

/** Leaf-by-leaf differences between two effective settings (arrays compare as a whole). */
export function diffSettings(before: unknown, after: unknown, path = ''): Array<{ path: string; before: unknown; after: unknown }> {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffSettings(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before: before ?? null, after: after ?? null }];
}

/** OpenAPI schema of the settings (`partial` for the PATCH body: nothing required). */
export function settingsSchema(spec: SettingSpec = ROOT, partial = false): Record<string, unknown> {
  switch (spec.kind) {
    case 'int':
      return { type: 'integer', minimum: spec.min, maximum: spec.max };
    case 'number':
      return { type: 'number', minimum: spec.min, maximum: spec.max };
    case 'bool':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', enum: [...spec.values] };
    case 'monthDay':
      return { type: 'string', pattern: '^\\d{2}-\\d{2}$', example: '10-01' };
    case 'dateOrNull':
      return { type: 'string', format: 'date', nullable: true };
    case 'array':
      return { type: 'array', items: settingsSchema(spec.of, partial), maxItems: spec.maxItems };
    case 'object': {
      const properties = Object.fromEntries(Object.entries(spec.fields).map(([k, v]) => [k, settingsSchema(v, partial)]));
      return { type: 'object', properties, additionalProperties: false, ...(partial ? {} : { required: Object.keys(spec.fields) }) };
    }
  }
}
