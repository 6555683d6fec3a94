import type { InstitutionType, MemberCategory, MemberStatus, OrganizationKind } from '@app/domain';
import type { CityFrame, Township } from './demo-city.generator';
import type { DemoInstitution, DemoMember, DemoOrganization } from './demo-city.types';
import { addDays, addYears } from './demo-dates';
import { GIVEN, SURNAMES } from './demo-names';
import type { DemoRandom } from './demo-random';

/** FULL staff members per institution: chance of 0, 1-2, 3-6 and 7+ by type (PUBLIC best staffed). */
const STAFF_BUCKETS: Record<InstitutionType, readonly number[]> = {
  PUBLIC: [0.15, 0.3, 0.4, 0.15],
  PUBLIC_BUILT_PRIVATE_RUN: [0.2, 0.35, 0.35, 0.1],
  PRIVATE: [0.4, 0.35, 0.2, 0.05],
  HOME_CARE_CENTER: [0.5, 0.4, 0.1, 0],
  HOME_CARE_STATION: [0.85, 0.15, 0, 0],
};
const BUCKET_RANGE: ReadonlyArray<[number, number]> = [[0, 0], [1, 2], [3, 6], [7, 12]];

/** Chance that an institution able to (≥ 3 FULL staff) already has its own branch. */
const OWN_BRANCH: Record<InstitutionType, number> = { PUBLIC: 0.8, PUBLIC_BUILT_PRIVATE_RUN: 0.65, PRIVATE: 0.45, HOME_CARE_CENTER: 0.5, HOME_CARE_STATION: 0 };

/**
 * Party members (staff by the buckets above, elderly members at 6-12 % of residents) and the party
 * organizations that already exist: own branches with terms (some near or past their end), joint branches of
 * small institutions in one township, a few elderly branches. Mutates the frame's institutions and organizations.
 */
export function populate(f: CityFrame): DemoMember[] {
  const { rng, ids } = f;
  const members: DemoMember[] = [];
  const byInst = new Map<string, DemoMember[]>();
  const township = new Map(f.townships.map((t) => [t.orgId, t]));
  const usedNames = new Map<string, Set<string>>();
  const person = (i: DemoInstitution, category: MemberCategory, status: MemberStatus): DemoMember => {
    const taken = usedNames.get(i.id) ?? new Set<string>();
    usedNames.set(i.id, taken);
    let name = '';
    let birthDate = '';
    do {
      name = `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}${rng.chance(0.7) ? rng.pick(GIVEN) : ''}`;
      const age = category === 'STAFF' ? rng.int(23, 58) : rng.int(63, 78) + rng.int(0, 20);
      birthDate = addDays(addYears(f.today, -age), -rng.int(0, 364));
    } while (taken.has(`${name}|${birthDate}`));
    taken.add(`${name}|${birthDate}`);
    const elderly = category === 'ELDERLY';
    const m: DemoMember = {
      id: ids.uuid(),
      name,
      institutionId: i.id,
      category,
      status,
      birthDate,
      disabled: elderly && rng.chance(0.25),
      dementia: elderly && rng.chance(0.1),
      relationOrgId: null,
    };
    members.push(m);
    byInst.set(i.id, [...(byInst.get(i.id) ?? []), m]);
    return m;
  };

  for (const i of f.institutions) {
    const demo = i === f.demoInstitution;
    const [lo, hi] = demo ? [4, 4] : BUCKET_RANGE[rng.weighted(STAFF_BUCKETS[i.type])];
    const full = rng.int(lo, hi);
    for (let k = 0; k < full; k++) person(i, 'STAFF', 'FULL');
    const probationary = i.type === 'HOME_CARE_STATION' ? 0 : rng.chance(0.25) ? rng.int(1, 2) : 0;
    for (let k = 0; k < probationary; k++) person(i, 'STAFF', 'PROBATIONARY');
    const elderly = Math.round((i.residentCount ?? 0) * (0.06 + rng.next() * 0.06));
    for (let k = 0; k < elderly; k++) person(i, 'ELDERLY', rng.chance(0.03) ? 'PROBATIONARY' : 'FULL');
  }

  const fullStaff = (i: DemoInstitution): DemoMember[] => (byInst.get(i.id) ?? []).filter((m) => m.category === 'STAFF' && m.status === 'FULL');
  const partyOrg = (name: string, kind: OrganizationKind, parentId: string, institutionId: string, secretary: DemoMember | undefined): DemoOrganization => {
    const termStart = addDays(f.today, -rng.int(30, 1250)); // about one in eight is past its 3-year term
    const o: DemoOrganization = {
      id: ids.uuid(),
      name,
      kind,
      parentId,
      institutionId,
      termStart,
      termEnd: addYears(termStart, 3),
      secretaryMemberId: secretary?.id ?? null,
    };
    f.organizations.push(o);
    return o;
  };

  // Own branches (R4), under the responsible body (R1-R3).
  for (const i of f.institutions) {
    const staff = fullStaff(i);
    if (staff.length < 3 || i === f.demoInstitution || !rng.chance(OWN_BRANCH[i.type])) continue;
    const parent = i.type === 'PUBLIC' ? i.sponsorOrgId! : i.type === 'PUBLIC_BUILT_PRIVATE_RUN' && i.managedBy !== 'TOWNSHIP' ? i.publicBuilderOrgId! : i.townshipOrgId;
    i.partyOrganizationId = partyOrg(`${i.name}党支部`, 'BRANCH', parent, i.id, rng.pick(staff)).id;
  }
  jointBranches(f, rng, fullStaff, township, partyOrg);

  // Elderly branches (R7) where there are enough FULL elderly members, and work coverage (R6) of the rest.
  for (const i of f.institutions) {
    const elderly = (byInst.get(i.id) ?? []).filter((m) => m.category === 'ELDERLY' && m.status === 'FULL');
    if (elderly.length >= 3 && rng.chance(0.12)) partyOrg(`${i.name}老年人党支部`, 'ELDERLY_BRANCH', i.townshipOrgId, i.id, rng.pick(elderly));
    if (!i.partyOrganizationId && fullStaff(i).length === 0) {
      // Stations are mostly served by their community's organization, less often by an instructor of their own.
      const station = i.type === 'HOME_CARE_STATION';
      i.hasInstructor = rng.chance(station ? 0.15 : 0.35);
      i.hasMassOrganisation = rng.chance(station ? 0.08 : 0.25);
    }
  }

  // Relations (组织关系): staff mostly transferred in where an organization exists; elderly mostly elsewhere.
  const townshipIds = f.townships.map((t) => t.orgId);
  const byId = new Map(f.institutions.map((i) => [i.id, i]));
  for (const m of members) {
    const own = byId.get(m.institutionId)!.partyOrganizationId;
    if (m.category === 'STAFF' && own && rng.chance(0.8)) m.relationOrgId = own;
    else m.relationOrgId = rng.chance(m.category === 'ELDERLY' ? 0.6 : 0.5) ? rng.pick(townshipIds) : null;
  }
  return members;
}

/** R5: small institutions (1-2 FULL staff) of one township pooled into joint branches of ≥ 3 FULL members, ≤ 5 units. */
function jointBranches(
  f: CityFrame,
  rng: DemoRandom,
  fullStaff: (i: DemoInstitution) => DemoMember[],
  township: Map<string, Township>,
  partyOrg: (name: string, kind: OrganizationKind, parentId: string, institutionId: string, secretary: DemoMember | undefined) => DemoOrganization,
): void {
  const small = new Map<string, DemoInstitution[]>();
  for (const i of f.institutions) {
    const n = fullStaff(i).length;
    if (i.type === 'HOME_CARE_STATION' || i.partyOrganizationId || n < 1 || n > 2 || i === f.demoInstitution) continue;
    small.set(i.townshipOrgId, [...(small.get(i.townshipOrgId) ?? []), i]);
  }
  for (const [townshipOrgId, list] of small) {
    let group: DemoInstitution[] = [];
    let count = 0;
    let made = 0;
    for (const i of list) {
      group.push(i);
      count += fullStaff(i).length;
      if (count < 3 && group.length < 5) continue;
      if (count >= 3 && rng.chance(0.5)) {
        const place = township.get(townshipOrgId)!.place;
        const name = `${place}养老机构联合党支部${made > 0 ? `（${made + 1}）` : ''}`;
        const joint = partyOrg(name, 'JOINT', townshipOrgId, group[0].id, rng.pick(fullStaff(group[0])));
        for (const g of group) g.partyOrganizationId = joint.id;
        made += 1;
      }
      group = [];
      count = 0;
    }
  }
}
