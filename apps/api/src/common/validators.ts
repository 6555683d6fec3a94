import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The largest value of a PostgreSQL `integer` column: numbers bound for one carry this range. */
export const INT4_MAX = 2_147_483_647;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Exactly `YYYY-MM-DD`, and a day that exists (no time part, no 2023-02-29). */
export function isIsoDate(value: unknown): boolean {
  const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A calendar date where the contract says `YYYY-MM-DD` (class-validator's IsDateString also takes date-times). */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isIsoDate', validator: { validate: isIsoDate, defaultMessage: () => '$property must be a YYYY-MM-DD date' } }, options);
}
