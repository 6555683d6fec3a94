import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { csvLine } from './csv.parser';
import { COLUMNS_OF, INST, MEM, type ColumnSpec, type ImportKind } from './import-columns';

type Example = Record<string, string | number | Date>;

const TEMPLATE_ROWS_WITH_LISTS = 5000;

/**
 * Import templates: the header row and one example row. The example names organizations and an institution
 * that exist in this registry when it has them, so a downloaded template imports as it is (and shows the
 * format of real names); it is marked 示例 so it is easy to spot and delete.
 */
@Injectable()
export class ImportTemplateService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async csv(kind: ImportKind): Promise<Buffer> {
    const columns = COLUMNS_OF[kind];
    const example = await this.example(kind);
    const cell = (v: string | number | Date | undefined): string => (v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
    const lines = [csvLine(columns.map((c) => c.header)), csvLine(columns.map((c) => cell(example[c.header])))];
    // The BOM makes Excel read the file as UTF-8; CRLF is what Excel writes itself.
    return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
  }

  async xlsx(kind: ImportKind): Promise<Buffer> {
    const columns = COLUMNS_OF[kind];
    const example = await this.example(kind);
    const wb = new ExcelJS.Workbook();
    wb.creator = '养老机构党建审批系统';
    const ws = wb.addWorksheet(kind === 'institutions' ? '养老机构' : '党员', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ header: c.header, key: c.header, width: c.width }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFCE4D6' : 'FFDDEBF7' } };
      cell.note = c.hint;
    });
    ws.addRow(columns.map((c) => example[c.header] ?? null));
    columns.forEach((c, i) => {
      if (c.header === MEM.birthDate) ws.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
      if (c.choices) addListValidation(ws, i + 1, c);
    });
    addInstructions(wb, columns);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  private async example(kind: ImportKind): Promise<Example> {
    if (kind === 'members') {
      const [inst] = (await this.ds.query(`SELECT name, district FROM institutions ORDER BY created_at, id LIMIT 1`)) as Array<{ name: string; district: string }>;
      return {
        [MEM.name]: '示例党员',
        [MEM.institution]: inst?.name ?? '示例颐养院',
        [MEM.district]: inst?.district ?? '海曙区',
        [MEM.category]: '工作人员',
        [MEM.status]: '正式党员',
        [MEM.birthDate]: new Date(Date.UTC(1975, 5, 15)),
        [MEM.disabled]: '否',
        [MEM.dementia]: '否',
      };
    }
    const first = async (kind: string): Promise<string | undefined> =>
      ((await this.ds.query(`SELECT name FROM organizations WHERE kind = $1 ORDER BY created_at, id LIMIT 1`, [kind])) as Array<{ name: string }>)[0]?.name;
    const township = (await first('TOWNSHIP')) ?? '示例街道党工委';
    const builder = await first('PUBLIC_BUILDER');
    const sponsor = builder ? undefined : await first('SPONSOR');
    const typed: Example = builder
      ? { [INST.type]: '公建民营', [INST.builder]: builder, [INST.managedBy]: '公建方', [INST.operator]: '示例养老服务有限公司' }
      : sponsor
        ? { [INST.type]: '公办', [INST.sponsor]: sponsor }
        : { [INST.type]: '民营', [INST.operator]: '示例养老服务有限公司' };
    return { [INST.name]: '示例颐养院', [INST.district]: '海曙区', [INST.township]: township, ...typed, [INST.beds]: 120, [INST.residents]: 86 };
  }
}

function addListValidation(ws: ExcelJS.Worksheet, col: number, c: ColumnSpec): void {
  const letter = ws.getColumn(col).letter;
  // exceljs has the sheet-level collection at runtime but not in its typings.
  (ws as unknown as { dataValidations: { add(range: string, dv: ExcelJS.DataValidation): void } }).dataValidations.add(
    `${letter}2:${letter}${TEMPLATE_ROWS_WITH_LISTS}`,
    {
      type: 'list',
      allowBlank: !c.required,
      formulae: [`"${(c.choices ?? []).join(',')}"`],
      showErrorMessage: true,
      errorTitle: c.header,
      error: c.hint,
    },
  );
}

function addInstructions(wb: ExcelJS.Workbook, columns: readonly ColumnSpec[]): void {
  const ws = wb.addWorksheet('填写说明');
  ws.columns = [
    { header: '列名', key: 'header', width: 22 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明', key: 'hint', width: 70 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const c of columns) ws.addRow({ header: c.header, required: c.required ? '必填' : '选填', hint: c.hint });
  ws.addRow({});
  ws.addRow({ header: '说明', hint: '导入时读取第一个工作表；第 1 行为表头，示例行可直接修改或删除。任何一行有误时整个文件不导入（可选择仅导入正确的行）。' });
}

/** `Content-Disposition` with an ASCII fallback and the Chinese name as RFC 5987 `filename*`. */
export function attachmentHeader(asciiName: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}
