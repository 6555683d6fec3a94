import type { DemoCity, DemoSummary } from './demo-city.types';

const tally = <T>(items: readonly T[], key: (t: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const it of items) out[key(it)] = (out[key(it)] ?? 0) + 1;
  return out;
};

/** Counts that describe a generated city (printed by the seed script, checked by the unit test). */
export function summariseDemoCity(city: DemoCity): DemoSummary {
  const count = (category: string, status: string): number => city.members.filter((m) => m.category === category && m.status === status).length;
  const fullStaff = new Map<string, number>();
  for (const m of city.members) if (m.category === 'STAFF' && m.status === 'FULL') fullStaff.set(m.institutionId, (fullStaff.get(m.institutionId) ?? 0) + 1);
  const main = city.institutions.filter((i) => ['PUBLIC', 'PUBLIC_BUILT_PRIVATE_RUN', 'PRIVATE'].includes(i.type));
  const spread = { '0': 0, '1-2': 0, '3-6': 0, '7+': 0 };
  for (const i of main) {
    const n = fullStaff.get(i.id) ?? 0;
    spread[n === 0 ? '0' : n <= 2 ? '1-2' : n <= 6 ? '3-6' : '7+'] += 1;
  }
  return {
    seed: city.seed,
    districts: city.districts.length,
    organizations: tally(city.organizations, (o) => o.kind),
    institutions: tally(city.institutions, (i) => i.type),
    residents: city.institutions.reduce((a, i) => a + (i.residentCount ?? 0), 0),
    members: {
      staffFull: count('STAFF', 'FULL'),
      staffProbationary: count('STAFF', 'PROBATIONARY'),
      elderlyFull: count('ELDERLY', 'FULL'),
      elderlyProbationary: count('ELDERLY', 'PROBATIONARY'),
    },
    staffSpread: spread,
    covered: city.institutions.filter((i) => i.partyOrganizationId !== null).length,
    users: city.users.map((u) => u.username),
  };
}
