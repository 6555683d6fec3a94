import type { ImportResult, RowError, UpsertOutcome } from './import.types';

/** A row after validation: its natural key (when the key cells were readable), its value when it is good. */
export interface CheckedRow<T> {
  row: number;
  key: string | null;
  value: T | null;
  errors: RowError[];
}

/**
 * Rows with the same natural key as an earlier row of the file are refused (the first one wins), so a file
 * never says two different things about one record.
 */
export function settle<T>(checked: CheckedRow<T>[], keyField: string): { good: Array<{ row: number; value: T }>; rejected: RowError[] } {
  const firstRowOf = new Map<string, number>();
  const rejected: RowError[] = [];
  const good: Array<{ row: number; value: T }> = [];
  for (const c of checked) {
    const errors = [...c.errors];
    if (c.key !== null) {
      const first = firstRowOf.get(c.key);
      if (first === undefined) firstRowOf.set(c.key, c.row);
      else errors.push({ row: c.row, field: keyField, message: `与第 ${first} 行重复` });
    }
    if (errors.length > 0) rejected.push(...errors);
    else if (c.value !== null) good.push({ row: c.row, value: c.value });
  }
  return { good, rejected };
}

export function summarise(p: {
  total: number;
  valid: number;
  rejected: RowError[];
  outcomes: UpsertOutcome[];
  partial: boolean;
  committed: boolean;
}): ImportResult {
  const count = (o: UpsertOutcome): number => p.outcomes.filter((x) => x === o).length;
  return {
    accepted: p.outcomes.length,
    rejected: p.rejected,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    valid: p.valid,
    total: p.total,
    committed: p.committed,
    partial: p.partial,
  };
}

/** Rows per multi-row INSERT (well under Postgres' 65,535 parameters for our widest table). */
export const INSERT_CHUNK = 1000;

export function chunks<T>(items: T[], size = INSERT_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Serialises imports: two uploads of the same file at once must not both create the same rows. */
export const IMPORT_LOCK_KEY = 7_318_004_230;
