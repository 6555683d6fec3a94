import type { PolicySettings } from '../settings';
import type { Finding, InstitutionFacts, JointMode } from '../types';
import { finding } from './finding';
import { resolveResponsibleBody } from './responsible-body';

export interface JointRoutingRequest {
  mode: JointMode;
  /** Every participating unit, the initiating one included. */
  units: readonly InstitutionFacts[];
  /** The unit that submitted the request (one of `units`). */
  initiatorId: string;
  /** AFFILIATE: the host organisation and its own superior (its parent), as the registry has them. */
  host?: { id: string; parentId?: string | null } | null;
}

export type JointRoutingBasis = 'UNITS_AGREE' | 'HOST_SUPERIOR' | 'INITIATOR_TOWNSHIP';

export interface JointResponsibleBody {
  /** Who decides; never null (the initiating unit's township is the last answer). */
  organizationId: string;
  /** The other units' responsible bodies: copied (抄送), never asked. */
  ccOrgIds: string[];
  basis: JointRoutingBasis;
  finding: Finding;
}

/**
 * DOMAIN.md process 2: who decides a joint organisation, in this order.
 * 1. the body R1–R3b name for every unit, when they all name the same one;
 * 2. AFFILIATE: the host organisation's own superior (its parent);
 * 3. otherwise the township organisation of the initiating unit.
 * Every unit's body that is not the one deciding is copied. An AFFILIATE host without a superior on record falls
 * to rule 3 with a warning, as R2 does for a builder without an organisation: never nobody.
 */
export function resolveJointResponsibleBody(
  req: JointRoutingRequest,
  settings: Pick<PolicySettings, 'silentTypesResponsibleBody'>,
): JointResponsibleBody {
  const initiator = req.units.find((u) => u.id === req.initiatorId);
  if (!initiator) throw new RangeError(`initiator ${req.initiatorId} is not one of the units`);
  const bodies = req.units.map((u) => resolveResponsibleBody(u, settings).organizationId);
  const copied = (decider: string): string[] => [...new Set(bodies.filter((b): b is string => b !== null && b !== decider))];

  const first = bodies[0] ?? null;
  if (first !== null && bodies.every((b) => b === first)) {
    return { organizationId: first, ccOrgIds: [], basis: 'UNITS_AGREE', finding: finding('R5', 'INFO', '各参加单位的党组织由同一党组织管理（R1–R3b），联合党组织由其审批。') };
  }
  if (req.mode === 'AFFILIATE' && req.host?.parentId) {
    return {
      organizationId: req.host.parentId,
      ccOrgIds: copied(req.host.parentId),
      basis: 'HOST_SUPERIOR',
      finding: finding('R5', 'INFO', '挂靠组建：由挂靠党组织的上级党组织审批，各参加单位的管理党组织抄送。'),
    };
  }
  const township = initiator.townshipOrgId;
  const noHostSuperior = req.mode === 'AFFILIATE';
  return {
    organizationId: township,
    ccOrgIds: copied(township),
    basis: 'INITIATOR_TOWNSHIP',
    finding: finding(
      'R5',
      noHostSuperior ? 'WARNING' : 'INFO',
      noHostSuperior
        ? '挂靠党组织的上级党组织未登记，由发起单位属地镇乡（街道）党组织审批，各参加单位的管理党组织抄送。'
        : '各参加单位的管理党组织不一致，由发起单位属地镇乡（街道）党组织审批，其他单位的管理党组织抄送。',
    ),
  };
}
