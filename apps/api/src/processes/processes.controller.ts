import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { PROCESS_KINDS } from '@app/domain';
import { CurrentUser, type AuthUser } from '../common/auth-user';
import { ApiError, notFound } from '../common/errors';
import { type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { createValidationPipe } from '../common/validation';
import { EstablishBranchDto, ProcessQuery, WithdrawDto } from './processes.dto';
import { ProcessesService, type ProcessView } from './processes.service';

@ApiTags('processes')
@ApiBearerAuth()
@Controller('processes')
export class ProcessesController {
  constructor(private readonly processes: ProcessesService) {}

  @Post(':kind')
  @ApiBody({ type: EstablishBranchDto, description: 'establish-branch 的请求体；其他流程类型见 API.md' })
  async start(@CurrentUser() user: AuthUser, @Param('kind') kind: string, @Body() body: unknown): Promise<ProcessView> {
    if (!(PROCESS_KINDS as readonly string[]).includes(kind)) throw notFound('流程类型');
    if (kind === 'establish-branch') {
      const dto = await validated(EstablishBranchDto, body);
      return this.processes.startEstablishBranch(user, dto);
    }
    throw new ApiError(501, `流程类型 ${kind} 尚未开放`);
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
  @ApiBody({ type: EstablishBranchDto })
  async resubmit(@CurrentUser() user: AuthUser, @Param('id', new IdParam('流程')) id: string, @Body() body: unknown): Promise<ProcessView> {
    const dto = await validated(EstablishBranchDto, body);
    return this.processes.resubmit(user, id, dto);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentUser() user: AuthUser, @Param('id', new IdParam('流程')) id: string, @Body() dto: WithdrawDto): Promise<ProcessView> {
    return this.processes.withdraw(user, id, dto.reason);
  }
}

/** The body's shape depends on the URL's kind, so it is validated here with the same pipe settings. */
async function validated<T extends object>(cls: new () => T, body: unknown): Promise<T> {
  const pipe = createValidationPipe();
  const out = await pipe.transform(body, { type: 'body', metatype: cls });
  return out as T;
}
