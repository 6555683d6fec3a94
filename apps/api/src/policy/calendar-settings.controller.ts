import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SettingsAuditEntity } from '@app/persistence';
import { CurrentUser, Roles, type AuthUser } from '../common/auth-user';
import { PageQuery, type Page } from '../common/pagination';
import { WorkingCalendarDto, WorkingCalendarPatchDto } from './calendar-settings.dto';
import { CalendarSettingsService } from './calendar-settings.service';
import type { WorkingCalendar } from './calendar-settings.validator';
import { SettingsAuditPageDto } from './policy-settings.dto';

const APPLIES_FROM_NOW =
  '只影响此后新打开的待办：审批期限按打开时的工作日历计算；已打开的待办保留原有的到期日和提醒时间，不会重新计算。';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('admin/settings/calendar')
export class CalendarSettingsController {
  constructor(private readonly calendar: CalendarSettingsService) {}

  @Get()
  @ApiOperation({ summary: '当前工作日历：法定节假日和调休上班日（升序）', description: APPLIES_FROM_NOW })
  @ApiOkResponse({ type: WorkingCalendarDto })
  get(): Promise<WorkingCalendar> {
    return this.calendar.current();
  }

  @Patch()
  @ApiOperation({
    summary: '修改工作日历（整体替换或逐个增删；全部校验通过才修改，出错时不做任何修改）',
    description:
      `${APPLIES_FROM_NOW}日期为 YYYY-MM-DD（2000–2100 年），每个列表最多 1000 项；节假日只能是星期一至星期五，` +
      '调休上班日只能是星期六或星期日，同一天不能既是节假日又是调休上班日。出错时返回 400，details 逐项指明字段（如 holidays[3]）。每次实际修改记入审计。',
  })
  @ApiBody({ type: WorkingCalendarPatchDto })
  @ApiOkResponse({ type: WorkingCalendarDto })
  patch(@CurrentUser() user: AuthUser, @Body() body: unknown): Promise<WorkingCalendar> {
    return this.calendar.patch(user, body);
  }

  @Get('audit')
  @ApiOperation({ summary: '工作日历修改记录（最新在前）' })
  @ApiOkResponse({ type: SettingsAuditPageDto })
  audit(@Query() q: PageQuery): Promise<Page<SettingsAuditEntity>> {
    return this.calendar.audit(q);
  }
}
