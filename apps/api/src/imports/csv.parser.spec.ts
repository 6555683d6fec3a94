import { csvLine, decodeCsv, parseCsv } from './csv.parser';

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF/LF/CR and a BOM', () => {
    const text = '\uFEFF名称,说明\r\n"甲,乙","他说""好"""\n"两\n行",x\r末,\r\n';
    expect(parseCsv(text)).toEqual([
      ['名称', '说明'],
      ['甲,乙', '他说"好"'],
      ['两\n行', 'x'],
      ['末', ''],
    ]);
  });

  it('keeps a last record without a line end and ignores a trailing newline', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\n')).toEqual([['a', 'b']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('round-trips what csvLine writes', () => {
    const fields = ['普通', '含,逗号', '含"引号"', '含\r\n换行', ''];
    expect(parseCsv(`${csvLine(fields)}\r\n`)).toEqual([fields]);
  });
});

describe('decodeCsv', () => {
  it('reads UTF-8 and falls back to GB18030 (Excel "CSV" on a Chinese Windows)', () => {
    expect(decodeCsv(Buffer.from('机构名称,床位数', 'utf8'))).toBe('机构名称,床位数');
    const gbk = Buffer.from([0xbb, 0xfa, 0xb9, 0xb9, 0xc3, 0xfb, 0xb3, 0xc6]);
    expect(decodeCsv(gbk)).toBe('机构名称');
  });
});
