import { isoDayOfWeek } from '@app/domain';
import type { ErrorDetail } from '../common/errors';

/**
 * The working-day calendar (settings row `calendar`): public holidays and make-up workdays (调休上班) as
 * 'YYYY-MM-DD' Shanghai dates. Read by the worker when an approval step opens (loadApprovalPolicy).
 */
export interface WorkingCalendar {
  holidays: string[];
  extraWorkdays: string[];
}

export const CALENDAR_LISTS = ['holidays', 'extraWorkdays'] as const;
export const CALENDAR_PATCH_KEYS = ['holidays', 'extraWorkdays', 'addHolidays', 'removeHolidays', 'addExtraWorkdays', 'removeExtraWorkdays'] as const;
export type CalendarPatchKey = (typeof CALENDAR_PATCH_KEYS)[number];
export type CalendarPatch = Partial<Record<CalendarPatchKey, string[]>>;

export const CALENDAR_MAX_ENTRIES = 1000;
export const CALENDAR_MIN_YEAR = 2000;
export const CALENDAR_MAX_YEAR = 2100;

const LIST_OF: Record<CalendarPatchKey, 'holidays' | 'extraWorkdays'> = {
  holidays: 'holidays',
  addHolidays: 'holidays',
  removeHolidays: 'holidays',
  extraWorkdays: 'extraWorkdays',
  addExtraWorkdays: 'extraWorkdays',
  removeExtraWorkdays: 'extraWorkdays',
};
/** Keys that put dates into a list (their entries must obey the weekday rule of that list). */
const ADDING: readonly CalendarPatchKey[] = ['holidays', 'addHolidays', 'extraWorkdays', 'addExtraWorkdays'];
const WEEKDAY_NAMES = ['', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isKey = (k: string): k is CalendarPatchKey => (CALENDAR_PATCH_KEYS as readonly string[]).includes(k);

/** The message for a string that is not a real 'YYYY-MM-DD' date of 2000–2100, or null when it is one. */
export function calendarDateError(value: unknown): string | null {
  if (typeof value !== 'string') return '必须是字符串（YYYY-MM-DD 格式的日期）';
  const m = DATE_RE.exec(value);
  if (!m) return `“${value}”不是 YYYY-MM-DD 格式的日期`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return `“${value}”不是真实存在的日期`;
  if (y < CALENDAR_MIN_YEAR || y > CALENDAR_MAX_YEAR) return `年份必须在 ${CALENDAR_MIN_YEAR} 至 ${CALENDAR_MAX_YEAR} 之间`;
  return null;
}

/**
 * Field-level errors of a PATCH body, checked before anything is read or written (empty when valid): the shape,
 * every date, duplicates, the weekday rules (a holiday on a weekday, a make-up workday on a Saturday or Sunday),
 * a list replaced and edited in the same request, and a date both added and removed. The root is field `body`.
 */
export function validateCalendarPatch(patch: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (!isPlainObject(patch)) return [{ field: 'body', message: '请求体必须是对象' }];
  if (Object.keys(patch).length === 0) return [{ field: 'body', message: `至少包含 ${CALENDAR_PATCH_KEYS.join('、')} 中的一项` }];
  const valid: Partial<Record<CalendarPatchKey, Map<string, number>>> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!isKey(key)) {
      out.push({ field: key, message: `未知的字段（可用：${CALENDAR_PATCH_KEYS.join('、')}）` });
      continue;
    }
    if (!Array.isArray(value)) {
      out.push({ field: key, message: '必须是字符串数组' });
      continue;
    }
    if (value.length > CALENDAR_MAX_ENTRIES) {
      out.push({ field: key, message: `最多 ${CALENDAR_MAX_ENTRIES} 项（实际 ${value.length} 项）` });
      continue;
    }
    const seen = new Map<string, number>();
    value.forEach((v: unknown, i) => {
      const field = `${key}[${i}]`;
      const bad = calendarDateError(v);
      if (bad) return void out.push({ field, message: bad });
      const date = v as string;
      const first = seen.get(date);
      if (first !== undefined) return void out.push({ field, message: `${date} 与 ${key}[${first}] 重复` });
      seen.set(date, i);
      if (ADDING.includes(key)) {
        const dow = isoDayOfWeek(date);
        const weekend = dow >= 6;
        if (LIST_OF[key] === 'holidays' && weekend) {
          out.push({ field, message: `${date} 是${WEEKDAY_NAMES[dow]}，周末本就不是工作日，不能设为节假日` });
        } else if (LIST_OF[key] === 'extraWorkdays' && !weekend) {
          out.push({ field, message: `${date} 是${WEEKDAY_NAMES[dow]}，调休上班日必须是星期六或星期日` });
        }
      }
    });
    valid[key] = seen;
  }
  // Replacing a list and editing it in the same request is ambiguous.
  for (const [whole, edits] of [
    ['holidays', ['addHolidays', 'removeHolidays']],
    ['extraWorkdays', ['addExtraWorkdays', 'removeExtraWorkdays']],
  ] as const) {
    if (!(whole in patch)) continue;
    for (const e of edits) if (e in patch) out.push({ field: e, message: `不能与 ${whole} 同时提交（${whole} 整体替换，${e} 增删单个日期）` });
  }
  for (const [add, remove] of [
    ['addHolidays', 'removeHolidays'],
    ['addExtraWorkdays', 'removeExtraWorkdays'],
  ] as const) {
    const added = valid[add];
    valid[remove]?.forEach((i, date) => {
      const j = added?.get(date);
      if (j !== undefined) out.push({ field: `${remove}[${i}]`, message: `${date} 同时出现在 ${add}[${j}] 中` });
    });
  }
  return out;
}

const sortedUnique = (dates: Iterable<string>): string[] => [...new Set(dates)].sort();

/** The stored row as a calendar, whatever it holds (non-strings dropped), lists sorted and deduplicated. */
export function readCalendar(value: unknown): WorkingCalendar {
  const list = (v: unknown): string[] => (Array.isArray(v) ? sortedUnique(v.filter((d): d is string => typeof d === 'string')) : []);
  const obj = isPlainObject(value) ? value : {};
  return { holidays: list(obj.holidays), extraWorkdays: list(obj.extraWorkdays) };
}

/** Applies a validated PATCH: a list given whole replaces the stored one; then additions, then removals. */
export function applyCalendarPatch(stored: WorkingCalendar, patch: CalendarPatch): WorkingCalendar {
  const edit = (base: string[], whole: string[] | undefined, add: string[] = [], remove: string[] = []): string[] => {
    const out = new Set([...(whole ?? base), ...add]);
    for (const d of remove) out.delete(d);
    return sortedUnique(out);
  };
  return {
    holidays: edit(stored.holidays, patch.holidays, patch.addHolidays, patch.removeHolidays),
    extraWorkdays: edit(stored.extraWorkdays, patch.extraWorkdays, patch.addExtraWorkdays, patch.removeExtraWorkdays),
  };
}

/**
 * Rules on the resulting calendar (it includes what was stored): no date both a holiday and a make-up workday,
 * at most CALENDAR_MAX_ENTRIES dates per list. The field named is the request entry that caused it; a conflict
 * already in the stored row that this request does not resolve is reported on the list itself.
 */
export function calendarResultErrors(result: WorkingCalendar, patch: CalendarPatch): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const where = (date: string, keys: readonly CalendarPatchKey[]): string | null => {
    for (const k of keys) {
      const i = patch[k]?.indexOf(date) ?? -1;
      if (i >= 0) return `${k}[${i}]`;
    }
    return null;
  };
  const extra = new Set(result.extraWorkdays);
  for (const date of result.holidays) {
    if (!extra.has(date)) continue;
    const field = where(date, ['addExtraWorkdays', 'extraWorkdays', 'addHolidays', 'holidays']);
    out.push(
      field
        ? { field, message: `${date} 不能既是节假日又是调休上班日` }
        : { field: 'extraWorkdays', message: `已保存的日历中 ${date} 既是节假日又是调休上班日，请先移除其中之一` },
    );
  }
  for (const list of CALENDAR_LISTS) {
    if (result[list].length <= CALENDAR_MAX_ENTRIES) continue;
    const field = list === 'holidays' ? (patch.addHolidays ? 'addHolidays' : 'holidays') : patch.addExtraWorkdays ? 'addExtraWorkdays' : 'extraWorkdays';
    out.push({ field, message: `修改后共 ${result[list].length} 个日期，最多 ${CALENDAR_MAX_ENTRIES} 个` });
  }
  return out;
}

/** What changed, list by list (each list compared as a whole, as in the policy audit). */
export function diffCalendars(before: WorkingCalendar, after: WorkingCalendar): Array<{ path: string; before: string[]; after: string[] }> {
  return CALENDAR_LISTS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => ({ path: k, before: before[k], after: after[k] }));
}
