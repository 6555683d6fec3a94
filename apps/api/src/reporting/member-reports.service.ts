import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { toCalendarDate } from '@app/domain';
import { InstitutionEntity, MemberReportEntity, OrganizationEntity, PartyMemberEntity, recordMemberReport } from '@app/persistence';
import { isAdmin, type AuthUser } from '../common/auth-user';
import { conflict, fieldError, forbidden, notFound } from '../common/errors';
import { ScopeService } from '../common/scope.service';
import type { CreateMemberReportDto } from './member-reports.dto';

/**
 * 报到 (R12/R13): an elderly member registers with the institution's organisation (or its elderly branch) and takes
 * part in its life without moving their relation. Recorded by the institution's APPLICANT users or an ADMIN.
 */
@Injectable()
export class MemberReportsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async report(user: AuthUser, memberId: string, dto: CreateMemberReportDto): Promise<MemberReportEntity> {
    const member = await this.ds.getRepository(PartyMemberEntity).findOneBy({ id: memberId });
    if (!member) throw notFound('党员');
    if (!isAdmin(user) && !(user.roles.includes('APPLICANT') && user.institutionIds.includes(member.institutionId))) {
      throw forbidden('只有管理员或该党员所在机构的申请人可以登记报到');
    }
    if (member.category !== 'ELDERLY') throw fieldError('memberId', '工作人员党员的组织关系应转入机构党组织（R11），不适用报到');
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: member.institutionId });
    const org = await this.ds.getRepository(OrganizationEntity).findOneBy({ id: dto.organizationId });
    if (!org) throw fieldError('organizationId', '党组织不存在');
    if (org.id !== inst.partyOrganizationId && !(org.kind === 'ELDERLY_BRANCH' && org.institutionId === inst.id)) {
      throw fieldError('organizationId', '报到的党组织必须是党员所在机构的党组织或其老年人党支部');
    }
    if (member.relationOrgId === org.id) throw conflict('党员的组织关系已在该党组织，无需报到');
    const saved = await recordMemberReport(this.ds.manager, {
      memberId: member.id,
      organizationId: org.id,
      institutionId: inst.id,
      note: dto.note?.trim() || null,
      reportedOn: toCalendarDate(new Date()),
      recordedById: user.id,
    });
    if (!saved) throw conflict('该党员已向该党组织报到');
    return saved;
  }

  /** The member's reportings, oldest first (read scope as the member's). */
  async list(user: AuthUser, memberId: string): Promise<MemberReportEntity[]> {
    const member = await this.ds.getRepository(PartyMemberEntity).findOneBy({ id: memberId });
    if (!member) throw notFound('党员');
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: member.institutionId });
    if (!(await this.scope.canReadInstitution(user, inst))) throw forbidden('无权查看该党员');
    return this.ds.getRepository(MemberReportEntity).find({ where: { memberId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
