import type { EntityManager } from 'typeorm';
import { institutionFacts, type InstitutionFacts } from '@app/domain';
import { type InstitutionEntity, OrganizationEntity } from './entities';

/**
 * The facts the rules read about an institution, with the parent of its township organisation (R3b: a type set to
 * be managed by the DISTRICT is managed by the organisation above the township). One primary-key read.
 */
export async function loadInstitutionFacts(m: EntityManager, inst: InstitutionEntity): Promise<InstitutionFacts> {
  const township = await m.getRepository(OrganizationEntity).findOne({ where: { id: inst.townshipOrgId }, select: { id: true, parentId: true } });
  return institutionFacts({ ...inst, townshipParentOrgId: township?.parentId ?? null });
}
