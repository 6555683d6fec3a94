import { SEED_SOURCES, resolveResponsibleBody } from '../src';
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

  it('R3: an elderly branch → township, whatever the type', () => {
    for (const type of ['PUBLIC', 'PUBLIC_BUILT_PRIVATE_RUN', 'PRIVATE'] as const) {
      const r = resolveResponsibleBody(institution({ type }), settings, { elderly: true });
      expect(r.organizationId).toBe('org-township');
      expect(r.finding.ruleId).toBe('R3');
    }
  });

  it.each(['PRIVATE', 'HOME_CARE_CENTER', 'HOME_CARE_STATION'] as const)('R3b: %s → township by default', (type) => {
    const r = resolveResponsibleBody(institution({ type }), settings);
    expect(r.organizationId).toBe('org-township');
    expect(r.finding.ruleId).toBe('R3b');
  });
});
