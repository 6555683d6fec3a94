import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { TaskEntity } from '@app/persistence';
import { CurrentUser, Roles, type AuthUser } from '../common/auth-user';
import { type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { AddSignerDto, BatchDecisionDto, CommentDto, DecisionDto, ReassignDto, TaskQuery, TransferDto } from './tasks.dto';
import { TaskActionsService } from './task-actions.service';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly actions: TaskActionsService,
  ) {}

  @Post('batch-decision')
  @HttpCode(200)
  batch(@CurrentUser() user: AuthUser, @Body() dto: BatchDecisionDto): ReturnType<TaskActionsService['batchApprove']> {
    return this.actions.batchApprove(user, dto);
  }

  @Get()
  inbox(@CurrentUser() user: AuthUser, @Query() q: TaskQuery): Promise<Page<TaskEntity>> {
    return this.tasks.inbox(user, q);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', new IdParam('待办')) id: string): Promise<TaskEntity> {
    return this.tasks.get(user, id);
  }

  @Post(':id/decision')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '重复提交同一请求时返回首次结果' })
  async decide(
    @CurrentUser() user: AuthUser,
    @Param('id', new IdParam('待办')) id: string,
    @Body() dto: DecisionDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const out = await this.tasks.decide(user, id, dto, idempotencyKey);
    res.status(out.status);
    return out.body;
  }

  @Post(':id/transfer')
  @HttpCode(200)
  transfer(@CurrentUser() user: AuthUser, @Param('id', new IdParam('待办')) id: string, @Body() dto: TransferDto): Promise<TaskEntity> {
    return this.actions.transfer(user, id, dto);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles('ADMIN')
  reassign(@CurrentUser() user: AuthUser, @Param('id', new IdParam('待办')) id: string, @Body() dto: ReassignDto): Promise<TaskEntity> {
    return this.actions.reassign(user, id, dto);
  }

  @Post(':id/add-signer')
  @HttpCode(200)
  addSigner(@CurrentUser() user: AuthUser, @Param('id', new IdParam('待办')) id: string, @Body() dto: AddSignerDto): Promise<TaskEntity[]> {
    return this.actions.addSigner(user, id, dto);
  }

  @Post(':id/pull-back')
  @HttpCode(200)
  pullBack(@CurrentUser() user: AuthUser, @Param('id', new IdParam('待办')) id: string, @Body() dto: CommentDto): Promise<TaskEntity[]> {
    return this.actions.pullBack(user, id, dto.comment);
  }
}
