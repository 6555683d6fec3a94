import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { CALENDAR_MAX_ENTRIES } from './calendar-settings.validator';

const dates = (description: string, example: string[]): ApiPropertyOptions => ({
  type: [String],
  format: 'date',
  maxItems: CALENDAR_MAX_ENTRIES,
  description,
  example,
});

export class WorkingCalendarDto {
  @ApiProperty(dates('法定节假日（周一至周五中放假的日期），升序', ['2026-10-01', '2026-10-02'])) holidays!: string[];
  @ApiProperty(dates('调休上班日（需上班的星期六、星期日），升序', ['2026-09-27'])) extraWorkdays!: string[];
}

export class WorkingCalendarPatchDto {
  @ApiPropertyOptional(dates('整体替换节假日列表（不能与 addHolidays / removeHolidays 同时提交）；只能是星期一至星期五', ['2026-10-01']))
  holidays?: string[];
  @ApiPropertyOptional(dates('整体替换调休上班日列表（不能与 addExtraWorkdays / removeExtraWorkdays 同时提交）；只能是星期六或星期日', ['2026-09-27']))
  extraWorkdays?: string[];
  @ApiPropertyOptional(dates('增加节假日', ['2026-10-08'])) addHolidays?: string[];
  @ApiPropertyOptional(dates('移除节假日（不在列表中的日期忽略）', ['2026-10-08'])) removeHolidays?: string[];
  @ApiPropertyOptional(dates('增加调休上班日', ['2026-10-11'])) addExtraWorkdays?: string[];
  @ApiPropertyOptional(dates('移除调休上班日（不在列表中的日期忽略）', ['2026-10-11'])) removeExtraWorkdays?: string[];
}
