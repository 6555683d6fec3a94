import { type DutyDispatch, type DutySession, assessDutyWeek, dutyWeekBefore, evaluateWeeklyDuty, isoWeekStart, nextDutyAssessmentAt } from '../src';
import { settings } from './helpers';

const dispatch: DutyDispatch = {
  id: 'd1',
  role: 'FIRST_SECRETARY',
  institutionId: 'inst-1',
  dispatchingOrgId: 'org-builder',
  dispatchingOrgParentId: 'org-district',
  startDate: '2024-01-01', // Monday of 2024-W01
};
const TODAY = '2024-02-05'; // Monday of W06: W01–W05 are complete

/** A confirmed session on the Wednesday of each listed week. */
function sessions(hoursByWeek: Record<string, number>, confirmed = true): DutySession[] {
  return Object.entries(hoursByWeek).map(([week, hours]) => ({ dispatchId: 'd1', date: addToMonday(week, 2), hours, confirmed }));
}
function addToMonday(week: string, days: number): string {
  const monday = isoWeekStart(week);
  const d = new Date(`${monday}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const run = (s: DutySession[], extra: Partial<Parameters<typeof evaluateWeeklyDuty>[0]> = {}) =>
  evaluateWeeklyDuty({ dispatch, sessions: s, today: TODAY, institutionType: 'PUBLIC_BUILT_PRIVATE_RUN', ...extra }, settings);

const allMet = { '2024-W01': 4, '2024-W02': 4, '2024-W03': 4, '2024-W04': 4, '2024-W05': 4 };

describe('R9/R15 weekly duty', () => {
  it('4 hours in a week meets the duty; all complete weeks are assessed', () => {
    const r = run(sessions(allMet));
    expect(r.weeks.map((w) => w.week)).toEqual(['2024-W01', '2024-W02', '2024-W03', '2024-W04', '2024-W05']);
    expect(r.missedWeeks).toEqual([]);
    expect(r.escalation).toBe('NONE');
    expect(r.findings).toEqual([]);
  });

  it('just under 4 hours is a missed week with a reminder', () => {
    const r = run(sessions({ ...allMet, '2024-W05': 3.99 }));
    expect(r.missedWeeks).toEqual(['2024-W05']);
    expect(r.consecutiveMissed).toBe(1);
    expect(r.escalation).toBe('REMIND_PERSON');
    expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual([['R9', 'WARNING']]);
  });

  it('adds up several sessions in a week; unconfirmed ones do not count', () => {
    const split = [...sessions({ ...allMet, '2024-W05': 2 }), { dispatchId: 'd1', date: '2024-02-02', hours: 2, confirmed: true }];
    expect(run(split).missedWeeks).toEqual([]);
    const pending = [...sessions({ ...allMet, '2024-W05': 2 }), { dispatchId: 'd1', date: '2024-02-02', hours: 2, confirmed: false }];
    expect(run(pending).missedWeeks).toEqual(['2024-W05']);
    const other = [...sessions({ ...allMet, '2024-W05': 2 }), { dispatchId: 'd2', date: '2024-02-02', hours: 2, confirmed: true }];
    expect(run(other).missedWeeks).toEqual(['2024-W05']);
  });

  it('2 missed weeks in a row escalate to the dispatching body', () => {
    const r = run(sessions({ '2024-W01': 4, '2024-W02': 4, '2024-W03': 4 }));
    expect(r.consecutiveMissed).toBe(2);
    expect(r).toMatchObject({ escalation: 'DISPATCHING_BODY', escalateToOrgId: 'org-builder' });
    expect(r.findings.find((f) => f.ruleId === 'R15')!.severity).toBe('VIOLATION');
  });

  it('a met week resets the run; 2 missed weeks apart do not escalate', () => {
    const r = run(sessions({ '2024-W01': 4, '2024-W03': 4, '2024-W05': 4 }));
    expect(r.missedWeeks).toEqual(['2024-W02', '2024-W04']);
    expect(r.consecutiveMissed).toBe(0);
    expect(r.escalation).toBe('NONE');
  });

  it('3 missed stay with the dispatching body; 4 go to its parent', () => {
    expect(run(sessions({ '2024-W01': 4, '2024-W02': 4 })).escalation).toBe('DISPATCHING_BODY');
    const r = run(sessions({ '2024-W01': 4 }));
    expect(r.consecutiveMissed).toBe(4);
    expect(r).toMatchObject({ escalation: 'DISPATCHING_BODY_PARENT', escalateToOrgId: 'org-district' });
  });

  it('does not assess a partial first week or the current week', () => {
    const r = evaluateWeeklyDuty({ dispatch: { ...dispatch, startDate: '2024-01-03' }, sessions: [], today: '2024-01-14', institutionType: 'PUBLIC_BUILT_PRIVATE_RUN' }, settings);
    expect(r.weeks).toEqual([]);
    const r2 = evaluateWeeklyDuty({ dispatch: { ...dispatch, startDate: '2024-01-03' }, sessions: [], today: '2024-01-15', institutionType: 'PUBLIC_BUILT_PRIVATE_RUN' }, settings);
    expect(r2.weeks.map((w) => w.week)).toEqual(['2024-W02']);
  });

  it('exempts approved leave and holiday weeks with fewer than 3 working days', () => {
    const r = run(sessions({ '2024-W01': 4, '2024-W02': 4, '2024-W03': 4 }), { exemptWeeks: ['2024-W05'] });
    expect(r.missedWeeks).toEqual(['2024-W04']);
    expect(r.consecutiveMissed).toBe(1);
    // W05 with Mon–Thu as holidays has 1 working day.
    const holidays = ['2024-01-29', '2024-01-30', '2024-01-31', '2024-02-01'];
    expect(run(sessions({ '2024-W01': 4, '2024-W02': 4, '2024-W03': 4 }), { holidays }).missedWeeks).toEqual(['2024-W04']);
    // Two holidays leave 3 working days: still assessed.
    expect(run(sessions({ '2024-W01': 4, '2024-W02': 4, '2024-W03': 4 }), { holidays: holidays.slice(0, 2) }).missedWeeks).toEqual(['2024-W04', '2024-W05']);
  });

  it('applies to PUBLIC_BUILT_PRIVATE_RUN by default, configurably to others', () => {
    expect(run([], { institutionType: 'PUBLIC' }).applies).toBe(false);
    const s = { ...settings, weeklyDutyAppliesTo: ['PUBLIC' as const] };
    expect(evaluateWeeklyDuty({ dispatch, sessions: [], today: TODAY, institutionType: 'PUBLIC' }, s).missedWeeks).toHaveLength(5);
  });

  it('uses the configured hours', () => {
    const s = { ...settings, weeklyDutyMinHours: 2 };
    expect(evaluateWeeklyDuty({ dispatch, sessions: sessions({ ...allMet, '2024-W05': 2 }), today: TODAY }, s).missedWeeks).toEqual([]);
  });
});

describe('assessing one week on its Monday (assessDutyWeek)', () => {
  const assess = (week: string, s: DutySession[], extra: Partial<Parameters<typeof assessDutyWeek>[0]> = {}) =>
    assessDutyWeek({ dispatch, sessions: s, week, institutionType: 'PUBLIC_BUILT_PRIVATE_RUN', ...extra }, settings);

  it('a met week asks for nothing; a missed week reminds the person', () => {
    expect(assess('2024-W01', sessions({ '2024-W01': 4 }))).toMatchObject({ week: { week: '2024-W01', status: 'MET' }, consecutiveMissed: 0, alerts: [] });
    expect(assess('2024-W02', sessions({ '2024-W01': 4 }))).toMatchObject({
      week: { status: 'MISSED' },
      consecutiveMissed: 1,
      streakStart: '2024-W02',
      alerts: [{ kind: 'REMIND_PERSON', key: '2024-W02', orgId: null }],
    });
  });

  it('2 in a row escalate to the dispatching body and 4 to its parent, keyed by the streak so each happens once; exempt weeks are skipped', () => {
    const s = sessions({ '2024-W01': 4 });
    expect(assess('2024-W03', s).alerts).toEqual([
      { kind: 'REMIND_PERSON', key: '2024-W03', orgId: null },
      { kind: 'ESCALATE_DISPATCHER', key: '2024-W02', orgId: 'org-builder' },
    ]);
    // The third miss repeats the same escalation key: the database keeps the first.
    expect(assess('2024-W04', s).alerts.map((a) => `${a.kind}:${a.key}`)).toEqual(['REMIND_PERSON:2024-W04', 'ESCALATE_DISPATCHER:2024-W02']);
    // A holiday (leave) week in the streak is skipped, not a reset and not a miss.
    const withLeave = assess('2024-W06', s, { exemptWeeks: ['2024-W04'] });
    expect(withLeave).toMatchObject({ consecutiveMissed: 4, streakStart: '2024-W02' });
    expect(withLeave.alerts.map((a) => `${a.kind}:${a.key}:${a.orgId}`)).toEqual([
      'REMIND_PERSON:2024-W06:null',
      'ESCALATE_DISPATCHER:2024-W02:org-builder',
      'ESCALATE_PARENT:2024-W02:org-district',
    ]);
    expect(assess('2024-W04', s, { exemptWeeks: ['2024-W04'] })).toMatchObject({ week: { status: 'EXEMPT' }, alerts: [] });
  });

  it('a holiday week of the working-day calendar is exempt; a week outside the dispatch is not assessed', () => {
    // 2024-W40: 1–7 October, National Day: no working day.
    const holidays = ['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04', '2024-10-07'];
    expect(assess('2024-W40', [], { holidays }).week).toMatchObject({ status: 'EXEMPT' });
    expect(assess('2023-W52', []).week).toBeNull();
  });

  it('weeks are assessed at Monday 00:00 Beijing time', () => {
    const monday = Date.parse('2024-01-07T16:00:00Z'); // 2024-01-08 00:00 Beijing
    expect(nextDutyAssessmentAt(monday - 1)).toBe(monday);
    expect(nextDutyAssessmentAt(monday)).toBe(monday + 7 * 86_400_000);
    expect(nextDutyAssessmentAt(Date.parse('2024-01-03T10:00:00Z'))).toBe(monday);
    expect(dutyWeekBefore(monday)).toBe('2024-W01');
  });
});
