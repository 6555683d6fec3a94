import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth-user';
import { QueueReportDto } from './queues.dto';
import { QueueMonitorService } from './queue-monitor.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@ApiForbiddenResponse({ description: '不是管理员' })
@Controller('admin/queues')
export class QueuesController {
  constructor(private readonly monitor: QueueMonitorService) {}

  @Get()
  @ApiOperation({
    summary: '邮件队列：各状态任务数、失败与重试中的任务及错误原因、发件箱统计',
    description: 'Redis 不可用时仍返回 200：redis 为 down，只给出发件箱（数据库）的统计。',
  })
  @ApiOkResponse({ type: QueueReportDto })
  get(): Promise<QueueReportDto> {
    return this.monitor.report();
  }
}
