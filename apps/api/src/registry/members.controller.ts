import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { InstitutionEntity, OrganizationEntity, PartyMemberEntity } from '@app/persistence';
import { CurrentUser, isAdmin, type AuthUser } from '../common/auth-user';
import { fieldError, forbidden, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { ScopeService } from '../common/scope.service';
import { CreateMemberDto, MemberQuery, UpdateMemberDto } from './registry.dto';

@ApiTags('members')
@ApiBearerAuth()
@Controller('members')
export class MembersController {
  constructor(
    @InjectRepository(PartyMemberEntity) private readonly members: Repository<PartyMemberEntity>,
    @InjectRepository(InstitutionEntity) private readonly institutions: Repository<InstitutionEntity>,
    @InjectRepository(OrganizationEntity) private readonly orgs: Repository<OrganizationEntity>,
    private readonly scope: ScopeService,
  ) {}

  @Post()
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateMemberDto): Promise<PartyMemberEntity> {
    const inst = await this.institutions.findOneBy({ id: dto.institutionId });
    if (!inst) throw fieldError('institutionId', '机构不存在');
    this.assertCanWrite(user, inst.id);
    if (dto.relationOrgId && !(await this.orgs.existsBy({ id: dto.relationOrgId }))) throw fieldError('relationOrgId', '组织不存在');
    return this.members.save(
      this.members.create({ ...dto, birthDate: dto.birthDate ?? null, disabled: dto.disabled ?? false, dementia: dto.dementia ?? false, relationOrgId: dto.relationOrgId ?? null }),
    );
  }

  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() q: MemberQuery): Promise<Page<PartyMemberEntity>> {
    const qb = keyset(this.members.createQueryBuilder('m').innerJoin(InstitutionEntity, 'i', 'i.id = m.institution_id'), 'm', q);
    if (q.institutionId) qb.andWhere('m.institution_id = :inst', { inst: q.institutionId });
    const filter = await this.scope.institutionFilter(user, 'i');
    if (filter) qb.andWhere(filter.sql, filter.params);
    return pageOf(await qb.getMany(), limitOf(q));
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthUser, @Param('id', new IdParam('党员')) id: string): Promise<PartyMemberEntity> {
    const member = await this.members.findOneBy({ id });
    if (!member) throw notFound('党员');
    const inst = await this.institutions.findOneByOrFail({ id: member.institutionId });
    if (!(await this.scope.canReadInstitution(user, inst))) throw forbidden('无权查看该党员');
    return member;
  }

  @Patch(':id')
  async update(@CurrentUser() user: AuthUser, @Param('id', new IdParam('党员')) id: string, @Body() dto: UpdateMemberDto): Promise<PartyMemberEntity> {
    const member = await this.members.findOneBy({ id });
    if (!member) throw notFound('党员');
    this.assertCanWrite(user, member.institutionId);
    if (dto.relationOrgId && !(await this.orgs.existsBy({ id: dto.relationOrgId }))) throw fieldError('relationOrgId', '组织不存在');
    await this.members.update({ id }, dto);
    return this.members.findOneByOrFail({ id });
  }

  private assertCanWrite(user: AuthUser, institutionId: string): void {
    if (isAdmin(user)) return;
    if (user.roles.includes('APPLICANT') && user.institutionIds.includes(institutionId)) return;
    throw forbidden('只有管理员或该机构的申请人可以维护党员信息');
  }
}
