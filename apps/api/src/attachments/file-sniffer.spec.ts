import writeXlsxFile from 'write-excel-file/node';
import { zipOf } from '../../../../test/fixtures/zip-of';
import { ATTACHMENT_EXTENSIONS, extensionOf, sniffAttachment } from './file-sniffer';

/** A ZIP of deflated entries, as an Office document is at heart. */
const zip = (entries: Record<string, string>): Buffer => zipOf(Object.entries(entries).map(([name, text]) => ({ name, data: Buffer.from(text) })));

/** A minimal OLE2 compound file (512-byte sectors: FAT in sector 0, directory in sector 1) holding `stream`. */
function ole2(stream: string): Buffer {
  const buf = Buffer.alloc(512 * 3, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(buf, 0);
  buf.writeUInt16LE(0x3e, 0x18);
  buf.writeUInt16LE(3, 0x1a);
  buf.writeUInt16LE(0xfffe, 0x1c);
  buf.writeUInt16LE(9, 0x1e);
  buf.writeUInt16LE(6, 0x20);
  buf.writeUInt32LE(1, 0x2c); // one FAT sector
  buf.writeUInt32LE(1, 0x30); // directory starts in sector 1
  buf.writeUInt32LE(4096, 0x38);
  buf.writeUInt32LE(0xfffffffe, 0x3c);
  buf.writeUInt32LE(0xfffffffe, 0x44);
  buf.writeUInt32LE(0, 0x4c); // DIFAT[0]: the FAT is sector 0
  for (let i = 1; i < 109; i++) buf.writeUInt32LE(0xffffffff, 0x4c + i * 4);
  const fat = 512;
  for (let i = 0; i < 128; i++) buf.writeUInt32LE(0xffffffff, fat + i * 4);
  buf.writeUInt32LE(0xfffffffd, fat); // sector 0 is a FAT sector
  buf.writeUInt32LE(0xfffffffe, fat + 4); // the directory is one sector long
  const entry = (at: number, name: string, type: number): void => {
    buf.write(`${name}\0`, at, 'utf16le');
    buf.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    buf[at + 0x42] = type;
  };
  entry(1024, 'Root Entry', 5);
  entry(1024 + 128, stream, 2);
  return buf;
}

const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

describe('sniffAttachment', () => {
  it('recognises PDF, PNG and JPEG by their signatures', () => {
    expect(sniffAttachment(pdf)).toEqual({ kind: 'PDF', contentType: 'application/pdf' });
    expect(sniffAttachment(png)).toEqual({ kind: 'PNG', contentType: 'image/png' });
    expect(sniffAttachment(jpeg)).toEqual({ kind: 'JPEG', contentType: 'image/jpeg' });
  });

  it('tells DOCX from XLSX by the parts inside the ZIP', async () => {
    expect(sniffAttachment(zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }))?.kind).toBe('DOCX');
    expect(sniffAttachment(zip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' }))?.kind).toBe('XLSX');
    const xlsx = await writeXlsxFile([['名称', 1]], { sheet: '表1' }).toBuffer();
    expect(sniffAttachment(xlsx)).toEqual({ kind: 'XLSX', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  });

  it('refuses a ZIP that is no Office document (an archive, a broken file)', () => {
    expect(sniffAttachment(zip({ 'readme.txt': 'hello' }))).toBeNull();
    expect(sniffAttachment(Buffer.from('PK\x03\x04 not really a zip'))).toBeNull();
  });

  it('tells DOC from XLS by the streams of the OLE2 compound file', () => {
    expect(sniffAttachment(ole2('WordDocument'))).toEqual({ kind: 'DOC', contentType: 'application/msword' });
    expect(sniffAttachment(ole2('Workbook'))?.kind).toBe('XLS');
    expect(sniffAttachment(ole2('Book'))?.kind).toBe('XLS');
    expect(sniffAttachment(ole2('PowerPoint Document'))).toBeNull();
    expect(sniffAttachment(ole2('WordDocument').subarray(0, 100))).toBeNull();
  });

  it('takes UTF-8 and GB18030 text as plain text', () => {
    expect(sniffAttachment(Buffer.from('审批意见：同意。\r\n第二行\tend\n'))).toEqual({ kind: 'TXT', contentType: 'text/plain; charset=utf-8' });
    expect(sniffAttachment(Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0x0a]))).toEqual({ kind: 'TXT', contentType: 'text/plain; charset=gb18030' }); // 中文 in GBK
  });

  it('refuses executables, other binaries and empty input', () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode.')]);
    expect(sniffAttachment(exe)).toBeNull();
    expect(sniffAttachment(Buffer.from('GIF89a\x01\x00\x01\x00'))).toBeNull();
    expect(sniffAttachment(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBeNull(); // ELF
    expect(sniffAttachment(Buffer.alloc(0))).toBeNull();
  });

  it('reads the extension case-insensitively and maps each allowed one to a kind', () => {
    expect(extensionOf('报告.PDF')).toBe('pdf');
    expect(extensionOf('a.tar.gz')).toBe('gz');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('README')).toBe('');
    expect(extensionOf('trailing.')).toBe('');
    expect(Object.keys(ATTACHMENT_EXTENSIONS).sort()).toEqual(['doc', 'docx', 'jpeg', 'jpg', 'pdf', 'png', 'txt', 'xls', 'xlsx']);
    expect(ATTACHMENT_EXTENSIONS.exe).toBeUndefined();
  });
});
