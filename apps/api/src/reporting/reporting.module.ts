import { Module } from '@nestjs/common';
import { ScopeModule } from '../common/scope.service';
import { MemberReportsController } from './member-reports.controller';
import { MemberReportsService } from './member-reports.service';

/** 报到 records (R12/R13): `POST /members/:id/report`, `GET /members/:id/reports`. */
@Module({
  imports: [ScopeModule],
  controllers: [MemberReportsController],
  providers: [MemberReportsService],
})
export class ReportingModule {}
