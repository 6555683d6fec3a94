import { ApiProperty } from '@nestjs/swagger';

export class QueueCountsDto {
  @ApiProperty() waiting!: number;
  @ApiProperty() active!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ description: '等待下次重试（指数退避）或定时的任务' }) delayed!: number;
  @ApiProperty() prioritized!: number;
  @ApiProperty() paused!: number;
}

export class EmailJobDto {
  @ApiProperty({ description: 'BullMQ 任务 id（即发件箱记录 id）' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) outboxId!: string | null;
  @ApiProperty({ description: '已尝试次数' }) attemptsMade!: number;
  @ApiProperty({ description: '最多尝试次数' }) maxAttempts!: number;
  @ApiProperty({ type: String, nullable: true, description: '最近一次失败的原因' }) failedReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt!: string | null;
}

export class OutboxCountsDto {
  @ApiProperty() PENDING!: number;
  @ApiProperty() SENDING!: number;
  @ApiProperty() SENT!: number;
  @ApiProperty() FAILED!: number;
}

export class OutboxProblemDto {
  @ApiProperty() id!: string;
  @ApiProperty() template!: string;
  @ApiProperty() toAddress!: string;
  @ApiProperty({ enum: ['PENDING', 'SENDING', 'FAILED'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() lastError!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) processId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class QueueReportDto {
  @ApiProperty({ example: 'email' }) queue!: string;
  @ApiProperty({ enum: ['up', 'down'], description: 'down：Redis 无法连接，只给出发件箱（数据库）的统计' }) redis!: 'up' | 'down';
  @ApiProperty({ type: String, nullable: true }) redisError!: string | null;
  @ApiProperty({ type: QueueCountsDto, nullable: true }) counts!: QueueCountsDto | null;
  @ApiProperty({ type: [EmailJobDto], description: '已用尽重试次数的任务（最多 50 条）' }) failedJobs!: EmailJobDto[];
  @ApiProperty({ type: [EmailJobDto], description: '失败后等待下次重试的任务（最多 50 条）' }) retryingJobs!: EmailJobDto[];
  @ApiProperty({ type: OutboxCountsDto, description: '发件箱（email_outbox）各状态的记录数' }) outbox!: OutboxCountsDto;
  @ApiProperty({ type: [OutboxProblemDto], description: '尚未发出且有错误记录的邮件（最多 50 条，最早的在前）' }) outboxErrors!: OutboxProblemDto[];
}

export class QueueBoardSessionDto {
  @ApiProperty({ description: '队列面板地址（同源打开，凭 Cookie 访问）', example: '/admin/queues/board/' }) url!: string;
  @ApiProperty({ format: 'date-time', description: '面板会话到期时间（最长 15 分钟，且不超过当前登录令牌的有效期）' }) expiresAt!: string;
}
