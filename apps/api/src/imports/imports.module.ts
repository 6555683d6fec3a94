import { Module } from '@nestjs/common';

/** Spreadsheet imports of institutions and members with downloadable templates (issue: policy engine). */
@Module({})
export class ImportsModule {}
