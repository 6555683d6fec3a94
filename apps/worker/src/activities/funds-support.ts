import type { EntityManager } from 'typeorm';
import { PARTY_ORG_KINDS } from '@app/domain';
import { InstitutionEntity, OrganizationEntity, UserEntity } from '@app/persistence';

type FieldError = { field: string; message: string };

export interface FundsSubject {
  org: OrganizationEntity | null;
  inst: InstitutionEntity | null;
  fieldErrors: FieldError[];
  /** The accounts of the organisation's secretary (they may submit for it). */
  secretaryUserIds: string[];
}

/**
 * The party organisation a budget or a stipend run is for, and its institution (a joint organisation's: the one
 * whose organisation it is, or the first linked). Refused by field when it is not an institution's organisation.
 */
export async function fundsSubject(m: EntityManager, payload: { partyOrganizationId: string; institutionId?: string | undefined }): Promise<FundsSubject> {
  const fieldErrors: FieldError[] = [];
  const org = await m.getRepository(OrganizationEntity).findOneBy({ id: payload.partyOrganizationId });
  if (!org) return { org: null, inst: null, fieldErrors: [{ field: 'partyOrganizationId', message: '党组织不存在' }], secretaryUserIds: [] };
  if (!(PARTY_ORG_KINDS as readonly string[]).includes(org.kind)) {
    return { org, inst: null, fieldErrors: [{ field: 'partyOrganizationId', message: '必须是养老机构的党组织（党支部、党总支、基层党委、联合党组织或老年人党支部）' }], secretaryUserIds: [] };
  }
  const insts = m.getRepository(InstitutionEntity);
  const inst = (org.institutionId ? await insts.findOneBy({ id: org.institutionId }) : null) ?? (await insts.findOne({ where: { partyOrganizationId: org.id }, order: { createdAt: 'ASC' } }));
  if (!inst) fieldErrors.push({ field: 'partyOrganizationId', message: '该党组织没有关联的养老机构' });
  else if (payload.institutionId !== undefined && payload.institutionId !== inst.id && org.institutionId !== payload.institutionId) {
    fieldErrors.push({ field: 'institutionId', message: '机构与党组织不对应' });
  }
  const secretaryUserIds = org.secretaryMemberId
    ? (await m.getRepository(UserEntity).find({ where: { memberId: org.secretaryMemberId, active: true }, select: { id: true } })).map((u) => u.id)
    : [];
  return { org, inst, fieldErrors, secretaryUserIds };
}
