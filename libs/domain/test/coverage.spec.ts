import { coverageMet, coverageStatus, evaluateCoverage, mergePolicySettings, summarizeCoverage, targetApplies } from '../src';
import { settings } from './helpers';

describe('R16 coverage', () => {
  it('separates organisation coverage from work coverage', () => {
    expect(coverageStatus({ hasOwnOrg: true })).toEqual({ organisation: true, work: true, kind: 'ORG_STANDALONE' });
    expect(coverageStatus({ jointMode: 'CO_BUILD' })).toEqual({ organisation: true, work: true, kind: 'ORG_JOINT' });
    expect(coverageStatus({ jointMode: 'AFFILIATE' })).toEqual({ organisation: true, work: true, kind: 'ORG_AFFILIATED' });
    expect(coverageStatus({ hasInstructor: true })).toEqual({ organisation: false, work: true, kind: 'WORK_INSTRUCTOR' });
    expect(coverageStatus({ hasMassOrganisation: true })).toEqual({ organisation: false, work: true, kind: 'WORK_MASS_ORG' });
    expect(coverageStatus({})).toEqual({ organisation: false, work: false, kind: 'NONE' });
  });

  it('needs organisation coverage where there are staff party members, work coverage where there are none', () => {
    expect(coverageMet(coverageStatus({ hasInstructor: true }), true)).toBe(false);
    expect(coverageMet(coverageStatus({ hasInstructor: true }), false)).toBe(true);
    expect(coverageMet(coverageStatus({ jointMode: 'AFFILIATE' }), true)).toBe(true);
  });

  it('names the coverage an institution is short of', () => {
    const members = evaluateCoverage({ type: 'PUBLIC', coverage: { hasInstructor: true }, hasStaffPartyMembers: true }, '2021-01-01', settings);
    expect(members).toMatchObject({ met: false });
    expect(members.findings[0]!.message).toContain('党的组织覆盖');
    const none = evaluateCoverage({ type: 'PUBLIC', coverage: {}, hasStaffPartyMembers: false }, '2021-01-01', settings);
    expect(none.findings[0]!.message).toContain('党的工作覆盖');
  });

  it.each([
    ['PUBLIC', 2019, false],
    ['PUBLIC', 2020, true],
    ['PUBLIC_BUILT_PRIVATE_RUN', 2020, false],
    ['PUBLIC_BUILT_PRIVATE_RUN', 2021, true],
    ['PRIVATE', 2021, false],
    ['PRIVATE', 2022, true],
    ['HOME_CARE_CENTER', 2022, true],
    ['HOME_CARE_STATION', 2030, false],
  ] as const)('%s target applies in %i: %s', (type, year, applies) => {
    expect(targetApplies(type, year, settings)).toBe(applies);
  });

  it('a missed firm target is a violation, an aspirational one a warning, a station nothing', () => {
    const none = { coverage: {}, hasStaffPartyMembers: true };
    expect(evaluateCoverage({ type: 'PUBLIC', ...none }, '2021-01-01', settings).findings[0]).toMatchObject({ ruleId: 'R16', severity: 'VIOLATION' });
    expect(evaluateCoverage({ type: 'PUBLIC', ...none }, '2020-12-31', settings).findings[0]).toMatchObject({ severity: 'INFO' });
    expect(evaluateCoverage({ type: 'PUBLIC_BUILT_PRIVATE_RUN', ...none }, '2022-01-01', settings).findings[0]!.severity).toBe('VIOLATION');
    expect(evaluateCoverage({ type: 'PRIVATE', ...none }, '2023-01-01', settings).findings[0]!.severity).toBe('WARNING');
    expect(evaluateCoverage({ type: 'HOME_CARE_CENTER', ...none }, '2023-01-01', settings).findings[0]!.severity).toBe('WARNING');
    expect(evaluateCoverage({ type: 'HOME_CARE_STATION', ...none }, '2030-01-01', settings).findings).toEqual([]);
    expect(evaluateCoverage({ type: 'PUBLIC', coverage: { hasOwnOrg: true }, hasStaffPartyMembers: true }, '2021-01-01', settings).findings).toEqual([]);
  });

  it('reads the targets from the settings', () => {
    const s = mergePolicySettings({ coverageTargets: { HOME_CARE_STATION: { targetDate: '2025-12-31', firmness: 'ASPIRATIONAL' } } });
    expect(targetApplies('HOME_CARE_STATION', 2025, s)).toBe(true);
    expect(s.coverageTargets.PUBLIC.targetDate).toBe('2020-12-31');
  });
});

describe('summarizeCoverage', () => {
  it('groups by type and district against the year', () => {
    const rows = [
      { institutionId: 'a', type: 'PUBLIC' as const, district: '海曙区', coverage: { hasOwnOrg: true }, hasStaffPartyMembers: true },
      { institutionId: 'b', type: 'PUBLIC' as const, district: '海曙区', coverage: { hasInstructor: true }, hasStaffPartyMembers: true },
      { institutionId: 'c', type: 'PUBLIC' as const, district: '海曙区', coverage: { hasMassOrganisation: true }, hasStaffPartyMembers: false },
      { institutionId: 'd', type: 'PRIVATE' as const, district: '鄞州区', coverage: {}, hasStaffPartyMembers: false },
    ];
    const s = summarizeCoverage(rows, 2021, settings);
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({ type: 'PRIVATE', district: '鄞州区', targetApplies: false, total: 1, met: 0, shortInstitutionIds: ['d'] });
    expect(s[1]).toMatchObject({ type: 'PUBLIC', targetApplies: true, total: 3, organisationCovered: 1, workCovered: 3, met: 2, shortInstitutionIds: ['b'] });
  });
});
