import { expectStatus, type Http } from './http';

let seq = 0;
const uniq = (p: string): string => `${p}${Date.now().toString(36)}${(seq++).toString(36)}`;

export interface World {
  township: any;
  builder: any;
  otherOrg: any;
  institution: any;
  applicant: Http;
  applicantUser: any;
  approver: Http;
  approverUser: any;
  outsider: Http;
  members: any[];
}

export interface Person {
  user: any;
  http: Http;
}

/** A user created by the admin (password `secret-password`), signed in. */
export async function makeUser(admin: Http, prefix: string, roles: string[], organizationIds: string[], institutionIds: string[] = [], extra: Record<string, unknown> = {}): Promise<Person> {
  const username = uniq(prefix);
  const user = expectStatus(
    await admin.post('/users', { username, password: 'secret-password', displayName: `${prefix}用户`, email: `${username}@example.test`, roles, organizationIds, institutionIds, ...extra }),
    201,
  ).body;
  return { user, http: await admin.as('').login(username, 'secret-password') };
}

export interface Applicant {
  institution: any;
  applicant: Http;
  applicantUser: any;
  members: any[];
}

/** Another institution under the world's township and builder, with its own applicant and three FULL staff members. */
export async function addInstitution(admin: Http, world: World): Promise<Applicant> {
  const institution = expectStatus(
    await admin.post('/institutions', {
      name: uniq('康乐苑'),
      type: 'PUBLIC_BUILT_PRIVATE_RUN',
      district: '海曙区',
      townshipOrgId: world.township.id,
      publicBuilderOrgId: world.builder.id,
      operatorName: '另一养老服务公司',
      bedCount: 120,
    }),
    201,
  ).body;
  const applicant = await makeUser(admin, 'applicant', ['APPLICANT'], [], [institution.id]);
  const members = [];
  for (let i = 0; i < 3; i++) {
    members.push(expectStatus(await admin.post('/members', { name: `党员${i + 1}`, institutionId: institution.id, category: 'STAFF', status: 'FULL', birthDate: '1982-03-01' }), 201).body);
  }
  return { institution, applicant: applicant.http, applicantUser: applicant.user, members };
}

/**
 * The acceptance scenario's registry, built only through HTTP as an outside client would: a township and a
 * builder organization, a PUBLIC_BUILT_PRIVATE_RUN institution, an applicant, an approver of the builder, an
 * approver of another organization, and `fullStaff` FULL staff members (plus one probationary).
 */
export async function buildWorld(admin: Http, fullStaff = 3): Promise<World> {
  const district = expectStatus(await admin.post('/organizations', { name: uniq('区委组织部'), kind: 'DISTRICT' }), 201).body;
  const township = expectStatus(await admin.post('/organizations', { name: uniq('镇党委'), kind: 'TOWNSHIP', parentId: district.id }), 201).body;
  const builder = expectStatus(await admin.post('/organizations', { name: uniq('公建方党委'), kind: 'PUBLIC_BUILDER', parentId: district.id }), 201).body;
  const otherOrg = expectStatus(await admin.post('/organizations', { name: uniq('其他党委'), kind: 'SPONSOR', parentId: district.id }), 201).body;
  const institution = expectStatus(
    await admin.post('/institutions', {
      name: uniq('颐乐园'),
      type: 'PUBLIC_BUILT_PRIVATE_RUN',
      district: '海曙区',
      townshipOrgId: township.id,
      publicBuilderOrgId: builder.id,
      operatorName: '某养老服务公司',
      bedCount: 200,
    }),
    201,
  ).body;
  const applicant = await makeUser(admin, 'applicant', ['APPLICANT'], [], [institution.id]);
  const approver = await makeUser(admin, 'approver', ['APPROVER'], [builder.id], []);
  const outsider = await makeUser(admin, 'outsider', ['APPROVER'], [otherOrg.id], []);
  const members = [];
  for (let i = 0; i < fullStaff; i++) {
    members.push(expectStatus(await admin.post('/members', { name: `党员${i + 1}`, institutionId: institution.id, category: 'STAFF', status: 'FULL', birthDate: '1980-05-01' }), 201).body);
  }
  members.push(expectStatus(await admin.post('/members', { name: '预备党员', institutionId: institution.id, category: 'STAFF', status: 'PROBATIONARY' }), 201).body);
  return {
    township,
    builder,
    otherOrg,
    institution,
    applicant: applicant.http,
    applicantUser: applicant.user,
    approver: approver.http,
    approverUser: approver.user,
    outsider: outsider.http,
    members,
  };
}
