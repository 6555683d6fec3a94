import { DEFAULT_POLICY_SETTINGS, mergePolicySettings } from '../src';

describe('policy settings', () => {
  it('has the DOMAIN.md defaults', () => {
    expect(DEFAULT_POLICY_SETTINGS).toMatchObject({
      standaloneOrgMinFullStaff: 3,
      elderlyBranchMinFullElderly: 3,
      advancedAgeYears: 80,
      termYears: { BRANCH: 3, GENERAL_BRANCH: 3, JOINT: 3, ELDERLY_BRANCH: 3, COMMITTEE: 5 },
      jointSpinOffGraceDays: 90,
      renewalReminderDaysBefore: 180,
      renewalRequestDaysBefore: 60,
      approvalStepWorkingDays: 15,
      approvalReminderWorkingDaysBefore: [3, 0],
      weeklyDutyMinHours: 4,
      staffTransferDueDays: 90,
      silentTypesResponsibleBody: { PRIVATE: 'TOWNSHIP', HOME_CARE_CENTER: 'TOWNSHIP', HOME_CARE_STATION: 'TOWNSHIP' },
      elderlyBranchCountBasis: 'ALL_FULL_RESIDENTS',
      electionMaxShiftYears: 1,
    });
  });

  it('merges nested overrides without dropping defaults, and replaces arrays', () => {
    const s = mergePolicySettings({ termYears: { COMMITTEE: 4 }, weeklyDutyAppliesTo: ['PUBLIC'], advancedAgeYears: undefined });
    expect(s.termYears).toEqual({ BRANCH: 3, GENERAL_BRANCH: 3, JOINT: 3, ELDERLY_BRANCH: 3, COMMITTEE: 4 });
    expect(s.weeklyDutyAppliesTo).toEqual(['PUBLIC']);
    expect(s.advancedAgeYears).toBe(80);
    expect(DEFAULT_POLICY_SETTINGS.termYears.COMMITTEE).toBe(5);
    expect(mergePolicySettings(null)).toEqual(DEFAULT_POLICY_SETTINGS);
  });
});
