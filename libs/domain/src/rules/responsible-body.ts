import { SEED_SOURCES } from '../seed-sources';
import type { PolicySettings } from '../settings';
import type { Finding, InstitutionFacts } from '../types';

export interface ResponsibleBody {
  organizationId: string | null;
  finding: Finding;
}

/**
 * R1/R2/R3/R3b: which body manages (and so approves for) an institution's party organisation.
 * `elderly` asks about an ELDERLY_BRANCH, which the township manages whatever the type (R3).
 */
export function resolveResponsibleBody(
  inst: InstitutionFacts,
  settings: Pick<PolicySettings, 'silentTypesResponsibleBody'>,
  opts: { elderly?: boolean } = {},
): ResponsibleBody {
  if (opts.elderly) {
    return {
      organizationId: inst.townshipOrgId ?? null,
      finding: info('R3', '老年人党支部由属地镇乡（街道）党组织管理。'),
    };
  }
  switch (inst.type) {
    case 'PUBLIC':
      return {
        organizationId: inst.sponsorOrgId ?? null,
        finding: info('R1', '公办养老机构党组织由举办单位党组织管理。'),
      };
    case 'PUBLIC_BUILT_PRIVATE_RUN':
      if (inst.managedBy === 'TOWNSHIP') {
        return {
          organizationId: inst.townshipOrgId ?? null,
          finding: info('R2', '该公建民营养老机构设定为由属地镇乡（街道）党组织管理。'),
        };
      }
      return {
        organizationId: inst.publicBuilderOrgId ?? null,
        finding: info('R2', '公建民营养老机构党组织由公建方党组织管理。'),
      };
    case 'PRIVATE':
    case 'HOME_CARE_CENTER':
    case 'HOME_CARE_STATION':
      return {
        organizationId: inst.townshipOrgId ?? null,
        finding: info('R3b', '政策未明确，按默认设置由属地镇乡（街道）党组织管理。'),
      };
  }
}

function info(ruleId: 'R1' | 'R2' | 'R3' | 'R3b', message: string): Finding {
  return { ruleId, severity: 'INFO', message, source: SEED_SOURCES[ruleId] };
}
