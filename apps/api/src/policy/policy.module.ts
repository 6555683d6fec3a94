import { Module } from '@nestjs/common';
import { ScopeService } from '../common/scope.service';
import { ComplianceController } from './compliance.controller';
import { ComplianceService } from './compliance.service';
import { CoverageController } from './coverage.controller';
import { CoverageService } from './coverage.service';
import { PolicySettingsController } from './policy-settings.controller';
import { PolicySettingsService } from './policy-settings.service';

/** Compliance verdicts, coverage dashboard and editable policy settings (issue: policy engine). */
@Module({
  controllers: [ComplianceController, CoverageController, PolicySettingsController],
  providers: [ComplianceService, CoverageService, PolicySettingsService, ScopeService],
})
export class PolicyModule {}
