import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { InstitutionEntity, OrganizationEntity, PartyMemberEntity, UserAuditEntity, UserEntity, withActor } from '@app/persistence';
import { hashPassword } from '../auth/password';
import { publicUser } from '../auth/auth.service';
import { actorOf, CurrentUser, Roles, type AuthUser } from '../common/auth-user';
import { TaskActionsService } from '../tasks/task-actions.service';
import { conflict, fieldError, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, PageQuery, type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { CreateUserDto, UpdateUserDto } from './users.dto';

type PublicUser = ReturnType<typeof publicUser>;

@ApiTags('users')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('users')
export class UsersController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly taskActions: TaskActionsService,
  ) {}

  @Post()
  async create(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto): Promise<PublicUser> {
    await this.checkRefs(dto.organizationIds, dto.institutionIds);
    await this.checkMember(dto.memberId, null);
    const repo = this.ds.getRepository(UserEntity);
    if (await repo.existsBy({ username: dto.username })) throw conflict(`用户名 ${dto.username} 已存在`);
    const { password, ...rest } = dto;
    const passwordHash = await hashPassword(password);
    const saved = await uniqueMember(
      withActor(this.ds, actorOf(admin), 'POST /users', (m) =>
        m.getRepository(UserEntity).save(repo.create({ ...rest, organizationIds: dto.organizationIds ?? [], institutionIds: dto.institutionIds ?? [], passwordHash })),
      ),
    );
    return publicUser(await repo.findOneByOrFail({ id: saved.id }));
  }

  @Get()
  async list(@Query() q: PageQuery): Promise<Page<PublicUser>> {
    const qb = keyset(this.ds.getRepository(UserEntity).createQueryBuilder('u'), 'u', q);
    return pageOf((await qb.getMany()).map(publicUser) as UserEntity[], limitOf(q));
  }

  @Get(':id')
  async get(@Param('id', new IdParam('用户')) id: string): Promise<PublicUser> {
    const user = await this.ds.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw notFound('用户');
    return publicUser(user);
  }

  @Patch(':id')
  async update(@CurrentUser() admin: AuthUser, @Param('id', new IdParam('用户')) id: string, @Body() dto: UpdateUserDto): Promise<PublicUser> {
    const repo = this.ds.getRepository(UserEntity);
    const user = await repo.findOneBy({ id });
    if (!user) throw notFound('用户');
    await this.checkRefs(dto.organizationIds, dto.institutionIds);
    await this.checkMember(dto.memberId, id);
    if (dto.username && dto.username !== user.username && (await repo.existsBy({ username: dto.username }))) {
      throw conflict(`用户名 ${dto.username} 已存在`);
    }
    const { password, ...rest } = dto;
    const passwordHash = password ? await hashPassword(password) : undefined;
    // The audit trigger records who changed what; the token-version trigger ends the user's older tokens when the
    // password, roles, organisations or active flag change.
    await uniqueMember(
      withActor(this.ds, actorOf(admin), 'PATCH /users', (m) => m.getRepository(UserEntity).update({ id }, { ...rest, ...(passwordHash ? { passwordHash } : {}) })),
    );
    const updated = await repo.findOneByOrFail({ id });
    // Leaving an organisation (or the role, or the system): open tasks handed to this user go back to the organisation.
    const approver = updated.active && updated.roles.includes('APPROVER');
    const keptOrgs = approver ? updated.organizationIds : [];
    const leftOrgs = approver ? user.organizationIds.filter((o) => !keptOrgs.includes(o)) : null;
    await this.taskActions.releaseTasksOf(admin, id, keptOrgs, leftOrgs);
    return publicUser(updated);
  }

  /** Every change of this user (roles, organisations, password, active …), oldest first; append-only. */
  @Get(':id/audit')
  async audit(@Param('id', new IdParam('用户')) id: string): Promise<UserAuditEntity[]> {
    if (!(await this.ds.getRepository(UserEntity).existsBy({ id }))) throw notFound('用户');
    return this.ds.getRepository(UserAuditEntity).find({ where: { userId: id }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** A user is linked to the party member they are: the member must exist and belong to no other user. */
  private async checkMember(memberId: string | null | undefined, userId: string | null): Promise<void> {
    if (!memberId) return;
    if (!(await this.ds.getRepository(PartyMemberEntity).existsBy({ id: memberId }))) throw fieldError('memberId', '党员不存在');
    const holder = await this.ds.getRepository(UserEntity).findOneBy({ memberId });
    if (holder && holder.id !== userId) throw conflict(`该党员已关联用户 ${holder.username}`);
  }

  private async checkRefs(orgIds?: string[], instIds?: string[]): Promise<void> {
    if (orgIds?.length && (await this.ds.getRepository(OrganizationEntity).countBy({ id: In(orgIds) })) !== orgIds.length) {
      throw fieldError('organizationIds', '包含不存在的组织');
    }
    if (instIds?.length && (await this.ds.getRepository(InstitutionEntity).countBy({ id: In(instIds) })) !== instIds.length) {
      throw fieldError('institutionIds', '包含不存在的机构');
    }
  }
}

/** Two requests linking the same member at once: the unique index decides, the loser gets 409. */
async function uniqueMember<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw conflict('该党员已关联其他用户，或用户名已存在');
    throw err;
  }
}
