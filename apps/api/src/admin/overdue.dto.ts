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
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) candidateOrgId!: string | null;
  @ApiProperty({ description: '被询问的组织或机构的名称' }) candidateOrgName!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId!: string | null;
  @ApiProperty({ format: 'uuid' }) processId!: string;
  @ApiProperty({ enum: PROCESS_KINDS }) processKind!: string;
  @ApiProperty({ enum: PROCESS_STATUSES }) processStatus!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) institutionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) institutionName!: string | null;
}

export class ExpiredTermDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PARTY_ORG_KINDS }) kind!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) parentName!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) institutionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) institutionName!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) termStart!: string | null;
  @ApiProperty({ format: 'date' }) termEnd!: string;
  @ApiProperty({ description: '任期已届满的天数' }) expiredDays!: number;
}

export class OverdueTransferDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty() memberName!: string;
  @ApiProperty({ format: 'date', description: '入职日期' }) joinedAt!: string;
  @ApiProperty({ format: 'date', description: '应完成转接的日期（入职后 90 天，R11）' }) dueBy!: string;
  @ApiProperty({ description: '已逾期的天数' }) overdueDays!: number;
  @ApiProperty({ format: 'uuid' }) institutionId!: string;
  @ApiProperty() institutionName!: string;
  @ApiProperty({ format: 'uuid', description: '应转入的机构党组织' }) organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '进行中的组织关系转接流程（没有则为 null）' }) processId!: string | null;
}

export class OverdueDispatchDto {
  @ApiProperty({ format: 'uuid' }) dispatchId!: string;
  @ApiProperty({ enum: ['SECRETARY', 'FIRST_SECRETARY', 'INSTRUCTOR'] }) role!: string;
  @ApiProperty() personName!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) personUserId!: string | null;
  @ApiProperty({ format: 'uuid' }) institutionId!: string;
  @ApiProperty() institutionName!: string;
  @ApiProperty({ format: 'uuid', description: '选派单位' }) dispatchingOrgId!: string;
  @ApiProperty() dispatchingOrgName!: string;
  @ApiProperty({ format: 'uuid', description: '选派流程' }) processId!: string;
  @ApiProperty({ example: '2026-W05', description: '最近评定的周' }) lastWeek!: string;
  @ApiProperty({ enum: ['MISSED', 'EXEMPT'] }) lastWeekStatus!: string;
  @ApiProperty({ description: '连续缺勤的周数（免考核周不计也不中断）' }) consecutiveMissed!: number;
  @ApiProperty({ type: String, nullable: true, description: '本轮连续缺勤的第一周' }) streakStart!: string | null;
  @ApiProperty({ description: '已上报选派单位（连续 2 周）' }) escalatedToDispatcher!: boolean;
  @ApiProperty({ description: '已上报选派单位的上级党组织（连续 4 周）' }) escalatedToParent!: boolean;
}

export class StuckActivityDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty({ description: '活动（activity）类型' }) activityType!: string;
  @ApiProperty({ description: '已尝试次数（仍在自动重试）' }) attempt!: number;
  @ApiProperty({ description: '最近一次失败的原因' }) lastError!: string;
  @ApiProperty({ format: 'date-time' }) firstSeenAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class OverdueCountsDto {
  @ApiProperty() tasks!: number;
  @ApiProperty() terms!: number;
  @ApiProperty() transfers!: number;
  @ApiProperty() dispatches!: number;
  @ApiProperty() activities!: number;
}

export class OverdueReportDto {
  @ApiProperty({ format: 'date-time' }) generatedAt!: Date;
  @ApiProperty({ format: 'date', description: '判断任期届满所依据的日期（Asia/Shanghai）' }) asOf!: string;
  @ApiProperty({ type: OverdueCountsDto, description: '各类的总数（列表最多各列出 500 条）' }) counts!: OverdueCountsDto;
  @ApiProperty({ type: [OverdueTaskDto], description: '超过办理期限仍未办结（OPEN）的待办，逾期最久的在前' }) tasks!: OverdueTaskDto[];
  @ApiProperty({ type: [ExpiredTermDto], description: '任期已届满（termEnd 早于今天，Asia/Shanghai）且没有进行中的换届流程的党组织' }) terms!: ExpiredTermDto[];
  @ApiProperty({
    type: [OverdueTransferDto],
    description: 'R11：入职满 90 天仍未转入机构党组织的工作人员党员组织关系（含已在转接中的，见 processId），逾期最久的在前',
  })
  transfers!: OverdueTransferDto[];
  @ApiProperty({ type: [OverdueDispatchDto], description: 'R9/R15：在岗的选派人员最近评定的周仍处于连续缺勤（每周至少半天未达标），连续最久的在前' })
  dispatches!: OverdueDispatchDto[];
  @ApiProperty({ type: [StuckActivityDto], description: '多次重试仍失败的后台活动（系统会继续重试，成功后自动消失），需要运维人员处理' })
  activities!: StuckActivityDto[];
}
