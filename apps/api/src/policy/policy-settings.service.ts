import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { mergePolicySettings, type PolicySettings, type PolicySettingsOverride } from '@app/domain';
import { SettingsAuditEntity, SettingsService } from '@app/persistence';
import type { AuthUser } from '../common/auth-user';
import { ApiError } from '../common/errors';
import { keyset, limitOf, pageOf, type Page, type PageQuery } from '../common/pagination';
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
    if (errors.length > 0) throw invalid(errors);
    const body = patch as Record<string, unknown>;
    return this.ds.transaction(async (m) => {
      // Serialise concurrent edits on the row (created if a deployment removed it).
      await m.query(`INSERT INTO settings (key, value) VALUES ($1, '{}'::jsonb) ON CONFLICT (key) DO NOTHING`, [POLICY_KEY]);
      const [row] = (await m.query(`SELECT value FROM settings WHERE key = $1 FOR UPDATE`, [POLICY_KEY])) as Array<{ value: unknown }>;
      const storedBefore = row?.value ?? {};
      const before = mergePolicySettings(storedBefore as PolicySettingsOverride);
      const storedAfter = mergeOverride(storedBefore, body);
      const after = mergePolicySettings(storedAfter as PolicySettingsOverride);
      const crossErrors = crossFieldErrors(after, body);
      if (crossErrors.length > 0) throw invalid(crossErrors);
      const changes = diffSettings(before, after);
      if (changes.length === 0) return after;
      await m.query(`UPDATE settings SET value = $2::jsonb, updated_at = now() WHERE key = $1`, [POLICY_KEY, JSON.stringify(storedAfter)]);
      await m.query(
        `INSERT INTO settings_audit (setting_key, changed_by_id, changed_by_name, patch, changes) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`,
        [POLICY_KEY, user.id, `${user.displayName} (${user.username})`, JSON.stringify(body), JSON.stringify(changes)],
      );
      return after;
    });
  }

  /** The audit trail, newest first. */
  async audit(q: PageQuery): Promise<Page<SettingsAuditEntity>> {
    const qb = keyset(this.ds.getRepository(SettingsAuditEntity).createQueryBuilder('a'), 'a', q, 'DESC');
    qb.andWhere('a.setting_key = :key', { key: POLICY_KEY });
    return pageOf(await qb.getMany(), limitOf(q));
  }
}

function invalid(details: Array<{ field?: string; message: string }>): ApiError {
  return new ApiError(400, `请求参数有误：${details.map((d) => `${d.field}（${d.message}）`).join('；')}`, details);
}
