import { getMetadataStorage, type ValidationError } from 'class-validator';

type Say = (field: string, arg: unknown) => string;

const list = (arg: unknown): string => (Array.isArray(arg) ? arg.join('、') : String(arg));

/**
 * zh-CN wording of the rules we use, with the rule's argument (a length, a bound, the allowed values). The
 * order is the order in which a broken rule is reported: what the value is before how big it is.
 */
const RULES: Array<[string, Say]> = [
  ['isDefined', (f) => `${f} 为必填项`],
  ['isNotEmpty', (f) => `${f} 不能为空`],
  ['isString', (f) => `${f} 必须是文本`],
  ['isInt', (f) => `${f} 必须是整数`],
  ['isNumber', (f) => `${f} 必须是数字`],
  ['isBoolean', (f) => `${f} 必须是 true 或 false`],
  ['isArray', (f) => `${f} 必须是数组`],
  ['isObject', (f) => `${f} 必须是对象`],
  ['isUuid', (f) => `${f} 必须是 UUID`],
  ['isEmail', (f) => `${f} 不是有效的邮箱地址`],
  ['isIn', (f, a) => `${f} 必须是 ${list(a)} 之一`],
  ['isEnum', (f, a) => `${f} 必须是 ${list(typeof a === 'object' && a !== null ? Object.values(a) : a)} 之一`],
  ['isIsoDate', (f) => `${f} 必须是 YYYY-MM-DD 格式的日期`],
  ['isDateString', (f) => `${f} 必须是 YYYY-MM-DD 格式的日期`],
  ['matches', (f) => `${f} 的格式不正确`],
  ['arrayNotEmpty', (f) => `${f} 不能为空`],
  ['arrayMinSize', (f, a) => `${f} 至少需要 ${a} 项`],
  ['arrayMaxSize', (f, a) => `${f} 最多 ${a} 项`],
  ['arrayUnique', (f) => `${f} 不能有重复项`],
  ['min', (f, a) => `${f} 不能小于 ${a}`],
  ['max', (f, a) => `${f} 不能大于 ${a}`],
  ['minLength', (f, a) => (a === 1 ? `${f} 不能为空` : `${f} 至少 ${a} 个字符`)],
  ['maxLength', (f, a) => `${f} 不能超过 ${a} 个字符`],
];
const ORDER = new Map(RULES.map(([name], i) => [name, i]));
const SAY = new Map(RULES);

const CJK = /[\u4e00-\u9fff]/;

/** The rule's first argument (MaxLength(200) → 200), from class-validator's metadata of the DTO class. */
function ruleArgument(target: object | undefined, property: string, rule: string): { arg: unknown; each: boolean } {
  if (!target) return { arg: undefined, each: false };
  const metas = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  const meta = metas.find((m) => m.propertyName === property && m.name === rule);
  return { arg: meta?.constraints?.[0], each: meta?.each ?? false };
}

/**
 * One message per field, for the rule it broke: a missing field is "required" (not every rule of the field), a
 * null is named as such, otherwise the first broken rule in RULES order. A message written on the decorator in
 * Chinese is kept; class-validator's English defaults are replaced.
 */
export function messageFor(error: ValidationError, field: string): string {
  const constraints = error.constraints ?? {};
  const rules = Object.keys(constraints);
  if (rules.includes('unknownValue')) return '请求体必须是 JSON 对象';
  if (rules.includes('whitelistValidation')) return `${field} 不是可提交的字段`;
  if (error.value === undefined) return `${field} 为必填项`;
  if (error.value === null) return `${field} 不能为 null`;
  const rule = [...rules].sort((a, b) => (ORDER.get(a) ?? RULES.length) - (ORDER.get(b) ?? RULES.length))[0];
  if (rule === undefined) return `${field} 的值不符合要求`;
  const own = constraints[rule];
  if (own && CJK.test(own)) return own;
  const say = SAY.get(rule);
  if (!say) return `${field} 的值不符合要求`;
  const { arg, each } = ruleArgument(error.target, error.property, rule);
  return each ? `${field} 中的每一项${say('', arg).trimStart()}` : say(field, arg);
}
