/**
 * The working-day calendar over HTTP: GET the holidays and make-up workdays, PATCH them (replace, or add and
 * remove), every refusal a 400 naming its field with the row left as it was, ADMIN only, the append-only audit,
 * and the effect on approval tasks opened afterwards (tasks already open keep their dates).
 */
import { Client } from 'pg';
import { addDays, addWorkingDays, toCalendarDate } from '@app/domain';
import { buildWorld, type World } from './support/fixtures';
import { expectStatus, Http } from './support/http';
import { waitFor } from './support/net';
import { startSystemAsAdmin, type TestSystem } from './support/system';

let sys: TestSystem;
let admin: Http;
let db: Client;
let world: World;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('calendar_settings'));
  world = await buildWorld(admin, 3);
});

afterAll(async () => {
  await db?.end();
  await sys?.stop();
});

const PATH = '/admin/settings/calendar';
const calendarNow = async (): Promise<{ holidays: string[]; extraWorkdays: string[] }> => expectStatus(await admin.get(PATH), 200).body;
const storedRow = async (): Promise<unknown> => (await db.query(`SELECT value FROM settings WHERE key = 'calendar'`)).rows[0].value;
const auditRows = async (): Promise<any[]> => expectStatus(await admin.get(`${PATH}/audit?limit=500`), 200).body.items;

// 2026-10-01 Thu, 2026-10-02 Fri, 2026-10-05 Mon, 2026-10-06 Tue; 2026-09-27 Sun, 2026-10-10 Sat, 2026-10-11 Sun.
describe('working-day calendar settings', () => {
  it('GET returns the seeded empty calendar; ADMIN only', async () => {
    expect(await calendarNow()).toEqual({ holidays: [], extraWorkdays: [] });
    expectStatus(await world.approver.get(PATH), 403);
    expectStatus(await world.approver.patch(PATH, { addHolidays: ['2026-10-01'] }), 403);
    expectStatus(await world.approver.get(`${PATH}/audit`), 403);
    expectStatus(await world.applicant.get(PATH), 403);
    expectStatus(await new Http(sys.baseUrl).get(PATH), 401);
    expect(await storedRow()).toEqual({ holidays: [], extraWorkdays: [] });
  });

  it('refuses bad PATCHes with 400 naming the field in Chinese, and changes nothing', async () => {
    const before = await storedRow();
    const cases: Array<[unknown, string[]]> = [
      [{ holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-02-30'] }, ['holidays[3]']],
      [{ holidays: ['2026-10-01', '2026/10/02'] }, ['holidays[1]']],
      [{ addHolidays: ['1999-12-31'] }, ['addHolidays[0]']],
      [{ addHolidays: ['2101-01-03'] }, ['addHolidays[0]']],
      [{ extraWorkdays: [20260927] }, ['extraWorkdays[0]']],
      [{ holidays: '2026-10-01' }, ['holidays']],
      [{ removeHolidays: null }, ['removeHolidays']],
      [{ holidays: Array.from({ length: 1001 }, (_, i) => addDays('2026-01-01', i)) }, ['holidays']],
      [{ holidays: ['2026-10-01', '2026-10-01'] }, ['holidays[1]']],
      // A holiday on a weekend, a make-up workday on a weekday.
      [{ addHolidays: ['2026-10-01', '2026-10-10'] }, ['addHolidays[1]']],
      [{ addExtraWorkdays: ['2026-10-11', '2026-10-06'] }, ['addExtraWorkdays[1]']],
      [{ holidays: [], addHolidays: ['2026-10-01'] }, ['addHolidays']],
      [{ addExtraWorkdays: ['2026-10-10'], removeExtraWorkdays: ['2026-10-10'] }, ['removeExtraWorkdays[0]']],
      // A valid change beside an invalid one: the whole request is refused.
      [{ addHolidays: ['2026-10-01'], addExtraWorkdays: ['2026-10-05'] }, ['addExtraWorkdays[0]']],
      [{ addHolidays: ['2026-10-01'], unknownKey: [] }, ['unknownKey']],
      [{}, ['body']],
      [[{ holidays: [] }], ['body']],
    ];
    for (const [body, fields] of cases) {
      const res = expectStatus(await admin.patch(PATH, body), 400).body;
      expect(res).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.details.map((d: any) => d.field)).toEqual(fields);
      for (const f of fields) expect(res.message).toContain(f);
      expect(res.message).toMatch(/[\u4e00-\u9fff]/);
      for (const d of res.details) expect(d.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await storedRow()).toEqual(before);

    // A date both a holiday and a make-up workday: a weekend holiday written into the row by hand, then the same
    // Saturday added as a make-up workday.
    const handWritten = { holidays: ['2026-10-01', '2026-10-10'], extraWorkdays: [] };
    await db.query(`UPDATE settings SET value = $1::jsonb WHERE key = 'calendar'`, [JSON.stringify(handWritten)]);
    const res = expectStatus(await admin.patch(PATH, { addExtraWorkdays: ['2026-09-27', '2026-10-10'] }), 400).body;
    expect(res.details).toEqual([{ field: 'addExtraWorkdays[1]', message: expect.stringContaining('既是节假日又是调休上班日') }]);
    expect(await storedRow()).toEqual(handWritten);
    await db.query(`UPDATE settings SET value = $1::jsonb WHERE key = 'calendar'`, [JSON.stringify(before)]);

    expect(await auditRows()).toHaveLength(0);
  });

  it('replaces the lists, adds and removes dates, stores them sorted and audits who changed what', async () => {
    const me = expectStatus(await admin.get('/auth/me'), 200).body;
    const replaced = expectStatus(await admin.patch(PATH, { holidays: ['2026-10-05', '2026-10-01', '2026-10-02'], extraWorkdays: ['2026-10-10', '2026-09-27'] }), 200).body;
    expect(replaced).toEqual({ holidays: ['2026-10-01', '2026-10-02', '2026-10-05'], extraWorkdays: ['2026-09-27', '2026-10-10'] });
    expect(await calendarNow()).toEqual(replaced);
    expect(await storedRow()).toEqual(replaced);

    const edited = expectStatus(
      await admin.patch(PATH, { addHolidays: ['2026-10-06', '2026-10-01'], removeHolidays: ['2026-10-05', '2026-12-01'], removeExtraWorkdays: ['2026-10-10'] }),
      200,
    ).body;
    expect(edited).toEqual({ holidays: ['2026-10-01', '2026-10-02', '2026-10-06'], extraWorkdays: ['2026-09-27'] });
    expect(await storedRow()).toEqual(edited);
    const added = expectStatus(await admin.patch(PATH, { addExtraWorkdays: ['2026-10-11'] }), 200).body;
    expect(added).toEqual({ holidays: edited.holidays, extraWorkdays: ['2026-09-27', '2026-10-11'] });

    const audit = await auditRows();
    expect(audit).toHaveLength(3);
    expect(audit.map((a) => a.patch)).toEqual([
      { addExtraWorkdays: ['2026-10-11'] },
      { addHolidays: ['2026-10-06', '2026-10-01'], removeHolidays: ['2026-10-05', '2026-12-01'], removeExtraWorkdays: ['2026-10-10'] },
      { holidays: ['2026-10-05', '2026-10-01', '2026-10-02'], extraWorkdays: ['2026-10-10', '2026-09-27'] },
    ]);
    for (const a of audit) {
      expect(a).toMatchObject({ settingKey: 'calendar', changedById: me.id });
      expect(a.changedByName).toContain(me.username);
    }
    expect(audit[0].changes).toEqual([{ path: 'extraWorkdays', before: ['2026-09-27'], after: ['2026-09-27', '2026-10-11'] }]);
    expect(audit[1].changes).toEqual([
      { path: 'holidays', before: ['2026-10-01', '2026-10-02', '2026-10-05'], after: ['2026-10-01', '2026-10-02', '2026-10-06'] },
      { path: 'extraWorkdays', before: ['2026-09-27', '2026-10-10'], after: ['2026-09-27'] },
    ]);
    expect(audit[2].changes).toEqual([
      { path: 'holidays', before: [], after: ['2026-10-01', '2026-10-02', '2026-10-05'] },
      { path: 'extraWorkdays', before: [], after: ['2026-09-27', '2026-10-10'] },
    ]);

    // A request that changes nothing (an existing date, a date not in the list) records nothing.
    expect(expectStatus(await admin.patch(PATH, { addHolidays: ['2026-10-02'], removeExtraWorkdays: ['2026-10-10'] }), 200).body).toEqual(added);
    expect(await auditRows()).toHaveLength(3);

    // Keyset pages, newest first; the policy audit does not see calendar rows.
    const first = expectStatus(await admin.get(`${PATH}/audit?limit=2`), 200).body;
    expect(first.items.map((a: any) => a.id)).toEqual(audit.slice(0, 2).map((a) => a.id));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = expectStatus(await admin.get(`${PATH}/audit?limit=2&cursor=${first.nextCursor}`), 200).body;
    expect(second).toEqual({ items: [expect.objectContaining({ id: audit[2].id })], nextCursor: null });
    expect(expectStatus(await admin.get('/admin/settings/policy/audit'), 200).body.items).toEqual([]);
    expect(expectStatus(await admin.get(`${PATH}/audit?cursor=not-a-cursor`), 400).body.details[0].field).toBe('cursor');

    // The audit is append-only.
    await expect(db.query(`UPDATE settings_audit SET changed_by_name = 'someone else'`)).rejects.toThrow(/append-only/);

    expect(expectStatus(await admin.patch(PATH, { holidays: [], extraWorkdays: [] }), 200).body).toEqual({ holidays: [], extraWorkdays: [] });
  });
});

describe('effect on approval deadlines', () => {
  async function submitAndReadTask(w: World): Promise<{ id: string; dueAt: string; dueOn: string; openedOn: string; remindOn: string[] }> {
    const memberIds = w.members.filter((m) => m.status === 'FULL').map((m) => m.id);
    const created = expectStatus(
      await w.applicant.post('/processes/establish-branch', { institutionId: w.institution.id, name: `${w.institution.name}党支部`, memberIds, secretaryMemberId: memberIds[0] }),
      201,
    ).body;
    const task = await waitFor('the approval task', async () => {
      const inbox = expectStatus(await w.approver.get('/tasks?status=OPEN'), 200).body;
      return inbox.items.find((t: any) => t.processId === created.id);
    });
    const row = (await db.query(`SELECT created_at, due_at, remind_at FROM tasks WHERE id = $1`, [task.id])).rows[0];
    expect(new Date(row.due_at).toISOString()).toBe(new Date(task.dueAt).toISOString());
    return {
      id: task.id,
      dueAt: task.dueAt,
      dueOn: toCalendarDate(task.dueAt),
      openedOn: toCalendarDate(new Date(row.created_at)),
      remindOn: (row.remind_at as string[]).map((r) => toCalendarDate(r)),
    };
  }

  it('a task opened after the change counts the new holidays; the task already open keeps its dates', async () => {
    const cal0 = await calendarNow();
    expect(cal0).toEqual({ holidays: [], extraWorkdays: [] });
    const before = await submitAndReadTask(world);
    // establish-branch: 30 calendar days to answer (DOMAIN.md); reminders 3 working days before and on the due date.
    expect(before.dueOn).toBe(addDays(before.openedOn, 30));
    expect(before.remindOn).toEqual([addWorkingDays(before.dueOn, -3), before.dueOn]);

    // The next three working days, and the three working days before the due date, become holidays.
    const soon = [1, 2, 3].map((n) => addWorkingDays(before.openedOn, n));
    const beforeDue = [1, 2, 3].map((n) => addWorkingDays(before.dueOn, -n));
    const holidays = [...new Set([...soon, ...beforeDue])].sort();
    expect(expectStatus(await admin.patch(PATH, { addHolidays: holidays }), 200).body).toEqual({ holidays, extraWorkdays: [] });

    const w2 = await buildWorld(admin, 3);
    const after = await submitAndReadTask(w2);
    // The answer deadline is in calendar days, so holidays do not move it ...
    expect(after.dueOn).toBe(addDays(after.openedOn, 30));
    // ... but the working-day reminder before it moves earlier by exactly the three holidays in its way.
    const expectedReminder = addWorkingDays(after.dueOn, -3, holidays, []);
    expect(after.remindOn).toEqual([expectedReminder, after.dueOn]);
    if (after.dueOn === before.dueOn) expect(expectedReminder).toBe(addWorkingDays(before.dueOn, -6));

    // The task opened before the change keeps the due date and reminders it was opened with.
    const still = (await db.query(`SELECT due_at, remind_at FROM tasks WHERE id = $1`, [before.id])).rows[0];
    expect(new Date(still.due_at).toISOString()).toBe(new Date(before.dueAt).toISOString());
    expect((still.remind_at as string[]).map((r) => toCalendarDate(r))).toEqual(before.remindOn);
    expect(expectStatus(await world.approver.get(`/tasks/${before.id}`), 200).body).toMatchObject({ status: 'OPEN', dueAt: before.dueAt });
  });
});
