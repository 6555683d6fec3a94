import { Module } from '@nestjs/common';

/** Compliance verdicts, coverage dashboard and editable policy settings (issue: policy engine). */
@Module({})
export class PolicyModule {}
