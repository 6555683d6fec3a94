import { evaluateJointOrganization, spinOffStatus } from '../src';
import { settings } from './helpers';

const unit = (id: string, n: number) => ({ institutionId: id, fullStaffMembers: n });

describe('R5 joint organisations', () => {
  it('CO_BUILD: 2+ units below 3 pooling at least 3 FULL members', () => {
    expect(evaluateJointOrganization({ mode: 'CO_BUILD', units: [unit('a', 2), unit('b', 1)] }, settings)).toMatchObject({ allowed: true, pooledFullMembers: 3 });
    expect(evaluateJointOrganization({ mode: 'CO_BUILD', units: [unit('a', 1), unit('b', 1)] }, settings).allowed).toBe(false);
    expect(evaluateJointOrganization({ mode: 'CO_BUILD', units: [unit('a', 2)] }, settings).allowed).toBe(false);
  });

  it('rejects a unit that already has 3 FULL staff (R4) and more than 5 units', () => {
    const r = evaluateJointOrganization({ mode: 'CO_BUILD', units: [unit('a', 3), unit('b', 1)] }, settings);
    expect(r.allowed).toBe(false);
    expect(r.findings.find((f) => f.severity === 'VIOLATION')!.ruleId).toBe('R4');
    const five = ['a', 'b', 'c', 'd', 'e'].map((id) => unit(id, 1));
    expect(evaluateJointOrganization({ mode: 'CO_BUILD', units: five }, settings).allowed).toBe(true);
    expect(evaluateJointOrganization({ mode: 'CO_BUILD', units: [...five, unit('f', 1)] }, settings).allowed).toBe(false);
    expect(evaluateJointOrganization({ mode: 'CO_BUILD', units: [unit('a', 2), unit('a', 2)] }, settings).allowed).toBe(false);
  });

  it('AFFILIATE needs a host organisation and 2+ units, like CO_BUILD (DOMAIN.md process 2)', () => {
    expect(evaluateJointOrganization({ mode: 'AFFILIATE', units: [unit('a', 1), unit('b', 0)], hostOrganizationId: 'host' }, settings).allowed).toBe(true);
    expect(evaluateJointOrganization({ mode: 'AFFILIATE', units: [unit('a', 1), unit('b', 1)] }, settings).allowed).toBe(false);
    const alone = evaluateJointOrganization({ mode: 'AFFILIATE', units: [unit('a', 1)], hostOrganizationId: 'host' }, settings);
    expect(alone.allowed).toBe(false);
    expect(alone.findings.find((f) => f.severity === 'VIOLATION')!.message).toContain('2 个及以上单位');
  });

  it('AFFILIATE: the host organisation\'s FULL members count toward the pooled 3, when known', () => {
    const req = { mode: 'AFFILIATE' as const, units: [unit('a', 1), unit('b', 0)], hostOrganizationId: 'host' };
    expect(evaluateJointOrganization({ ...req, hostFullMembers: 2 }, settings).allowed).toBe(true);
    expect(evaluateJointOrganization({ ...req, hostFullMembers: 1 }, settings).allowed).toBe(false);
  });

  it('a unit whose staff party members are all probationary is R5: no R6 note for it', () => {
    const r = evaluateJointOrganization({ mode: 'CO_BUILD', units: [unit('a', 2), unit('b', 1), { institutionId: 'c', fullStaffMembers: 0, staffPartyMembers: 2 }] }, settings);
    expect(r.allowed).toBe(true);
    expect(r.findings.map((f) => f.ruleId)).not.toContain('R6');
    const none = evaluateJointOrganization({ mode: 'CO_BUILD', units: [unit('a', 2), unit('b', 1), { institutionId: 'c', fullStaffMembers: 0, staffPartyMembers: 0 }] }, settings);
    expect(none.findings.find((f) => f.ruleId === 'R6')).toMatchObject({ severity: 'INFO' });
  });

  it('spin-off: due at 3, 90 days grace', () => {
    expect(spinOffStatus(2, '2024-01-01', '2024-06-01', settings).due).toBe(false);
    expect(spinOffStatus(3, '2024-01-01', '2024-03-31', settings)).toMatchObject({ due: true, deadline: '2024-03-31', overdue: false });
    expect(spinOffStatus(3, '2024-01-01', '2024-04-01', settings)).toMatchObject({ due: true, overdue: true });
    expect(spinOffStatus(3, null, '2024-04-01', settings).finding!.severity).toBe('WARNING');
  });
});
