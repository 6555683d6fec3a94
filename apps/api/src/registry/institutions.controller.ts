import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { ManagingOrgKind } from '@app/domain';
import { InstitutionEntity, OrganizationEntity } from '@app/persistence';
import { CurrentUser, Roles, type AuthUser } from '../common/auth-user';
import { fieldError, forbidden, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { ScopeService } from '../common/scope.service';
import { CreateInstitutionDto, InstitutionQuery, UpdateInstitutionDto } from './registry.dto';

/** Which organization reference each field must point at. */
const REF_KINDS: Record<'townshipOrgId' | 'sponsorOrgId' | 'publicBuilderOrgId', ManagingOrgKind[]> = {
  townshipOrgId: ['TOWNSHIP'],
  sponsorOrgId: ['SPONSOR', 'CIVIL_AFFAIRS', 'DISTRICT'],
  publicBuilderOrgId: ['PUBLIC_BUILDER', 'SPONSOR', 'CIVIL_AFFAIRS', 'DISTRICT', 'TOWNSHIP'],
};

@ApiTags('institutions')
@ApiBearerAuth()
@Controller('institutions')
export class InstitutionsController {
  constructor(
    @InjectRepository(InstitutionEntity) private readonly institutions: Repository<InstitutionEntity>,
    @InjectRepository(OrganizationEntity) private readonly orgs: Repository<OrganizationEntity>,
    private readonly scope: ScopeService,
  ) {}

  @Post()
  @Roles('ADMIN')
  async create(@Body() dto: CreateInstitutionDto): Promise<InstitutionEntity> {
    await this.validateRefs(dto);
    return this.institutions.save(
      this.institutions.create({
        ...dto,
        sponsorOrgId: dto.sponsorOrgId ?? null,
        publicBuilderOrgId: dto.publicBuilderOrgId ?? null,
        managedBy: dto.managedBy ?? null,
        operatorName: dto.operatorName ?? null,
        bedCount: dto.bedCount ?? null,
        residentCount: dto.residentCount ?? null,
      }),
    );
  }

  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() q: InstitutionQuery): Promise<Page<InstitutionEntity>> {
    const qb = keyset(this.institutions.createQueryBuilder('i'), 'i', q);
    if (q.type) qb.andWhere('i.type = :type', { type: q.type });
    if (q.district) qb.andWhere('i.district = :district', { district: q.district });
    const filter = await this.scope.institutionFilter(user, 'i');
    if (filter) qb.andWhere(filter.sql, filter.params);
    return pageOf(await qb.getMany(), limitOf(q));
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthUser, @Param('id', new IdParam('机构')) id: string): Promise<InstitutionEntity> {
    const inst = await this.institutions.findOneBy({ id });
    if (!inst) throw notFound('机构');
    if (!(await this.scope.canReadInstitution(user, inst))) throw forbidden('无权查看该机构');
    return inst;
  }

  @Patch(':id')
  @Roles('ADMIN')
  async update(@Param('id', new IdParam('机构')) id: string, @Body() dto: UpdateInstitutionDto): Promise<InstitutionEntity> {
    const inst = await this.institutions.findOneBy({ id });
    if (!inst) throw notFound('机构');
    const merged = { ...inst, ...dto };
    await this.validateRefs(merged);
    await this.institutions.update({ id }, dto);
    return this.institutions.findOneByOrFail({ id });
  }

  /** Every type needs its township; PUBLIC its sponsor (R1); PUBLIC_BUILT_PRIVATE_RUN its builder (R2). */
  private async validateRefs(dto: {
    type: InstitutionEntity['type'];
    townshipOrgId: string;
    sponsorOrgId?: string | null;
    publicBuilderOrgId?: string | null;
    managedBy?: string | null;
  }): Promise<void> {
    if (dto.type === 'PUBLIC' && !dto.sponsorOrgId) throw fieldError('sponsorOrgId', '公办养老机构必须指定举办单位党组织（R1）');
    if (dto.type === 'PUBLIC_BUILT_PRIVATE_RUN' && !dto.publicBuilderOrgId) {
      throw fieldError('publicBuilderOrgId', '公建民营养老机构必须指定公建方党组织（R2）');
    }
    if (dto.managedBy && dto.type !== 'PUBLIC_BUILT_PRIVATE_RUN') throw fieldError('managedBy', '仅公建民营养老机构可设置管理方（R2）');
    const refs = (['townshipOrgId', 'sponsorOrgId', 'publicBuilderOrgId'] as const).filter((f) => dto[f]);
    const found = await this.orgs.findBy({ id: In(refs.map((f) => dto[f] as string)) });
    for (const field of refs) {
      const org = found.find((o) => o.id === dto[field]);
      if (!org) throw fieldError(field, '引用的组织不存在');
      if (!REF_KINDS[field].includes(org.kind as ManagingOrgKind)) {
        throw fieldError(field, `组织类型应为 ${REF_KINDS[field].join('、')}，实际为 ${org.kind}`);
      }
    }
  }
}
