import { ApiProperty } from '@nestjs/swagger';
import { PARTY_ORG_KINDS, PROCESS_KINDS, PROCESS_STATUSES } from '@app/domain';

export class OverdueTaskDto {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() step!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: Date;
  @ApiProperty({ description: '已逾期的秒数' }) overdueSeconds!: number;
  @ApiProperty({ example: '3天4小时', description: '已逾期多久（便于阅读）' }) overdueText!: string;
  @ApiProperty({ description: '工作流的期限计时器是否已将其标记为逾期（并已发出逾期提醒）' }) markedOverdue!: boolean;
  @ApiProperty({ format: 'uuid' }) candidateOrgId!: string;
  @ApiProperty() candidateOrgName!: string;
  @ApiProperty({ format: 'uuid', nullable: true }) assigneeId!: string | null;
  @ApiProperty({ format: 'uuid' }) processId!: string;
  @ApiProperty({ enum: PROCESS_KINDS }) processKind!: string;
  @ApiProperty({ enum: PROCESS_STATUSES }) processStatus!: string;
  @ApiProperty({ format: 'uuid', nullable: true }) institutionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) institutionName!: string | null;
}

export class ExpiredTermDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PARTY_ORG_KINDS }) kind!: string;
  @ApiProperty({ format: 'uuid', nullable: true }) parentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) parentName!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true }) institutionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) institutionName!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) termStart!: string | null;
  @ApiProperty({ format: 'date' }) termEnd!: string;
  @ApiProperty({ description: '任期已届满的天数' }) expiredDays!: number;
}

export class OverdueCountsDto {
  @ApiProperty() tasks!: number;
  @ApiProperty() terms!: number;
  @ApiProperty() dispatches!: number;
}

export class OverdueReportDto {
  @ApiProperty({ format: 'date-time' }) generatedAt!: Date;
  @ApiProperty({ format: 'date', description: '判断任期届满所依据的日期（Asia/Shanghai）' }) asOf!: string;
  @ApiProperty({ type: OverdueCountsDto, description: '各类的总数（列表最多各列出 500 条）' }) counts!: OverdueCountsDto;
  @ApiProperty({ type: [OverdueTaskDto], description: '超过办理期限仍未办结（OPEN）的待办，逾期最久的在前' }) tasks!: OverdueTaskDto[];
  @ApiProperty({ type: [ExpiredTermDto], description: '任期已届满（termEnd 早于今天，Asia/Shanghai）且没有进行中的换届流程的党组织' }) terms!: ExpiredTermDto[];
  @ApiProperty({
    type: [Object],
    description: '选派人员本周驻点天数不足的情况。选派（secretary-dispatch）流程及其记录表尚未上线，目前总是空列表',
    example: [],
  })
  dispatches!: unknown[];
}
