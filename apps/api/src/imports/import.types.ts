/** A cell as the importers see it, whatever the file format: text, a number, a boolean, a date or nothing. */
export type CellInput = string | number | boolean | Date | null;

/** One data row of a sheet: its spreadsheet row number (the header is row 1) and its cells by column header. */
export interface SheetRow {
  row: number;
  cells: Map<string, CellInput>;
}

export interface RowError {
  /** The spreadsheet row number (header = row 1). */
  row: number;
  /** The Chinese column header. */
  field: string;
  /** zh-CN */
  message: string;
}

/**
 * The answer of an import. `accepted` counts the rows written or found already up to date; it is 0 when the
 * file was refused as a whole (a bad row without `?partial=true`), `valid` then tells how many rows were good.
 */
export interface ImportResult {
  accepted: number;
  rejected: RowError[];
  created: number;
  updated: number;
  unchanged: number;
  valid: number;
  total: number;
  committed: boolean;
  partial: boolean;
}

/** The outcome of writing one good row. */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged';
