import type { EntityManager } from 'typeorm';
import type { OrganizationKind } from '@app/domain';

export interface NamedOrg {
  id: string;
  name: string;
  kind: OrganizationKind;
}

export type Resolved = { id: string } | { error: string };

/** Kinds each institution reference may point at (the same rule as POST /institutions). */
export const ORG_KINDS_FOR = {
  township: ['TOWNSHIP'],
  sponsor: ['SPONSOR', 'CIVIL_AFFAIRS', 'DISTRICT'],
  builder: ['PUBLIC_BUILDER', 'SPONSOR', 'CIVIL_AFFAIRS', 'DISTRICT', 'TOWNSHIP'],
} as const satisfies Record<string, readonly OrganizationKind[]>;

const KIND_NAMES: Partial<Record<OrganizationKind, string>> = {
  CIVIL_AFFAIRS: '民政局（机关党委）',
  DISTRICT: '区县（市）党委/组织部门',
  TOWNSHIP: '镇乡（街道）党（工）委',
  SPONSOR: '举办单位党组织',
  PUBLIC_BUILDER: '公建方党组织',
  OPERATOR: '民营方党组织',
};

/**
 * Organizations by name, loaded once per file (one query for all the names a file mentions). Names are not
 * unique in the registry, so a name that matches several organizations of the wanted kinds is refused.
 */
export class OrgNameIndex {
  private readonly byName = new Map<string, NamedOrg[]>();

  static async load(m: EntityManager, names: Iterable<string>): Promise<OrgNameIndex> {
    const idx = new OrgNameIndex();
    const list = [...new Set(names)];
    if (list.length === 0) return idx;
    const rows: NamedOrg[] = await m.query(`SELECT id, name, kind FROM organizations WHERE name = ANY($1::text[])`, [list]);
    for (const r of rows) idx.byName.set(r.name, [...(idx.byName.get(r.name) ?? []), r]);
    return idx;
  }

  resolve(name: string, kinds?: readonly OrganizationKind[]): Resolved {
    const all = this.byName.get(name) ?? [];
    const fit = kinds ? all.filter((o) => kinds.includes(o.kind)) : all;
    if (fit.length === 1) return { id: fit[0].id };
    if (fit.length > 1) return { error: `存在 ${fit.length} 个同名组织“${name}”，无法确定` };
    if (all.length > 0 && kinds) {
      return { error: `“${name}”的组织类型不符，应为${kinds.map((k) => KIND_NAMES[k] ?? k).join('或')}` };
    }
    return { error: `组织“${name}”不存在，请先登记` };
  }
}

export interface NamedInstitution {
  id: string;
  name: string;
  district: string;
}

/**
 * Institutions by name (and district, which tells same-named institutions apart). Loaded `within` a user's
 * institutions, it knows only those: an institution outside them is refused without saying whether it exists.
 */
export class InstitutionNameIndex {
  private readonly byName = new Map<string, NamedInstitution[]>();

  private constructor(private readonly scoped: boolean) {}

  static async load(m: EntityManager, names: Iterable<string>, within?: readonly string[]): Promise<InstitutionNameIndex> {
    const idx = new InstitutionNameIndex(within !== undefined);
    const list = [...new Set(names)];
    if (list.length === 0) return idx;
    const rows: NamedInstitution[] = within
      ? await m.query(`SELECT id, name, district FROM institutions WHERE name = ANY($1::text[]) AND id = ANY($2::uuid[])`, [list, within])
      : await m.query(`SELECT id, name, district FROM institutions WHERE name = ANY($1::text[])`, [list]);
    for (const r of rows) idx.byName.set(r.name, [...(idx.byName.get(r.name) ?? []), r]);
    return idx;
  }

  resolve(name: string, district: string | null): Resolved {
    const all = this.byName.get(name) ?? [];
    const fit = district ? all.filter((i) => i.district === district) : all;
    if (fit.length === 1) return { id: fit[0].id };
    if (fit.length > 1) return { error: `存在多个同名机构“${name}”（${fit.map((i) => i.district).join('、')}），请填写所在区县` };
    if (this.scoped) return { error: `“${name}”不是您负责的机构，只能导入本机构的党员` };
    if (district && all.length > 0) return { error: `${district}没有名为“${name}”的机构` };
    return { error: `机构“${name}”不存在，请先导入机构` };
  }
}
