/**
 * CSV / spreadsheet formula injection (OWASP): a cell whose text starts with `=`, `+`, `-` or `@` (or a tab or
 * carriage return before one) is run as a formula when someone opens the exported file in Excel or WPS, which can
 * fetch URLs or run commands. Every cell text the system writes into a CSV or spreadsheet goes through
 * `neutraliseFormula`; finance exports use it too. Plain numbers ("-12.50") are left as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** The text with a leading apostrophe when a spreadsheet would read it as a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** A cell value to write: text is neutralised, numbers, dates and booleans stay typed. */
export function safeCell<T>(value: T): T | string {
  return typeof value === 'string' ? neutraliseFormula(value) : value;
}

/** Undoes `neutraliseFormula` when a file the system wrote comes back as an import. */
export function restoreCell<T>(value: T): T | string {
  return typeof value === 'string' && /^'[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value.slice(1)) ? value.slice(1) : value;
}
