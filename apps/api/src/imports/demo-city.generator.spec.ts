/**
 * The demo city generator (scripts/demo) is pure: the same seed gives the same city, another seed another one,
 * and every seed has the shape the seed policy describes. (It lives in scripts/; the unit tier runs specs
 * under apps/ and libs/ only, hence this file's place beside the imports the demo data feeds.)
 */
import { DEMO_SHAPE, apportion, generateDemoCity } from '../../../../scripts/demo/demo-city.generator';
import { summariseDemoCity } from '../../../../scripts/demo/demo-city.summary';

const today = '2025-06-30';

describe('demo city generator', () => {
  const a = generateDemoCity({ seed: 1, today });
  const b = generateDemoCity({ seed: 1, today });
  const c = generateDemoCity({ seed: 2, today });

  it('is deterministic for a seed: same counts, same names, same ids', () => {
    expect(summariseDemoCity(b)).toEqual(summariseDemoCity(a));
    expect(b.members.slice(0, 20).map((m) => m.name)).toEqual(a.members.slice(0, 20).map((m) => m.name));
    expect(b.institutions.map((i) => i.name)).toEqual(a.institutions.map((i) => i.name));
    expect(b.organizations.map((o) => o.id)).toEqual(a.organizations.map((o) => o.id));
  });

  it('differs for another seed', () => {
    expect(c.members.slice(0, 20).map((m) => m.name)).not.toEqual(a.members.slice(0, 20).map((m) => m.name));
    expect(c.institutions.map((i) => i.name)).not.toEqual(a.institutions.map((i) => i.name));
    expect(c.organizations[1].id).not.toBe(a.organizations[1].id);
  });

  it.each([1, 2, 42])('has the seed policy shape for seed %i', (seed) => {
    const city = seed === 1 ? a : seed === 2 ? c : generateDemoCity({ seed, today });
    const s = summariseDemoCity(city);
    expect(s.districts).toBe(14);
    expect(s.institutions).toEqual({ PUBLIC: 85, PUBLIC_BUILT_PRIVATE_RUN: 76, PRIVATE: 100, HOME_CARE_CENTER: 124, HOME_CARE_STATION: 2930 });
    expect(s.institutions.PUBLIC + s.institutions.PUBLIC_BUILT_PRIVATE_RUN + s.institutions.PRIVATE).toBe(261);
    expect(s.residents).toBe(DEMO_SHAPE.residents);
    expect(s.organizations.CIVIL_AFFAIRS).toBe(1);
    expect(s.organizations.DISTRICT).toBe(14);
    expect(s.organizations.TOWNSHIP).toBe(150);
    expect(s.organizations.SPONSOR).toBeGreaterThan(0);
    expect(s.organizations.PUBLIC_BUILDER).toBeGreaterThan(0);
    expect(s.organizations.BRANCH).toBeGreaterThan(20);
    // Elderly party members ≈ 8-10 % of residents.
    const elderly = s.members.elderlyFull + s.members.elderlyProbationary;
    expect(elderly / s.residents).toBeGreaterThan(0.07);
    expect(elderly / s.residents).toBeLessThan(0.11);
    expect(s.members.staffProbationary).toBeGreaterThan(0);
    for (const bucket of ['0', '1-2', '3-6', '7+'] as const) expect(s.staffSpread[bucket]).toBeGreaterThan(5);
    expect(s.covered).toBeGreaterThan(0);
  });

  it('keeps references whole and natural keys unique', () => {
    const orgIds = new Set(a.organizations.map((o) => o.id));
    const instIds = new Set(a.institutions.map((i) => i.id));
    expect(orgIds.size).toBe(a.organizations.length);
    expect(new Set(a.institutions.map((i) => i.name)).size).toBe(a.institutions.length);
    expect(new Set(a.organizations.map((o) => o.name)).size).toBe(a.organizations.length);
    for (const o of a.organizations) if (o.parentId) expect(orgIds.has(o.parentId)).toBe(true);
    for (const i of a.institutions) {
      expect(orgIds.has(i.townshipOrgId)).toBe(true);
      if (i.type === 'PUBLIC') expect(i.sponsorOrgId && orgIds.has(i.sponsorOrgId)).toBeTruthy();
      if (i.type === 'PUBLIC_BUILT_PRIVATE_RUN') expect(i.publicBuilderOrgId && orgIds.has(i.publicBuilderOrgId)).toBeTruthy();
      if (i.partyOrganizationId) expect(orgIds.has(i.partyOrganizationId)).toBe(true);
    }
    const keys = new Set(a.members.map((m) => `${m.institutionId}|${m.name}|${m.birthDate}`));
    expect(keys.size).toBe(a.members.length);
    for (const m of a.members) expect(instIds.has(m.institutionId)).toBe(true);
    for (const o of a.organizations.filter((x) => x.termStart)) expect(o.termEnd! > o.termStart!).toBe(true);
  });

  it('gives the demo applicant a 公建民营 institution with ≥ 3 FULL staff and no organization yet', () => {
    const applicant = a.users.find((u) => u.username === 'demo_applicant')!;
    const inst = a.institutions.find((i) => i.id === applicant.institutionIds[0])!;
    expect(inst.type).toBe('PUBLIC_BUILT_PRIVATE_RUN');
    expect(inst.partyOrganizationId).toBeNull();
    expect(a.members.filter((m) => m.institutionId === inst.id && m.category === 'STAFF' && m.status === 'FULL').length).toBeGreaterThanOrEqual(3);
    const approver = a.users.find((u) => u.username === 'demo_approver')!;
    expect(approver.organizationIds).toEqual([inst.townshipOrgId, inst.publicBuilderOrgId]);
  });

  it('apportions exactly', () => {
    expect(apportion([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(apportion([5, 3, 2], 28_000).reduce((x, y) => x + y, 0)).toBe(28_000);
  });
});
