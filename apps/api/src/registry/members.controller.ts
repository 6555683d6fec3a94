import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { InstitutionEntity, MemberHistoryEntity, OrganizationEntity, PartyMemberEntity, withActor } from '@app/persistence';
import { actorOf, CurrentUser, isAdmin, type AuthUser } from '../common/auth-user';
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
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Post()
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateMemberDto): Promise<PartyMemberEntity> {
    const inst = await this.institutions.findOneBy({ id: dto.institutionId });
    if (!inst) throw fieldError('institutionId', '机构不存在');
    this.assertCanWrite(user, inst.id);
    if (dto.relationOrgId && !(await this.orgs.existsBy({ id: dto.relationOrgId }))) throw fieldError('relationOrgId', '组织不存在');
    return this.members.save(
      this.members.create({ ...dto, birthDate: dto.birthDate ?? null, joinedAt: dto.joinedAt ?? null, disabled: dto.disabled ?? false, dementia: dto.dementia ?? false, relationOrgId: dto.relationOrgId ?? null }),
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
    // The relation (组织关系) moves only through a completed relation-transfer process, never by an edit.
    if (dto.relationOrgId !== undefined) throw fieldError('relationOrgId', '组织关系不能直接修改，须通过组织关系转接流程办理');
    // Status and category changes land in the member history (who, when) through the database trigger.
    await withActor(this.ds, actorOf(user), 'PATCH /members', (m) => m.getRepository(PartyMemberEntity).update({ id }, dto));
    return this.members.findOneByOrFail({ id });
  }

  /** Changes of the member's status, category and relation, oldest first (append-only). */
  @Get(':id/history')
  async history(@CurrentUser() user: AuthUser, @Param('id', new IdParam('党员')) id: string): Promise<MemberHistoryEntity[]> {
    await this.get(user, id);
    return this.ds.getRepository(MemberHistoryEntity).find({ where: { memberId: id }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  private assertCanWrite(user: AuthUser, institutionId: string): void {
    if (isAdmin(user)) return;
    if (user.roles.includes('APPLICANT') && user.institutionIds.includes(institutionId)) return;
    throw forbidden('只有管理员或该机构的申请人可以维护党员信息');
  }
}
