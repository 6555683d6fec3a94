import { taskAuthority, type TaskActor, type TaskHolding } from '../src/rules/task-authority';

const task = (over: Partial<TaskHolding> = {}): TaskHolding => ({ candidateOrgId: 'org-a', escalatedOrgId: null, assigneeId: null, ...over });
const actor = (over: Partial<TaskActor> = {}): TaskActor => ({ userId: 'me', ownOrgIds: [], standsInFor: [], ...over });
const party = { applicantId: 'applicant', selfApproval: 'SKIP' as const };

describe('taskAuthority: who may act on a task', () => {
  it('an approver of the candidate or escalation organisation acts in their own right', () => {
    expect(taskAuthority(task(), actor({ ownOrgIds: ['org-a'] }), party)).toEqual({ allowed: true, onBehalfOfId: null });
    expect(taskAuthority(task({ escalatedOrgId: 'parent' }), actor({ ownOrgIds: ['parent'] }), party)).toEqual({ allowed: true, onBehalfOfId: null });
    expect(taskAuthority(task(), actor({ ownOrgIds: ['org-b'] }), party)).toMatchObject({ allowed: false, reason: 'NOT_CANDIDATE' });
  });

  it('a task assigned to one person: that person, or their deputy for the task’s organisation, nobody else', () => {
    const assigned = task({ assigneeId: 'holder' });
    expect(taskAuthority(assigned, actor({ ownOrgIds: ['org-a'] }), party)).toMatchObject({ allowed: false, reason: 'NOT_CANDIDATE' });
    expect(taskAuthority(assigned, actor({ userId: 'holder' }), party)).toEqual({ allowed: true, onBehalfOfId: null });
    expect(taskAuthority(assigned, actor({ standsInFor: [{ userId: 'holder', orgIds: ['org-a'] }] }), party)).toEqual({ allowed: true, onBehalfOfId: 'holder' });
    // The delegation covers another of the holder's organisations only.
    expect(taskAuthority(assigned, actor({ standsInFor: [{ userId: 'holder', orgIds: ['org-b'] }] }), party)).toMatchObject({ allowed: false, reason: 'NOT_CANDIDATE' });
    expect(taskAuthority(assigned, actor({ standsInFor: [{ userId: 'someone-else', orgIds: ['org-a'] }] }), party)).toMatchObject({ allowed: false });
  });

  it('an organisation reached only through a delegation is acted on for the delegator', () => {
    expect(taskAuthority(task(), actor({ standsInFor: [{ userId: 'boss', orgIds: ['org-a'] }] }), party)).toEqual({ allowed: true, onBehalfOfId: 'boss' });
    // A delegation whose organisations are unknown (recorded before they were named) grants no organisation.
    expect(taskAuthority(task(), actor({ standsInFor: [{ userId: 'boss', orgIds: null }] }), party)).toMatchObject({ allowed: false, reason: 'NOT_CANDIDATE' });
  });

  it('the applicant never decides their own request under SKIP, and never on someone else’s behalf', () => {
    expect(taskAuthority(task(), actor({ userId: 'applicant', ownOrgIds: ['org-a'] }), party)).toMatchObject({ allowed: false, reason: 'SELF_APPROVAL' });
    expect(taskAuthority(task(), actor({ userId: 'applicant', ownOrgIds: ['org-a'] }), { ...party, selfApproval: 'ALLOW' })).toEqual({ allowed: true, onBehalfOfId: null });
    expect(taskAuthority(task(), actor({ userId: 'applicant', standsInFor: [{ userId: 'boss', orgIds: ['org-a'] }] }), { ...party, selfApproval: 'ALLOW' })).toMatchObject({
      allowed: false,
      reason: 'SELF_APPROVAL',
    });
  });

  it('a deputy of the applicant never decides the applicant’s request, in whatever right and under either setting', () => {
    const deputy = actor({ ownOrgIds: ['org-a'], standsInFor: [{ userId: 'applicant', orgIds: ['org-a'] }] });
    expect(taskAuthority(task(), deputy, party)).toMatchObject({ allowed: false, reason: 'DEPUTY_OF_APPLICANT' });
    expect(taskAuthority(task({ assigneeId: 'applicant' }), deputy, { ...party, selfApproval: 'ALLOW' })).toMatchObject({ allowed: false, reason: 'DEPUTY_OF_APPLICANT' });
    // Standing in for someone else is no obstacle.
    expect(taskAuthority(task(), actor({ ownOrgIds: ['org-a'], standsInFor: [{ userId: 'boss', orgIds: ['org-a'] }] }), party)).toEqual({ allowed: true, onBehalfOfId: null });
  });
});

describe('taskAuthority: a task that asks an institution’s applicants', () => {
  const unitTask = task({ candidateOrgId: null, candidateInstitutionId: 'inst-1' });
  it('an applicant of the institution acts; nobody else, and no delegation reaches it', () => {
    expect(taskAuthority(unitTask, actor({ institutionIds: ['inst-1'] }), party)).toEqual({ allowed: true, onBehalfOfId: null });
    expect(taskAuthority(unitTask, actor({ institutionIds: ['inst-2'], ownOrgIds: ['org-a'] }), party)).toMatchObject({ allowed: false, reason: 'NOT_CANDIDATE' });
    expect(taskAuthority(unitTask, actor({ standsInFor: [{ userId: 'x', orgIds: ['org-a'] }] }), party)).toMatchObject({ allowed: false, reason: 'NOT_CANDIDATE' });
  });
  it('escalated, the township’s approvers act on it too', () => {
    expect(taskAuthority({ ...unitTask, escalatedOrgId: 'township' }, actor({ ownOrgIds: ['township'] }), party)).toEqual({ allowed: true, onBehalfOfId: null });
  });
});
