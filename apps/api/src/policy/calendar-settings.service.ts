import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SettingEntity, SettingsAuditEntity } from '@app/persistence';
import type { AuthUser } from '../common/auth-user';
import { ApiError } from '../common/errors';
import { keyset, limitOf, pageOf, type Page, type PageQuery } from '../common/pagination';
import {
  applyCalendarPatch,
  calendarResultErrors,
  diffCalendars,
  readCalendar,
  validateCalendarPatch,
  type CalendarPatch,
  type WorkingCalendar,
} from './calendar-settings.validator';

const CALENDAR_KEY = 'calendar';

/**
 * Editing the working-day calendar row. The worker reads it when an approval step opens, so a change applies to
 * tasks opened from now on; open tasks keep the due date and reminders they were opened with (their durable
 * timers are not touched here).
 */
@Injectable()
export class CalendarSettingsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async current(): Promise<WorkingCalendar> {
    const row = await this.ds.getRepository(SettingEntity).findOneBy({ key: CALENDAR_KEY });
    return readCalendar(row?.value);
  }

  /** Validates everything first (nothing changes on error), then applies, stores and audits in one transaction. */
  async patch(user: AuthUser, patch: unknown): Promise<WorkingCalendar> {
    const errors = validateCalendarPatch(patch);
    if (errors.length > 0) throw invalid(errors);
    const body = patch as CalendarPatch;
    return this.ds.transaction(async (m) => {
      // Serialise concurrent edits on the row (created if a deployment removed it).
      await m.query(`INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`, [
        CALENDAR_KEY,
        JSON.stringify({ holidays: [], extraWorkdays: [] }),
      ]);
      const [row] = (await m.query(`SELECT value FROM settings WHERE key = $1 FOR UPDATE`, [CALENDAR_KEY])) as Array<{ value: unknown }>;
      const before = readCalendar(row?.value);
      const after = applyCalendarPatch(before, body);
      const resultErrors = calendarResultErrors(after, body);
      if (resultErrors.length > 0) throw invalid(resultErrors);
      const changes = diffCalendars(before, after);
      if (changes.length === 0) return after;
      await m.query(`UPDATE settings SET value = $2::jsonb, updated_at = now() WHERE key = $1`, [CALENDAR_KEY, JSON.stringify(after)]);
      await m.query(
        `INSERT INTO settings_audit (setting_key, changed_by_id, changed_by_name, patch, changes) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`,
        [CALENDAR_KEY, user.id, `${user.displayName} (${user.username})`, JSON.stringify(body), JSON.stringify(changes)],
      );
      return after;
    });
  }

  /** The audit trail of the calendar, newest first. */
  async audit(q: PageQuery): Promise<Page<SettingsAuditEntity>> {
    const qb = keyset(this.ds.getRepository(SettingsAuditEntity).createQueryBuilder('a'), 'a', q, 'DESC');
    qb.andWhere('a.setting_key = :key', { key: CALENDAR_KEY });
    return pageOf(await qb.getMany(), limitOf(q));
  }
}

function invalid(details: Array<{ field?: string; message: string }>): ApiError {
  return new ApiError(400, `请求参数有误：${details.map((d) => `${d.field}（${d.message}）`).join('；')}`, details);
}
