import { SEED_SOURCES, mergePolicySettings, resolveJointResponsibleBody } from '../src';
import { institution, settings } from './helpers';

// Three PRIVATE units (R3b: their township decides each) and a PUBLIC one (R1: its sponsor).
const a = institution({ id: 'a', type: 'PRIVATE', townshipOrgId: 't1', townshipParentOrgId: 'd1' });
const b = institution({ id: 'b', type: 'PRIVATE', townshipOrgId: 't1', townshipParentOrgId: 'd1' });
const c = institution({ id: 'c', type: 'PRIVATE', townshipOrgId: 't2', townshipParentOrgId: 'd1' });
const pub = institution({ id: 'p', type: 'PUBLIC', townshipOrgId: 't2', sponsorOrgId: 'sponsor' });

describe('joint organisation: who decides (DOMAIN.md process 2)', () => {
  it('the body R1–R3b name for every unit, when they all agree, with nobody copied', () => {
    const r = resolveJointResponsibleBody({ mode: 'CO_BUILD', units: [a, b], initiatorId: 'b' }, settings);
    expect(r).toMatchObject({ organizationId: 't1', ccOrgIds: [], basis: 'UNITS_AGREE' });
    expect(r.finding).toMatchObject({ ruleId: 'R5', severity: 'INFO', source: SEED_SOURCES.R5 });
  });

  it('agreement is read after R3b: set to DISTRICT, units of two townships agree on the district above them', () => {
    const district = mergePolicySettings({ silentTypesResponsibleBody: { PRIVATE: 'DISTRICT' } });
    expect(resolveJointResponsibleBody({ mode: 'CO_BUILD', units: [a, c], initiatorId: 'c' }, district)).toMatchObject({ organizationId: 'd1', ccOrgIds: [], basis: 'UNITS_AGREE' });
    // Under the default (township) they do not agree: the initiator's township decides, the other township is copied.
    expect(resolveJointResponsibleBody({ mode: 'CO_BUILD', units: [a, c], initiatorId: 'c' }, settings)).toMatchObject({ organizationId: 't2', ccOrgIds: ['t1'], basis: 'INITIATOR_TOWNSHIP' });
  });

  it('units with different bodies: the initiating unit\'s township decides, every other body copied once', () => {
    const r = resolveJointResponsibleBody({ mode: 'CO_BUILD', units: [a, b, pub], initiatorId: 'a' }, settings);
    expect(r).toMatchObject({ organizationId: 't1', ccOrgIds: ['sponsor'], basis: 'INITIATOR_TOWNSHIP' });
    const fromPublic = resolveJointResponsibleBody({ mode: 'CO_BUILD', units: [a, b, pub], initiatorId: 'p' }, settings);
    // The public unit's township decides although its own body is its sponsor, which is copied with the other township.
    expect(fromPublic).toMatchObject({ organizationId: 't2', ccOrgIds: ['t1', 'sponsor'] });
  });

  it('AFFILIATE with different bodies: the host organisation\'s superior decides, the units\' bodies copied', () => {
    const r = resolveJointResponsibleBody({ mode: 'AFFILIATE', units: [a, pub], initiatorId: 'a', host: { id: 'host', parentId: 'host-parent' } }, settings);
    expect(r).toMatchObject({ organizationId: 'host-parent', ccOrgIds: ['t1', 'sponsor'], basis: 'HOST_SUPERIOR' });
    // The host's superior may itself be one unit's body: it is not copied to itself.
    expect(resolveJointResponsibleBody({ mode: 'AFFILIATE', units: [a, pub], initiatorId: 'a', host: { id: 'host', parentId: 'sponsor' } }, settings).ccOrgIds).toEqual(['t1']);
  });

  it('AFFILIATE when the units agree: their common body decides (the first rule comes first)', () => {
    expect(resolveJointResponsibleBody({ mode: 'AFFILIATE', units: [a, b], initiatorId: 'a', host: { id: 'host', parentId: 'host-parent' } }, settings)).toMatchObject({
      organizationId: 't1',
      basis: 'UNITS_AGREE',
    });
  });

  it('AFFILIATE to a host without a superior on record: the initiator\'s township, with a warning (never nobody)', () => {
    for (const host of [{ id: 'host', parentId: null }, { id: 'host' }, null]) {
      const r = resolveJointResponsibleBody({ mode: 'AFFILIATE', units: [a, pub], initiatorId: 'p', host }, settings);
      expect(r).toMatchObject({ organizationId: 't2', ccOrgIds: ['t1', 'sponsor'], basis: 'INITIATOR_TOWNSHIP' });
      expect(r.finding).toMatchObject({ ruleId: 'R5', severity: 'WARNING' });
    }
  });

  it('a unit whose body is not on record (PUBLIC without its sponsor) never makes the units agree, and is not copied', () => {
    const orphan = institution({ id: 'o', type: 'PUBLIC', townshipOrgId: 't1', sponsorOrgId: null });
    const r = resolveJointResponsibleBody({ mode: 'CO_BUILD', units: [orphan, a], initiatorId: 'a' }, settings);
    expect(r).toMatchObject({ organizationId: 't1', ccOrgIds: [], basis: 'INITIATOR_TOWNSHIP' });
    const both = institution({ id: 'o2', type: 'PUBLIC', townshipOrgId: 't2', sponsorOrgId: null });
    expect(resolveJointResponsibleBody({ mode: 'CO_BUILD', units: [orphan, both], initiatorId: 'o2' }, settings)).toMatchObject({ organizationId: 't2', ccOrgIds: [] });
  });

  it('refuses an initiator that is not one of the units (a caller error)', () => {
    expect(() => resolveJointResponsibleBody({ mode: 'CO_BUILD', units: [a, b], initiatorId: 'x' }, settings)).toThrow(RangeError);
  });
});
