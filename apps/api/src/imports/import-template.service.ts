import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import writeXlsxFile, { type Cell } from 'write-excel-file/node';
import { safeCell } from '../common/formula-injection';
import { csvLine } from './csv.parser';
import { COLUMNS_OF, INST, MEM, type ImportKind } from './import-columns';
import { listValidation } from './xlsx-list-validation';

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
    const header: Cell[] = columns.map((c) => ({ value: c.header, fontWeight: 'bold', backgroundColor: c.required ? '#FCE4D6' : '#DDEBF7' }));
    const sample: Cell[] = columns.map((c) => {
      const v = example[c.header];
      if (v === undefined) return null;
      if (v instanceof Date) return { value: v, type: Date, format: 'yyyy-mm-dd' };
      return typeof v === 'number' ? v : String(safeCell(v));
    });
    const instructions: Cell[][] = [
      ['列名', '是否必填', '说明'].map((value) => ({ value, fontWeight: 'bold' as const })),
      ...columns.map((c) => [c.header, c.required ? '必填' : '选填', c.hint]),
      [],
      ['说明', null, '导入时读取第一个工作表；第 1 行为表头，示例行可直接修改或删除。任何一行有误时整个文件不导入（可选择仅导入正确的行）。'],
    ];
    const lists = columns.flatMap((c, i) => (c.choices ? [{ column: i, choices: c.choices, required: c.required, title: c.header, hint: c.hint }] : []));
    return writeXlsxFile(
      [
        { data: [header, sample], sheet: kind === 'institutions' ? '养老机构' : '党员', columns: columns.map((c) => ({ width: c.width })), stickyRowsCount: 1 },
        { data: instructions, sheet: '填写说明', columns: [{ width: 22 }, { width: 10 }, { width: 70 }] },
      ],
      { features: [listValidation(lists, TEMPLATE_ROWS_WITH_LISTS)] },
    ).toBuffer();
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
        [MEM.joinedAt]: new Date(Date.UTC(2024, 2, 1)),
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

/** `Content-Disposition` with an ASCII fallback and the Chinese name as RFC 5987 `filename*`. */
export function attachmentHeader(asciiName: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}
