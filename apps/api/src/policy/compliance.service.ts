import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  evaluateCompliance,
  institutionFacts,
  PARTY_ORG_KINDS,
  toCalendarDate,
  type ComplianceVerdict,
  type MemberFacts,
  type OrganizationFacts,
  type PartyOrgKind,
} from '@app/domain';
import { InstitutionEntity, OrganizationEntity, PartyMemberEntity, SettingsService } from '@app/persistence';
import type { AuthUser } from '../common/auth-user';
import { forbidden, notFound } from '../common/errors';
import { ScopeService } from '../common/scope.service';

export type ComplianceReport = ComplianceVerdict & { institutionId: string; asOf: string };

const isPartyKind = (k: string): k is PartyOrgKind => (PARTY_ORG_KINDS as readonly string[]).includes(k);

function organizationFacts(o: OrganizationEntity): OrganizationFacts | null {
  if (!isPartyKind(o.kind)) return null;
  return {
    id: o.id,
    kind: o.kind,
    parentId: o.parentId,
    termStart: o.termStart,
    termEnd: o.termEnd,
    secretaryMemberId: o.secretaryMemberId,
    // Joint organisations carry no mode column yet: read as 同业共建 (the domain's default too).
    jointMode: o.kind === 'JOINT' ? 'CO_BUILD' : null,
  };
}

function memberFacts(m: PartyMemberEntity): MemberFacts {
  return {
    id: m.id,
    institutionId: m.institutionId,
    category: m.category,
    status: m.status,
    birthDate: m.birthDate,
    disabled: m.disabled,
    dementia: m.dementia,
    relationOrgId: m.relationOrgId,
  };
}

/**
 * The rules engine's verdict for one institution today (Asia/Shanghai): one primary-key read, then the members,
 * the covering and elderly organisations, the settings and the scope check in parallel (all indexed).
 */
@Injectable()
export class ComplianceService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly scope: ScopeService,
  ) {}

  async forInstitution(user: AuthUser, id: string): Promise<ComplianceReport> {
    const inst = await this.ds.getRepository(InstitutionEntity).findOneBy({ id });
    if (!inst) throw notFound('机构');
    const orgQuery = this.ds
      .getRepository(OrganizationEntity)
      .createQueryBuilder('o')
      .where(`o.institution_id = :id AND o.kind = 'ELDERLY_BRANCH'`, { id })
      .orderBy('o.created_at', 'DESC');
    if (inst.partyOrganizationId) orgQuery.orWhere('o.id = :orgId', { orgId: inst.partyOrganizationId });
    const [allowed, members, orgs, settings] = await Promise.all([
      this.scope.canReadInstitution(user, inst),
      this.ds.getRepository(PartyMemberEntity).findBy({ institutionId: id }),
      orgQuery.getMany(),
      this.settings.policy(),
    ]);
    if (!allowed) throw forbidden('无权查看该机构');

    const covering = orgs.find((o) => o.id === inst.partyOrganizationId);
    const elderly = orgs.find((o) => o.kind === 'ELDERLY_BRANCH' && o.id !== inst.partyOrganizationId);
    const today = toCalendarDate(new Date());
    const verdict = evaluateCompliance(
      {
        institution: institutionFacts(inst),
        members: members.map(memberFacts),
        organization: covering ? organizationFacts(covering) : null,
        elderlyBranch: elderly ? organizationFacts(elderly) : null,
        hasInstructor: inst.hasInstructor === true,
        hasMassOrganisation: inst.hasMassOrganisation === true,
      },
      settings,
      today,
    );
    return { institutionId: inst.id, asOf: today, ...verdict };
  }
}
