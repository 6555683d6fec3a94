import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PROCESS_KINDS, PROCESS_STATUSES, type ProcessKind, type ProcessStatus } from '@app/domain';
import { PageQuery } from '../common/pagination';
import { WORKFLOW_STATUSES } from './workflow-state.service';

export class AdminProcessQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PROCESS_STATUSES, description: '数据库中的流程状态' }) @IsOptional() @IsIn(PROCESS_STATUSES) status?: ProcessStatus;
  @ApiPropertyOptional({ enum: PROCESS_KINDS }) @IsOptional() @IsIn(PROCESS_KINDS) kind?: ProcessKind;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true：只列出有已逾期待办（超过办理期限或已标记逾期）的流程' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue 只能是 true 或 false' })
  overdue?: 'true' | 'false';
}

export class PendingActivityDto {
  @ApiProperty() activityId!: string;
  @ApiProperty({ example: 'openTask' }) activityType!: string;
  @ApiProperty({ example: 'SCHEDULED', description: 'SCHEDULED / STARTED / CANCEL_REQUESTED / PAUSED …' }) state!: string;
  @ApiProperty({ description: '当前第几次尝试（大于 1 表示在重试）' }) attempt!: number;
  @ApiProperty({ type: String, nullable: true, description: '上一次失败的原因' }) lastFailure!: string | null;
}

export class PendingActivitiesDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: [String] }) activityTypes!: string[];
  @ApiProperty({ type: [PendingActivityDto] }) items!: PendingActivityDto[];
}

export class OpenTaskBriefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() step!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '被询问的组织；询问某机构申请人的待办为空' }) candidateOrgId!: string | null;
  @ApiProperty({ format: 'date-time' }) dueAt!: Date;
  @ApiProperty({ description: '已超过办理期限或已标记逾期' }) overdue!: boolean;
}

export class AdminProcessRowDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROCESS_KINDS }) kind!: string;
  @ApiProperty({ enum: PROCESS_STATUSES, description: '数据库中的流程状态' }) status!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) institutionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) institutionName!: string | null;
  @ApiProperty({ format: 'uuid' }) applicantId!: string;
  @ApiProperty() currentStep!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: Date | null;
  @ApiProperty({ type: [OpenTaskBriefDto] }) openTasks!: OpenTaskBriefDto[];
  @ApiProperty({
    enum: WORKFLOW_STATUSES,
    description: 'Temporal 中的执行状态（describe）。UNKNOWN：Temporal 已没有该工作流（超过保留期）；UNAVAILABLE：本次未能读取（超时或 Temporal 不可用）',
  })
  workflowStatus!: string;
  @ApiProperty({ type: Number, nullable: true, description: '事件历史的长度；UNKNOWN / UNAVAILABLE 时为 null' }) historyLength!: number | null;
  @ApiProperty({ type: PendingActivitiesDto }) pendingActivities!: PendingActivitiesDto;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: '数据库状态与工作流状态是否一致（进行中的流程对应 RUNNING 的工作流，已结束的流程对应已结束的工作流）；无法读取时为 null。工作流收尾的瞬间可能短暂为 false',
  })
  inSync!: boolean | null;
  @ApiProperty({ type: String, nullable: true, description: '读取不到实时状态的原因' }) liveError!: string | null;
}

export class AdminProcessPageDto {
  @ApiProperty({ type: [AdminProcessRowDto] }) items!: AdminProcessRowDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class HistoryEventDto {
  @ApiProperty() eventId!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) time!: string | null;
  @ApiProperty({ example: 'ACTIVITY_TASK_SCHEDULED', description: 'Temporal EventType 名称（去掉 EVENT_TYPE_ 前缀）' }) type!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    description: '按事件类型给出：activityType、activityId、attempt、timerId、timerDuration、updateName、updateId、signalName、failure、workflowType、reason 等',
    example: { activityType: 'openTask', activityId: '3' },
  })
  details!: Record<string, string | number>;
}

export class ProcessHistoryDto {
  @ApiProperty({ format: 'uuid' }) processId!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ type: String, nullable: true }) runId!: string | null;
  @ApiProperty({ description: 'false：Temporal 已没有该工作流的历史（超过保留期），请查看流程时间线' }) historyAvailable!: boolean;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty() eventCount!: number;
  @ApiProperty({ type: [HistoryEventDto] }) events!: HistoryEventDto[];
}

export class ProcessCountDto {
  @ApiProperty({ enum: PROCESS_KINDS }) kind!: string;
  @ApiProperty({ enum: PROCESS_STATUSES }) status!: string;
  @ApiProperty() count!: number;
}

export class ProcessSummaryDto {
  @ApiProperty({ type: [ProcessCountDto], description: '按流程类型和状态统计的流程数' }) counts!: ProcessCountDto[];
  @ApiProperty({ description: 'Temporal Web UI 地址（TEMPORAL_UI_URL）' }) temporalUiUrl!: string;
  @ApiProperty() temporalNamespace!: string;
}
