import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SettingEntity, type SettingsAuditEntity } from '@app/persistence';
import type { AuthUser } from '../common/auth-user';
import type { Page, PageQuery } from '../common/pagination';
import { editAuditedSetting, invalidSettings, settingAudit } from './audited-setting';
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
    if (errors.length > 0) throw invalidSettings(errors);
    const body = patch as CalendarPatch;
    return editAuditedSetting(this.ds, CALENDAR_KEY, { holidays: [], extraWorkdays: [] }, user, body, (stored) => {
      const before = readCalendar(stored);
      const after = applyCalendarPatch(before, body);
      const resultErrors = calendarResultErrors(after, body);
      if (resultErrors.length > 0) throw invalidSettings(resultErrors);
      return { stored: after, result: after, changes: diffCalendars(before, after) };
    });
  }

  /** The audit trail of the calendar, newest first. */
  audit(q: PageQuery): Promise<Page<SettingsAuditEntity>> {
    return settingAudit(this.ds, CALENDAR_KEY, q);
  }
}
