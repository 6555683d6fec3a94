import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { MemberCategory, MemberStatus } from '@app/domain';
import { PartyMemberEntity, withActor, type AuditActor } from '@app/persistence';
import { CATEGORY_LABELS, MEM, STATUS_LABELS, YES_NO_LABELS } from './import-columns';
import { chunks, IMPORT_LOCK_KEY, settle, summarise, type CheckedRow } from './import-outcome';
import type { ImportResult, RowError, SheetRow, UpsertOutcome } from './import.types';
import { InstitutionNameIndex, OrgNameIndex } from './name-index';
import { cellTexts, isoDate, RowCheck } from './row-check';

/** A good members row. `undefined` = the cell was empty: an update keeps what is stored. */
interface MemberRow {
  name: string;
  institutionId: string;
  birthDate: string | null;
  category: MemberCategory;
  status: MemberStatus;
  disabled?: boolean;
  dementia?: boolean;
  relationOrgId?: string;
  joinedAt?: string;
}

interface Stored {
  id: string;
  name: string;
  institutionId: string;
  birthDate: string | null;
  category: MemberCategory;
  status: MemberStatus;
  disabled: boolean;
  dementia: boolean;
  relationOrgId: string | null;
  joinedAt: string | null;
}

const COMPARED = ['category', 'status', 'disabled', 'dementia', 'relationOrgId', 'joinedAt'] as const;

const keyOf = (institutionId: string, name: string, birthDate: string | null): string => `${institutionId}\u0000${name}\u0000${birthDate ?? ''}`;

/**
 * A member already in the registry keeps the relation it has: only a completed relation-transfer process moves it
 * (issue #8). A file that names another organisation for such a member is refused on that row.
 */
function refuseRelationChanges(
  settled: { good: Array<{ row: number; value: MemberRow }>; rejected: RowError[] },
  stored: Map<string, Stored>,
): { good: Array<{ row: number; value: MemberRow }>; rejected: RowError[] } {
  const good: Array<{ row: number; value: MemberRow }> = [];
  const rejected = [...settled.rejected];
  for (const g of settled.good) {
    const existing = stored.get(keyOf(g.value.institutionId, g.value.name, g.value.birthDate));
    if (existing && g.value.relationOrgId !== undefined && g.value.relationOrgId !== existing.relationOrgId) {
      rejected.push({ row: g.row, field: MEM.relationOrg, message: '已登记党员的组织关系只能通过组织关系转接流程变更' });
    } else {
      good.push(g);
    }
  }
  rejected.sort((a, b) => a.row - b.row);
  return { good, rejected };
}

/**
 * 党员导入 (an admin for any institution, an institution's applicant for their own). Natural key (name,
 * institution, birth date). An empty 组织关系所在党组织 never clears a relation, and a
 * stored relation is never changed by a file: relations move by the relation-transfer process. Status and category
 * changes are recorded in the member history (with the importing admin) by the database trigger.
 */
@Injectable()
export class MemberImportService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** `within`: the institutions an applicant keeps (an admin imports for any). */
  run(rows: SheetRow[], partial: boolean, actor: AuditActor, within?: readonly string[]): Promise<ImportResult> {
    return withActor(this.ds, actor, 'import', async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
      const institutions = await InstitutionNameIndex.load(m, cellTexts(rows, [MEM.institution]), within);
      const orgs = await OrgNameIndex.load(m, cellTexts(rows, [MEM.relationOrg]));
      const today = isoDate(new Date());
      const settled = settle(rows.map((r) => this.check(r, institutions, orgs, today)), MEM.name);
      const stored = await this.storedFor(m, settled.good.map((g) => g.value));
      const { good, rejected } = refuseRelationChanges(settled, stored);
      const base = { total: rows.length, valid: good.length, rejected, partial };
      if (rejected.length > 0 && !partial) return summarise({ ...base, outcomes: [], committed: false });
      const outcomes = await this.upsert(m, good.map((g) => g.value), stored);
      return summarise({ ...base, outcomes, committed: outcomes.length > 0 });
    });
  }

  private check(source: SheetRow, institutions: InstitutionNameIndex, orgs: OrgNameIndex, today: string): CheckedRow<MemberRow> {
    const r = new RowCheck(source);
    const name = r.text(MEM.name, { required: true, max: 100 });
    const institutionName = r.text(MEM.institution, { required: true, max: 200 });
    const district = r.text(MEM.district, { max: 100 });
    let institutionId: string | null = null;
    if (institutionName !== null) {
      const found = institutions.resolve(institutionName, district);
      if ('error' in found) r.fail(MEM.institution, found.error);
      else institutionId = found.id;
    }
    const category = r.choice(MEM.category, CATEGORY_LABELS, { required: true });
    const status = r.choice(MEM.status, STATUS_LABELS, { required: true });
    const birthDate = r.date(MEM.birthDate, { notBefore: '1900-01-01', notAfter: today });
    const disabled = r.choice(MEM.disabled, YES_NO_LABELS);
    const dementia = r.choice(MEM.dementia, YES_NO_LABELS);
    const relationName = r.text(MEM.relationOrg, { max: 200 });
    let relationOrgId: string | undefined;
    if (relationName !== null) {
      const found = orgs.resolve(relationName);
      if ('error' in found) r.fail(MEM.relationOrg, found.error);
      else relationOrgId = found.id;
    }
    const joinedAt = r.date(MEM.joinedAt, { notBefore: '1950-01-01', notAfter: today });
    const birthCell = source.cells.get(MEM.birthDate);
    const birthKnown = birthDate !== null || birthCell === null || birthCell === undefined;
    const key =
      name !== null && institutionName !== null && birthKnown
        ? keyOf(institutionId ?? `${institutionName}\u0000${district ?? ''}`, name, birthDate)
        : null;
    if (!r.ok || name === null || institutionId === null || category === null || status === null) return { row: r.row, key, value: null, errors: r.errors };
    return {
      row: r.row,
      key,
      errors: [],
      value: { name, institutionId, birthDate, category, status, disabled: disabled ?? undefined, dementia: dementia ?? undefined, relationOrgId, joinedAt: joinedAt ?? undefined },
    };
  }

  /** The stored members these rows name, by natural key. */
  private async storedFor(m: EntityManager, rows: MemberRow[]): Promise<Map<string, Stored>> {
    if (rows.length === 0) return new Map();
    const existing: Stored[] = await m.query(
      `SELECT id, name, institution_id AS "institutionId", birth_date::text AS "birthDate", category, status, disabled, dementia,
              relation_org_id AS "relationOrgId", joined_at::text AS "joinedAt"
         FROM party_members WHERE (institution_id, name) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
      [rows.map((r) => r.institutionId), rows.map((r) => r.name)],
    );
    return new Map(existing.map((e) => [keyOf(e.institutionId, e.name, e.birthDate), e]));
  }

  private async upsert(m: EntityManager, rows: MemberRow[], byKey: Map<string, Stored>): Promise<UpsertOutcome[]> {
    if (rows.length === 0) return [];
    const inserts: Array<Partial<PartyMemberEntity>> = [];
    const outcomes: UpsertOutcome[] = [];
    for (const row of rows) {
      const stored = byKey.get(keyOf(row.institutionId, row.name, row.birthDate));
      if (!stored) {
        inserts.push({ ...row, disabled: row.disabled ?? false, dementia: row.dementia ?? false, relationOrgId: row.relationOrgId ?? null, joinedAt: row.joinedAt ?? null });
        outcomes.push('created');
        continue;
      }
      const patch: Partial<Record<(typeof COMPARED)[number], unknown>> = {};
      for (const f of COMPARED) if (row[f] !== undefined && row[f] !== stored[f]) patch[f] = row[f];
      if (Object.keys(patch).length === 0) {
        outcomes.push('unchanged');
        continue;
      }
      await m.getRepository(PartyMemberEntity).update({ id: stored.id }, patch as Partial<PartyMemberEntity>);
      outcomes.push('updated');
    }
    for (const part of chunks(inserts)) await m.getRepository(PartyMemberEntity).insert(part);
    return outcomes;
  }
}
