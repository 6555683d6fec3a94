import writeXlsxFile, { type Cell } from 'write-excel-file/node';
import { MEMBER_COLUMNS } from '../apps/api/src/imports/import-columns';
import { GIVEN, SURNAMES } from '../scripts/demo/demo-names';
import type { DemoCity } from '../scripts/demo/demo-city.types';
import { DemoRandom } from '../scripts/demo/demo-random';

/**
 * Members files of `rows` new members spread over the 261 institutions. Three given-name characters keep them
 * apart from the demo city's members (one or two), so every row of a first import is a creation.
 */
export async function memberFiles(city: DemoCity, count: number, rows: number, seed: number): Promise<Buffer[]> {
  const rng = new DemoRandom(seed + 1_000_003);
  const homes = city.institutions.filter((i) => i.type === 'PUBLIC' || i.type === 'PUBLIC_BUILT_PRIVATE_RUN' || i.type === 'PRIVATE');
  const seen = new Set<string>();
  const files: Buffer[] = [];
  for (let f = 0; f < count; f++) {
    const sheet: Cell[][] = [MEMBER_COLUMNS.map((c) => c.header)];
    for (let r = 0; r < rows; r++) {
      const home = rng.pick(homes);
      const elderly = rng.chance(0.6);
      let name: string;
      let birth: Date;
      do {
        name = `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}${rng.pick(GIVEN)}${rng.pick(GIVEN)}`;
        birth = new Date(Date.UTC(elderly ? rng.int(1930, 1960) : rng.int(1965, 2000), rng.int(0, 11), rng.int(1, 28)));
      } while (seen.has(`${home.id}|${name}|${birth.toISOString()}`));
      seen.add(`${home.id}|${name}|${birth.toISOString()}`);
      const values: Record<string, string | Date | null> = {
        姓名: name,
        所在机构: home.name,
        所在区县: home.district,
        类别: elderly ? '在院老年人' : '工作人员',
        党员状态: rng.chance(0.93) ? '正式党员' : '预备党员',
        出生日期: birth,
        失能: elderly && rng.chance(0.25) ? '是' : '否',
        失智: elderly && rng.chance(0.1) ? '是' : '否',
        组织关系所在党组织: null,
      };
      sheet.push(
        MEMBER_COLUMNS.map((c) => {
          const v = values[c.header] ?? null;
          return v instanceof Date ? { value: v, type: Date, format: 'yyyy-mm-dd' } : v;
        }),
      );
    }
    files.push(await writeXlsxFile(sheet, { sheet: '党员' }).toBuffer());
  }
  return files;
}

export function uploadForm(bytes: Buffer, filename: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), filename);
  return form;
}
