import type { PolicySettings, SilentInstitutionType } from '../settings';
import type { Finding, InstitutionFacts } from '../types';
import { finding } from './finding';

export interface ResponsibleBody {
  /** Null only when the registry lacks the reference the rule names (a PUBLIC institution without its sponsor). */
  organizationId: string | null;
  finding: Finding;
}

/**
 * R1/R2/R3/R3b: which body manages (and so approves for) an institution's party organisation.
 * `elderly` asks about an ELDERLY_BRANCH, which the township manages whatever the type (R3).
 * - R2: the public builder's organisation by default; the township when the institution is set `managedBy: TOWNSHIP`
 *   or when the builder has no party organisation on record (never nobody).
 * - R3b: per type from `settings.silentTypesResponsibleBody`: the township, or the DISTRICT organisation above it
 *   (`inst.townshipParentOrgId`; while that is not on record, the township, with a warning).
 */
export function resolveResponsibleBody(
  inst: InstitutionFacts,
  settings: Pick<PolicySettings, 'silentTypesResponsibleBody'>,
  opts: { elderly?: boolean } = {},
): ResponsibleBody {
  if (opts.elderly) {
    return { organizationId: inst.townshipOrgId, finding: finding('R3', 'INFO', '老年人党支部由属地镇乡（街道）党组织管理。') };
  }
  switch (inst.type) {
    case 'PUBLIC':
      return { organizationId: inst.sponsorOrgId ?? null, finding: finding('R1', 'INFO', '公办养老机构党组织由举办单位党组织管理。') };
    case 'PUBLIC_BUILT_PRIVATE_RUN':
      if (inst.managedBy === 'TOWNSHIP') {
        return { organizationId: inst.townshipOrgId, finding: finding('R2', 'INFO', '该公建民营养老机构设定为由属地镇乡（街道）党组织管理。') };
      }
      if (!inst.publicBuilderOrgId) {
        return {
          organizationId: inst.townshipOrgId,
          finding: finding('R2', 'INFO', '公建方党组织未登记，公建民营养老机构党组织由属地镇乡（街道）党组织管理。'),
        };
      }
      return { organizationId: inst.publicBuilderOrgId, finding: finding('R2', 'INFO', '公建民营养老机构党组织由公建方党组织管理。') };
    case 'PRIVATE':
    case 'HOME_CARE_CENTER':
    case 'HOME_CARE_STATION':
      return silentTypeBody(inst, inst.type, settings);
  }
}

function silentTypeBody(
  inst: InstitutionFacts,
  type: SilentInstitutionType,
  settings: Pick<PolicySettings, 'silentTypesResponsibleBody'>,
): ResponsibleBody {
  if (settings.silentTypesResponsibleBody[type] !== 'DISTRICT') {
    return { organizationId: inst.townshipOrgId, finding: finding('R3b', 'INFO', '政策未明确，按设置由属地镇乡（街道）党组织管理。') };
  }
  if (!inst.townshipParentOrgId) {
    return {
      organizationId: inst.townshipOrgId,
      finding: finding('R3b', 'WARNING', '按设置应由属地镇乡（街道）党组织的上级区县（市）党组织管理，但其上级组织未登记，暂由属地镇乡（街道）党组织管理。'),
    };
  }
  return {
    organizationId: inst.townshipParentOrgId,
    finding: finding('R3b', 'INFO', '政策未明确，按设置由属地镇乡（街道）党组织的上级区县（市）党组织管理。'),
  };
}
