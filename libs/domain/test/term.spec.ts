import { addDays, evaluateReschedule, evaluateTerm, renewalReplyDueOn, termEnd, termStatus } from '../src';
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

  it('the reply is due in 30 days; a shift is at most one year', () => {
    expect(renewalReplyDueOn('2024-01-10', settings)).toBe('2024-02-09');
    expect(evaluateReschedule('2024-06-30', '2025-06-30', settings).allowed).toBe(true); // 365 days
    expect(evaluateReschedule('2024-06-30', '2025-07-01', settings).allowed).toBe(false);
    expect(evaluateReschedule('2024-06-30', '2023-07-02', settings).allowed).toBe(true); // 364 days earlier
  });
});
