/**
 * R14 party-work funds (党建工作经费): budget lines, spending against a line, the stipend line's coverage of the
 * secretaries' stipends, secretaries' time in office, and yuan text for finance. Integer fen throughout.
 */
import { type DateInput, addDays, toCalendarDate } from '../calendar/dates';
import type { Finding } from '../types';
import { finding } from './finding';

export const BUDGET_CATEGORIES = ['ACTIVITIES', 'TRAINING', 'MATERIALS', 'STIPEND', 'VENUE', 'OTHER'] as const;
export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number];

export const BUDGET_CATEGORY_LABELS: Readonly<Record<BudgetCategory, string>> = {
  ACTIVITIES: '党组织活动经费',
  TRAINING: '党员教育培训经费',
  MATERIALS: '学习资料经费',
  STIPEND: '党组织书记工作补贴',
  VENUE: '活动场所建设经费',
  OTHER: '其他',
};

export interface BudgetLineInput {
  category: BudgetCategory;
  amountFen: number;
  note?: string | null;
}

function assertFen(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer fen: ${value}`);
}

/** The sum of integer fen amounts, exact (throws past Number.MAX_SAFE_INTEGER rather than rounding). */
export function sumFen(amounts: readonly number[]): number {
  let total = 0n;
  for (const a of amounts) {
    assertFen(a, 'amount');
    total += BigInt(a);
  }
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('total exceeds the safe integer range');
  return Number(total);
}

/** Fen as yuan text with exactly two decimals, computed in integers (12345 → "123.45", never a float). */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be an integer: ${fen}`);
  const neg = fen < 0;
  const abs = BigInt(Math.abs(fen));
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Problems with a budget's lines, by field (each category once; amounts integer fen). */
export function budgetLineErrors(lines: readonly BudgetLineInput[]): Array<{ field: string; message: string }> {
  const errors: Array<{ field: string; message: string }> = [];
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (seen.has(l.category)) errors.push({ field: `lines[${i}].category`, message: `预算科目 ${BUDGET_CATEGORY_LABELS[l.category]} 重复，每个科目只列一行` });
    seen.add(l.category);
  });
  return errors;
}

export interface ExpenseCheck {
  allowed: boolean;
  /** What the line still has before this expense. */
  remainingFen: number;
  findings: Finding[];
}

/**
 * R14: spending is recorded against an approved budget line and may not exceed it (without an approved amendment,
 * which is a new version of the budget with its own lines). `lineFen` null: the budget has no such line.
 */
export function checkExpense(input: { category: BudgetCategory; lineFen: number | null; spentFen: number; amountFen: number }): ExpenseCheck {
  assertFen(input.spentFen, 'spentFen');
  assertFen(input.amountFen, 'amountFen');
  const label = BUDGET_CATEGORY_LABELS[input.category];
  if (input.lineFen === null) {
    return { allowed: false, remainingFen: 0, findings: [finding('R14', 'VIOLATION', `批准的预算中没有「${label}」科目，不能列支（R14）；须先调整预算。`)] };
  }
  assertFen(input.lineFen, 'lineFen');
  const remainingFen = Math.max(0, input.lineFen - input.spentFen);
  if (input.amountFen > remainingFen) {
    return {
      allowed: false,
      remainingFen,
      findings: [
        finding(
          'R14',
          'VIOLATION',
          `「${label}」科目预算 ${fenToYuan(input.lineFen)} 元，已支出 ${fenToYuan(input.spentFen)} 元，余额 ${fenToYuan(remainingFen)} 元，本次 ${fenToYuan(input.amountFen)} 元超出预算（R14）；须先经批准调整预算。`,
        ),
      ],
    };
  }
  return { allowed: true, remainingFen, findings: [] };
}

/**
 * R14: the stipend line must cover 12 months of the standard stipend for each of the organisation's secretaries.
 * Short of it: a WARNING with the computed shortfall. No standard set (0): nothing to compare against.
 */
export function stipendLineCoverage(input: { stipendLineFen: number; monthlyFen: number; secretaries: number }): { requiredFen: number; shortfallFen: number; findings: Finding[] } {
  assertFen(input.stipendLineFen, 'stipendLineFen');
  assertFen(input.monthlyFen, 'monthlyFen');
  const requiredFen = input.monthlyFen * 12 * Math.max(0, input.secretaries);
  const shortfallFen = Math.max(0, requiredFen - input.stipendLineFen);
  const findings: Finding[] = [];
  if (shortfallFen > 0) {
    findings.push(
      finding(
        'R14',
        'WARNING',
        `书记工作补贴科目 ${fenToYuan(input.stipendLineFen)} 元，不足 ${input.secretaries} 名书记 12 个月的标准补贴 ${fenToYuan(requiredFen)} 元（每月 ${fenToYuan(input.monthlyFen)} 元），缺口 ${fenToYuan(shortfallFen)} 元。`,
      ),
    );
  }
  return { requiredFen, shortfallFen, findings };
}

export interface Tenure {
  memberId: string;
  /** First day in office. */
  from: string;
  /** Last day in office (inclusive), or null while in office. */
  to: string | null;
}

/**
 * Who held an organisation's secretaryship when: the first secretary from `since`, then each change (the successor
 * takes office on the change's date, the predecessor's last day is the day before). Changes in any order.
 */
export function secretaryTenures(first: { memberId: string | null; since: DateInput }, changes: ReadonlyArray<{ on: DateInput; fromMemberId: string | null; toMemberId: string }>): Tenure[] {
  const sorted = [...changes].map((c) => ({ ...c, on: toCalendarDate(c.on) })).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const tenures: Tenure[] = [];
  let current: Tenure | null = null;
  // Before the first change the predecessor it names held office (the organisation's record may start later).
  const initial = sorted.length > 0 ? sorted[0]!.fromMemberId : first.memberId;
  if (initial) current = { memberId: initial, from: toCalendarDate(first.since), to: null };
  for (const c of sorted) {
    if (current) {
      const last = addDays(c.on, -1);
      if (last >= current.from) tenures.push({ ...current, to: last });
    }
    current = { memberId: c.toMemberId, from: c.on, to: null };
  }
  if (current) tenures.push(current);
  return tenures;
}

/** Splits `totalFen` over `weights` proportionally, in whole fen, so the parts sum exactly to the total (largest remainder). */
export function splitFen(totalFen: number, weights: readonly number[]): number[] {
  assertFen(totalFen, 'totalFen');
  const w = weights.map((x) => {
    assertFen(x, 'weight');
    return BigInt(x);
  });
  const sum = w.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map(() => 0);
  const total = BigInt(totalFen);
  const base = w.map((x) => (total * x) / sum);
  let left = total - base.reduce((a, b) => a + b, 0n);
  const order = w.map((x, i) => ({ i, rem: (total * x) % sum })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    base[i]! += 1n;
    left -= 1n;
  }
  return base.map(Number);
}
