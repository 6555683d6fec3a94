import { DEFAULT_POLICY_SETTINGS, mergePolicySettings, type PolicySettings } from '@app/domain';
import { crossFieldErrors, diffSettings, mergeOverride, POLICY_SETTINGS_SPEC, settingsSchema, validatePolicyPatch } from './policy-settings.validator';

const fields = (patch: unknown): string[] => validatePolicyPatch(patch).map((d) => d.field!);

describe('policy settings PATCH validation', () => {
  it('accepts the full default settings and partial nested objects', () => {
    expect(validatePolicyPatch(DEFAULT_POLICY_SETTINGS)).toEqual([]);
    expect(validatePolicyPatch({ termYears: { COMMITTEE: 4 }, coverageTargets: { PRIVATE: { firmness: 'FIRM' } } })).toEqual([]);
    expect(validatePolicyPatch({ coverageTargets: { HOME_CARE_STATION: { targetDate: null } }, weeklyDutyMinHours: 3.5 })).toEqual([]);
  });

  it('validates the R3b body per type, the R7 count basis and the R15 shift in years', () => {
    expect(validatePolicyPatch({ silentTypesResponsibleBody: { PRIVATE: 'DISTRICT', HOME_CARE_STATION: 'TOWNSHIP' } })).toEqual([]);
    expect(validatePolicyPatch({ elderlyBranchCountBasis: 'RELATION_IN', electionMaxShiftYears: 2 })).toEqual([]);
    expect(validatePolicyPatch({ silentTypesResponsibleBody: { PRIVATE: 'CITY' } })).toEqual([
      { field: 'silentTypesResponsibleBody.PRIVATE', message: '必须是 TOWNSHIP、DISTRICT 之一' },
    ]);
    expect(fields({ silentTypesResponsibleBody: { PUBLIC: 'DISTRICT' } })).toEqual(['silentTypesResponsibleBody.PUBLIC']);
    expect(fields({ silentTypesResponsibleBody: 'TOWNSHIP' })).toEqual(['silentTypesResponsibleBody']);
    expect(validatePolicyPatch({ elderlyBranchCountBasis: 'CONSENTED' })).toEqual([
      { field: 'elderlyBranchCountBasis', message: '必须是 ALL_FULL_RESIDENTS、RELATION_IN 之一' },
    ]);
    expect(fields({ electionMaxShiftYears: 1.5 })).toEqual(['electionMaxShiftYears']);
    expect(fields({ electionMaxShiftYears: 11 })).toEqual(['electionMaxShiftYears']);
    expect(fields({ electionMaxShiftDays: 365 })).toEqual(['electionMaxShiftDays']);
  });

  it('covers every key of the defaults', () => {
    expect(Object.keys(POLICY_SETTINGS_SPEC).sort()).toEqual(Object.keys(DEFAULT_POLICY_SETTINGS).sort());
  });

  it('names unknown keys, wrong types and negative or fractional numbers', () => {
    expect(fields({ foo: 1 })).toEqual(['foo']);
    expect(fields({ termYears: { BRANCH: 3, CASTLE: 2 } })).toEqual(['termYears.CASTLE']);
    expect(fields({ standaloneOrgMinFullStaff: '3' })).toEqual(['standaloneOrgMinFullStaff']);
    expect(fields({ advancedAgeYears: -1 })).toEqual(['advancedAgeYears']);
    expect(fields({ stipendMonthlyFen: 10.5 })).toEqual(['stipendMonthlyFen']);
    expect(fields({ stipendExcludeCivilServants: 'yes' })).toEqual(['stipendExcludeCivilServants']);
    expect(fields({ noMembersPreferredAction: 'NOTHING' })).toEqual(['noMembersPreferredAction']);
    expect(fields({ budgetOpensOn: '02-30' })).toEqual(['budgetOpensOn']);
    expect(fields({ coverageTargets: { PUBLIC: { targetDate: '2020-13-01' } } })).toEqual(['coverageTargets.PUBLIC.targetDate']);
    expect(fields({ approvalReminderWorkingDaysBefore: [3, -1] })).toEqual(['approvalReminderWorkingDaysBefore[1]']);
    expect(fields({ weeklyDutyAppliesTo: ['PUBLIC', 'PUBLIC'] })).toEqual(['weeklyDutyAppliesTo']);
    expect(fields({ termYears: 3 })).toEqual(['termYears']);
    expect(fields({ advancedAgeYears: null })).toEqual(['advancedAgeYears']);
    expect(fields({ a: 1, advancedAgeYears: -5 })).toEqual(['a', 'advancedAgeYears']);
    expect(fields([])).toEqual(['body']);
    expect(fields({})).toEqual(['body']);
    expect(fields('x')).toEqual(['body']);
    expect(fields({ __proto__: 1, constructor: 2 })).toEqual(['constructor']);
  });

  it('checks rules between settings on the merged result, naming the field the PATCH set', () => {
    const merged = (p: Record<string, unknown>): PolicySettings => mergePolicySettings(p as never);
    expect(crossFieldErrors(merged({}), {})).toEqual([]);
    expect(crossFieldErrors(merged({ committeeMinSize: 6 }), { committeeMinSize: 6 }).map((d) => d.field)).toEqual(['committeeMinSize']);
    expect(crossFieldErrors(merged({ electionQuorumDenominator: 3 }), { electionQuorumDenominator: 3 }).map((d) => d.field)).toEqual(['electionQuorumDenominator']);
    const noDate = { coverageTargets: { HOME_CARE_STATION: { firmness: 'FIRM' } } };
    expect(crossFieldErrors(merged(noDate), noDate).map((d) => d.field)).toEqual(['coverageTargets.HOME_CARE_STATION.targetDate']);
  });

  it('merges nested overrides and diffs leaf by leaf', () => {
    const stored = { termYears: { BRANCH: 3 }, advancedAgeYears: 80 };
    expect(mergeOverride(stored, { termYears: { COMMITTEE: 4 }, approvalReminderWorkingDaysBefore: [5] })).toEqual({
      termYears: { BRANCH: 3, COMMITTEE: 4 },
      advancedAgeYears: 80,
      approvalReminderWorkingDaysBefore: [5],
    });
    const before = mergePolicySettings({});
    const after = mergePolicySettings({ termYears: { COMMITTEE: 4 }, approvalReminderWorkingDaysBefore: [5] });
    expect(diffSettings(before, after)).toEqual([
      { path: 'termYears.COMMITTEE', before: 5, after: 4 },
      { path: 'approvalReminderWorkingDaysBefore', before: [3, 0], after: [5] },
    ]);
  });

  it('describes the shape as an OpenAPI schema', () => {
    const full = settingsSchema() as { properties: Record<string, any>; required: string[] };
    expect(full.required).toContain('termYears');
    expect(full.properties.coverageTargets.properties.PUBLIC.properties.targetDate).toMatchObject({ format: 'date', nullable: true });
    expect(settingsSchema(undefined, true)).not.toHaveProperty('required');
  });
});
