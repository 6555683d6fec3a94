import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { DataSource, Repository } from 'typeorm';
import {
  SECRETARY_REFUSALS,
  SECRETARY_SUCCESSION_WORKFLOW,
  secretarySuccessionWorkflowId,
  type SecretaryChangeInput,
  type SecretarySuccessionResult,
} from '@app/contracts';
import { OrganizationEntity, PartyMemberEntity, SecretaryChangeEntity, UserEntity } from '@app/persistence';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { TemporalClientService } from '@app/temporal';
import { CurrentUser, isAdmin, Roles, type AuthUser } from '../common/auth-user';
import { conflict, fieldError, forbidden, notFound } from '../common/errors';
import { keyset, limitOf, pageOf, PageQuery, type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { createValidationPipe } from '../common/validation';
import { CreateOrganizationDto } from './registry.dto';
import { ChangeSecretaryDto } from './secretary.dto';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationsController {
  constructor(
    @InjectRepository(OrganizationEntity) private readonly orgs: Repository<OrganizationEntity>,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

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

  /**
   * A new secretary (换届/改选): recorded, the organisation's secretary set, the successor's account made an approver
   * of it, and the predecessor's open tasks handed on. Carried out by a workflow so it is never left half-done; the
   * answer (200) comes once the workflow has finished, or 202 after SECRETARY_CHANGE_WAIT_MS while it carries on.
   */
  @Put(':id/secretary')
  @Roles('ADMIN')
  @ApiOperation({ summary: '更换组织书记；前任书记的待办由新任书记承接（无账号时退回组织）。通常完成后返回 200；超过等待时间（SECRETARY_CHANGE_WAIT_MS）返回 202，移交在后台继续，可在书记更替记录中查看' })
  @ApiBody({ type: ChangeSecretaryDto })
  async changeSecretary(
    @CurrentUser() admin: AuthUser,
    @Param('id', new IdParam('组织')) id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ organization: OrganizationEntity; change: SecretaryChangeEntity | null; changeId: string; pending: boolean }> {
    const org = await this.orgs.findOneBy({ id });
    if (!org) throw notFound('组织');
    // Validated after the lookup: an unknown organisation is 404 whatever the body (API.md: unknown ids are 404).
    const dto = (await createValidationPipe().transform(body, { type: 'body', metatype: ChangeSecretaryDto })) as ChangeSecretaryDto;
    const member = await this.ds.getRepository(PartyMemberEntity).findOneBy({ id: dto.secretaryMemberId });
    const belongs = member !== null && (member.relationOrgId === org.id || (org.institutionId !== null && member.institutionId === org.institutionId));
    if (!belongs) throw fieldError('secretaryMemberId', member ? '该党员不属于此组织' : '党员不存在');
    if (org.secretaryMemberId === member.id) throw conflict('该党员已是本组织书记');

    const changeId = randomUUID();
    const input: SecretaryChangeInput = {
      changeId,
      organizationId: org.id,
      toMemberId: member.id,
      changedById: admin.id,
      comment: dto.comment ?? null,
      predecessorLeaves: dto.predecessorLeaves ?? true,
    };
    const handle = await this.temporal.client.workflow.start<(i: SecretaryChangeInput) => Promise<SecretarySuccessionResult>>(SECRETARY_SUCCESSION_WORKFLOW, {
      workflowId: secretarySuccessionWorkflowId(changeId),
      taskQueue: this.temporal.taskQueue,
      args: [input],
    });
    // Wait a while for the workflow (normally a second or two); past that answer 202: it carries on regardless and
    // the change list shows when it settled.
    const result = handle.result();
    result.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'PENDING'>((resolve) => {
      timer = setTimeout(() => resolve('PENDING'), this.cfg.secretaryChangeWaitMs);
    });
    let outcome: 'DONE' | 'PENDING';
    try {
      outcome = await Promise.race([result.then(() => 'DONE' as const), waited]);
    } catch (err) {
      if (refusal(err) === SECRETARY_REFUSALS.SAME_SECRETARY) throw conflict('该党员已是本组织书记');
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (outcome === 'PENDING') res.status(202);
    return {
      organization: await this.orgs.findOneByOrFail({ id: org.id }),
      change: await this.ds.getRepository(SecretaryChangeEntity).findOneBy({ id: changeId }),
      changeId,
      pending: outcome === 'PENDING',
    };
  }

  /**
   * The organisation's active approvers (id and name only), for choosing whom to hand a task to (转交) or who stands
   * in (委托): its own approvers and admins may ask.
   */
  @Get(':id/approvers')
  @ApiOperation({ summary: '组织的在职审批人（转交、委托时选择）；本组织审批人或管理员可查看' })
  async approvers(@CurrentUser() user: AuthUser, @Param('id', new IdParam('组织')) id: string): Promise<Array<{ id: string; displayName: string }>> {
    if (!(await this.orgs.existsBy({ id }))) throw notFound('组织');
    if (!isAdmin(user) && !user.organizationIds.includes(id)) throw forbidden('只能查看本组织的审批人');
    return this.ds
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .select(['u.id', 'u.displayName'])
      .where(':id = ANY(u.organization_ids)', { id })
      .andWhere(`'APPROVER' = ANY(u.roles)`)
      .andWhere('u.active')
      .orderBy('u.display_name')
      .getMany()
      .then((rows) => rows.map((u) => ({ id: u.id, displayName: u.displayName })));
  }

  @Get(':id/secretary-changes')
  @Roles('ADMIN')
  @ApiOperation({ summary: '组织书记更替记录（最新在前）；settledAt 为空表示待办移交仍在进行' })
  async secretaryChanges(@Param('id', new IdParam('组织')) id: string, @Query() q: PageQuery): Promise<Page<SecretaryChangeEntity>> {
    if (!(await this.orgs.existsBy({ id }))) throw notFound('组织');
    const qb = keyset(this.ds.getRepository(SecretaryChangeEntity).createQueryBuilder('c'), 'c', q, 'DESC').andWhere('c.organization_id = :id', { id });
    return pageOf(await qb.getMany(), limitOf(q));
  }
}

/** The failure type an activity of a failed workflow refused with, if any. */
function refusal(err: unknown): string | null {
  if (!(err instanceof WorkflowFailedError)) return null;
  const cause = err.cause instanceof ActivityFailure ? err.cause.cause : err.cause;
  return cause instanceof ApplicationFailure ? (cause.type ?? null) : null;
}
