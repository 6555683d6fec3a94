import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsDateString, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { Repository } from 'typeorm';
import { DelegationEntity, UserEntity } from '@app/persistence';
import { CurrentUser, isAdmin, type AuthUser } from '../common/auth-user';
import { conflict, fieldError, forbidden, notFound } from '../common/errors';
import { IdParam } from '../common/params';

class CreateDelegationDto {
  @ApiProperty({ description: '代理人（同样须为审批人）' }) @IsUUID('all', { message: 'deputyId 必须是 UUID' }) deputyId!: string;
  @ApiProperty({ example: '2026-12-01' }) @IsDateString({ strict: true }, { message: 'startsOn 必须是 YYYY-MM-DD 日期' }) startsOn!: string;
  @ApiProperty({ example: '2026-12-15' }) @IsDateString({ strict: true }, { message: 'endsOn 必须是 YYYY-MM-DD 日期' }) endsOn!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
  @ApiPropertyOptional({ description: '管理员可为他人设置委托' }) @IsOptional() @IsUUID('all', { message: 'userId 必须是 UUID' }) userId?: string;
}

/** 委托: a deputy acts on one's tasks for a date range; decisions record both (onBehalfOf). */
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
    const deputy = await this.users.findOneBy({ id: dto.deputyId, active: true });
    if (!deputy || !deputy.roles.includes('APPROVER')) throw fieldError('deputyId', '代理人不存在或不是审批人');
    return this.delegations.save(this.delegations.create({ userId, deputyId: dto.deputyId, startsOn: dto.startsOn, endsOn: dto.endsOn, reason: dto.reason ?? null }));
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
