import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DECISIONS, TASK_STATUSES, type Decision, type TaskStatus } from '@app/domain';
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
  @ApiPropertyOptional({ description: '为空表示退回组织待办（任何审批人可办理）', nullable: true })
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
  @ApiPropertyOptional({ enum: TASK_STATUSES, default: 'OPEN' }) @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
}
