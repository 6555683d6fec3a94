import { DEFAULT_POLICY_SETTINGS, type InstitutionFacts, type MemberFacts, type PolicySettings } from '../src';

export const settings: PolicySettings = DEFAULT_POLICY_SETTINGS;

export function institution(overrides: Partial<InstitutionFacts> = {}): InstitutionFacts {
  return {
    id: 'inst-1',
    type: 'PRIVATE',
    townshipOrgId: 'org-township',
    sponsorOrgId: 'org-sponsor',
    publicBuilderOrgId: 'org-builder',
    managedBy: null,
    partyOrganizationId: null,
    ...overrides,
  };
}

let seq = 0;
export function member(overrides: Partial<MemberFacts> = {}): MemberFacts {
  seq += 1;
  return {
    id: `m-${seq}`,
    institutionId: 'inst-1',
    category: 'STAFF',
    status: 'FULL',
    birthDate: null,
    disabled: false,
    dementia: false,
    relationOrgId: null,
    ...overrides,
  };
}

export function staff(n: number, overrides: Partial<MemberFacts> = {}): MemberFacts[] {
  return Array.from({ length: n }, () => member({ category: 'STAFF', ...overrides }));
}

export function elderly(n: number, overrides: Partial<MemberFacts> = {}): MemberFacts[] {
  return Array.from({ length: n }, () => member({ category: 'ELDERLY', birthDate: '1950-01-01', ...overrides }));
}
