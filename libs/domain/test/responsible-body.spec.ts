import { SEED_SOURCES, mergePolicySettings, resolveResponsibleBody } from '../src';
import { institution, settings } from './helpers';

describe('R1–R3b responsible body', () => {
  it('R1: PUBLIC → sponsor organisation', () => {
    const r = resolveResponsibleBody(institution({ type: 'PUBLIC' }), settings);
    expect(r.organizationId).toBe('org-sponsor');
    expect(r.finding).toMatchObject({ ruleId: 'R1', source: SEED_SOURCES.R1 });
  });

  it('R2: PUBLIC_BUILT_PRIVATE_RUN → builder by default, township when managedBy TOWNSHIP', () => {
    expect(resolveResponsibleBody(institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN' }), settings).organizationId).toBe('org-builder');
    expect(
      resolveResponsibleBody(institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN', managedBy: 'PUBLIC_BUILDER' }), settings).organizationId,
    ).toBe('org-builder');
    const t = resolveResponsibleBody(institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN', managedBy: 'TOWNSHIP' }), settings);
    expect(t.organizationId).toBe('org-township');
    expect(t.finding.ruleId).toBe('R2');
  });

  it.each([null, undefined, ''])('R2: a builder with no party organisation on record (%p) → the township, never nobody', (builder) => {
    for (const managedBy of [null, 'PUBLIC_BUILDER', 'TOWNSHIP'] as const) {
      const r = resolveResponsibleBody(institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN', publicBuilderOrgId: builder, managedBy }), settings);
      expect(r.organizationId).toBe('org-township');
      expect(r.finding).toMatchObject({ ruleId: 'R2', severity: 'INFO', source: SEED_SOURCES.R2 });
    }
  });

  it('R3: an elderly branch → township, whatever the type and the R3b setting', () => {
    const district = mergePolicySettings({ silentTypesResponsibleBody: { PRIVATE: 'DISTRICT' } });
    for (const type of ['PUBLIC', 'PUBLIC_BUILT_PRIVATE_RUN', 'PRIVATE'] as const) {
      const r = resolveResponsibleBody(institution({ type, townshipParentOrgId: 'org-district' }), district, { elderly: true });
      expect(r.organizationId).toBe('org-township');
      expect(r.finding.ruleId).toBe('R3');
    }
  });

  it.each(['PRIVATE', 'HOME_CARE_CENTER', 'HOME_CARE_STATION'] as const)('R3b: %s → township by default', (type) => {
    const r = resolveResponsibleBody(institution({ type, townshipParentOrgId: 'org-district' }), settings);
    expect(r.organizationId).toBe('org-township');
    expect(r.finding).toMatchObject({ ruleId: 'R3b', severity: 'INFO' });
  });

  it('R3b: reads the per-type setting; DISTRICT is the organisation above the township', () => {
    const s = mergePolicySettings({ silentTypesResponsibleBody: { HOME_CARE_CENTER: 'DISTRICT' } });
    expect(s.silentTypesResponsibleBody).toEqual({ PRIVATE: 'TOWNSHIP', HOME_CARE_CENTER: 'DISTRICT', HOME_CARE_STATION: 'TOWNSHIP' });
    const centre = resolveResponsibleBody(institution({ type: 'HOME_CARE_CENTER', townshipParentOrgId: 'org-district' }), s);
    expect(centre.organizationId).toBe('org-district');
    expect(centre.finding).toMatchObject({ ruleId: 'R3b', severity: 'INFO', source: SEED_SOURCES.R3b });
    expect(centre.finding.message).toContain('区县');
    for (const type of ['PRIVATE', 'HOME_CARE_STATION'] as const) {
      expect(resolveResponsibleBody(institution({ type, townshipParentOrgId: 'org-district' }), s).organizationId).toBe('org-township');
    }
    // The setting never touches R1/R2.
    const all = mergePolicySettings({ silentTypesResponsibleBody: { PRIVATE: 'DISTRICT', HOME_CARE_CENTER: 'DISTRICT', HOME_CARE_STATION: 'DISTRICT' } });
    expect(resolveResponsibleBody(institution({ type: 'PUBLIC', townshipParentOrgId: 'org-district' }), all).organizationId).toBe('org-sponsor');
    expect(resolveResponsibleBody(institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN', townshipParentOrgId: 'org-district' }), all).organizationId).toBe('org-builder');
  });

  it('R3b: DISTRICT with no organisation on record above the township → the township, with a warning', () => {
    const s = mergePolicySettings({ silentTypesResponsibleBody: { PRIVATE: 'DISTRICT' } });
    for (const parent of [null, undefined]) {
      const r = resolveResponsibleBody(institution({ type: 'PRIVATE', townshipParentOrgId: parent }), s);
      expect(r.organizationId).toBe('org-township');
      expect(r.finding).toMatchObject({ ruleId: 'R3b', severity: 'WARNING' });
    }
  });
});
