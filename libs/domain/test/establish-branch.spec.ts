import { establishBranchAnswerDueOn, evaluateElderlyBranchEligibility, evaluateEstablishBranch, foundingElectionDueOn } from '../src';
import { elderly, institution, member, settings, staff } from './helpers';

describe('evaluateEstablishBranch', () => {
  it('R4: 3 FULL staff allowed, 2 (+ probationary) not', () => {
    expect(evaluateEstablishBranch({ institution: institution(), members: staff(3), elderly: false }, settings)).toMatchObject({ allowed: true, responsibleBodyId: 'org-township' });
    const two = evaluateEstablishBranch({ institution: institution(), members: [...staff(2), ...staff(3, { status: 'PROBATIONARY' })], elderly: false }, settings);
    expect(two.allowed).toBe(false);
    expect(two.findings[0]).toMatchObject({ ruleId: 'R4', severity: 'VIOLATION' });
  });

  it('R7: elderly branch counts consenting R12-exempt members only', () => {
    const frail = member({ category: 'ELDERLY', disabled: true });
    expect(evaluateEstablishBranch({ institution: institution(), members: [...elderly(2), frail], elderly: true }, settings).allowed).toBe(false);
    const consenting = { ...frail, transferConsent: true };
    const ok = evaluateEstablishBranch({ institution: institution({ type: 'PUBLIC' }), members: [...elderly(2), consenting], elderly: true }, settings);
    expect(ok).toMatchObject({ allowed: true, responsibleBodyId: 'org-township' });
    const aged = member({ category: 'ELDERLY', birthDate: '1944-05-01' });
    expect(evaluateEstablishBranch({ institution: institution(), members: [...elderly(2), aged], elderly: true, today: '2024-05-01' }, settings).allowed).toBe(false);
    expect(evaluateEstablishBranch({ institution: institution(), members: [...elderly(2), aged], elderly: true, today: '2024-04-30' }, settings).allowed).toBe(true);
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
  it('counts FULL elderly, excluding non-consenting R12-exempt members', () => {
    const frail = member({ category: 'ELDERLY', dementia: true });
    const r = evaluateElderlyBranchEligibility('inst-1', [...elderly(3), frail], settings, '2024-05-01');
    expect(r).toMatchObject({ eligible: true, fullElderlyMembers: 4, countableMembers: 3, excludedMemberIds: [frail.id] });
    expect(r.findings[0]!.ruleId).toBe('R7');
    expect(evaluateElderlyBranchEligibility('inst-1', [...elderly(2), frail], settings, '2024-05-01').eligible).toBe(false);
    const consenting = evaluateElderlyBranchEligibility('inst-1', [...elderly(2), { ...frail, transferConsent: true }], settings, '2024-05-01');
    expect(consenting).toMatchObject({ eligible: true, countableMembers: 3, excludedMemberIds: [] });
  });
});
