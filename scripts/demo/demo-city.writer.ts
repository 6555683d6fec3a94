import { hash } from '@node-rs/argon2';
import type { DataSource, EntityManager } from 'typeorm';
import type { DemoCity } from './demo-city.types';

/** The settings row that marks a database as seeded (and with which seed). */
export const DEMO_MARKER_KEY = 'demo_seed';
const DEMO_LOCK_KEY = 7_318_004_231;

export interface DemoMarker {
  seed: number;
  at: string;
  institutions: number;
  members: number;
}

export type WriteOutcome = { written: true; marker: DemoMarker; ms: number } | { written: false; marker: DemoMarker };

/**
 * Writes a generated city in one transaction, one INSERT ... SELECT FROM unnest(...) per table (a few thousand
 * rows each, a couple of seconds in all). A database that carries the marker is left alone.
 */
export async function writeDemoCity(ds: DataSource, city: DemoCity): Promise<WriteOutcome> {
  const started = Date.now();
  return ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK_KEY]);
    const [existing] = (await m.query(`SELECT value FROM settings WHERE key = $1`, [DEMO_MARKER_KEY])) as Array<{ value: DemoMarker }>;
    if (existing) return { written: false, marker: existing.value };
    await insertOrganizations(m, city);
    await insertInstitutions(m, city);
    await insertMembers(m, city);
    await insertUsers(m, city);
    const marker: DemoMarker = { seed: city.seed, at: new Date().toISOString(), institutions: city.institutions.length, members: city.members.length };
    await m.query(`INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)`, [DEMO_MARKER_KEY, JSON.stringify(marker)]);
    return { written: true, marker, ms: Date.now() - started };
  });
}

/** created_at follows the generation order (keyset lists then show the city district by district). */
const ORDERED_NOW = `now() + (ord * interval '1 microsecond')`;

async function insertOrganizations(m: EntityManager, city: DemoCity): Promise<void> {
  const o = city.organizations;
  // Parents come first in the array; the self-reference is checked at the end of the statement anyway.
  await m.query(
    `INSERT INTO organizations (id, name, kind, parent_id, institution_id, term_start, term_end, secretary_member_id, created_at)
     SELECT id, name, kind, parent_id, institution_id, term_start, term_end, secretary_member_id, ${ORDERED_NOW}
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::date[], $7::date[], $8::uuid[])
            WITH ORDINALITY AS t(id, name, kind, parent_id, institution_id, term_start, term_end, secretary_member_id, ord)`,
    [
      o.map((x) => x.id),
      o.map((x) => x.name),
      o.map((x) => x.kind),
      o.map((x) => x.parentId),
      o.map((x) => x.institutionId),
      o.map((x) => x.termStart),
      o.map((x) => x.termEnd),
      o.map((x) => x.secretaryMemberId),
    ],
  );
}

async function insertInstitutions(m: EntityManager, city: DemoCity): Promise<void> {
  const i = city.institutions;
  await m.query(
    `INSERT INTO institutions (id, name, type, district, township_org_id, sponsor_org_id, public_builder_org_id, managed_by,
                               operator_name, bed_count, resident_count, party_organization_id, created_at, updated_at)
     SELECT id, name, type, district, township_org_id, sponsor_org_id, public_builder_org_id, managed_by,
            operator_name, bed_count, resident_count, party_organization_id, ${ORDERED_NOW}, now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::uuid[], $8::text[],
                   $9::text[], $10::int[], $11::int[], $12::uuid[])
            WITH ORDINALITY AS t(id, name, type, district, township_org_id, sponsor_org_id, public_builder_org_id, managed_by,
                                 operator_name, bed_count, resident_count, party_organization_id, ord)`,
    [
      i.map((x) => x.id),
      i.map((x) => x.name),
      i.map((x) => x.type),
      i.map((x) => x.district),
      i.map((x) => x.townshipOrgId),
      i.map((x) => x.sponsorOrgId),
      i.map((x) => x.publicBuilderOrgId),
      i.map((x) => x.managedBy),
      i.map((x) => x.operatorName),
      i.map((x) => x.bedCount),
      i.map((x) => x.residentCount),
      i.map((x) => x.partyOrganizationId),
    ],
  );
  // Work-coverage facts exist once the policy engine's migration has added their columns.
  const cols = (await m.query(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'institutions' AND column_name IN ('has_instructor', 'has_mass_organisation')`,
  )) as Array<{ column_name: string }>;
  if (cols.length === 2) {
    const covered = i.filter((x) => x.hasInstructor || x.hasMassOrganisation);
    await m.query(
      `UPDATE institutions AS i SET has_instructor = t.instructor, has_mass_organisation = t.mass
         FROM unnest($1::uuid[], $2::boolean[], $3::boolean[]) AS t(id, instructor, mass) WHERE i.id = t.id`,
      [covered.map((x) => x.id), covered.map((x) => x.hasInstructor), covered.map((x) => x.hasMassOrganisation)],
    );
  }
}

async function insertMembers(m: EntityManager, city: DemoCity): Promise<void> {
  const p = city.members;
  await m.query(
    `INSERT INTO party_members (id, name, institution_id, category, status, birth_date, disabled, dementia, relation_org_id, created_at, updated_at)
     SELECT id, name, institution_id, category, status, birth_date, disabled, dementia, relation_org_id, ${ORDERED_NOW}, now()
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::date[], $7::boolean[], $8::boolean[], $9::uuid[])
            WITH ORDINALITY AS t(id, name, institution_id, category, status, birth_date, disabled, dementia, relation_org_id, ord)`,
    [
      p.map((x) => x.id),
      p.map((x) => x.name),
      p.map((x) => x.institutionId),
      p.map((x) => x.category),
      p.map((x) => x.status),
      p.map((x) => x.birthDate),
      p.map((x) => x.disabled),
      p.map((x) => x.dementia),
      p.map((x) => x.relationOrgId),
    ],
  );
}

/** Demo users; an account of the same name that exists already is kept as it is. */
async function insertUsers(m: EntityManager, city: DemoCity): Promise<void> {
  for (const u of city.users) {
    await m.query(
      `INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids, institution_ids)
       VALUES ($1, $2, $3, $4, $5::text[], $6::uuid[], $7::uuid[]) ON CONFLICT (username) DO NOTHING`,
      [u.username, await hash(u.password), u.displayName, u.email, u.roles, u.organizationIds, u.institutionIds],
    );
  }
}
