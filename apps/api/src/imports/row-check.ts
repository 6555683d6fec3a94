import { textProblem } from '../common/clean-text';
import type { CellInput, RowError, SheetRow } from './import.types';

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30); // serial day 0 of the 1900 date system (after Excel's leap-year bug)
const DAY_MS = 86_400_000;

/** A cell whose text breaks the input rule (control characters, broken UTF-16): already reported. */
const REFUSED = Symbol('refused');

/** Reads typed values out of one row and collects every problem (all of a row's errors, not just the first). */
export class RowCheck {
  readonly errors: RowError[] = [];

  constructor(private readonly source: SheetRow) {}

  get row(): number {
    return this.source.row;
  }

  /** Records a problem; one per column (the first), as a request names each field once. */
  fail(field: string, message: string): void {
    if (this.errors.some((e) => e.field === field)) return;
    this.errors.push({ row: this.source.row, field, message });
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** The cell, or REFUSED (and the row's error naming the column) when its text breaks the API's input rule. */
  private raw(field: string): CellInput | typeof REFUSED {
    const v = this.source.cells.get(field) ?? null;
    const problem = typeof v === 'string' ? textProblem(v) : null;
    if (problem === null) return v;
    this.fail(field, problem);
    return REFUSED;
  }

  /** Text, trimmed; `null` for an empty optional cell. */
  text(field: string, opts: { required?: boolean; max?: number } = {}): string | null {
    const v = this.raw(field);
    if (v === REFUSED) return null;
    const s = v === null ? '' : v instanceof Date ? isoDate(v) : String(v).replace(/[\s\u3000]+/g, ' ').trim();
    if (s === '') {
      if (opts.required) this.fail(field, '必填');
      return null;
    }
    if (opts.max !== undefined && s.length > opts.max) {
      this.fail(field, `不能超过 ${opts.max} 个字符`);
      return null;
    }
    return s;
  }

  /** One of the labels (or a code of the map's values, case-insensitive). */
  choice<T extends string | boolean>(field: string, labels: Record<string, T>, opts: { required?: boolean } = {}): T | null {
    const s = this.text(field, { required: opts.required });
    if (s === null) return null;
    const key = s.replace(/\s+/g, '');
    if (key in labels) return labels[key];
    const lower = key.toLowerCase();
    for (const [label, value] of Object.entries(labels)) if (label.toLowerCase() === lower) return value;
    const code = Object.values(labels).find((v) => typeof v === 'string' && v === key.toUpperCase());
    if (code !== undefined) return code;
    const shown = [...new Set(Object.keys(labels).filter((l) => /[\u4e00-\u9fa5]/.test(l)))].slice(0, 6);
    this.fail(field, `无法识别“${s}”，应为 ${shown.join('、')}`);
    return null;
  }

  /** A non-negative whole number; `null` when empty. */
  count(field: string): number | null {
    const v = this.raw(field);
    if (v === REFUSED || v === null || (typeof v === 'string' && v.trim() === '')) return null;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim().replace(/,/g, '')) : NaN;
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
      this.fail(field, '应为非负整数');
      return null;
    }
    return n;
  }

  /** A calendar date as YYYY-MM-DD: an Excel date cell or serial number, or text YYYY-MM-DD (also / or . separated). */
  date(field: string, opts: { notAfter?: string; notBefore?: string } = {}): string | null {
    const v = this.raw(field);
    if (v === REFUSED || v === null || (typeof v === 'string' && v.trim() === '')) return null;
    let out: string | null = null;
    if (v instanceof Date) out = Number.isNaN(v.getTime()) ? null : isoDate(v);
    else if (typeof v === 'number') out = Number.isInteger(v) && v > 0 && v < 2_958_466 ? isoDate(new Date(EXCEL_EPOCH_MS + v * DAY_MS)) : null;
    else if (typeof v === 'string') out = parseDateText(v.trim());
    if (out === null) {
      this.fail(field, '日期格式应为 YYYY-MM-DD');
      return null;
    }
    if ((opts.notAfter && out > opts.notAfter) || (opts.notBefore && out < opts.notBefore)) {
      this.fail(field, `日期 ${out} 不在合理范围内`);
      return null;
    }
    return out;
  }
}

/**
 * The texts of some columns over all rows, for looking names up in one query before the rows are checked.
 * Text that breaks the input rule is left out: it names nothing, and its row is refused by its check.
 */
export function cellTexts(rows: SheetRow[], fields: readonly string[]): string[] {
  return rows.flatMap((r) =>
    fields
      .map((f) => r.cells.get(f))
      .filter((v): v is Exclude<CellInput, null> => v !== null && v !== undefined)
      .map((v) => String(v).trim())
      .filter((v) => textProblem(v) === null),
  );
}

/** A Date's calendar day in UTC (the xlsx reader gives date cells as UTC midnight). */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function parseDateText(s: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return isoDate(date);
}
