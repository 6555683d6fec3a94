import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth-user';
import { OverdueReportDto } from './overdue.dto';
import { OverdueService } from './overdue.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@ApiForbiddenResponse({ description: '不是管理员' })
@Controller('admin/overdue')
export class OverdueController {
  constructor(private readonly overdue: OverdueService) {}

  @Get()
  @ApiOperation({
    summary: '逾期事项：超过办理期限的待办、任期届满未换届的党组织、逾期未转入的组织关系、驻点不足的选派人员',
    description:
      'tasks：OPEN 且已过 dueAt 的待办（含流程、办理单位、逾期多久）；terms：termEnd 早于今天（Asia/Shanghai）且没有进行中换届流程的党组织；' +
      'transfers：入职满 90 天（R11）组织关系仍未转入机构党组织的工作人员党员（processId 为进行中的转接流程）；' +
      'dispatches：选派流程尚未上线，暂无选派记录表，目前总是空列表。',
  })
  @ApiOkResponse({ type: OverdueReportDto })
  get(): Promise<OverdueReportDto> {
    return this.overdue.report();
  }
}
