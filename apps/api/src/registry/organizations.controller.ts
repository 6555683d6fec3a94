import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { OrganizationEntity } from '@app/persistence';
import { Roles } from '../common/auth-user';
import { fieldError, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, PageQuery, type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { CreateOrganizationDto } from './registry.dto';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationsController {
  constructor(@InjectRepository(OrganizationEntity) private readonly orgs: Repository<OrganizationEntity>) {}

  @Post()
  @Roles('ADMIN')
  async create(@Body() dto: CreateOrganizationDto): Promise<OrganizationEntity> {
    if (dto.parentId && !(await this.orgs.existsBy({ id: dto.parentId }))) throw fieldError('parentId', '上级组织不存在');
    return this.orgs.save(this.orgs.create({ name: dto.name, kind: dto.kind, parentId: dto.parentId ?? null }));
  }

  @Get()
  async list(@Query() q: PageQuery): Promise<Page<OrganizationEntity>> {
    return pageOf(await keyset(this.orgs.createQueryBuilder('o'), 'o', q).getMany(), limitOf(q));
  }

  @Get(':id')
  async get(@Param('id', new IdParam('组织')) id: string): Promise<OrganizationEntity> {
    const org = await this.orgs.findOneBy({ id });
    if (!org) throw notFound('组织');
    return org;
  }
}
