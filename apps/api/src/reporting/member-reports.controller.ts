import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberReportEntity } from '@app/persistence';
import { CurrentUser, type AuthUser } from '../common/auth-user';
import { IdParam } from '../common/params';
import { CreateMemberReportDto, MemberReportDto } from './member-reports.dto';
import { MemberReportsService } from './member-reports.service';

@ApiTags('members')
@ApiBearerAuth()
@Controller('members')
export class MemberReportsController {
  constructor(private readonly reports: MemberReportsService) {}

  @Post(':id/report')
  @HttpCode(201)
  @ApiOperation({
    summary: '老年人党员报到（不转移组织关系）',
    description: '管理员或党员所在机构的申请人登记；报到的党组织须是机构的党组织或其老年人党支部。工作人员党员 400（R11：应转入组织关系），已报到或组织关系已在该党组织 409。',
  })
  @ApiCreatedResponse({ type: MemberReportDto })
  report(@CurrentUser() user: AuthUser, @Param('id', new IdParam('党员')) id: string, @Body() dto: CreateMemberReportDto): Promise<MemberReportEntity> {
    return this.reports.report(user, id, dto);
  }

  @Get(':id/reports')
  @ApiOperation({ summary: '党员的报到记录' })
  @ApiOkResponse({ type: [MemberReportDto] })
  list(@CurrentUser() user: AuthUser, @Param('id', new IdParam('党员')) id: string): Promise<MemberReportEntity[]> {
    return this.reports.list(user, id);
  }
}
