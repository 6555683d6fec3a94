import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { InstitutionType, ManagedBy } from '@app/domain';
import { InstitutionEntity } from '@app/persistence';
import { INST, INSTITUTION_TYPE_LABELS, MANAGED_BY_LABELS } from './import-columns';
import { chunks, IMPORT_LOCK_KEY, settle, summarise, type CheckedRow } from './import-outcome';
import type { ImportResult, SheetRow, UpsertOutcome } from './import.types';
import { ORG_KINDS_FOR, OrgNameIndex, type Resolved } from './name-index';
import { cellTexts, RowCheck } from './row-check';

/** A good institutions row. `undefined` = the cell was empty: an update keeps what is stored. */
interface InstitutionRow {
  name: string;
  district: string;
  type: InstitutionType;
  townshipOrgId: string;
  sponsorOrgId?: string;
  publicBuilderOrgId?: string;
  managedBy?: ManagedBy;
  operatorName?: string;
  bedCount?: number;
  residentCount?: number;
}

type Stored = Pick<InstitutionEntity, 'id' | 'name' | 'district' | 'type' | 'townshipOrgId' | 'sponsorOrgId' | 'publicBuilderOrgId' | 'managedBy' | 'operatorName' | 'bedCount' | 'residentCount'>;

const COMPARED = ['type', 'townshipOrgId', 'sponsorOrgId', 'publicBuilderOrgId', 'managedBy', 'operatorName', 'bedCount', 'residentCount'] as const;

/**
 * 养老机构导入. Natural key (name, district): a row for an institution that exists updates it, an identical row
 * changes nothing, so importing the same file twice is harmless.
 */
@Injectable()
export class InstitutionImportService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  run(rows: SheetRow[], partial: boolean): Promise<ImportResult> {
    return this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
      const orgs = await OrgNameIndex.load(m, cellTexts(rows, [INST.township, INST.sponsor, INST.builder]));
      const { good, rejected } = settle(rows.map((r) => this.check(r, orgs)), INST.name);
      const base = { total: rows.length, valid: good.length, rejected, partial };
      if (rejected.length > 0 && !partial) return summarise({ ...base, outcomes: [], committed: false });
      const outcomes = await this.upsert(m, good.map((g) => g.value));
      return summarise({ ...base, outcomes, committed: outcomes.length > 0 });
    });
  }

  private check(source: SheetRow, orgs: OrgNameIndex): CheckedRow<InstitutionRow> {
    const r = new RowCheck(source);
    const name = r.text(INST.name, { required: true, max: 200 });
    const type = r.choice(INST.type, INSTITUTION_TYPE_LABELS, { required: true });
    const district = r.text(INST.district, { required: true, max: 100 });
    const org = (field: string, kinds: Parameters<OrgNameIndex['resolve']>[1], requiredWhy?: string): string | undefined => {
      const orgName = r.text(field, { max: 200 });
      if (orgName === null) {
        if (requiredWhy) r.fail(field, requiredWhy);
        return undefined;
      }
      const found: Resolved = orgs.resolve(orgName, kinds);
      if ('error' in found) r.fail(field, found.error);
      return 'id' in found ? found.id : undefined;
    };
    const townshipOrgId = org(INST.township, ORG_KINDS_FOR.township, '必填');
    const sponsorOrgId = org(INST.sponsor, ORG_KINDS_FOR.sponsor, type === 'PUBLIC' ? '公办养老机构必须填写举办单位党组织（R1）' : undefined);
    const publicBuilderOrgId = org(
      INST.builder,
      ORG_KINDS_FOR.builder,
      type === 'PUBLIC_BUILT_PRIVATE_RUN' ? '公建民营养老机构必须填写公建方党组织（R2）' : undefined,
    );
    const managedBy = r.choice(INST.managedBy, MANAGED_BY_LABELS);
    if (managedBy !== null && type !== null && type !== 'PUBLIC_BUILT_PRIVATE_RUN') r.fail(INST.managedBy, '仅公建民营养老机构可填写管理方（R2）');
    const operatorName = r.text(INST.operator, { max: 200 });
    const bedCount = r.count(INST.beds);
    const residentCount = r.count(INST.residents);
    const key = name !== null && district !== null ? `${name}\u0000${district}` : null;
    if (!r.ok || name === null || district === null || type === null || townshipOrgId === undefined) return { row: r.row, key, value: null, errors: r.errors };
    return {
      row: r.row,
      key,
      errors: [],
      value: {
        name,
        district,
        type,
        townshipOrgId,
        sponsorOrgId,
        publicBuilderOrgId,
        managedBy: managedBy ?? undefined,
        operatorName: operatorName ?? undefined,
        bedCount: bedCount ?? undefined,
        residentCount: residentCount ?? undefined,
      },
    };
  }

  private async upsert(m: EntityManager, rows: InstitutionRow[]): Promise<UpsertOutcome[]> {
    if (rows.length === 0) return [];
    const existing: Stored[] = await m.query(
      `SELECT id, name, district, type, township_org_id AS "townshipOrgId", sponsor_org_id AS "sponsorOrgId",
              public_builder_org_id AS "publicBuilderOrgId", managed_by AS "managedBy", operator_name AS "operatorName",
              bed_count AS "bedCount", resident_count AS "residentCount"
         FROM institutions WHERE (name, district) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [rows.map((r) => r.name), rows.map((r) => r.district)],
    );
    const byKey = new Map(existing.map((e) => [`${e.name}\u0000${e.district}`, e]));
    const inserts: Array<Partial<InstitutionEntity>> = [];
    const outcomes: UpsertOutcome[] = [];
    for (const row of rows) {
      const stored = byKey.get(`${row.name}\u0000${row.district}`);
      if (!stored) {
        inserts.push(withDefaults(row));
        outcomes.push('created');
        continue;
      }
      const patch = changes(stored, row);
      if (Object.keys(patch).length === 0) {
        outcomes.push('unchanged');
        continue;
      }
      await m.getRepository(InstitutionEntity).update({ id: stored.id }, patch);
      outcomes.push('updated');
    }
    for (const part of chunks(inserts)) await m.getRepository(InstitutionEntity).insert(part);
    return outcomes;
  }
}

function withDefaults(row: InstitutionRow): Partial<InstitutionEntity> {
  return {
    name: row.name,
    district: row.district,
    type: row.type,
    townshipOrgId: row.townshipOrgId,
    sponsorOrgId: row.sponsorOrgId ?? null,
    publicBuilderOrgId: row.publicBuilderOrgId ?? null,
    managedBy: row.managedBy ?? null,
    operatorName: row.operatorName ?? null,
    bedCount: row.bedCount ?? null,
    residentCount: row.residentCount ?? null,
  };
}

/** The columns a row changes; empty optional cells keep the stored value (managedBy goes with a type change). */
function changes(stored: Stored, row: InstitutionRow): Partial<InstitutionEntity> {
  const patch: Partial<Record<(typeof COMPARED)[number], unknown>> = {};
  for (const f of COMPARED) {
    const next = row[f];
    if (next !== undefined && next !== stored[f]) patch[f] = next;
  }
  if (row.type !== 'PUBLIC_BUILT_PRIVATE_RUN' && stored.managedBy !== null) patch.managedBy = null;
  return patch as Partial<InstitutionEntity>;
}
