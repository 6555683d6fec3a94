import type { EntityManager } from 'typeorm';
import { OPEN_PROCESS_STATUSES, type MemberFacts } from '@app/domain';
import { MemberReportEntity, type PartyMemberEntity } from './entities';

/** The facts the rules read about a member; `transferringIn` holds the members with a transfer in under way. */
export function memberFacts(m: PartyMemberEntity, transferringIn?: ReadonlySet<string>): MemberFacts {
  return {
    id: m.id,
    institutionId: m.institutionId,
    category: m.category,
    status: m.status,
    birthDate: m.birthDate,
    disabled: m.disabled,
    dementia: m.dementia,
    relationOrgId: m.relationOrgId,
    joinedAt: m.joinedAt,
    transferInPending: transferringIn?.has(m.id) === true,
  };
}

/**
 * The members of an institution whose relation-transfer into one of its organisations (its own or joint
 * organisation, its elderly branch) is requested or under way: an open process filed under the institution.
 * `MemberFacts.transferInPending` (R7 count basis RELATION_IN, R11 transfers under way).
 */
export async function membersTransferringIn(m: EntityManager, institutionId: string): Promise<Set<string>> {
  const rows: Array<{ id: string }> = await m.query(
    `SELECT DISTINCT p.payload->>'memberId' AS id
       FROM processes p
      WHERE p.kind = 'relation-transfer' AND p.status = ANY($2::text[]) AND p.institution_id = $1
        AND p.payload->>'toOrganizationId' IN (
              SELECT o.id::text FROM organizations o WHERE o.institution_id = $1
              UNION SELECT i.party_organization_id::text FROM institutions i WHERE i.id = $1)`,
    [institutionId, [...OPEN_PROCESS_STATUSES]],
  );
  return new Set(rows.map((r) => r.id));
}

export interface MemberReportInput {
  memberId: string;
  organizationId: string;
  institutionId: string;
  note: string | null;
  /** YYYY-MM-DD (Asia/Shanghai). */
  reportedOn: string;
  recordedById: string;
  processId?: string | null;
}

/** Records 报到 (once per member and organisation); null when it was recorded before. Safe to repeat. */
export async function recordMemberReport(m: EntityManager, r: MemberReportInput): Promise<MemberReportEntity | null> {
  const rows: Array<{ id: string }> = await m.query(
    `INSERT INTO member_reports (member_id, organization_id, institution_id, note, reported_on, recorded_by_id, process_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT ON CONSTRAINT member_reports_once DO NOTHING RETURNING id`,
    [r.memberId, r.organizationId, r.institutionId, r.note, r.reportedOn, r.recordedById, r.processId ?? null],
  );
  return rows[0] ? m.getRepository(MemberReportEntity).findOneByOrFail({ id: rows[0].id }) : null;
}
