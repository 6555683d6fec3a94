import { Module } from '@nestjs/common';

/** Acting on a task straight from an email: token links whose GET only shows, whose POST decides. */
@Module({})
export class EmailActionsModule {}
