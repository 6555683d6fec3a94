/**
 * Decides a file's type from its bytes (magic numbers and container structure), never from the client's
 * Content-Type. Hand-written for the eight types decisions accept: the well-kept library for this (`file-type`)
 * is ESM-only since v17 and this codebase compiles to CommonJS.
 *
 * - PDF, PNG, JPEG: their signatures.
 * - DOCX / XLSX: a ZIP whose central directory holds `word/document.xml` / `xl/workbook.xml`.
 * - DOC / XLS: an OLE2 compound file whose directory holds a `WordDocument` / `Workbook` (or `Book`) stream.
 * - Plain text: no control bytes but tab, line breaks and form feed, and valid UTF-8 or GB18030.
 */

import { zipDirectory } from '../common/zip-directory';

export type AttachmentKind = 'PDF' | 'PNG' | 'JPEG' | 'DOCX' | 'XLSX' | 'DOC' | 'XLS' | 'TXT';

export interface AttachmentType {
  kind: AttachmentKind;
  /** What the download answers as Content-Type. */
  contentType: string;
}

export const ATTACHMENT_EXTENSIONS: Readonly<Record<string, AttachmentKind>> = {
  pdf: 'PDF',
  png: 'PNG',
  jpg: 'JPEG',
  jpeg: 'JPEG',
  docx: 'DOCX',
  xlsx: 'XLSX',
  doc: 'DOC',
  xls: 'XLS',
  txt: 'TXT',
};

const CONTENT_TYPES: Record<Exclude<AttachmentKind, 'TXT'>, string> = {
  PDF: 'application/pdf',
  PNG: 'image/png',
  JPEG: 'image/jpeg',
  DOCX: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  DOC: 'application/msword',
  XLS: 'application/vnd.ms-excel',
};

const startsWith = (buf: Buffer, sig: number[], at = 0): boolean => buf.length >= at + sig.length && sig.every((b, i) => buf[at + i] === b);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The type the bytes show, or null when they are none of the accepted types. */
export function sniffAttachment(buf: Buffer): AttachmentType | null {
  if (buf.length === 0) return null;
  if (startsWith(buf, PDF)) return typed('PDF');
  if (startsWith(buf, PNG)) return typed('PNG');
  if (startsWith(buf, JPEG)) return typed('JPEG');
  if (startsWith(buf, ZIP)) {
    const names = zipEntryNames(buf);
    if (names?.has('word/document.xml')) return typed('DOCX');
    if (names?.has('xl/workbook.xml')) return typed('XLSX');
    return null;
  }
  if (startsWith(buf, OLE2)) {
    const names = oleStreamNames(buf);
    if (names?.has('WordDocument')) return typed('DOC');
    if (names?.has('Workbook') || names?.has('Book')) return typed('XLS');
    return null;
  }
  const charset = textCharset(buf);
  return charset ? { kind: 'TXT', contentType: `text/plain; charset=${charset}` } : null;
}

function typed(kind: Exclude<AttachmentKind, 'TXT'>): AttachmentType {
  return { kind, contentType: CONTENT_TYPES[kind] };
}

/** The file's extension, lower case, without the dot ('' when it has none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 && dot < fileName.length - 1 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/** File names of a ZIP's central directory, or null when it has none that can be read. */
function zipEntryNames(buf: Buffer): Set<string> | null {
  const entries = zipDirectory(buf);
  return entries ? new Set(entries.map((e) => e.name)) : null;
}

const ENDOFCHAIN = 0xfffffffe;

/** Names in an OLE2 compound file's directory (following its FAT chain), or null when it cannot be read. */
function oleStreamNames(buf: Buffer): Set<string> | null {
  if (buf.length < 512) return null;
  const shift = buf.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return null;
  const sectorSize = 1 << shift;
  const sectorAt = (s: number): number => (s + 1) * sectorSize;
  // The FAT sectors: the first 109 are listed in the header (enough for files up to ~7 MB with 512-byte sectors,
  // further ones are in DIFAT sectors).
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = buf.readUInt32LE(0x4c + i * 4);
    if (s >= ENDOFCHAIN) break;
    fatSectors.push(s);
  }
  let difat = buf.readUInt32LE(0x44);
  for (let guard = 0; difat < ENDOFCHAIN && guard < 1000; guard++) {
    const base = sectorAt(difat);
    if (base + sectorSize > buf.length) return null;
    for (let i = 0; i < sectorSize / 4 - 1; i++) {
      const s = buf.readUInt32LE(base + i * 4);
      if (s < ENDOFCHAIN) fatSectors.push(s);
    }
    difat = buf.readUInt32LE(base + sectorSize - 4);
  }
  const next = (s: number): number => {
    const perSector = sectorSize / 4;
    const fat = fatSectors[Math.floor(s / perSector)];
    if (fat === undefined) return ENDOFCHAIN;
    const at = sectorAt(fat) + (s % perSector) * 4;
    return at + 4 <= buf.length ? buf.readUInt32LE(at) : ENDOFCHAIN;
  };
  const names = new Set<string>();
  let dir = buf.readUInt32LE(0x30);
  for (let guard = 0; dir < ENDOFCHAIN && guard < 10_000; guard++) {
    const base = sectorAt(dir);
    if (base + sectorSize > buf.length) break;
    for (let e = base; e < base + sectorSize; e += 128) {
      const len = buf.readUInt16LE(e + 0x40);
      if (len >= 2 && len <= 64) names.add(buf.toString('utf16le', e, e + len - 2));
    }
    dir = next(dir);
  }
  return names.size ? names : null;
}

/** Bytes no text file carries: C0 controls but tab, LF, VT, FF, CR, ESC, and DEL. */
function hasBinaryBytes(buf: Buffer): boolean {
  for (const b of buf) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) return true;
  }
  return false;
}

/** 'utf-8' or 'gb18030' for plain text, null for anything else. */
function textCharset(buf: Buffer): string | null {
  if (hasBinaryBytes(buf)) return null;
  for (const charset of ['utf-8', 'gb18030']) {
    try {
      new TextDecoder(charset, { fatal: true }).decode(buf);
      return charset;
    } catch {
      /* not this charset */
    }
  }
  return null;
}
