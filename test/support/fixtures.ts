import { expectStatus, type Http } from './http';

export type WorldType = 'PUBLIC' | 'PUBLIC_BUILT_PRIVATE_RUN';

/** The institution fields that put `manager` in charge: R1 (sponsor) or R2 (public builder). */
const managedBy = (type: WorldType, manager: any): Record<string, unknown> =>
  type === 'PUBLIC' ? { type, sponsorOrgId: manager.id } : { type, publicBuilderOrgId: manager.id, operatorName: '某养老服务公司' };

/** YYYY-MM-DD in Beijing time, `days` from today. */
export function shanghaiDate(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
}

let seq = 0;
const uniq = (p: string): string => `${p}${Date.now().toString(36)}${(seq++).toString(36)}`;

export interface World {
  /** PUBLIC (default: `builder` is its sponsoring unit, which decides alone) or PUBLIC_BUILT_PRIVATE_RUN (R8: the builder also designates the secretary). */
  type: WorldType;
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
      ...managedBy(world.type, world.builder),
      district: '海曙区',
      townshipOrgId: world.township.id,
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
 * The acceptance scenario's registry, built only through HTTP as an outside client would: a township and the
 * managing organization (`builder`: a PUBLIC institution's sponsoring unit, or a PUBLIC_BUILT_PRIVATE_RUN one's
 * public builder), the institution, an applicant, an approver of the managing organization, an approver of another
 * organization, and `fullStaff` FULL staff members (plus one probationary).
 */
export async function buildWorld(admin: Http, fullStaff = 3, type: WorldType = 'PUBLIC'): Promise<World> {
  const district = expectStatus(await admin.post('/organizations', { name: uniq('区委组织部'), kind: 'DISTRICT' }), 201).body;
  const township = expectStatus(await admin.post('/organizations', { name: uniq('镇党委'), kind: 'TOWNSHIP', parentId: district.id }), 201).body;
  const builder = expectStatus(
    await admin.post('/organizations', type === 'PUBLIC' ? { name: uniq('举办单位党委'), kind: 'SPONSOR', parentId: district.id } : { name: uniq('公建方党委'), kind: 'PUBLIC_BUILDER', parentId: district.id }),
    201,
  ).body;
  const otherOrg = expectStatus(await admin.post('/organizations', { name: uniq('其他党委'), kind: 'SPONSOR', parentId: district.id }), 201).body;
  const institution = expectStatus(
    await admin.post('/institutions', {
      name: uniq('颐乐园'),
      ...managedBy(type, builder),
      district: '海曙区',
      townshipOrgId: township.id,
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
    type,
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

/** The open task of a step of the process in the user's inbox (waits for it). */
export async function openStepTask(as: Http, processId: string, step: string): Promise<any> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const inbox = expectStatus(await as.get('/tasks?status=OPEN&limit=500'), 200).body.items as any[];
    const task = inbox.find((t) => t.processId === processId && t.step === step);
    if (task) return task;
    if (Date.now() > deadline) throw new Error(`no ${step} task for ${processId}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * An establish-branch of the world granted all the way: the approval, the builder's designation of the secretary
 * (PUBLIC_BUILT_PRIVATE_RUN) and the founding election. Returns the process once it ended.
 */
export async function grantEstablishBranch(admin: Http, world: World, processId: string, secretaryMemberId: string): Promise<any> {
  const task = await openStepTask(world.approver, processId, 'approve');
  expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '同意' }), 200);
  if (world.type === 'PUBLIC_BUILT_PRIVATE_RUN') {
    const designate = await openStepTask(world.approver, processId, 'designate');
    expectStatus(await world.approver.post(`/tasks/${designate.id}/decision`, { decision: 'APPROVE', comment: '指定书记', data: { secretaryMemberId } }), 200);
  }
  await recordFoundingElection(admin, world, processId);
  return expectStatus(await admin.get(`/processes/${processId}`), 200).body;
}

/**
 * After an establish-branch is granted: its founding election, recorded by whoever the task went to (the new
 * branch has no approver of its own, so its responsible body: the world's approver). Returns once the process ended.
 */
export async function recordFoundingElection(admin: Http, world: Pick<World, 'approver'>, processId: string, electionDate = shanghaiDate()): Promise<void> {
  const task = await openStepTask(world.approver, processId, 'founding-election');
  expectStatus(await world.approver.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: '成立选举已完成', data: { electionDate } }), 200);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const p = expectStatus(await admin.get(`/processes/${processId}`), 200).body;
    if (p.closedAt) return;
    if (Date.now() > deadline) throw new Error(`process ${processId} did not end`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
