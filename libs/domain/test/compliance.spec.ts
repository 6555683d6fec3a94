import { type ComplianceInput, type OrganizationFacts, SEED_SOURCES, evaluateCompliance, mergePolicySettings, thresholdReachedOn } from '../src';
import { elderly, institution, member, settings, staff } from './helpers';

const TODAY = '2024-05-01';
const run = (input: Partial<ComplianceInput>, s = settings, today = TODAY) =>
  evaluateCompliance({ institution: institution(), members: [], ...input }, s, today);
const own: OrganizationFacts = { id: 'org-own', kind: 'BRANCH', termStart: '2023-01-10', secretaryMemberId: 'x' };
const joint: OrganizationFacts = { id: 'org-joint', kind: 'JOINT', jointMode: 'CO_BUILD', termStart: '2023-01-10' };
const rules = (v: { findings: { ruleId: string }[] }) => v.findings.map((f) => f.ruleId);

describe('evaluateCompliance: the required action (R4–R6)', () => {
  it.each([
    [0, 'INSTRUCTOR'],
    [1, 'JOINT_ORG'],
    [2, 'JOINT_ORG'],
    [3, 'STANDALONE_ORG'],
    [7, 'STANDALONE_ORG'],
  ] as const)('%i FULL staff and nothing yet → %s', (n, action) => {
    const v = run({ members: staff(n) });
    expect(v.requiredAction).toBe(action);
    expect(v.fullStaffMembers).toBe(n);
  });

  it('R4 with no organisation is a violation; with its own organisation nothing is required', () => {
    const v = run({ members: staff(3) });
    expect(v.findings.find((f) => f.ruleId === 'R4')).toMatchObject({ severity: 'VIOLATION', source: SEED_SOURCES.R4 });
    const covered = run({ members: staff(7), organization: own, institution: institution({ partyOrganizationId: 'org-own' }) });
    expect(covered.requiredAction).toBe('NONE');
    expect(covered.partyOrganizationId).toBe('org-own');
    expect(run({ members: staff(3), institution: institution({ partyOrganizationId: 'org-x' }) }).requiredAction).toBe('NONE');
  });

  it('probationary members never count toward a threshold', () => {
    const v = run({ members: [...staff(2), ...staff(5, { status: 'PROBATIONARY' })] });
    expect(v.fullStaffMembers).toBe(2);
    expect(v.requiredAction).toBe('JOINT_ORG');
    expect(run({ members: [...staff(2), ...staff(5, { status: 'PROBATIONARY' })], organization: own }).requiredAction).toBe('NONE');
  });

  it('R5, not R6: staff party members who are all probationary are party members', () => {
    const v = run({ members: staff(2, { status: 'PROBATIONARY' }) });
    expect(v).toMatchObject({ requiredAction: 'JOINT_ORG', fullStaffMembers: 0 });
    expect(v.findings.find((f) => f.ruleId === 'R5')).toMatchObject({ severity: 'WARNING', source: SEED_SOURCES.R5 });
    expect(v.findings.find((f) => f.ruleId === 'R5')!.message).toContain('均为预备党员');
    expect(rules(v)).not.toContain('R6');
    // Work coverage is not enough for them: an instructor or a mass organisation leaves R5 standing (R16 too).
    for (const work of [{ hasInstructor: true }, { hasMassOrganisation: true }]) {
      const w = run({ institution: institution({ type: 'PUBLIC' }), members: staff(1, { status: 'PROBATIONARY' }), ...work });
      expect(w.requiredAction).toBe('JOINT_ORG');
      expect(w.coverage).toMatchObject({ organisation: false, work: true });
      expect(w.findings).toContainEqual(expect.objectContaining({ ruleId: 'R16', severity: 'VIOLATION' }));
    }
    // A joint or own organisation covers them.
    const covered = run({ institution: institution({ type: 'PUBLIC' }), members: staff(1, { status: 'PROBATIONARY' }), organization: joint });
    expect(covered.requiredAction).toBe('NONE');
    expect(rules(covered)).not.toContain('R16');
    // Probationary elderly members do not make an institution R5.
    expect(run({ members: elderly(2, { status: 'PROBATIONARY' }) }).requiredAction).toBe('INSTRUCTOR');
  });

  it('ignores members of other institutions and elderly members for the staff threshold', () => {
    const v = run({ members: [...staff(2), ...staff(3, { institutionId: 'inst-2' }), ...elderly(5)] });
    expect(v.fullStaffMembers).toBe(2);
    expect(v.fullElderlyMembers).toBe(5);
  });

  it('R5: a joint organisation covers 1–2 FULL staff', () => {
    const v = run({ members: staff(2), organization: joint });
    expect(v.requiredAction).toBe('NONE');
    expect(v.partyOrganizationId).toBe('org-joint');
    expect(v.coverage.kind).toBe('ORG_JOINT');
    expect(run({ members: staff(1), organization: { ...joint, jointMode: 'AFFILIATE' } }).coverage.kind).toBe('ORG_AFFILIATED');
    expect(run({ members: staff(2) }).findings.find((f) => f.ruleId === 'R5')!.severity).toBe('WARNING');
  });

  it('a unit in a joint organisation that reaches 3 FULL staff must build its own within 90 days', () => {
    const inGrace = run({ members: staff(3), organization: joint, thresholdReachedOn: '2024-03-01' });
    expect(inGrace.requiredAction).toBe('STANDALONE_ORG');
    expect(inGrace.findings.find((f) => f.ruleId === 'R4')).toMatchObject({ severity: 'WARNING' });
    expect(inGrace.findings.find((f) => f.ruleId === 'R4')!.message).toContain('2024-05-30');
    const late = run({ members: staff(3), organization: joint, thresholdReachedOn: '2024-01-31' });
    expect(late.findings.find((f) => f.ruleId === 'R4')).toMatchObject({ severity: 'VIOLATION' });
  });

  it('derives the date the threshold was reached from joinedAt / fullMemberSince', () => {
    const members = [
      member({ joinedAt: '2020-01-01', fullMemberSince: '2019-01-01' }),
      member({ joinedAt: '2023-06-01' }),
      member({ joinedAt: '2022-01-01', fullMemberSince: '2024-02-15' }),
      member({ joinedAt: '2024-04-01', status: 'PROBATIONARY' }),
    ];
    expect(thresholdReachedOn('inst-1', members, settings)).toBe('2024-02-15');
    expect(thresholdReachedOn('inst-1', [...members.slice(0, 2), member({})], settings)).toBeNull();
    const v = run({ members, organization: joint });
    expect(v.findings.find((f) => f.ruleId === 'R4')!.message).toContain('2024-05-15');
  });

  it('R6: with no members, work coverage (instructor or mass organisation) suffices', () => {
    expect(run({ hasInstructor: true }).requiredAction).toBe('NONE');
    expect(run({ hasMassOrganisation: true }).requiredAction).toBe('NONE');
    const active = run({ dispatches: [{ id: 'd', role: 'INSTRUCTOR', institutionId: 'inst-1', dispatchingOrgId: 'o', startDate: '2024-01-01' }] });
    expect(active.requiredAction).toBe('NONE');
    expect(active.coverage.kind).toBe('WORK_INSTRUCTOR');
    const ended = run({ dispatches: [{ id: 'd', role: 'INSTRUCTOR', institutionId: 'inst-1', dispatchingOrgId: 'o', startDate: '2023-01-01', endDate: '2024-04-30' }] });
    expect(ended.requiredAction).toBe('INSTRUCTOR');
  });

  it('R6 choice: INSTRUCTOR by default, MASS_ORGANISATION by setting; PUBLIC_BUILT_PRIVATE_RUN always needs an instructor (R8)', () => {
    const s = mergePolicySettings({ noMembersPreferredAction: 'MASS_ORGANISATION' });
    expect(run({}, s).requiredAction).toBe('MASS_ORGANISATION');
    const pbpr = institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN' });
    expect(run({ institution: pbpr }, s).requiredAction).toBe('INSTRUCTOR');
    const massOnly = run({ institution: pbpr, hasMassOrganisation: true });
    expect(massOnly.requiredAction).toBe('INSTRUCTOR');
    expect(massOnly.dispatchRoleDue).toBe('INSTRUCTOR');
    expect(run({ institution: pbpr, hasInstructor: true }).requiredAction).toBe('NONE');
  });
});

describe('evaluateCompliance: responsible body per type', () => {
  it.each([
    ['PUBLIC', null, 'org-sponsor', 'R1'],
    ['PUBLIC_BUILT_PRIVATE_RUN', null, 'org-builder', 'R2'],
    ['PUBLIC_BUILT_PRIVATE_RUN', 'TOWNSHIP', 'org-township', 'R2'],
    ['PRIVATE', null, 'org-township', 'R3b'],
    ['HOME_CARE_CENTER', null, 'org-township', 'R3b'],
    ['HOME_CARE_STATION', null, 'org-township', 'R3b'],
  ] as const)('%s (managedBy %s) → %s', (type, managedBy, body, rule) => {
    const v = run({ institution: institution({ type, managedBy }), members: staff(3) });
    expect(v.responsibleBodyId).toBe(body);
    expect(rules(v)).toContain(rule);
  });

  it('R2: the township when the builder has no party organisation on record', () => {
    const v = run({ institution: institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN', publicBuilderOrgId: null }), members: staff(3) });
    expect(v.responsibleBodyId).toBe('org-township');
    expect(rules(v)).toContain('R2');
  });

  it('R3b: the district organisation above the township when the type is set to DISTRICT', () => {
    const s = mergePolicySettings({ silentTypesResponsibleBody: { HOME_CARE_STATION: 'DISTRICT' } });
    const station = institution({ type: 'HOME_CARE_STATION', townshipParentOrgId: 'org-district' });
    expect(run({ institution: station }, s).responsibleBodyId).toBe('org-district');
    expect(run({ institution: { ...station, type: 'PRIVATE' } }, s).responsibleBodyId).toBe('org-township');
  });
});

describe('evaluateCompliance: elderly members (R7, R12, R13)', () => {
  it('R7: 3 FULL elderly members make a branch eligible; probationary and 2 do not', () => {
    expect(run({ members: elderly(3) }).elderlyBranchEligible).toBe(true);
    expect(run({ members: elderly(2) }).elderlyBranchEligible).toBe(false);
    expect(run({ members: [...elderly(2), ...elderly(3, { status: 'PROBATIONARY' })] }).elderlyBranchEligible).toBe(false);
    expect(rules(run({ members: elderly(3) }))).toContain('R7');
    expect(rules(run({ members: elderly(3), elderlyBranch: { id: 'eb', kind: 'ELDERLY_BRANCH', termStart: '2023-01-01' } }))).not.toContain('R7');
  });

  it('R7: by default R12-exempt FULL residents count like any other', () => {
    const frail = [...elderly(2), member({ category: 'ELDERLY', birthDate: '1944-05-01' })];
    expect(run({ members: frail }).elderlyBranchEligible).toBe(true);
    expect(run({ members: [...elderly(2), member({ category: 'ELDERLY', disabled: true })] }).elderlyBranchEligible).toBe(true);
  });

  it('R7 RELATION_IN: counts relations in the covering organisation or the elderly branch, and transfers in', () => {
    const s = mergePolicySettings({ elderlyBranchCountBasis: 'RELATION_IN' });
    const inst = institution({ partyOrganizationId: 'org-own' });
    const inside = [member({ category: 'ELDERLY', relationOrgId: 'org-own' }), member({ category: 'ELDERLY', birthDate: '1930-01-01', relationOrgId: 'org-own' })];
    const away = member({ category: 'ELDERLY', relationOrgId: 'org-home' });
    expect(run({ institution: inst, organization: own, members: [...inside, away] }, s).elderlyBranchEligible).toBe(false);
    expect(run({ institution: inst, organization: own, members: [...inside, { ...away, transferInPending: true }] }, s).elderlyBranchEligible).toBe(true);
    expect(run({ institution: inst, organization: own, members: [...inside, away] }).elderlyBranchEligible).toBe(true);
    // With no organisation at all, only transfers in count.
    expect(run({ members: [...inside, away] }, s).elderlyBranchEligible).toBe(false);
    const finding = run({ institution: inst, organization: own, members: [...inside, away, member({ category: 'ELDERLY', relationOrgId: 'org-own' })] }, s).findings.find((f) => f.ruleId === 'R7');
    expect(finding!.message).toContain('另有 1 名');
  });

  it('R12: lists exempt elderly members with reasons; R13: others may move voluntarily', () => {
    const a = member({ category: 'ELDERLY', birthDate: '1944-05-01', relationOrgId: 'home' });
    const b = member({ category: 'ELDERLY', birthDate: '1960-01-01', disabled: true, dementia: true });
    const c = member({ category: 'ELDERLY', birthDate: '1944-05-02', relationOrgId: 'home' });
    const v = run({ members: [a, b, c], organization: own, institution: institution({ partyOrganizationId: 'org-own' }) });
    expect(v.transferExempt).toEqual([
      { memberId: a.id, reasons: ['ADVANCED_AGE'] },
      { memberId: b.id, reasons: ['DISABLED', 'DEMENTIA'] },
    ]);
    expect(v.transfersDue).toEqual([]);
    expect(rules(v)).toEqual(expect.arrayContaining(['R12', 'R13']));
    // An exempt member whose transfer in is under way has an approved exception: no longer reporting only.
    const moving = run({ members: [{ ...a, transferInPending: true }, b], organization: own, institution: institution({ partyOrganizationId: 'org-own' }) });
    expect(moving.transferExempt.map((e) => e.memberId)).toEqual([b.id]);
  });
});

describe('evaluateCompliance: staff transfers (R11)', () => {
  it('lists staff whose relation is elsewhere once an organisation exists', () => {
    const inside = member({ relationOrgId: 'org-own' });
    const outside = member({ relationOrgId: 'org-else', joinedAt: '2024-04-01' });
    const late = member({ relationOrgId: null, joinedAt: '2023-12-01', status: 'PROBATIONARY' });
    const v = run({ members: [inside, outside, late, ...staff(1, { relationOrgId: 'org-own' })], organization: own });
    expect(v.transfersDue).toEqual([outside.id, late.id]);
    const r11 = v.findings.filter((f) => f.ruleId === 'R11');
    expect(r11.map((f) => f.severity)).toEqual(['WARNING', 'VIOLATION']);
    expect(run({ members: [outside] }).transfersDue).toEqual([]);
  });

  // R11 在养老机构工作的党员，组织关系原则上都要转入养老机构所在党组织 (due within 90 days of joining)
  it('gives each due transfer its date, whether it is overdue and whether a transfer is under way', () => {
    const soon = member({ relationOrgId: 'org-else', joinedAt: '2024-04-01' });
    const late = member({ relationOrgId: null, joinedAt: '2023-12-01' });
    const moving = member({ relationOrgId: 'org-else', joinedAt: '2023-12-01', transferInPending: true });
    const undated = member({ relationOrgId: 'org-else' });
    const v = run({ members: [soon, late, moving, undated, member({ relationOrgId: 'org-own' })], organization: own });
    expect(v.transfers).toEqual([
      { memberId: soon.id, dueBy: '2024-06-30', overdue: false, underWay: false },
      { memberId: late.id, dueBy: '2024-02-29', overdue: true, underWay: false },
      { memberId: moving.id, dueBy: '2024-02-29', overdue: true, underWay: true },
      { memberId: undated.id, dueBy: null, overdue: false, underWay: false },
    ]);
    expect(v.transfersDue).toEqual(v.transfers.map((x) => x.memberId));
  });
});

describe('evaluateCompliance: terms, dispatch, budget, coverage', () => {
  it('an overdue term is an R4 violation; approaching renewal an R15 reminder', () => {
    const old = { ...own, termStart: '2021-01-01' };
    const v = run({ members: staff(3), organization: old });
    expect(v.termStatus).toBe('OVERDUE');
    expect(v.findings).toContainEqual(expect.objectContaining({ ruleId: 'R4', severity: 'VIOLATION' }));
    expect(run({ members: staff(3), organization: { ...own, termStart: '2021-09-01' } }).termStatus).toBe('RENEWAL_DUE');
    expect(run({ members: staff(3), organization: { ...own, kind: 'COMMITTEE', termStart: '2021-01-01' } }).termStatus).toBe('ACTIVE');
  });

  it('R8: a PUBLIC_BUILT_PRIVATE_RUN organisation with a non-dispatched secretary needs a first secretary', () => {
    const pbpr = institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN', partyOrganizationId: 'org-own' });
    expect(run({ institution: pbpr, members: staff(3), organization: own }).dispatchRoleDue).toBe('FIRST_SECRETARY');
    expect(run({ institution: pbpr, members: staff(3), organization: { ...own, secretaryMemberId: null } }).dispatchRoleDue).toBe('SECRETARY');
    expect(run({ institution: pbpr, members: staff(3), organization: own, secretarySource: 'PUBLIC_BUILDER' }).dispatchRoleDue).toBeNull();
    expect(run({ institution: institution({ type: 'PUBLIC' }), members: staff(3), organization: own }).dispatchRoleDue).toBeNull();
  });

  it('R9: weekly duty findings for dispatches at PUBLIC_BUILT_PRIVATE_RUN institutions', () => {
    const pbpr = institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN' });
    const dispatches = [{ id: 'd', role: 'FIRST_SECRETARY' as const, institutionId: 'inst-1', dispatchingOrgId: 'org-builder', startDate: '2024-04-01' }];
    const v = run({ institution: pbpr, members: staff(3), organization: own, dispatches, dutySessions: [] });
    expect(rules(v)).toEqual(expect.arrayContaining(['R9', 'R15']));
    expect(rules(run({ institution: institution({ type: 'PUBLIC' }), members: staff(3), organization: own, dispatches }))).not.toContain('R9');
  });

  it('R14: checks budgets only when given and an organisation exists', () => {
    expect(rules(run({ members: staff(3), organization: own }))).not.toContain('R14');
    expect(rules(run({ members: staff(3), organization: own, budgets: [] }))).toContain('R14');
    expect(rules(run({ members: staff(3), organization: own, budgets: [{ year: 2024, status: 'APPROVED' }] }))).not.toContain('R14');
  });

  it('R16: a PUBLIC institution without an organisation after 2020 breaks a firm target', () => {
    const v = run({ institution: institution({ type: 'PUBLIC' }), members: staff(1) });
    expect(v.findings).toContainEqual(expect.objectContaining({ ruleId: 'R16', severity: 'VIOLATION' }));
    const station = run({ institution: institution({ type: 'HOME_CARE_STATION' }), members: staff(1) });
    expect(rules(station)).not.toContain('R16');
  });

  it('accepts a Date for today, read in Shanghai time', () => {
    // 2024-04-30T16:30Z is 1 May 00:30 in Shanghai: the 80th birthday has arrived.
    const m = member({ category: 'ELDERLY', birthDate: '1944-05-01' });
    expect(evaluateCompliance({ institution: institution(), members: [m] }, settings, new Date('2024-04-30T16:30:00Z')).transferExempt).toHaveLength(1);
    expect(evaluateCompliance({ institution: institution(), members: [m] }, settings, new Date('2024-04-30T15:30:00Z')).transferExempt).toHaveLength(0);
  });
});
