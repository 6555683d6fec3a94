import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth-user';
import { type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { payloadSchemas } from './process-kinds.controller';
import { ProcessQuery, WithdrawDto } from './processes.dto';
import { ProcessesService, type ProcessView } from './processes.service';

@ApiTags('processes')
@ApiBearerAuth()
@Controller('processes')
export class ProcessesController {
  constructor(private readonly processes: ProcessesService) {}

  @Post(':kind')
  @ApiBody({ schema: { oneOf: payloadSchemas() }, description: '请求体随流程类型而定（见 GET /process-kinds 中各类型的 payloadSchema）' })
  start(@CurrentUser() user: AuthUser, @Param('kind') kind: string, @Body() body: unknown): Promise<ProcessView> {
    return this.processes.start(user, kind, body);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: ProcessQuery): Promise<Page<ProcessView>> {
    return this.processes.list(user, q);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', new IdParam('流程')) id: string): ReturnType<ProcessesService['get']> {
    return this.processes.get(user, id);
  }

  @Post(':id/urge')
  @HttpCode(200)
  urge(@CurrentUser() user: AuthUser, @Param('id', new IdParam('流程')) id: string): Promise<ProcessView> {
    return this.processes.urge(user, id);
  }

  @Post(':id/resubmit')
  @HttpCode(200)
  @ApiBody({ schema: { oneOf: payloadSchemas() }, description: '与提交时相同的请求体（该流程类型的 payloadSchema）' })
  resubmit(@CurrentUser() user: AuthUser, @Param('id', new IdParam('流程')) id: string, @Body() body: unknown): Promise<ProcessView> {
    return this.processes.resubmit(user, id, body);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentUser() user: AuthUser, @Param('id', new IdParam('流程')) id: string, @Body() dto: WithdrawDto): Promise<ProcessView> {
    return this.processes.withdraw(user, id, dto.reason);
  }
}
