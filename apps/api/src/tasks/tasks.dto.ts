import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DECISIONS, PROCESS_KINDS, TASK_STATUSES, type Decision, type ProcessKind, type TaskStatus } from '@app/domain';
import { PageQuery } from '../common/pagination';

export class DecisionDto {
  @ApiProperty({ enum: DECISIONS }) @IsIn(DECISIONS, { message: 'decision 必须是 APPROVE、REJECT 或 RETURN' }) decision!: Decision;
  @ApiProperty() @IsString({ message: 'comment 必须是字符串' }) @MaxLength(2000) comment!: string;
  @ApiPropertyOptional({ description: '结构化数据，例如 {secretaryMemberId}' }) @IsOptional() @IsObject() data?: Record<string, unknown>;
  @ApiPropertyOptional({ description: '退回时：APPLICANT（默认，退回申请人）或更早环节的标识' }) @IsOptional() @IsString() @MaxLength(100) returnTo?: string;
  @ApiPropertyOptional({ type: [String], description: '本人上传到该待办、尚未用于其他决定的附件（POST /tasks/:id/attachments），最多 10 个' })
  @IsOptional()
  @IsArray({ message: 'attachmentIds 必须是数组' })
  @ArrayMaxSize(10, { message: 'attachmentIds 最多 10 个' })
  @ArrayUnique({ message: 'attachmentIds 不能重复' })
  @IsUUID('all', { each: true, message: 'attachmentIds 中每一项都必须是 UUID' })
  attachmentIds?: string[];
}

export class TransferDto {
  @ApiProperty({ description: '同一组织内的另一位审批人' }) @IsUUID('all', { message: 'toUserId 必须是 UUID' }) toUserId!: string;
  @ApiProperty() @IsString() @MaxLength(2000) comment!: string;
}

export class ReassignDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: '为空（null 或不填）表示退回组织待办（任何审批人可办理）' })
  @IsOptional()
  @IsUUID('all', { message: 'toUserId 必须是 UUID' })
  toUserId?: string | null;
  @ApiProperty() @IsString() @MaxLength(2000) comment!: string;
}

export class AddSignerDto {
  @ApiProperty({ description: '加签的组织' }) @IsUUID('all', { message: 'orgId 必须是 UUID' }) orgId!: string;
  @ApiProperty({ enum: ['BEFORE', 'AFTER'] }) @IsIn(['BEFORE', 'AFTER'], { message: 'position 必须是 BEFORE 或 AFTER' }) position!: 'BEFORE' | 'AFTER';
  @ApiProperty() @IsString() @MaxLength(2000) comment!: string;
}

export class CommentDto {
  @ApiProperty() @IsString() @MaxLength(2000) comment!: string;
}

export class BatchDecisionDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1, { message: 'taskIds 不能为空' })
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'taskIds 中每一项都必须是 UUID' })
  taskIds!: string[];
  @ApiProperty({ enum: ['APPROVE'] }) @IsIn(['APPROVE'], { message: '批量办理只支持 APPROVE' }) decision!: 'APPROVE';
  @ApiProperty() @IsString() @MaxLength(2000) comment!: string;
}

export class TaskQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES, description: '默认 OPEN；decided=true 时默认不限' }) @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
  @ApiPropertyOptional({ enum: PROCESS_KINDS, description: '只列出该流程类型的待办' }) @IsOptional() @IsIn(PROCESS_KINDS, { message: 'kind 必须是已知的流程类型' }) kind?: ProcessKind;
  @ApiPropertyOptional({ enum: ['createdAt', 'dueAt'], default: 'createdAt', description: 'dueAt：按办理期限排序，最早到期的在前' })
  @IsOptional()
  @IsIn(['createdAt', 'dueAt'], { message: 'sort 只能是 createdAt 或 dueAt' })
  sort?: 'createdAt' | 'dueAt';
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true：本人（含代理他人）作出决定的待办（已办）' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'decided 只能是 true 或 false' })
  decided?: 'true' | 'false';
}
