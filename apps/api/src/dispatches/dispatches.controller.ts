import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth-user';
import { IdParam } from '../common/params';
import { CreateDutyLogDto, DispatchDetailDto, DispatchDto, DispatchLeaveDto, DispatchQuery, DutyLogDto, EndDispatchDto } from './dispatches.dto';
import { DispatchesService } from './dispatches.service';

@ApiTags('dispatches')
@ApiBearerAuth()
@Controller()
export class DispatchesController {
  constructor(private readonly dispatches: DispatchesService) {}

  @Get('dispatches')
  @ApiOperation({ summary: '选派记录（书记、第一书记、党建工作指导员）', description: '按机构筛选；只列出可查看的机构的选派，以及本人被选派或本组织选派的记录。' })
  @ApiOkResponse({ type: [DispatchDto] })
  list(@CurrentUser() user: AuthUser, @Query() q: DispatchQuery) {
    return this.dispatches.list(user, q);
  }

  @Get('dispatches/:id')
  @ApiOperation({ summary: '选派记录及每周驻点评定（达标 / 缺勤 / 免考核）、提醒与上报、驻点记录' })
  @ApiOkResponse({ type: DispatchDetailDto })
  get(@CurrentUser() user: AuthUser, @Param('id', new IdParam('选派记录')) id: string) {
    return this.dispatches.get(user, id);
  }

  @Post('dispatches/:id/end')
  @HttpCode(200)
  @ApiOperation({ summary: '决定结束选派', description: '选派单位的审批人或管理员；已结束的 409。' })
  @ApiOkResponse({ type: DispatchDetailDto })
  end(@CurrentUser() user: AuthUser, @Param('id', new IdParam('选派记录')) id: string, @Body() dto: EndDispatchDto) {
    return this.dispatches.end(user, id, dto.reason);
  }

  @Post('dispatches/:id/leave')
  @HttpCode(200)
  @ApiOperation({ summary: '批准选派人员请假（免于考核的周）', description: '选派单位的审批人或管理员；只能是尚未评定的周，已评定的 409。' })
  @ApiOkResponse({ type: DispatchDetailDto })
  leave(@CurrentUser() user: AuthUser, @Param('id', new IdParam('选派记录')) id: string, @Body() dto: DispatchLeaveDto) {
    return this.dispatches.leave(user, id, dto.weeks, dto.reason);
  }

  @Post('duty-logs')
  @HttpCode(201)
  @ApiOperation({ summary: '选派人员登记驻点记录', description: '仅选派人员本人；日期在选派期限内且不晚于今天。经机构确认后计入每周至少半天的要求（R9）。' })
  @ApiCreatedResponse({ type: DutyLogDto })
  log(@CurrentUser() user: AuthUser, @Body() dto: CreateDutyLogDto) {
    return this.dispatches.log(user, dto);
  }

  @Post('duty-logs/:id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: '机构确认驻点记录', description: '选派到的机构的申请人确认；已确认的 409，不能确认本人登记的记录。' })
  @ApiOkResponse({ type: DutyLogDto })
  confirm(@CurrentUser() user: AuthUser, @Param('id', new IdParam('驻点记录')) id: string) {
    return this.dispatches.confirm(user, id);
  }
}
