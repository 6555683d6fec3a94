import { DEFAULT_POLICY_SETTINGS, mergePolicySettings } from '@app/domain';
import { buildCoverageReport, type CoverageInstitutionRow } from './coverage-report';

let n = 0;
const row = (over: Partial<CoverageInstitutionRow>): CoverageInstitutionRow => ({
  id: `i${++n}`,
  name: `机构${n}`,
  type: 'PRIVATE',
  district: 'A',
  townshipOrgId: 'town',
  townshipParentOrgId: 'district',
  sponsorOrgId: null,
  publicBuilderOrgId: null,
  managedBy: null,
  partyOrganizationId: null,
  orgKind: null,
  hasInstructor: false,
  hasMassOrganisation: false,
  fullStaff: 0,
  staffPartyMembers: over.fullStaff ?? 0,
  fullElderly: 0,
  ...over,
});

describe('coverage report', () => {
  const rows = [
    row({ type: 'PUBLIC', sponsorOrgId: 'sp', fullStaff: 3, partyOrganizationId: 'o1', orgKind: 'BRANCH' }), // met
    row({ type: 'PUBLIC', sponsorOrgId: 'sp', fullStaff: 4, district: 'B' }), // short: STANDALONE_ORG
    row({ type: 'PUBLIC_BUILT_PRIVATE_RUN', publicBuilderOrgId: 'pb', fullStaff: 0, hasMassOrganisation: true }), // work-covered (met), R8 still wants an instructor
    row({ type: 'PUBLIC_BUILT_PRIVATE_RUN', publicBuilderOrgId: 'pb', fullStaff: 1 }), // short: JOINT_ORG
    row({ type: 'PRIVATE', fullStaff: 2, partyOrganizationId: 'j', orgKind: 'JOINT' }), // met (joint)
    row({ type: 'PRIVATE', fullStaff: 0 }), // short: INSTRUCTOR
    row({ type: 'HOME_CARE_STATION', fullStaff: 0, district: 'B' }), // short but no target
  ];

  it('counts by type and district and lists only institutions short of a due target, with their action', () => {
    const r = buildCoverageReport(rows, 2022, DEFAULT_POLICY_SETTINGS, '2026-11-29');
    expect(r.totals).toMatchObject({ total: 7, met: 3, short: 4, targetTotal: 6, targetMet: 3 });
    expect(r.byType.map((t) => t.type)).toEqual(['PUBLIC', 'PUBLIC_BUILT_PRIVATE_RUN', 'PRIVATE', 'HOME_CARE_CENTER', 'HOME_CARE_STATION']);
    expect(r.byType.find((t) => t.type === 'HOME_CARE_CENTER')).toMatchObject({ total: 0, metPercent: null, targetApplies: true });
    expect(r.byType.find((t) => t.type === 'HOME_CARE_STATION')).toMatchObject({ total: 1, targetApplies: false, target: { targetDate: null, firmness: 'NONE' } });
    expect(r.byType.find((t) => t.type === 'PUBLIC')).toMatchObject({ total: 2, met: 1, organisationCovered: 1, metPercent: 50 });
    expect(r.byDistrict).toEqual([
      expect.objectContaining({ district: 'A', total: 5, met: 3, targetTotal: 5, targetMet: 3 }),
      expect.objectContaining({ district: 'B', total: 2, met: 0, targetTotal: 1, targetMet: 0 }),
    ]);
    expect(r.shortOfTarget.map((s) => [s.type, s.requiredAction, s.responsibleBodyId])).toEqual([
      ['PUBLIC', 'STANDALONE_ORG', 'sp'],
      ['PUBLIC_BUILT_PRIVATE_RUN', 'JOINT_ORG', 'pb'],
      ['PRIVATE', 'INSTRUCTOR', 'town'],
    ]);
  });

  it('applies a type target only from its target year', () => {
    const r = buildCoverageReport(rows, 2021, DEFAULT_POLICY_SETTINGS, '2026-11-29');
    expect(r.byType.find((t) => t.type === 'PRIVATE')!.targetApplies).toBe(false);
    expect(r.shortOfTarget.map((s) => s.type)).toEqual(['PUBLIC', 'PUBLIC_BUILT_PRIVATE_RUN']);
    expect(buildCoverageReport(rows, 2019, DEFAULT_POLICY_SETTINGS, '2026-11-29').shortOfTarget).toEqual([]);
  });

  it('R5/R16: staff party members who are all probationary need organisation coverage and a joint organisation', () => {
    const probationary = [
      row({ type: 'PUBLIC', sponsorOrgId: 'sp', staffPartyMembers: 2, hasInstructor: true }), // work only: short
      row({ type: 'PUBLIC', sponsorOrgId: 'sp', staffPartyMembers: 1, partyOrganizationId: 'j', orgKind: 'JOINT' }), // met
      row({ type: 'PUBLIC', sponsorOrgId: 'sp', hasInstructor: true }), // no members, work covered: met
    ];
    const r = buildCoverageReport(probationary, 2022, DEFAULT_POLICY_SETTINGS, '2026-11-29');
    expect(r.totals).toMatchObject({ total: 3, met: 2, organisationCovered: 1, workCovered: 3 });
    expect(r.shortOfTarget).toEqual([expect.objectContaining({ institutionId: probationary[0]!.id, requiredAction: 'JOINT_ORG', fullStaffMembers: 0, coverageKind: 'WORK_INSTRUCTOR' })]);
  });

  it('names the township for a builder without an organisation (R2) and the district when R3b says so', () => {
    const s = mergePolicySettings({ silentTypesResponsibleBody: { PRIVATE: 'DISTRICT' } });
    const r = buildCoverageReport(
      [row({ type: 'PUBLIC_BUILT_PRIVATE_RUN', fullStaff: 3 }), row({ type: 'PRIVATE', fullStaff: 3 }), row({ type: 'PRIVATE', fullStaff: 3, townshipParentOrgId: null })],
      2022,
      s,
      '2026-11-29',
    );
    expect(r.shortOfTarget.map((x) => x.responsibleBodyId)).toEqual(['town', 'district', 'town']);
  });
});
