import { establishBranchAnswerDueOn, evaluateElderlyBranchEligibility, evaluateEstablishBranch, foundingElectionDueOn, mergePolicySettings } from '../src';
import { elderly, institution, member, settings, staff } from './helpers';

describe('evaluateEstablishBranch', () => {
  it('R4: 3 FULL staff allowed, 2 (+ probationary) not', () => {
    expect(evaluateEstablishBranch({ institution: institution(), members: staff(3), elderly: false }, settings)).toMatchObject({ allowed: true, responsibleBodyId: 'org-township' });
    const two = evaluateEstablishBranch({ institution: institution(), members: [...staff(2), ...staff(3, { status: 'PROBATIONARY' })], elderly: false }, settings);
    expect(two.allowed).toBe(false);
    expect(two.findings[0]).toMatchObject({ ruleId: 'R4', severity: 'VIOLATION' });
  });

  it('R7: by default every FULL elderly resident counts, R12-exempt ones too; probationary ones never', () => {
    const frail = member({ category: 'ELDERLY', disabled: true });
    const aged = member({ category: 'ELDERLY', birthDate: '1944-05-01' });
    const ok = evaluateEstablishBranch({ institution: institution({ type: 'PUBLIC' }), members: [...elderly(1), frail, aged], elderly: true, today: '2024-05-01' }, settings);
    expect(ok).toMatchObject({ allowed: true, responsibleBodyId: 'org-township' });
    const short = evaluateEstablishBranch({ institution: institution(), members: [...elderly(2), ...elderly(3, { status: 'PROBATIONARY' })], elderly: true }, settings);
    expect(short.allowed).toBe(false);
    expect(short.findings[0]).toMatchObject({ ruleId: 'R7', severity: 'VIOLATION' });
  });

  it('R7 RELATION_IN: only members whose relation is in the institution\'s organisation or being transferred in', () => {
    const s = mergePolicySettings({ elderlyBranchCountBasis: 'RELATION_IN' });
    const inst = institution({ partyOrganizationId: 'org-own' });
    const inside = elderly(2, { relationOrgId: 'org-own' });
    const exemptInside = member({ category: 'ELDERLY', birthDate: '1930-01-01', dementia: true, relationOrgId: 'org-own' });
    const elsewhere = member({ category: 'ELDERLY', relationOrgId: 'org-home' });
    const req = { institution: inst, elderly: true, today: '2024-05-01' };
    // An R12-exempt member whose relation is already there counts.
    expect(evaluateEstablishBranch({ ...req, members: [...inside, exemptInside] }, s).allowed).toBe(true);
    const refused = evaluateEstablishBranch({ ...req, members: [...inside, elsewhere] }, s);
    expect(refused.allowed).toBe(false);
    expect(refused.findings[0]).toMatchObject({ ruleId: 'R7', severity: 'VIOLATION' });
    expect(refused.findings[0]!.message).toContain('另有 1 名');
    // The same member counts once a transfer in is open.
    expect(evaluateEstablishBranch({ ...req, members: [...inside, { ...elsewhere, transferInPending: true }] }, s).allowed).toBe(true);
    // The default basis counts them all.
    expect(evaluateEstablishBranch({ ...req, members: [...inside, elsewhere] }, settings).allowed).toBe(true);
  });

  it('R2: a PUBLIC_BUILT_PRIVATE_RUN institution without a builder organisation goes to its township', () => {
    const r = evaluateEstablishBranch({ institution: institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN', publicBuilderOrgId: null }), members: staff(3), elderly: false }, settings);
    expect(r).toMatchObject({ allowed: true, responsibleBodyId: 'org-township' });
  });

  it('R3b: routes to the district organisation when the type is set so', () => {
    const s = mergePolicySettings({ silentTypesResponsibleBody: { PRIVATE: 'DISTRICT' } });
    const inst = institution({ type: 'PRIVATE', townshipParentOrgId: 'org-district' });
    expect(evaluateEstablishBranch({ institution: inst, members: staff(3), elderly: false }, s)).toMatchObject({ allowed: true, responsibleBodyId: 'org-district' });
    // An elderly branch stays with the township (R3).
    expect(evaluateEstablishBranch({ institution: inst, members: elderly(3), elderly: true }, s)).toMatchObject({ allowed: true, responsibleBodyId: 'org-township' });
  });

  it('rejects foreign members and warns above 50 members', () => {
    expect(evaluateEstablishBranch({ institution: institution(), members: [...staff(3), member({ institutionId: 'x' })], elderly: false }, settings).allowed).toBe(false);
    const big = evaluateEstablishBranch({ institution: institution(), members: staff(51), elderly: false }, settings);
    expect(big.allowed).toBe(true);
    expect(big.findings.some((f) => f.severity === 'WARNING')).toBe(true);
    expect(evaluateEstablishBranch({ institution: institution(), members: staff(50), elderly: false }, settings).findings.some((f) => f.severity === 'WARNING')).toBe(false);
  });

  it('checks the proposed secretary', () => {
    const sec = member({ fullMemberSince: '2023-05-01' });
    const req = { institution: institution(), members: [...staff(2), sec], elderly: false, secretaryMemberId: sec.id };
    expect(evaluateEstablishBranch({ ...req, today: '2024-05-01' }, settings).allowed).toBe(true);
    expect(evaluateEstablishBranch({ ...req, today: '2024-04-30' }, settings).allowed).toBe(false);
    expect(evaluateEstablishBranch({ ...req, secretaryMemberId: 'nobody', today: '2024-05-01' }, settings).allowed).toBe(false);
  });

  it('is blocked when the responsible body cannot be resolved', () => {
    const r = evaluateEstablishBranch({ institution: institution({ type: 'PUBLIC', sponsorOrgId: null }), members: staff(3), elderly: false }, settings);
    expect(r.allowed).toBe(false);
    expect(r.responsibleBodyId).toBeNull();
  });

  it('gives the answer and founding-election deadlines', () => {
    expect(establishBranchAnswerDueOn('2024-01-15', settings)).toBe('2024-02-14');
    expect(foundingElectionDueOn('2024-02-14', settings)).toBe('2024-03-15');
  });
});

describe('evaluateElderlyBranchEligibility', () => {
  it('ALL_FULL_RESIDENTS (default): counts every FULL elderly member, excluding nobody', () => {
    const frail = member({ category: 'ELDERLY', dementia: true, relationOrgId: 'org-home' });
    const r = evaluateElderlyBranchEligibility('inst-1', [...elderly(2), frail, ...elderly(1, { status: 'PROBATIONARY' })], settings);
    expect(r).toMatchObject({ eligible: true, fullElderlyMembers: 3, countableMembers: 3, excludedMemberIds: [] });
    expect(r.findings[0]!.ruleId).toBe('R7');
    expect(evaluateElderlyBranchEligibility('inst-1', elderly(2), settings).eligible).toBe(false);
  });

  it('RELATION_IN: counts relations in the institution\'s organisations and transfers in under way', () => {
    const s = mergePolicySettings({ elderlyBranchCountBasis: 'RELATION_IN' });
    const inOwn = member({ category: 'ELDERLY', relationOrgId: 'org-own' });
    const inBranch = member({ category: 'ELDERLY', relationOrgId: 'org-eb', disabled: true });
    const moving = member({ category: 'ELDERLY', relationOrgId: 'org-home', transferInPending: true });
    const away = member({ category: 'ELDERLY', relationOrgId: 'org-home' });
    const none = member({ category: 'ELDERLY', relationOrgId: null });
    const r = evaluateElderlyBranchEligibility('inst-1', [inOwn, inBranch, moving, away, none], s, ['org-own', 'org-eb']);
    expect(r).toMatchObject({ eligible: true, fullElderlyMembers: 5, countableMembers: 3, excludedMemberIds: [away.id, none.id] });
    expect(evaluateElderlyBranchEligibility('inst-1', [inOwn, inBranch, away], s, ['org-own', 'org-eb']).eligible).toBe(false);
    // Without the institution's organisations nothing but transfers in count.
    expect(evaluateElderlyBranchEligibility('inst-1', [inOwn, inBranch, moving], s).countableMembers).toBe(1);
  });
});
