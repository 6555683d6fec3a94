import fc from 'fast-check';
import { budgetLineErrors, checkExpense, fenToYuan, prorateStipendFen, secretaryTenures, splitFen, stipendLineCoverage, sumFen } from '../src';

describe('R14 budget lines and spending', () => {
  it('refuses a second line of the same category, naming it', () => {
    expect(budgetLineErrors([{ category: 'ACTIVITIES', amountFen: 1 }, { category: 'STIPEND', amountFen: 2 }])).toEqual([]);
    expect(budgetLineErrors([{ category: 'ACTIVITIES', amountFen: 1 }, { category: 'ACTIVITIES', amountFen: 2 }]).map((e) => e.field)).toEqual(['lines[1].category']);
  });

  it('allows spending up to the line exactly, refuses one fen more naming R14', () => {
    expect(checkExpense({ category: 'TRAINING', lineFen: 10000, spentFen: 4000, amountFen: 6000 })).toEqual({ allowed: true, remainingFen: 6000, findings: [] });
    const over = checkExpense({ category: 'TRAINING', lineFen: 10000, spentFen: 4000, amountFen: 6001 });
    expect(over.allowed).toBe(false);
    expect(over.remainingFen).toBe(6000);
    expect(over.findings[0]).toMatchObject({ ruleId: 'R14', severity: 'VIOLATION' });
    expect(over.findings[0]!.message).toContain('余额 60.00 元');
    expect(checkExpense({ category: 'VENUE', lineFen: null, spentFen: 0, amountFen: 1 }).allowed).toBe(false);
    expect(() => checkExpense({ category: 'VENUE', lineFen: 1, spentFen: 0, amountFen: 1.5 })).toThrow(RangeError);
  });

  it('warns with the shortfall when the stipend line is short of 12 months for each secretary', () => {
    expect(stipendLineCoverage({ stipendLineFen: 600000, monthlyFen: 50000, secretaries: 1 })).toEqual({ requiredFen: 600000, shortfallFen: 0, findings: [] });
    const short = stipendLineCoverage({ stipendLineFen: 500000, monthlyFen: 50000, secretaries: 1 });
    expect(short.shortfallFen).toBe(100000);
    expect(short.findings).toEqual([expect.objectContaining({ ruleId: 'R14', severity: 'WARNING', message: expect.stringContaining('缺口 1000.00 元') })]);
    expect(stipendLineCoverage({ stipendLineFen: 0, monthlyFen: 0, secretaries: 1 }).findings).toEqual([]);
  });
});

describe('yuan text from fen', () => {
  it('is exact with two decimals', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(12345)).toBe('123.45');
    expect(fenToYuan(-101)).toBe('-1.01');
    expect(fenToYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });
});

describe('secretaries in office', () => {
  it('the first secretary until the day before a change, the successor from the change', () => {
    expect(secretaryTenures({ memberId: 'a', since: '2024-01-10' }, [{ on: '2024-03-15', fromMemberId: 'a', toMemberId: 'b' }])).toEqual([
      { memberId: 'a', from: '2024-01-10', to: '2024-03-14' },
      { memberId: 'b', from: '2024-03-15', to: null },
    ]);
    expect(secretaryTenures({ memberId: null, since: '2024-01-10' }, [])).toEqual([]);
    // A change from nobody: the organisation had no secretary before it (the one on record now is the successor).
    expect(secretaryTenures({ memberId: 'b', since: '2024-01-10' }, [{ on: '2024-02-01', fromMemberId: null, toMemberId: 'b' }])).toEqual([{ memberId: 'b', from: '2024-02-01', to: null }]);
    expect(secretaryTenures({ memberId: 'a', since: '2024-01-10' }, [])).toEqual([{ memberId: 'a', from: '2024-01-10', to: null }]);
  });

  it('prorates at month edges: appointed on the 31st, left on the 1st, February, a leap year', () => {
    expect(prorateStipendFen(31000, '2024-01', '2024-01-31')).toBe(1000);
    expect(prorateStipendFen(31000, '2024-01', '2023-01-01', '2024-01-01')).toBe(1000);
    expect(prorateStipendFen(29000, '2024-02', '2024-02-29')).toBe(1000);
    expect(prorateStipendFen(28000, '2023-02', '2023-02-28')).toBe(1000);
    const [a, b] = secretaryTenures({ memberId: 'a', since: '2020-01-01' }, [{ on: '2024-02-15', fromMemberId: 'a', toMemberId: 'b' }]);
    // The handover month: 14 + 15 days of a 29-day February; the two amounts sum to within a fen of the standard.
    const pa = prorateStipendFen(50000, '2024-02', a!.from, a!.to);
    const pb = prorateStipendFen(50000, '2024-02', b!.from, b!.to);
    expect([pa, pb]).toEqual([24138, 25862]);
  });
});

describe('splitting fen', () => {
  it('never loses or creates a fen over 1,000 random splits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }), (total, weights) => {
        const parts = splitFen(total, weights);
        expect(parts).toHaveLength(weights.length);
        if (weights.some((w) => w > 0)) expect(sumFen(parts)).toBe(total);
        for (const p of parts) expect(Number.isSafeInteger(p) && p >= 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
