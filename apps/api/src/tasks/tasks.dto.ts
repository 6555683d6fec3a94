import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { DECISIONS, TASK_STATUSES, type Decision, type TaskStatus } from '@app/domain';
import { PageQuery } from '../common/pagination';

export class DecisionDto {
  @ApiProperty({ enum: DECISIONS }) @IsIn(DECISIONS, { message: 'decision 必须是 APPROVE、REJECT 或 RETURN' }) decision!: Decision;
  @ApiProperty() @IsString({ message: 'comment 必须是字符串' }) @MaxLength(2000) comment!: string;
  @ApiPropertyOptional({ description: '结构化数据，例如 {secretaryMemberId}' }) @IsOptional() @IsObject() data?: Record<string, unknown>;
}

export class TaskQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES, default: 'OPEN' }) @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
}
