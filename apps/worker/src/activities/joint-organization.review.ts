import { In, type EntityManager } from 'typeorm';
import type { Admission, JointOrganizationPayload } from '@app/contracts';
import { countMembers, evaluateJointOrganization, resolveJointResponsibleBody, type Finding, type JointResponsibleBody, type PolicySettings } from '@app/domain';
import { InstitutionEntity, loadInstitutionFacts, OrganizationEntity, PartyMemberEntity, ProcessEntity } from '@app/persistence';

/** What the registry and the policy say about a joint-organization request (its admission and its rules check). */
export interface JointReview {
  fieldErrors: Admission['fieldErrors'];
  conflict: string | null;
  allowed: boolean;
  findings: Finding[];
  routing: JointResponsibleBody | null;
}

/** Organisations a unit may attach to (挂靠): not another joint organisation, not an elderly branch (residents only). */
const NO_HOST_KINDS = new Set(['JOINT', 'ELDERLY_BRANCH']);
/** A host whose own members the registry holds: an institution's party organisation. */
const MEMBER_KINDS = new Set(['BRANCH', 'GENERAL_BRANCH', 'COMMITTEE']);

/**
 * Reads the request against the registry and the policy: 400 naming the field for units that do not exist, are
 * covered by an organisation already or belong to another open joint process, members outside the units and an
 * unfit host; 409 when the initiator's own joint process is open; then R4/R5 (evaluateJointOrganization) and who
 * decides (resolveJointResponsibleBody).
 *
 * `under`: the process under review (a resubmission, or the workflow's check), which is no conflict for itself. The
 * workflow's check counts only open processes older than it: of two requests that raced past their admissions with
 * one unit, the older stands.
 */
export async function reviewJointRequest(m: EntityManager, p: JointOrganizationPayload, under: { processId: string; olderOnly: boolean } | null, settings: PolicySettings): Promise<JointReview> {
  const fieldErrors: Admission['fieldErrors'] = [];
  const units = await m.getRepository(InstitutionEntity).findBy({ id: In(p.institutionIds) });
  const byId = new Map(units.map((u) => [u.id, u]));
  const unitName = (id: string): string => `「${byId.get(id)?.name ?? id}」`;
  p.institutionIds.forEach((id, i) => {
    if (!byId.has(id)) fieldErrors.push({ field: `institutionIds[${i}]`, message: '机构不存在' });
  });

  const coveringIds = units.flatMap((u) => (u.partyOrganizationId ? [u.partyOrganizationId] : []));
  const orgIds = [...coveringIds, ...(p.hostOrganizationId ? [p.hostOrganizationId] : [])];
  const orgs = new Map((orgIds.length ? await m.getRepository(OrganizationEntity).findBy({ id: In(orgIds) }) : []).map((o) => [o.id, o]));
  p.institutionIds.forEach((id, i) => {
    const covering = byId.get(id)?.partyOrganizationId;
    if (covering) fieldErrors.push({ field: `institutionIds[${i}]`, message: `单位${unitName(id)}已有党组织（${orgs.get(covering)?.name ?? covering}），不能参加联合党组织` });
  });

  const host = p.hostOrganizationId ? (orgs.get(p.hostOrganizationId) ?? null) : null;
  if (p.hostOrganizationId && !host) fieldErrors.push({ field: 'hostOrganizationId', message: '挂靠党组织不存在' });
  if (host && NO_HOST_KINDS.has(host.kind)) fieldErrors.push({ field: 'hostOrganizationId', message: '不能挂靠联合党组织或老年人党支部' });

  let conflict: string | null = null;
  for (const other of await openJointProcesses(m, p.institutionIds, under)) {
    const shared = p.institutionIds.filter((id) => other.institutionIds.includes(id));
    // The initiator's own open request of this kind is the generic "already open" conflict (API.md: 409).
    if (other.subjectKey === p.institutionId) conflict = `发起单位已有进行中的组建联合党组织申请（${other.id}）`;
    else for (const id of shared) fieldErrors.push({ field: `institutionIds[${p.institutionIds.indexOf(id)}]`, message: `单位${unitName(id)}已在另一进行中的组建联合党组织申请中（${other.id}）` });
  }

  const members = await m.getRepository(PartyMemberEntity).findBy({ id: In(p.memberIds) });
  if (members.length !== p.memberIds.length) fieldErrors.push({ field: 'memberIds', message: '包含不存在的党员' });
  const outside = members.filter((x) => !p.institutionIds.includes(x.institutionId));
  if (outside.length) fieldErrors.push({ field: 'memberIds', message: `党员${outside.map((x) => `「${x.name}」`).join('、')}不属于参加单位` });
  if (fieldErrors.length) return { fieldErrors, conflict, allowed: false, findings: [], routing: null };

  const staff = await m.getRepository(PartyMemberEntity).findBy({ institutionId: In(p.institutionIds) });
  const verdict = evaluateJointOrganization(
    {
      mode: p.mode,
      units: p.institutionIds.map((id) => {
        const c = countMembers(id, staff, settings);
        return { institutionId: id, fullStaffMembers: c.fullStaff, staffPartyMembers: c.staffPartyMembers };
      }),
      hostOrganizationId: host?.id ?? null,
      ...(host && MEMBER_KINDS.has(host.kind) ? { hostFullMembers: await hostFullMembers(m, host) } : {}),
    },
    settings,
  );
  const facts = await Promise.all(p.institutionIds.map((id) => loadInstitutionFacts(m, byId.get(id)!)));
  const routing = resolveJointResponsibleBody({ mode: p.mode, units: facts, initiatorId: p.institutionId, host: host ? { id: host.id, parentId: host.parentId } : null }, settings);
  // The library names units by id; people read their names.
  const named = (f: Finding): Finding => ({ ...f, message: p.institutionIds.reduce((msg, id) => msg.replaceAll(`单位 ${id} `, `单位${unitName(id)}`), f.message) });
  return { fieldErrors, conflict, allowed: verdict.allowed, findings: [...verdict.findings, routing.finding].map(named), routing };
}

/** Open joint-organization processes naming any of the units (their payload's list), the one under review aside. */
async function openJointProcesses(m: EntityManager, unitIds: string[], under: { processId: string; olderOnly: boolean } | null): Promise<Array<{ id: string; subjectKey: string; institutionIds: string[] }>> {
  const rows: Array<{ id: string; subject_key: string; ids: string[] }> = await m.query(
    `SELECT p.id, p.subject_key, ARRAY(SELECT jsonb_array_elements_text(p.payload->'institutionIds')) AS ids
       FROM processes p
      WHERE p.kind = 'joint-organization' AND p.status IN ('RUNNING', 'RETURNED')
        AND jsonb_typeof(p.payload->'institutionIds') = 'array' AND p.payload->'institutionIds' ?| $1::text[]
        AND ($2::uuid IS NULL OR p.id <> $2::uuid)
        AND (NOT $3::boolean OR (p.created_at, p.id) < (SELECT created_at, id FROM processes WHERE id = $2::uuid))
      ORDER BY p.created_at, p.id`,
    [unitIds, under?.processId ?? null, under?.olderOnly ?? false],
  );
  return rows.map((r) => ({ id: r.id, subjectKey: r.subject_key, institutionIds: r.ids }));
}

/** AFFILIATE: the host's own FULL members: those whose relation it holds and the FULL staff of its institution. */
async function hostFullMembers(m: EntityManager, host: OrganizationEntity): Promise<number> {
  const qb = m.getRepository(PartyMemberEntity).createQueryBuilder('x').where(`x.status = 'FULL'`);
  if (host.institutionId) qb.andWhere(`(x.relation_org_id = :org OR (x.institution_id = :inst AND x.category = 'STAFF'))`, { org: host.id, inst: host.institutionId });
  else qb.andWhere('x.relation_org_id = :org', { org: host.id });
  return qb.getCount();
}

/** The process's payload as its kind stored it. */
export async function jointPayloadOf(m: EntityManager, processId: string): Promise<{ process: ProcessEntity; payload: JointOrganizationPayload }> {
  const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
  return { process, payload: process.payload as unknown as JointOrganizationPayload };
}
