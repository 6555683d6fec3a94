import type { DataSource } from 'typeorm';
import { SettingsAuditEntity } from '@app/persistence';
import type { AuthUser } from '../common/auth-user';
import { ApiError } from '../common/errors';
import { keyset, limitOf, pageOf, type Page, type PageQuery } from '../common/pagination';

/** 400 listing every invalid field of a settings patch. */
export function invalidSettings(details: Array<{ field?: string; message: string }>): ApiError {
  return new ApiError(400, `请求参数有误：${details.map((d) => `${d.field}（${d.message}）`).join('；')}`, details);
}

export interface SettingEdit<T> {
  /** What the row holds after the edit. */
  stored: unknown;
  /** What the API answers. */
  result: T;
  /** One entry per changed item; none means nothing is written. */
  changes: unknown[];
}

/**
 * Edits one settings row in a transaction: the row is created when missing and locked (concurrent edits take turns),
 * `edit` computes the new value from the stored one (it may throw to refuse), and a change is stored together
 * with its audit row (`settings_audit`: who, the patch as sent, the changes).
 */
export function editAuditedSetting<T>(ds: DataSource, key: string, initial: unknown, user: AuthUser, patch: unknown, edit: (stored: unknown) => SettingEdit<T>): Promise<T> {
  return ds.transaction(async (m) => {
    await m.query(`INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`, [key, JSON.stringify(initial)]);
    const [row] = (await m.query(`SELECT value FROM settings WHERE key = $1 FOR UPDATE`, [key])) as Array<{ value: unknown }>;
    const { stored, result, changes } = edit(row?.value ?? initial);
    if (changes.length === 0) return result;
    await m.query(`UPDATE settings SET value = $2::jsonb, updated_at = now() WHERE key = $1`, [key, JSON.stringify(stored)]);
    await m.query(
      `INSERT INTO settings_audit (setting_key, changed_by_id, changed_by_name, patch, changes) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`,
      [key, user.id, `${user.displayName} (${user.username})`, JSON.stringify(patch), JSON.stringify(changes)],
    );
    return result;
  });
}

/** A settings row's audit trail, newest first. */
export async function settingAudit(ds: DataSource, key: string, q: PageQuery): Promise<Page<SettingsAuditEntity>> {
  const qb = keyset(ds.getRepository(SettingsAuditEntity).createQueryBuilder('a'), 'a', q, 'DESC');
  qb.andWhere('a.setting_key = :key', { key });
  return pageOf(await qb.getMany(), limitOf(q));
}
