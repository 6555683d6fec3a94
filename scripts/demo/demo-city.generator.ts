import { DEMO_DEFAULT_PASSWORD } from '@app/config';
import type { InstitutionType, OrganizationKind } from '@app/domain';
import type { DemoCity, DemoInstitution, DemoOrganization, DemoUser } from './demo-city.types';
import { todayUtc } from './demo-dates';
import { populate } from './demo-members.generator';
import { BRANDS, CIVIL_AFFAIRS_ORG, DISTRICTS, INSTITUTION_SUFFIX, PLACE_FIRST, PLACE_SECOND, type DistrictSpec } from './demo-names';
import { DemoRandom } from './demo-random';

/** The scale the seed policy describes (DOMAIN.md "Scale the seed describes"). */
export const DEMO_SHAPE = {
  districts: 14,
  institutions: { PUBLIC: 85, PUBLIC_BUILT_PRIVATE_RUN: 76, PRIVATE: 100 } as Record<'PUBLIC' | 'PUBLIC_BUILT_PRIVATE_RUN' | 'PRIVATE', number>,
  homeCareCenters: 124,
  homeCareStations: 2930,
  residents: 28_000,
} as const;

export { DEMO_DEFAULT_PASSWORD };

export interface DemoOptions {
  seed?: number;
  /** The day terms and ages count from (YYYY-MM-DD); today by default. Tests pass a fixed day. */
  today?: string;
  password?: string;
}

export interface Township {
  orgId: string;
  /** 石碶街道 */
  place: string;
  /** 石碶 */
  stem: string;
  district: DistrictSpec;
}

/** Everything the member generator needs about the registry the city generator built. */
export interface CityFrame {
  rng: DemoRandom;
  ids: DemoRandom;
  today: string;
  townships: Township[];
  organizations: DemoOrganization[];
  institutions: DemoInstitution[];
  /** The 公建民营 institution the demo applicant works for (≥ 3 FULL staff, no organization yet). */
  demoInstitution: DemoInstitution;
}

/**
 * A whole city, in memory and deterministic for a seed: organizations, 261 institutions, 124 centres,
 * 2,930 stations, their party members and the demo users. Writing it to a database is demo-city.writer.ts.
 */
export function generateDemoCity(opts: DemoOptions = {}): DemoCity {
  const seed = opts.seed ?? 1;
  const today = opts.today ?? todayUtc();
  const rng = new DemoRandom(seed);
  const ids = new DemoRandom(Math.imul(seed, 7919) + 104_729); // ids on a stream of their own
  const orgs: DemoOrganization[] = [];
  const org = (name: string, kind: OrganizationKind, parentId: string | null): DemoOrganization => {
    const o: DemoOrganization = { id: ids.uuid(), name, kind, parentId, institutionId: null, termStart: null, termEnd: null, secretaryMemberId: null };
    orgs.push(o);
    return o;
  };

  const civil = org(CIVIL_AFFAIRS_ORG, 'CIVIL_AFFAIRS', null);
  const stems = new Set<string>();
  const townships: Township[] = [];
  const sponsors = new Map<string, DemoOrganization[]>();
  const builders = new Map<string, DemoOrganization[]>();
  for (const d of DISTRICTS) {
    const districtOrg = org(d.partyOrg, 'DISTRICT', civil.id);
    const zone = d.kind === 'ZONE';
    sponsors.set(d.name, zone ? [org(`${d.name}社会事务局党支部`, 'SPONSOR', districtOrg.id)] : [
      org(`${d.name}民政局机关党委`, 'SPONSOR', districtOrg.id),
      org(`${d.name}卫生健康局机关党委`, 'SPONSOR', districtOrg.id),
    ]);
    builders.set(d.name, zone ? [org(`${d.name}开发建设集团党委`, 'PUBLIC_BUILDER', districtOrg.id)] : [
      org(`${d.name}城市建设投资集团党委`, 'PUBLIC_BUILDER', districtOrg.id),
      org(`${d.name}国有资产投资控股公司党委`, 'PUBLIC_BUILDER', districtOrg.id),
    ]);
    for (let i = 0; i < d.townships; i++) {
      const stem = uniqueStem(rng, stems);
      const kind = d.kind === 'ZONE' ? '街道' : d.kind === 'URBAN' ? (rng.chance(0.8) ? '街道' : '镇') : rng.pick(['镇', '镇', '镇', '镇', '镇', '镇', '镇', '街道', '街道', '乡']);
      const place = `${stem}${kind}`;
      const o = org(kind === '街道' ? `${place}党工委` : `${place}党委`, 'TOWNSHIP', districtOrg.id);
      townships.push({ orgId: o.id, place, stem, district: d });
    }
  }

  const institutions: DemoInstitution[] = [];
  const names = new Set<string>();
  const inst = (name: string, type: InstitutionType, t: Township, extra: Partial<DemoInstitution> = {}): DemoInstitution => {
    const i: DemoInstitution = {
      id: ids.uuid(),
      name,
      type,
      district: t.district.name,
      townshipOrgId: t.orgId,
      sponsorOrgId: null,
      publicBuilderOrgId: null,
      managedBy: null,
      operatorName: null,
      bedCount: null,
      residentCount: null,
      partyOrganizationId: null,
      hasInstructor: false,
      hasMassOrganisation: false,
      ...extra,
    };
    names.add(name);
    institutions.push(i);
    return i;
  };

  // 261 institutions: types in a shuffled order, districts weighted by their number of townships.
  const types = rng.shuffle(
    (Object.entries(DEMO_SHAPE.institutions) as Array<[keyof typeof DEMO_SHAPE.institutions, number]>).flatMap(([t, n]) => Array<InstitutionType>(n).fill(t)),
  );
  const weights = types.map((t) => (t === 'PUBLIC' ? rng.int(30, 160) : t === 'PUBLIC_BUILT_PRIVATE_RUN' ? rng.int(60, 280) : rng.int(20, 240)));
  const residents = apportion(weights, DEMO_SHAPE.residents);
  let demoInstitution: DemoInstitution | null = null;
  let welfareHome: DemoInstitution | null = null;
  types.forEach((type, k) => {
    const t = rng.pick(townships);
    const brand = rng.pick(BRANDS);
    const operator = type === 'PUBLIC' ? null : `${rng.pick(BRANDS)}${rng.pick(['养老服务有限公司', '健康管理有限公司', '养老产业发展有限公司'])}`;
    const cityOwned = type === 'PUBLIC' && !welfareHome;
    const name = cityOwned ? '市社会福利院' : uniqueName(rng, names, (alt) => {
      const suffix = rng.pick(INSTITUTION_SUFFIX[type as keyof typeof INSTITUTION_SUFFIX]);
      const base = type === 'PRIVATE' ? `${t.stem}${brand}${suffix}` : `${t.stem}${suffix}`;
      return alt === 0 ? base : alt === 1 ? `${t.place}${base.slice(t.stem.length)}` : `${t.district.name}${base}${alt}`;
    });
    const occupancy = 0.62 + rng.next() * 0.3;
    const i = inst(name, type, t, { operatorName: operator, residentCount: residents[k], bedCount: Math.ceil(residents[k] / occupancy) });
    if (cityOwned) welfareHome = i;
    if (type === 'PUBLIC') i.sponsorOrgId = cityOwned ? civil.id : rng.pick(sponsors.get(t.district.name)!).id;
    if (type === 'PUBLIC_BUILT_PRIVATE_RUN') {
      const own = !demoInstitution;
      i.publicBuilderOrgId = !own && rng.chance(0.2) ? t.orgId : rng.pick(builders.get(t.district.name)!).id;
      if (!own && rng.chance(0.2)) i.managedBy = 'TOWNSHIP';
      if (own) demoInstitution = i;
    }
  });

  // 124 township home-care centres (in 124 of the 150 townships) and 2,930 village/community stations.
  for (const t of rng.shuffle(townships).slice(0, DEMO_SHAPE.homeCareCenters)) {
    inst(`${t.place}居家养老服务中心`, 'HOME_CARE_CENTER', t, { bedCount: rng.int(8, 40) });
  }
  const villageWeight = townships.map((t) => (t.district.kind === 'COUNTY' ? 1.4 : t.district.kind === 'URBAN' ? 0.9 : 0.6));
  const villages = new Map<string, Set<string>>();
  for (let s = 0; s < DEMO_SHAPE.homeCareStations; s++) {
    const t = townships[rng.weighted(villageWeight)];
    const taken = villages.get(t.orgId) ?? new Set<string>();
    villages.set(t.orgId, taken);
    const village = uniqueName(rng, taken, (alt) => {
      const suffix = t.district.kind === 'COUNTY' ? (rng.chance(0.75) ? '村' : '社区') : rng.chance(0.85) ? '社区' : '村';
      return `${rng.pick(PLACE_FIRST)}${rng.pick(PLACE_SECOND)}${alt > 6 ? rng.pick(PLACE_SECOND) : ''}${suffix}`;
    });
    taken.add(village);
    inst(`${t.place}${village}居家养老服务站`, 'HOME_CARE_STATION', t);
  }

  const frame: CityFrame = { rng, ids, today, townships, organizations: orgs, institutions, demoInstitution: demoInstitution! };
  const members = populate(frame);
  return {
    seed,
    today,
    districts: DISTRICTS.map((d) => d.name),
    organizations: orgs,
    institutions,
    members,
    users: demoUsers(frame.demoInstitution, opts.password ?? DEMO_DEFAULT_PASSWORD),
  };
}

function demoUsers(inst: DemoInstitution, password: string): DemoUser[] {
  return [
    {
      username: 'demo_approver',
      password,
      displayName: '演示审批人',
      email: 'demo_approver@party-approvals.local',
      roles: ['APPROVER'],
      organizationIds: [inst.townshipOrgId, inst.publicBuilderOrgId!],
      institutionIds: [],
      note: `APPROVER：${inst.name}的属地镇街党组织与公建方党组织`,
    },
    {
      username: 'demo_applicant',
      password,
      displayName: '演示申请人',
      email: 'demo_applicant@party-approvals.local',
      roles: ['APPLICANT'],
      organizationIds: [],
      institutionIds: [inst.id],
      note: `APPLICANT：${inst.name}（公建民营，已有 3 名以上正式党员工作人员，尚未建立党组织）`,
    },
  ];
}

function uniqueStem(rng: DemoRandom, taken: Set<string>): string {
  for (;;) {
    const stem = `${rng.pick(PLACE_FIRST)}${rng.pick(PLACE_SECOND)}`;
    if (!taken.has(stem)) {
      taken.add(stem);
      return stem;
    }
  }
}

/** Tries `make(0)`, `make(1)`, ... until a name is free. */
function uniqueName(rng: DemoRandom, taken: Set<string>, make: (alt: number) => string): string {
  for (let alt = 0; ; alt++) {
    const name = make(alt);
    if (!taken.has(name)) return name;
    if (alt > 50) return `${name}${rng.int(100, 999)}`;
  }
}

/** Splits `total` in proportion to the weights, in integers that add up exactly (largest remainders). */
export function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    out[i] += 1;
  }
  return out;
}
