/**
 * Reads the first visible worksheet of an .xlsx upload as rows of plain cell values, built for hostile input:
 *
 * 1. the archive's central directory is read first and the sizes it declares are checked against hard limits
 *    (nothing is inflated for a file that declares too much);
 * 2. every entry is inflated as a stream (node:zlib) that counts its bytes and stops at the declared size, so a
 *    file that lies about its sizes is caught while it inflates;
 * 3. the worksheet XML is parsed as a stream (saxes) and reading stops at the row limit.
 *
 * No spreadsheet library offers all three (exceljs and read-excel-file inflate and parse the whole sheet before a
 * caller can count rows: a 9 MB file of 1.1 million rows took 2.7 GB and 20 s), so this file does the reading;
 * the XML and the inflation are the well-kept libraries'.
 */
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { fieldError } from '../common/errors';
import { zipDirectory, zipEntryData, type ZipEntry } from '../common/zip-directory';
import type { CellInput } from './import.types';

/** What one read may cost, whatever the file says. */
export interface XlsxLimits {
  /** Data rows (the header not counted) with anything in them; one more is refused. */
  maxDataRows: number;
  /** Row elements read in all (blank ones too) before giving up. */
  maxRowElements: number;
  /** Columns read per row; cells further right are ignored. */
  maxColumns: number;
  /** Declared (and actual) size of the worksheet XML. */
  maxSheetBytes: number;
  /** Declared (and actual) size of the shared strings XML. */
  maxSharedStringsBytes: number;
  /** Declared size of every other part that is read (workbook, relationships, styles). */
  maxPartBytes: number;
  /** Declared size of all entries together. */
  maxTotalBytes: number;
}

export const XLSX_LIMITS: XlsxLimits = {
  maxDataRows: 20_000,
  maxRowElements: 100_000,
  maxColumns: 256,
  maxSheetBytes: 64 * 1024 * 1024,
  maxSharedStringsBytes: 32 * 1024 * 1024,
  maxPartBytes: 4 * 1024 * 1024,
  maxTotalBytes: 160 * 1024 * 1024,
};

export interface XlsxLine {
  /** The spreadsheet row number (1-based). */
  row: number;
  cells: CellInput[];
}

const unreadable = (): Error => fieldError('file', '无法读取该 .xlsx 文件，请确认文件未损坏');

/** Reads the first visible worksheet; every problem with the file is a 400 naming `file`. */
export async function readXlsxRows(bytes: Buffer, limits: XlsxLimits = XLSX_LIMITS): Promise<XlsxLine[]> {
  const entries = zipDirectory(bytes);
  if (!entries) throw unreadable();
  checkDeclaredSizes(entries, limits);
  const byName = new Map(entries.map((e) => [e.name.replace(/^\//, ''), e]));
  const part = async (name: string, max: number): Promise<string | null> => {
    const entry = byName.get(name);
    return entry ? inflateText(bytes, entry, max) : null;
  };

  const workbook = await part('xl/workbook.xml', limits.maxPartBytes);
  if (workbook === null) throw unreadable();
  const rels = (await part('xl/_rels/workbook.xml.rels', limits.maxPartBytes)) ?? '';
  const sheetPath = firstVisibleSheet(workbook, rels);
  const sheetEntry = sheetPath ? byName.get(sheetPath) : undefined;
  if (!sheetEntry) throw fieldError('file', '工作簿中没有工作表');
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(workbook);
  const dateStyles = parseDateStyles((await part('xl/styles.xml', limits.maxPartBytes)) ?? '');
  const sharedEntry = byName.get('xl/sharedStrings.xml');
  const shared = sharedEntry ? parseSharedStrings(await inflateText(bytes, sharedEntry, limits.maxSharedStringsBytes)) : [];

  const lines: XlsxLine[] = [];
  const sheet = new SheetParser(shared, dateStyles, date1904, limits, lines);
  await inflateStream(bytes, sheetEntry, limits.maxSheetBytes, (text) => sheet.write(text));
  sheet.close();
  return lines;
}

/** Refuses, before anything is inflated, an archive that declares more than the limits allow. */
function checkDeclaredSizes(entries: ZipEntry[], limits: XlsxLimits): void {
  let total = 0;
  for (const e of entries) {
    if (e.uncompressedSize === 0xffffffff || e.compressedSize === 0xffffffff) throw fieldError('file', '文件过大或格式不受支持（ZIP64）');
    if ((e.flags & 1) === 1) throw fieldError('file', '不支持加密的 .xlsx 文件，请取消密码保护后上传');
    total += e.uncompressedSize;
    const max = /^xl\/worksheets\/[^/]+\.xml$/.test(e.name)
      ? limits.maxSheetBytes
      : e.name === 'xl/sharedStrings.xml'
        ? limits.maxSharedStringsBytes
        : null;
    if (max !== null && e.uncompressedSize > max) throw tooLarge();
  }
  if (total > limits.maxTotalBytes) throw tooLarge();
}

const tooLarge = (): Error => fieldError('file', '工作簿解压后的内容过大，请拆分为多个文件（每个文件最多 20000 行）后上传');

/** Inflates an entry chunk by chunk, counting: more bytes than declared (or than `max`) stops it with a 400. */
async function inflateStream(bytes: Buffer, entry: ZipEntry, max: number, onText: (text: string) => void): Promise<void> {
  const data = zipEntryData(bytes, entry);
  if (!data || (entry.method !== 0 && entry.method !== 8)) throw unreadable();
  const limit = Math.min(max, entry.uncompressedSize);
  const decoder = new StringDecoder('utf8');
  if (entry.method === 0) {
    if (data.length > limit) throw tooLarge();
    onText(decoder.write(data) + decoder.end());
    return;
  }
  const inflater = createInflateRaw();
  let seen = 0;
  const done = (async () => {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > limit) throw seen > entry.uncompressedSize ? unreadable() : tooLarge();
      onText(decoder.write(chunk));
    }
    onText(decoder.end());
  })();
  inflater.end(data);
  try {
    await done;
  } catch (err) {
    inflater.destroy();
    if (err instanceof Error && 'getStatus' in err) throw err;
    throw unreadable();
  }
}

async function inflateText(bytes: Buffer, entry: ZipEntry, max: number): Promise<string> {
  const parts: string[] = [];
  await inflateStream(bytes, entry, max, (t) => parts.push(t));
  return parts.join('');
}

/** The path (inside the archive) of the first sheet that is not hidden. */
function firstVisibleSheet(workbook: string, rels: string): string | null {
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const id = attr(m[1], 'Id');
    const target = attr(m[1], 'Target');
    if (id && target) targets.set(id, target);
  }
  const sheets = [...workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)].map((m) => ({ state: attr(m[1], 'state'), rid: attr(m[1], 'r:id') ?? attr(m[1], 'id') }));
  const sheet = sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0];
  const target = sheet?.rid ? targets.get(sheet.rid) : undefined;
  if (!target) return null;
  return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name.replace(':', '\\:')}="([^"]*)"`).exec(attrs);
  return m ? unescapeXml(m[1]) : undefined;
}

const unescapeXml = (s: string): string =>
  s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()];
    return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });

/** Built-in number formats that show a date or time (ECMA-376 18.8.30, with the CJK ones Chinese Excel uses). */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Indexes of the cell styles (`s` attribute) whose number format is a date. */
function parseDateStyles(styles: string): Set<number> {
  const custom = new Map<number, string>();
  for (const m of styles.matchAll(/<(?:\w+:)?numFmt\b([^>]*)>/g)) {
    const id = Number(attr(m[1], 'numFmtId'));
    const code = attr(m[1], 'formatCode');
    if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
  }
  const isDate = (id: number): boolean => {
    const code = custom.get(id);
    if (code === undefined) return BUILTIN_DATE_FORMATS.has(id);
    const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
    return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
  };
  const out = new Set<number>();
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(styles)?.[1] ?? '';
  let index = 0;
  for (const m of xfs.matchAll(/<(?:\w+:)?xf\b([^>]*)>/g)) {
    if (isDate(Number(attr(m[1], 'numFmtId') ?? 0))) out.add(index);
    index += 1;
  }
  return out;
}

/** The shared strings table; rich text runs are joined, phonetic hints left out. */
function parseSharedStrings(xml: string): string[] {
  const out: string[] = [];
  const parser = new SaxesParser();
  let current: string[] | null = null;
  let inText = false;
  let phonetic = 0;
  parser.on('opentag', (t: SaxesTagPlain) => {
    const name = local(t.name);
    if (name === 'si') current = [];
    else if (name === 'rPh') phonetic += 1;
    else if (name === 't' && phonetic === 0) inText = true;
  });
  parser.on('text', (text) => {
    if (inText && current) current.push(text);
  });
  parser.on('closetag', (t: SaxesTagPlain) => {
    const name = local(t.name);
    if (name === 't') inText = false;
    else if (name === 'rPh') phonetic -= 1;
    else if (name === 'si' && current) {
      out.push(current.join(''));
      current = null;
    }
  });
  parser.on('error', () => {
    throw unreadable();
  });
  parser.write(xml).close();
  return out;
}

const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Column index (0-based) of a cell reference such as "AB12". */
function columnOf(ref: string | undefined, fallback: number): number {
  const letters = ref ? /^([A-Z]+)\d*$/i.exec(ref)?.[1] : undefined;
  if (!letters) return fallback;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Streaming worksheet parser: `<row>` by `<row>`, stopping at the limits. */
class SheetParser {
  private readonly parser = new SaxesParser();
  private rowNumber = 0;
  private rowElements = 0;
  private dataRows = 0;
  private cells: CellInput[] | null = null;
  private cell: { col: number; type: string; style: number; text: string[] } | null = null;
  private capture: 'v' | 't' | null = null;
  private phonetic = 0;

  constructor(
    private readonly shared: string[],
    private readonly dateStyles: Set<number>,
    private readonly date1904: boolean,
    private readonly limits: XlsxLimits,
    private readonly lines: XlsxLine[],
  ) {
    this.parser.on('opentag', (t: SaxesTagPlain) => this.open(local(t.name), t.attributes as Record<string, string>));
    this.parser.on('text', (text) => {
      if (this.capture && this.cell && this.phonetic === 0) this.cell.text.push(text);
    });
    this.parser.on('closetag', (t: SaxesTagPlain) => this.closeTag(local(t.name)));
    this.parser.on('error', () => {
      throw unreadable();
    });
  }

  write(text: string): void {
    if (text) this.parser.write(text);
  }

  close(): void {
    this.parser.close();
  }

  private open(name: string, a: Record<string, string>): void {
    if (name === 'row') {
      this.rowElements += 1;
      if (this.rowElements > this.limits.maxRowElements) throw tooManyRows(this.limits);
      const r = Number(a.r);
      this.rowNumber = Number.isInteger(r) && r > this.rowNumber ? r : this.rowNumber + 1;
      this.cells = [];
    } else if (name === 'c' && this.cells) {
      this.cell = { col: columnOf(a.r, this.cells.length), type: a.t ?? 'n', style: Number(a.s ?? 0), text: [] };
    } else if (this.cell && (name === 'v' || (name === 't' && this.cell.type === 'inlineStr'))) {
      this.capture = name;
    } else if (name === 'rPh') {
      this.phonetic += 1;
    }
  }

  private closeTag(name: string): void {
    if (name === 'v' || name === 't') this.capture = null;
    else if (name === 'rPh') this.phonetic -= 1;
    else if (name === 'c' && this.cell && this.cells) {
      if (this.cell.col < this.limits.maxColumns) this.cells[this.cell.col] = this.value(this.cell);
      this.cell = null;
    } else if (name === 'row' && this.cells) {
      const cells = Array.from(this.cells, (c) => c ?? null);
      this.cells = null;
      if (!cells.some((c) => c !== null)) return;
      // The first row with anything in it is the header; it does not count against the data rows.
      if (this.lines.length > 0) this.dataRows += 1;
      if (this.dataRows > this.limits.maxDataRows) throw tooManyRows(this.limits);
      this.lines.push({ row: this.rowNumber, cells });
    }
  }

  private value(c: { type: string; style: number; text: string[] }): CellInput {
    const raw = c.text.join('');
    switch (c.type) {
      case 's': {
        const s = this.shared[Number(raw)];
        return s === undefined || s.trim() === '' ? null : s;
      }
      case 'inlineStr':
      case 'str':
        return raw.trim() === '' ? null : raw;
      case 'b':
        return raw === '1' || raw === 'true';
      case 'e':
        return raw || null; // shows up as an invalid value rather than as an empty cell
      case 'd': {
        const d = new Date(raw);
        return raw && !Number.isNaN(d.getTime()) ? d : raw || null;
      }
      default: {
        if (raw.trim() === '') return null;
        const n = Number(raw);
        if (!Number.isFinite(n)) return raw;
        return this.dateStyles.has(c.style) ? serialToDate(n, this.date1904) : n;
      }
    }
  }
}

const tooManyRows = (limits: XlsxLimits): Error => fieldError('file', `数据行过多，单个文件最多 ${limits.maxDataRows} 行`);

/** An Excel date serial as a Date (UTC; a whole day is UTC midnight). */
function serialToDate(serial: number, date1904: boolean): Date {
  // 25569 = days from 1899-12-30 (Excel's day 0, after its 1900 leap-year bug) to 1970-01-01; 24107 for 1904.
  const epochDays = date1904 ? 24107 : 25569;
  return new Date(Math.round((serial - epochDays) * 86_400_000));
}
