import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { IsIsoDate } from '../common/validators';

export class DispatchQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'institutionId 必须是 UUID' }) institutionId?: string;
}

export class CreateDutyLogDto {
  @ApiProperty({ format: 'uuid', description: '选派记录' })
  @IsUUID('all', { message: 'dispatchId 必须是 UUID' })
  dispatchId!: string;
  @ApiProperty({ format: 'date', description: '驻点日期（北京时间），不晚于今天，在选派期限内' })
  @IsIsoDate({ message: 'date 必须是 YYYY-MM-DD 格式的日期' })
  date!: string;
  @ApiProperty({ minimum: 0.25, maximum: 24, example: 4, description: '驻点时长（小时，最多两位小数）' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: 'hours 必须是数字（小时，最多两位小数）' })
  @Min(0.25, { message: 'hours 至少 0.25 小时' })
  @Max(24, { message: 'hours 最多 24 小时' })
  hours!: number;
  @ApiPropertyOptional({ maxLength: 500, example: '组织党员学习，走访入住老人' })
  @IsOptional()
  @IsString({ message: 'note 必须是文本' })
  @MaxLength(500, { message: 'note 最多 500 个字' })
  note?: string;
}

export class EndDispatchDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: '工作调整，结束选派' })
  @IsString({ message: 'reason 必须是文本' })
  @MinLength(1, { message: 'reason 不能为空' })
  @MaxLength(500, { message: 'reason 最多 500 个字' })
  reason!: string;
}

export class DispatchLeaveDto {
  @ApiProperty({ type: [String], example: ['2026-W06'], description: '请假（免于考核）的 ISO 周，尚未评定的周' })
  @IsArray({ message: 'weeks 必须是 ISO 周的列表' })
  @ArrayMinSize(1, { message: 'weeks 至少 1 项' })
  @ArrayMaxSize(26, { message: 'weeks 最多 26 项' })
  @Matches(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, { each: true, message: 'weeks 的每一项必须是 YYYY-Www 格式的 ISO 周' })
  weeks!: string[];
  @ApiProperty({ minLength: 1, maxLength: 500, example: '参加集中培训' })
  @IsString({ message: 'reason 必须是文本' })
  @MinLength(1, { message: 'reason 不能为空' })
  @MaxLength(500, { message: 'reason 最多 500 个字' })
  reason!: string;
}

export class DutyLogDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) dispatchId!: string;
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty({ description: '驻点时长（小时）' }) hours!: number;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ format: 'uuid' }) loggedById!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) confirmedAt!: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) confirmedById!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class DutyWeekDto {
  @ApiProperty({ example: '2026-W05' }) week!: string;
  @ApiProperty({ format: 'date', description: '该周周一' }) weekStart!: string;
  @ApiProperty({ enum: ['MET', 'MISSED', 'EXEMPT'], description: '达标 / 缺勤 / 免于考核（请假、节假日周）' }) status!: string;
  @ApiProperty({ description: '经机构确认的时长（小时）' }) confirmedHours!: number;
  @ApiProperty({ description: '未确认的时长（小时）' }) unconfirmedHours!: number;
  @ApiProperty({ description: '截至该周连续缺勤周数（免考核周不计也不中断）' }) consecutiveMissed!: number;
  @ApiProperty({ format: 'date-time', description: '评定时间（该周后的周一零时，北京时间）' }) assessedAt!: Date;
}

export class DispatchAlertDto {
  @ApiProperty({ enum: ['REMIND_PERSON', 'ESCALATE_DISPATCHER', 'ESCALATE_PARENT'] }) kind!: string;
  @ApiProperty({ example: '2026-W05' }) week!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orgId!: string | null;
  @ApiProperty() consecutiveMissed!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class DispatchDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: '选派流程' }) processId!: string;
  @ApiProperty({ format: 'uuid' }) institutionId!: string;
  @ApiProperty({ enum: ['SECRETARY', 'FIRST_SECRETARY', 'INSTRUCTOR'] }) role!: string;
  @ApiProperty() personName!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) personUserId!: string | null;
  @ApiProperty({ format: 'uuid', description: '选派单位' }) dispatchingOrgId!: string;
  @ApiProperty({ format: 'date' }) fromDate!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) toDate!: string | null;
  @ApiProperty({ enum: ['ACTIVE', 'ENDED'] }) status!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) endReason!: string | null;
  @ApiProperty({ type: [String], description: '请假（免考核）的 ISO 周' }) leaveWeeks!: string[];
  @ApiProperty() dutyWorkflowId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class DispatchDetailDto extends DispatchDto {
  @ApiProperty({ type: [DutyWeekDto], description: '已评定的各周：达标 / 缺勤 / 免考核' }) weeks!: DutyWeekDto[];
  @ApiProperty({ type: [DispatchAlertDto], description: '缺勤提醒与连续缺勤上报' }) alerts!: DispatchAlertDto[];
  @ApiProperty({ type: [DutyLogDto] }) dutyLogs!: DutyLogDto[];
}
