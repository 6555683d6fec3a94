import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth-user';
import { type Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { AdminProcessPageDto, AdminProcessQuery, ProcessHistoryDto, ProcessSummaryDto, type AdminProcessRowDto } from './admin-processes.dto';
import { AdminProcessesService } from './admin-processes.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@ApiForbiddenResponse({ description: '不是管理员' })
@Controller('admin/processes')
export class AdminProcessesController {
  constructor(
    private readonly processes: AdminProcessesService,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  @Get('summary')
  @ApiOperation({ summary: '运行概况：按流程类型和状态统计的流程数，以及 Temporal Web UI 的地址' })
  @ApiOkResponse({ type: ProcessSummaryDto })
  async summary(): Promise<ProcessSummaryDto> {
    const rows: Array<{ kind: string; status: string; count: string }> = await this.ds.query(
      'SELECT kind, status, count(*) AS count FROM processes GROUP BY kind, status ORDER BY kind, status',
    );
    return {
      counts: rows.map((r) => ({ kind: r.kind, status: r.status, count: Number(r.count) })),
      temporalUiUrl: this.cfg.temporalUiUrl,
      temporalNamespace: this.cfg.temporalNamespace,
    };
  }

  @Get()
  @ApiOperation({
    summary: '流程监控：数据库中的流程，以及每个流程在 Temporal 中的实时状态',
    description:
      '每行给出数据库状态、未办结的待办，以及 Temporal describe 的 workflowStatus、historyLength、pendingActivities（并发读取，单次有超时）。' +
      'Temporal 已删除（超过保留期）的工作流显示为 UNKNOWN，读取失败的显示为 UNAVAILABLE，都不影响列表本身。',
  })
  @ApiOkResponse({ type: AdminProcessPageDto })
  list(@Query() q: AdminProcessQuery): Promise<Page<AdminProcessRowDto>> {
    return this.processes.list(q);
  }

  @Get(':id/history')
  @ApiOperation({
    summary: '工作流事件历史（摘要）',
    description: '逐条列出事件编号、时间、类型和要点（活动类型、计时器时长、update / signal 名称、失败原因）。Temporal 已没有该工作流时 historyAvailable 为 false。',
  })
  @ApiOkResponse({ type: ProcessHistoryDto })
  @ApiNotFoundResponse({ description: '流程不存在' })
  history(@Param('id', new IdParam('流程')) id: string): Promise<ProcessHistoryDto> {
    return this.processes.history(id);
  }
}
