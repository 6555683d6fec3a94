import { Module } from '@nestjs/common';
import { ScopeModule } from '../common/scope.service';
import { CalendarSettingsController } from './calendar-settings.controller';
import { CalendarSettingsService } from './calendar-settings.service';
import { ComplianceController } from './compliance.controller';
import { ComplianceService } from './compliance.service';
import { CoverageController } from './coverage.controller';
import { CoverageService } from './coverage.service';
import { PolicySettingsController } from './policy-settings.controller';
import { PolicySettingsService } from './policy-settings.service';

/** Compliance verdicts, coverage dashboard, editable policy settings and working-day calendar (issue: policy engine). */
@Module({
  imports: [ScopeModule],
  controllers: [ComplianceController, CoverageController, PolicySettingsController, CalendarSettingsController],
  providers: [ComplianceService, CoverageService, PolicySettingsService, CalendarSettingsService],
})
export class PolicyModule {}
