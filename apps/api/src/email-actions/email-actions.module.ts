import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TasksModule } from '../tasks/tasks.module';
import { EmailActionsController } from './email-actions.controller';
import { EmailActionsService } from './email-actions.service';

/** Acting on a task straight from an email: token links whose GET only shows, whose POST decides. */
@Module({
  imports: [TasksModule, AuthModule],
  controllers: [EmailActionsController],
  providers: [EmailActionsService],
})
export class EmailActionsModule {}
