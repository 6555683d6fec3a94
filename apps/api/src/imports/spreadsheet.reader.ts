import { ApiError, fieldError } from '../common/errors';
import { restoreCell } from '../common/formula-injection';
import { decodeCsv, parseCsv } from './csv.parser';
import type { ColumnSpec } from './import-columns';
import type { CellInput, SheetRow } from './import.types';
import { readXlsxRows, XLSX_LIMITS } from './xlsx-reader';

export type SheetFormat = 'xlsx' | 'csv';

/** More data rows than this is a job for several files (and keeps one request's memory bounded). */
export const MAX_DATA_ROWS = XLSX_LIMITS.maxDataRows;

/** CSV records (blank lines included) read before a file is refused as too long. */
const MAX_CSV_RECORDS = MAX_DATA_ROWS * 5;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]); // legacy .xls

/**
 * The format from the file name and its first bytes: an .xlsx is a zip container, a .csv is text. A file whose
 * content contradicts its name is refused rather than guessed at.
 */
export function detectFormat(originalName: string, bytes: Buffer): SheetFormat {
  const ext = (/\.([a-z0-9]+)$/i.exec(originalName)?.[1] ?? '').toLowerCase();
  const zip = bytes.subarray(0, 4).equals(ZIP_MAGIC);
  if (bytes.subarray(0, 4).equals(OLE_MAGIC) || ext === 'xls') throw fieldError('file', '不支持旧版 .xls 文件，请另存为 .xlsx 或 .csv 后上传');
  if (ext === 'xlsx' || (ext === '' && zip)) {
    if (!zip) throw fieldError('file', '文件内容不是有效的 .xlsx 工作簿');
    return 'xlsx';
  }
  if (ext === 'csv' || ext === 'txt') {
    if (zip || bytes.subarray(0, 4096).includes(0)) throw fieldError('file', '文件内容不是 CSV 文本');
    return 'csv';
  }
  throw fieldError('file', '仅支持 .xlsx 或 .csv 文件');
}

/** Header text as people type it: trimmed, without a required-marker star or a "(必填)" note. */
export function normaliseHeader(raw: string): string {
  return raw
    .replace(/[\s\u3000]+/g, '')
    .replace(/[*＊]/g, '')
    .replace(/[（(](必填|选填|可选)[）)]$/, '');
}

/** Reads the first worksheet (or the CSV) into rows keyed by header; checks the header row against the columns. */
export async function readSheet(format: SheetFormat, bytes: Buffer, columns: readonly ColumnSpec[]): Promise<SheetRow[]> {
  const grid = format === 'xlsx' ? await xlsxGrid(bytes) : csvGrid(bytes);
  const header = grid.shift();
  if (!header || header.cells.every((c) => c === null || c === '')) throw fieldError('file', '文件为空或缺少表头行（第 1 行）');
  const names = header.cells.map((c) => (c === null ? '' : normaliseHeader(String(c))));
  const known = new Set(columns.map((c) => c.header));
  const seen = new Set<string>();
  for (const n of names) {
    if (known.has(n) && seen.has(n)) throw new ApiError(400, `表头重复：${n}`, [{ field: n, message: '表头重复' }]);
    seen.add(n);
  }
  const missing = columns.filter((c) => c.required && !seen.has(c.header));
  if (missing.length > 0) {
    throw new ApiError(
      400,
      `缺少必填列：${missing.map((c) => c.header).join('、')}（请使用导入模板）`,
      missing.map((c) => ({ field: c.header, message: '缺少该列' })),
    );
  }
  const rows: SheetRow[] = [];
  for (const line of grid) {
    const cells = new Map<string, CellInput>();
    names.forEach((name, idx) => {
      if (known.has(name)) cells.set(name, restoreCell(line.cells[idx] ?? null));
    });
    if ([...cells.values()].every((v) => v === null || (typeof v === 'string' && v.trim() === ''))) continue;
    rows.push({ row: line.row, cells });
  }
  if (rows.length > MAX_DATA_ROWS) throw fieldError('file', `数据行过多（${rows.length} 行），单个文件最多 ${MAX_DATA_ROWS} 行`);
  return rows;
}

interface GridLine {
  row: number;
  cells: CellInput[];
}

function csvGrid(bytes: Buffer): GridLine[] {
  const records = parseCsv(decodeCsv(bytes), MAX_CSV_RECORDS);
  if (records === null) throw fieldError('file', `数据行过多，单个文件最多 ${MAX_DATA_ROWS} 行`);
  return records.map((fields, i) => ({ row: i + 1, cells: fields.map((f) => (f === '' ? null : f)) }));
}

/** The first visible worksheet, read with the size and row limits of xlsx-reader (a hostile file is a 400). */
async function xlsxGrid(bytes: Buffer): Promise<GridLine[]> {
  const lines = await readXlsxRows(bytes);
  // The header is the first row that has anything in it; rows above it (a title) are not expected.
  if (lines.length > 0 && lines[0].row !== 1) throw fieldError('file', '第 1 行必须是表头');
  return lines;
}
