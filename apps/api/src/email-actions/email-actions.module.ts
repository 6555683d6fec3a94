import { Module } from '@nestjs/common';
import { EmailActionsController } from './email-actions.controller';
import { EmailActionsService } from './email-actions.service';

/** Acting on a task straight from an email: token links whose GET only shows, whose POST decides. */
@Module({
  controllers: [EmailActionsController],
  providers: [EmailActionsService],
})
export class EmailActionsModule {}
