import { Module } from '@nestjs/common';

/** Admin monitoring: live workflow state, histories, overdue work, email queue (issue: approval kernel). */
@Module({})
export class AdminModule {}
