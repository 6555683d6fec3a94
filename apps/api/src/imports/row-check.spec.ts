import { INSTITUTION_TYPE_LABELS, YES_NO_LABELS } from './import-columns';
import type { CellInput } from './import.types';
import { cellTexts, parseDateText, RowCheck } from './row-check';
import { detectFormat, normaliseHeader } from './spreadsheet.reader';

const rowOf = (cells: Record<string, CellInput>): RowCheck => new RowCheck({ row: 7, cells: new Map(Object.entries(cells)) });

describe('RowCheck', () => {
  it('reads labels and codes, and names the row and column of what it cannot read', () => {
    const r = rowOf({ 类型: '公建民营', 代码: 'home_care_station', 坏: '养老院', 是否: '是' });
    expect(r.choice('类型', INSTITUTION_TYPE_LABELS)).toBe('PUBLIC_BUILT_PRIVATE_RUN');
    expect(r.choice('代码', INSTITUTION_TYPE_LABELS)).toBe('HOME_CARE_STATION');
    expect(r.choice('是否', YES_NO_LABELS)).toBe(true);
    expect(r.choice('坏', INSTITUTION_TYPE_LABELS)).toBeNull();
    expect(r.errors).toEqual([{ row: 7, field: '坏', message: expect.stringContaining('无法识别“养老院”') }]);
  });

  it('requires, trims and limits text', () => {
    const r = rowOf({ 名称: '  阳光\u3000颐养院 ', 空: '   ', 长: 'x'.repeat(11) });
    expect(r.text('名称', { required: true })).toBe('阳光 颐养院');
    expect(r.text('空', { required: true })).toBeNull();
    expect(r.text('长', { max: 10 })).toBeNull();
    expect(r.text('缺')).toBeNull();
    expect(r.errors.map((e) => [e.field, e.message])).toEqual([
      ['空', '必填'],
      ['长', '不能超过 10 个字符'],
    ]);
  });

  it('reads counts as non-negative integers', () => {
    const r = rowOf({ a: 12, b: '1,200', c: -1, d: '3.5', e: null });
    expect([r.count('a'), r.count('b'), r.count('c'), r.count('d'), r.count('e')]).toEqual([12, 1200, null, null, null]);
    expect(r.errors.map((e) => e.field)).toEqual(['c', 'd']);
  });

  it('reads dates from Excel date cells, serial numbers and text, and refuses impossible ones', () => {
    const r = rowOf({ cell: new Date(Date.UTC(1950, 0, 31)), serial: 18294, text: '1950/1/31', cn: '1950年1月31日', bad: '1950-02-30', future: '2999-01-01' });
    expect(r.date('cell')).toBe('1950-01-31');
    expect(r.date('serial')).toBe('1950-01-31');
    expect(r.date('text')).toBe('1950-01-31');
    expect(r.date('cn')).toBe('1950-01-31');
    expect(r.date('bad')).toBeNull();
    expect(r.date('future', { notAfter: '2025-01-01' })).toBeNull();
    expect(r.errors.map((e) => e.field)).toEqual(['bad', 'future']);
  });

  it('refuses cells whose text breaks the input rule, naming the column once, and leaves them out of name look-ups', () => {
    const r = rowOf({ 名称: '阳光\u0000颐养院', 类型: '公办\u0007', 床位: '12\u0000', 生日: '1950-01-31\uD800', 备注: '第一行\r\n第二行\t' });
    expect(r.text('名称', { required: true })).toBeNull();
    expect(r.choice('类型', INSTITUTION_TYPE_LABELS, { required: true })).toBeNull();
    expect(r.count('床位')).toBeNull();
    expect(r.date('生日')).toBeNull();
    expect(r.text('备注')).toBe('第一行 第二行');
    expect(r.errors).toEqual([
      { row: 7, field: '名称', message: expect.stringContaining('U+0000') },
      { row: 7, field: '类型', message: expect.stringContaining('U+0007') },
      { row: 7, field: '床位', message: expect.stringContaining('U+0000') },
      { row: 7, field: '生日', message: expect.stringContaining('U+D800') },
    ]);
    const rows = [
      { row: 2, cells: new Map<string, CellInput>([['组织', ' 镇党委 '], ['其他', '甲']]) },
      { row: 3, cells: new Map<string, CellInput>([['组织', '坏\u0000名'], ['其他', null]]) },
    ];
    expect(cellTexts(rows, ['组织', '其他'])).toEqual(['镇党委', '甲']);
  });

  it('parses only real calendar days', () => {
    expect(parseDateText('2024-02-29')).toBe('2024-02-29');
    expect(parseDateText('2023-02-29')).toBeNull();
    expect(parseDateText('19500131')).toBe('1950-01-31');
    expect(parseDateText('31/01/1950')).toBeNull();
  });
});

describe('spreadsheet format and headers', () => {
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]);
  it('goes by extension and checks the content agrees', () => {
    expect(detectFormat('机构.xlsx', zip)).toBe('xlsx');
    expect(detectFormat('a.CSV', Buffer.from('名称\n'))).toBe('csv');
    expect(() => detectFormat('a.xlsx', Buffer.from('text'))).toThrow();
    expect(() => detectFormat('a.csv', zip)).toThrow();
    expect(() => detectFormat('a.pdf', Buffer.from('%PDF'))).toThrow();
    expect(() => detectFormat('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).toThrow();
  });

  it('normalises header decorations', () => {
    expect(normaliseHeader(' 机构名称* ')).toBe('机构名称');
    expect(normaliseHeader('床位数（选填）')).toBe('床位数');
  });
});
