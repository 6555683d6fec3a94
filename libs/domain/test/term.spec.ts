import { addDays, evaluateReschedule, evaluateTerm, mergePolicySettings, renewalReplyDueOn, termEnd, termStatus } from '../src';
import { settings } from './helpers';

describe('terms (R4/R15)', () => {
  it('lasts 3 years for branch, general branch, joint and elderly branch; 5 for a committee', () => {
    expect(termEnd('2021-03-15', 'BRANCH', settings)).toBe('2024-03-15');
    expect(termEnd('2021-03-15', 'GENERAL_BRANCH', settings)).toBe('2024-03-15');
    expect(termEnd('2021-03-15', 'JOINT', settings)).toBe('2024-03-15');
    expect(termEnd('2021-03-15', 'ELDERLY_BRANCH', settings)).toBe('2024-03-15');
    expect(termEnd('2021-03-15', 'COMMITTEE', settings)).toBe('2026-03-15');
    expect(termEnd('2020-02-29', 'BRANCH', settings)).toBe('2023-02-28');
  });

  const END = '2024-12-31';
  it.each([
    [-181, 'ACTIVE'],
    [-180, 'RENEWAL_DUE'],
    [-61, 'RENEWAL_DUE'],
    [-60, 'RENEWAL_REQUEST_DUE'],
    [0, 'RENEWAL_REQUEST_DUE'],
    [1, 'OVERDUE'],
  ])('%i days from the end → %s', (offset, status) => {
    expect(termStatus(END, addDays(END, offset), settings)).toBe(status);
  });

  it('an approved postponement moves the deadline', () => {
    expect(termStatus(END, '2025-01-15', settings, { postponedUntil: '2025-06-30' })).toBe('RENEWAL_DUE');
    expect(termStatus(END, '2025-07-01', settings, { postponedUntil: '2025-06-30' })).toBe('OVERDUE');
  });

  it('evaluateTerm turns the status into findings', () => {
    expect(evaluateTerm({ kind: 'BRANCH', termStart: '2021-01-01' }, '2023-06-01', settings).findings).toEqual([]);
    expect(evaluateTerm({ kind: 'BRANCH', termStart: '2021-01-01' }, '2023-08-01', settings).findings[0]).toMatchObject({ ruleId: 'R15', severity: 'INFO' });
    expect(evaluateTerm({ kind: 'BRANCH', termStart: '2021-01-01' }, '2023-12-01', settings).findings[0]).toMatchObject({ ruleId: 'R15', severity: 'WARNING' });
    const overdue = evaluateTerm({ kind: 'BRANCH', termStart: '2021-01-01' }, '2024-01-02', settings);
    expect(overdue.status).toBe('OVERDUE');
    expect(overdue.findings[0]).toMatchObject({ ruleId: 'R4', severity: 'VIOLATION' });
    expect(evaluateTerm({ kind: 'COMMITTEE', termStart: '2021-01-01' }, '2024-01-02', settings).status).toBe('ACTIVE');
    expect(evaluateTerm({ kind: 'BRANCH' }, '2024-01-02', settings).findings[0]).toMatchObject({ ruleId: 'R4', severity: 'WARNING' });
  });

  it('the reply is due in 30 days; a shift is at most one calendar year', () => {
    expect(renewalReplyDueOn('2024-01-10', settings)).toBe('2024-02-09');
    expect(evaluateReschedule('2024-06-30', '2025-06-30', settings).allowed).toBe(true); // 365 days
    expect(evaluateReschedule('2024-06-30', '2025-07-01', settings).allowed).toBe(false);
    expect(evaluateReschedule('2024-06-30', '2023-06-30', settings).allowed).toBe(true); // 366 days earlier, across 29 Feb
    expect(evaluateReschedule('2024-06-30', '2023-06-29', settings).allowed).toBe(false);
  });

  it.each([
    ['2023-03-01', '2024-03-01', true], // a year later across 29 February 2024: 366 days
    ['2023-03-01', '2024-03-02', false],
    ['2024-03-01', '2023-03-01', true], // a year earlier across 29 February 2024: 366 days
    ['2024-03-01', '2023-02-28', false],
    ['2024-02-29', '2025-02-28', true], // from a leap day: the same date a year on is 28 February
    ['2024-02-29', '2025-03-01', false],
    ['2024-02-29', '2023-02-28', true],
    ['2024-02-29', '2023-02-27', false],
  ])('R15: moving the election from %s to %s is allowed: %s', (end, proposed, allowed) => {
    const v = evaluateReschedule(end, proposed, settings);
    expect(v.allowed).toBe(allowed);
    expect(v.findings[0]).toMatchObject({ ruleId: 'R4', severity: allowed ? 'INFO' : 'VIOLATION' });
  });

  it('reads the largest shift in years from the settings', () => {
    const two = mergePolicySettings({ electionMaxShiftYears: 2 });
    expect(evaluateReschedule('2024-06-30', '2026-06-30', two)).toMatchObject({ allowed: true, earliest: '2022-06-30', latest: '2026-06-30', shiftDays: 730 });
    expect(evaluateReschedule('2024-06-30', '2026-07-01', two).allowed).toBe(false);
    const none = mergePolicySettings({ electionMaxShiftYears: 0 });
    expect(evaluateReschedule('2024-06-30', '2024-06-30', none).allowed).toBe(true);
    expect(evaluateReschedule('2024-06-30', '2024-07-01', none).allowed).toBe(false);
  });
});
