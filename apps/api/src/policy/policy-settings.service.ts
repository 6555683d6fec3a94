import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { mergePolicySettings, type PolicySettings, type PolicySettingsOverride } from '@app/domain';
import { SettingsService, type SettingsAuditEntity } from '@app/persistence';
import type { AuthUser } from '../common/auth-user';
import type { Page, PageQuery } from '../common/pagination';
import { editAuditedSetting, invalidSettings, settingAudit } from './audited-setting';
import { crossFieldErrors, diffSettings, mergeOverride, validatePolicyPatch } from './policy-settings.validator';

const POLICY_KEY = 'policy';

/**
 * Editing the policy settings row. The change applies to rules evaluated from now on; tasks already open keep
 * the candidate organisation stored when they opened (nothing here touches tasks or processes).
 */
@Injectable()
export class PolicySettingsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
  ) {}

  effective(): Promise<PolicySettings> {
    return this.settings.policy();
  }

  /** Validates everything first (nothing changes on error), then merges, stores and audits in one transaction. */
  async patch(user: AuthUser, patch: unknown): Promise<PolicySettings> {
    const errors = validatePolicyPatch(patch);
    if (errors.length > 0) throw invalidSettings(errors);
    const body = patch as Record<string, unknown>;
    return editAuditedSetting(this.ds, POLICY_KEY, {}, user, body, (storedBefore) => {
      const before = mergePolicySettings(storedBefore as PolicySettingsOverride);
      const storedAfter = mergeOverride(storedBefore, body);
      const after = mergePolicySettings(storedAfter as PolicySettingsOverride);
      const crossErrors = crossFieldErrors(after, body);
      if (crossErrors.length > 0) throw invalidSettings(crossErrors);
      return { stored: storedAfter, result: after, changes: diffSettings(before, after) };
    });
  }

  /** The audit trail, newest first. */
  audit(q: PageQuery): Promise<Page<SettingsAuditEntity>> {
    return settingAudit(this.ds, POLICY_KEY, q);
  }
}
