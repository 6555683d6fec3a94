import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { Repository } from 'typeorm';
import { DelegationEntity, UserEntity } from '@app/persistence';
import { CurrentUser, isAdmin, type AuthUser } from '../common/auth-user';
import { conflict, fieldError, forbidden, notFound } from '../common/errors';
import { IdParam } from '../common/params';
import { IsIsoDate } from '../common/validators';

class CreateDelegationDto {
  @ApiProperty({ description: '代理人（同样须为审批人）' }) @IsUUID('all', { message: 'deputyId 必须是 UUID' }) deputyId!: string;
  @ApiProperty({ format: 'date', example: '2026-12-01' }) @IsIsoDate({ message: 'startsOn 必须是 YYYY-MM-DD 日期' }) startsOn!: string;
  @ApiProperty({ format: 'date', example: '2026-12-15' }) @IsIsoDate({ message: 'endsOn 必须是 YYYY-MM-DD 日期' }) endsOn!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
  @ApiPropertyOptional({ description: '管理员可为他人设置委托' }) @IsOptional() @IsUUID('all', { message: 'userId 必须是 UUID' }) userId?: string;
  @ApiPropertyOptional({ type: [String], description: '委托涉及的组织（默认：委托人与代理人同为审批人的全部组织）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'organizationIds 中每一项都必须是 UUID' })
  organizationIds?: string[];
}

/**
 * 委托: while away, an approver has a colleague of the same organisation stand in for them: the deputy acts on the
 * tasks assigned to them personally (decisions record both people) and gets their task emails. A delegation covers
 * only organisations both hold as approvers, and ends by itself when either loses the role or the organisation.
 * A deputy never decides the delegator's own requests.
 */
@ApiTags('delegations')
@ApiBearerAuth()
@Controller('delegations')
export class DelegationsController {
  constructor(
    @InjectRepository(DelegationEntity) private readonly delegations: Repository<DelegationEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  @Post()
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateDelegationDto): Promise<DelegationEntity> {
    const userId = dto.userId ?? user.id;
    if (userId !== user.id && !isAdmin(user)) throw forbidden('只能为本人设置委托');
    if (dto.endsOn < dto.startsOn) throw fieldError('endsOn', '结束日期不能早于开始日期');
    if (dto.deputyId === userId) throw fieldError('deputyId', '不能委托给自己');
    const delegator = await this.users.findOneBy({ id: userId, active: true });
    if (!delegator || !delegator.roles.includes('APPROVER')) throw fieldError('userId', '只有在职的审批人可以委托他人');
    const deputy = await this.users.findOneBy({ id: dto.deputyId, active: true });
    if (!deputy || !deputy.roles.includes('APPROVER')) throw fieldError('deputyId', '代理人不存在或不是审批人');
    const shared = delegator.organizationIds.filter((o) => deputy.organizationIds.includes(o));
    if (dto.organizationIds?.some((o) => !shared.includes(o))) throw fieldError('organizationIds', '只能委托本人与代理人同为审批人的组织');
    const organizationIds = dto.organizationIds?.length ? dto.organizationIds : shared;
    if (organizationIds.length === 0) throw fieldError('deputyId', '代理人须为本人所在组织的审批人');
    return this.delegations.save(
      this.delegations.create({ userId, deputyId: dto.deputyId, startsOn: dto.startsOn, endsOn: dto.endsOn, reason: dto.reason ?? null, organizationIds }),
    );
  }

  @Get()
  list(@CurrentUser() user: AuthUser): Promise<DelegationEntity[]> {
    return this.delegations.find({ where: [{ userId: user.id }, { deputyId: user.id }], order: { createdAt: 'DESC' } });
  }

  @Delete(':id')
  async revoke(@CurrentUser() user: AuthUser, @Param('id', new IdParam('委托')) id: string): Promise<DelegationEntity> {
    const d = await this.delegations.findOneBy({ id });
    if (!d) throw notFound('委托');
    if (d.userId !== user.id && !isAdmin(user)) throw forbidden('只能撤销本人的委托');
    if (d.revokedAt) throw conflict('该委托已撤销');
    await this.delegations.update({ id }, { revokedAt: new Date() });
    return this.delegations.findOneByOrFail({ id });
  }
}
