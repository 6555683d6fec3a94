import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { TaskEntity } from '@app/persistence';
import { CurrentUser, type AuthUser } from '../common/auth-user';
import { type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { DecisionDto, TaskQuery } from './tasks.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

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
}
