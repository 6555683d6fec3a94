import {
  DEFAULT_POLICY_SETTINGS as S,
  budgetCycle,
  computeStipend,
  daysInOfficeInMonth,
  divideRoundHalfUp,
  evaluateBudget,
  firstDayOfNextMonth,
  previousMonth,
  prorateStipendFen,
  stipendPaymentKey,
} from '../src';

describe('R14 stipend proration (integer fen, half up)', () => {
  it('pays a full month in full and nothing outside office', () => {
    expect(prorateStipendFen(50000, '2024-02', '2023-05-01')).toBe(50000);
    expect(prorateStipendFen(50000, '2024-02', '2024-03-01')).toBe(0);
    expect(prorateStipendFen(50000, '2024-02', '2023-01-01', '2024-01-31')).toBe(0);
  });

  it('prorates by calendar days in office, both ends inclusive', () => {
    expect(daysInOfficeInMonth('2024-02', '2024-02-16').daysInOffice).toBe(14);
    expect(prorateStipendFen(29000, '2024-02', '2024-02-16')).toBe(14000); // 29 days in a leap February
    expect(prorateStipendFen(28000, '2023-02', '2023-02-15')).toBe(14000); // 14 of 28
    expect(prorateStipendFen(1000, '2024-04', '2024-04-10', '2024-04-10')).toBe(33); // 33.33
    expect(prorateStipendFen(100, '2024-01', '2024-01-01', '2024-01-05')).toBe(16); // 16.13
    expect(prorateStipendFen(100, '2024-01', '2024-01-01', '2024-01-09')).toBe(29); // 29.03
  });

  it('rounds exactly half a fen up', () => {
    expect(prorateStipendFen(1, '2024-04', '2024-04-16')).toBe(1); // 15/30 = 0.5
    expect(prorateStipendFen(3, '2024-04', '2024-04-26')).toBe(1); // 3×5/30 = 0.5
    expect(prorateStipendFen(3, '2024-04', '2024-04-27')).toBe(0); // 3×4/30 = 0.4
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(7n, 3n)).toBe(2n);
  });

  it('rejects non-integer or negative amounts and bad months', () => {
    expect(() => prorateStipendFen(10.5, '2024-01', '2024-01-01')).toThrow(RangeError);
    expect(() => prorateStipendFen(-1, '2024-01', '2024-01-01')).toThrow(RangeError);
    expect(() => prorateStipendFen(100, '2024-13', '2024-01-01')).toThrow(RangeError);
  });

  it('excludes civil servants by default and pays each (secretary, month) once', () => {
    const base = { month: '2024-05', inOfficeFrom: '2024-01-01', monthlyFen: 31000 };
    expect(computeStipend({ ...base, payee: { secretaryId: 's1' } }, S).amountFen).toBe(31000);
    const cs = computeStipend({ ...base, payee: { secretaryId: 's1', civilServant: true } }, S);
    expect(cs.eligible).toBe(false);
    expect(cs.amountFen).toBe(0);
    expect(computeStipend({ ...base, payee: { secretaryId: 's1', civilServant: true } }, { ...S, stipendExcludeCivilServants: false }).amountFen).toBe(31000);
    const again = computeStipend({ ...base, payee: { secretaryId: 's1' }, paidKeys: [stipendPaymentKey('s1', '2024-05')] }, S);
    expect(again.alreadyPaid).toBe(true);
    expect(again.amountFen).toBe(0);
    expect(again.findings[0]!.ruleId).toBe('R14');
    expect(firstDayOfNextMonth('2024-12')).toBe('2025-01-01');
  });

  it('the run on the 1st pays the month before, across a year', () => {
    expect(previousMonth('2025-01')).toBe('2024-12');
    expect(previousMonth('2024-03')).toBe('2024-02');
    expect(previousMonth('2024-11')).toBe('2024-10');
    expect(() => previousMonth('2024-13')).toThrow();
  });
});

describe('R14 budget cycle', () => {
  it('opens 1 Oct, is due 30 Nov and approved by 31 Dec of the year before', () => {
    expect(budgetCycle(2025, S)).toEqual({
      budgetYear: 2025,
      opensOn: '2024-10-01',
      submissionDueOn: '2024-11-30',
      approvalDueOn: '2024-12-31',
    });
  });

  it('flags a missing approved budget for the current year', () => {
    const f = evaluateBudget([], '2025-03-01', S);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'R14', severity: 'VIOLATION' });
    expect(evaluateBudget([{ year: 2025, status: 'APPROVED' }], '2025-03-01', S)).toEqual([]);
    // Established after 31 December of the year before: told to submit this year's budget, not in violation.
    const young = evaluateBudget([], '2025-03-01', S, '2025-02-10');
    expect(young).toHaveLength(1);
    expect(young[0]).toMatchObject({ ruleId: 'R14', severity: 'WARNING' });
    expect(young[0]!.message).toContain('2025-02-10');
    expect(evaluateBudget([], '2025-03-01', S, '2024-12-31')[0]!.severity).toBe('VIOLATION');
  });

  it('tracks next year from 1 October: info until 30 Nov, a warning after unless submitted', () => {
    const approved = [{ year: 2025, status: 'APPROVED' as const }];
    expect(evaluateBudget(approved, '2025-09-30', S)).toEqual([]);
    expect(evaluateBudget(approved, '2025-10-01', S)[0]!.severity).toBe('INFO');
    expect(evaluateBudget(approved, '2025-11-30', S)[0]!.severity).toBe('INFO');
    expect(evaluateBudget(approved, '2025-12-01', S)[0]!.severity).toBe('WARNING');
    expect(evaluateBudget([...approved, { year: 2026, status: 'SUBMITTED' }], '2025-12-01', S)[0]!.severity).toBe('INFO');
    expect(evaluateBudget([...approved, { year: 2026, status: 'APPROVED' }], '2025-12-01', S)).toEqual([]);
  });
});
