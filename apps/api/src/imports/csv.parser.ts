import { neutraliseFormula } from '../common/formula-injection';

/**
 * RFC 4180 CSV as Excel writes it: comma separated, fields optionally in double quotes ("" inside quotes is
 * one quote, quoted fields may hold commas and line breaks), CRLF, LF or CR line ends, an optional BOM.
 * Returns one string array per record; a record's index + 1 is the row number Excel shows for it.
 */
export function parseCsv(text: string): string[][];
/** The same, or null as soon as there are more than `maxRecords` records (a file too long to read). */
export function parseCsv(text: string, maxRecords: number): string[][] | null;
export function parseCsv(text: string, maxRecords = Infinity): string[][] | null {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = (): void => {
    record.push(field);
    field = '';
  };
  const endRecord = (): void => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field.length === 0) quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' || c === '\n') {
      endRecord();
      if (records.length > maxRecords) return null;
      if (c === '\r' && text[i + 1] === '\n') i += 1;
    } else field += c;
    i += 1;
  }
  // A last record without a line end (and not a trailing empty line).
  if (field.length > 0 || record.length > 0 || quoted) endRecord();
  return records;
}

/**
 * CSV bytes to text: UTF-8 (with or without BOM) when valid, else GB18030 (what Excel on a Chinese Windows
 * saves as "CSV"), so a file saved either way imports with its Chinese intact.
 */
export function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const needsQuotes = /[",\r\n]/;

/**
 * One CSV line (no line end); fields with a comma, quote or line break are quoted, and a field a spreadsheet would
 * take for a formula is neutralised (exports and templates alike).
 */
export function csvLine(fields: readonly string[]): string {
  return fields
    .map(neutraliseFormula)
    .map((f) => (needsQuotes.test(f) ? `"${f.replace(/"/g, '""')}"` : f))
    .join(',');
}
