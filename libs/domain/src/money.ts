import { type DateInput, addDays, daysInMonth, fromDayNumber, parseYearMonth, toCalendarDate, toDayNumber } from './calendar/dates';
import { SEED_SOURCES } from './seed-sources';
import type { PolicySettings } from './settings';
import type { Finding } from './types';

/**
 * R14 money: integer fen (分) throughout; never floats.
 */

function assertFen(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer fen: ${value}`);
}

/** Rounds numerator/denominator (both ≥ 0, denominator > 0) half up, exactly, in BigInt. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n || numerator < 0n) throw new RangeError('divideRoundHalfUp needs numerator ≥ 0 and denominator > 0');
  return (2n * numerator + denominator) / (2n * denominator);
}

export interface MonthInOffice {
  /** Days of the month in office (inclusive of both ends). */
  daysInOffice: number;
  daysInMonth: number;
  /** First and last day in office within the month, or null when not in office that month. */
  from: string | null;
  to: string | null;
}

/** Days a person held office in a month; `inOfficeTo` is the last day in office (inclusive), open-ended if absent. */
export function daysInOfficeInMonth(month: string, inOfficeFrom: DateInput, inOfficeTo?: DateInput | null): MonthInOffice {
  const { year, month: m } = parseYearMonth(month);
  const dim = daysInMonth(year, m);
  const first = toDayNumber(`${month}-01`);
  const last = first + dim - 1;
  const from = Math.max(first, toDayNumber(inOfficeFrom));
  const to = Math.min(last, inOfficeTo == null ? last : toDayNumber(inOfficeTo));
  if (to < from) return { daysInOffice: 0, daysInMonth: dim, from: null, to: null };
  return { daysInOffice: to - from + 1, daysInMonth: dim, from: fromDayNumber(from), to: fromDayNumber(to) };
}

/**
 * R14 stipend for one secretary and one month, prorated by calendar days in office:
 * monthlyFen × daysInOffice ÷ daysInMonth, rounded half up to a whole fen (0.5 fen → 1 fen). A full month pays
 * exactly monthlyFen; no office that month pays 0.
 */
export function prorateStipendFen(
  monthlyFen: number,
  month: string,
  inOfficeFrom: DateInput,
  inOfficeTo?: DateInput | null,
): number {
  assertFen(monthlyFen, 'monthlyFen');
  const { daysInOffice, daysInMonth: dim } = daysInOfficeInMonth(month, inOfficeFrom, inOfficeTo);
  return Number(divideRoundHalfUp(BigInt(monthlyFen) * BigInt(daysInOffice), BigInt(dim)));
}

export interface StipendPayee {
  secretaryId: string;
  /** Civil servants on dispatch are excluded by default. */
  civilServant?: boolean;
}

/** Whether a secretary may receive the stipend under the settings (R14). */
export function stipendEligible(payee: StipendPayee, settings: Pick<PolicySettings, 'stipendExcludeCivilServants'>): boolean {
  return !(settings.stipendExcludeCivilServants && payee.civilServant === true);
}

/** The once-only key of a stipend payment: each (secretary, month) is paid once. */
export function stipendPaymentKey(secretaryId: string, month: string): string {
  parseYearMonth(month);
  return `stipend:${secretaryId}:${month}`;
}

export interface StipendComputation {
  secretaryId: string;
  month: string;
  amountFen: number;
  eligible: boolean;
  alreadyPaid: boolean;
  paymentKey: string;
  findings: Finding[];
}

/** A month's stipend for a secretary: eligibility, proration, and the pay-once guard. */
export function computeStipend(
  input: {
    payee: StipendPayee;
    month: string;
    inOfficeFrom: DateInput;
    inOfficeTo?: DateInput | null;
    /** Defaults to settings.stipendMonthlyFen. */
    monthlyFen?: number;
    /** Payment keys already recorded. */
    paidKeys?: readonly string[];
  },
  settings: Pick<PolicySettings, 'stipendExcludeCivilServants' | 'stipendMonthlyFen'>,
): StipendComputation {
  const paymentKey = stipendPaymentKey(input.payee.secretaryId, input.month);
  const eligible = stipendEligible(input.payee, settings);
  const alreadyPaid = (input.paidKeys ?? []).includes(paymentKey);
  const findings: Finding[] = [];
  let amountFen = 0;
  if (!eligible) {
    findings.push(r14('INFO', '该书记为选派的公务员，按设置不发放工作补贴。'));
  } else if (alreadyPaid) {
    findings.push(r14('WARNING', `该书记 ${input.month} 的工作补贴已发放，不得重复发放。`));
  } else {
    amountFen = prorateStipendFen(input.monthlyFen ?? settings.stipendMonthlyFen, input.month, input.inOfficeFrom, input.inOfficeTo);
    if (amountFen === 0 && (input.monthlyFen ?? settings.stipendMonthlyFen) === 0) {
      findings.push(r14('WARNING', '未设置党支部书记工作补贴标准（月额为 0）。'));
    }
  }
  return { secretaryId: input.payee.secretaryId, month: input.month, amountFen, eligible, alreadyPaid, paymentKey, findings };
}

export interface BudgetCycle {
  /** The year the budget is for. */
  budgetYear: number;
  /** In the year before: the cycle opens (1 Oct), the submission is due (30 Nov), approval is due (31 Dec). */
  opensOn: string;
  submissionDueOn: string;
  approvalDueOn: string;
}

/** R14 budget cycle for the budget of `budgetYear`; the dates fall in budgetYear − 1. */
export function budgetCycle(
  budgetYear: number,
  settings: Pick<PolicySettings, 'budgetOpensOn' | 'budgetSubmissionDueOn' | 'budgetApprovalDueOn'>,
): BudgetCycle {
  if (!Number.isInteger(budgetYear)) throw new RangeError(`invalid year: ${budgetYear}`);
  const y = String(budgetYear - 1).padStart(4, '0');
  return {
    budgetYear,
    opensOn: toCalendarDate(`${y}-${settings.budgetOpensOn}`),
    submissionDueOn: toCalendarDate(`${y}-${settings.budgetSubmissionDueOn}`),
    approvalDueOn: toCalendarDate(`${y}-${settings.budgetApprovalDueOn}`),
  };
}

export type BudgetStatus = 'NONE' | 'DRAFT' | 'SUBMITTED' | 'APPROVED';
export interface BudgetRecord {
  year: number;
  status: BudgetStatus;
}

/**
 * R14: an organisation needs an approved party-work budget for the current year, and the next year's budget
 * follows the cycle (open 1 Oct, submit by 30 Nov, approve by 31 Dec of the year before). An organisation
 * established after the current year's approval deadline (`establishedOn`) could not have met it: for that year it
 * is told to submit one (a WARNING), not found in violation.
 */
export function evaluateBudget(
  records: readonly BudgetRecord[],
  today: DateInput,
  settings: Pick<PolicySettings, 'budgetOpensOn' | 'budgetSubmissionDueOn' | 'budgetApprovalDueOn'>,
  establishedOn: DateInput | null = null,
): Finding[] {
  const t = toCalendarDate(today);
  const year = Number(t.slice(0, 4));
  const status = (y: number): BudgetStatus => records.find((r) => r.year === y)?.status ?? 'NONE';
  const findings: Finding[] = [];
  if (status(year) !== 'APPROVED') {
    const due = budgetCycle(year, settings).approvalDueOn;
    if (establishedOn !== null && toCalendarDate(establishedOn) > due) {
      findings.push(r14('WARNING', `本组织于 ${toCalendarDate(establishedOn)} 成立，尚无 ${year} 年度党建工作经费预算，应报送本年度预算并纳入机构年度经费安排。`));
    } else {
      findings.push(r14('VIOLATION', `${year} 年度党建工作经费预算未批准，应于 ${due} 前批准。`));
    }
  }
  const next = budgetCycle(year + 1, settings);
  const s = status(year + 1);
  if (t >= next.opensOn && s !== 'APPROVED') {
    if (t > next.submissionDueOn && s !== 'SUBMITTED') {
      findings.push(r14('WARNING', `${year + 1} 年度党建工作经费预算应于 ${next.submissionDueOn} 前报送，已逾期。`));
    } else {
      findings.push(
        r14('INFO', `${year + 1} 年度党建工作经费预算编制已开始：${next.submissionDueOn} 前报送，${next.approvalDueOn} 前批准。`),
      );
    }
  }
  return findings;
}

/** The month before a `YYYY-MM` month: the month the run on the 1st pays. */
export function previousMonth(month: string): string {
  const { year, month: m } = parseYearMonth(month);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** The first day after a stipend month: the monthly stipend run for `month` opens then. */
export function firstDayOfNextMonth(month: string): string {
  const { year, month: m } = parseYearMonth(month);
  return addDays(`${month}-01`, daysInMonth(year, m));
}

function r14(severity: Finding['severity'], message: string): Finding {
  return { ruleId: 'R14', severity, message, source: SEED_SOURCES.R14 };
}
