import { evaluateDispatchNeed, evaluateDispatchRole, evaluateSecretarySourceSwitch, isOrganisationSound } from '../src';
import { institution, settings } from './helpers';

const pbpr = institution({ type: 'PUBLIC_BUILT_PRIVATE_RUN' });
const base = { institution: pbpr, fullStaffMembers: 4, hasOwnOrg: true, inJointOrg: false, hasSecretary: false };

describe('R8 dispatch for PUBLIC_BUILT_PRIVATE_RUN', () => {
  it('does not apply to other types', () => {
    expect(evaluateDispatchNeed({ ...base, institution: institution({ type: 'PUBLIC' }) }, settings)).toMatchObject({ applies: false, roleDue: null });
  });

  it('organisation without secretary → SECRETARY from the builder', () => {
    const r = evaluateDispatchNeed(base, settings);
    expect(r).toMatchObject({ applies: true, roleDue: 'SECRETARY', dispatcherOrgId: 'org-builder' });
    expect(r.findings[0]!.ruleId).toBe('R8');
  });

  it('organisation with a secretary not from the builder → FIRST_SECRETARY; none when the builder sent the secretary', () => {
    expect(evaluateDispatchNeed({ ...base, hasSecretary: true }, settings).roleDue).toBe('FIRST_SECRETARY');
    expect(evaluateDispatchNeed({ ...base, hasSecretary: true, secretarySource: 'PUBLIC_BUILDER' }, settings).roleDue).toBeNull();
    expect(evaluateDispatchNeed({ ...base, hasSecretary: true, activeDispatchRoles: ['FIRST_SECRETARY'] }, settings).roleDue).toBeNull();
  });

  it('no organisation possible → INSTRUCTOR (a violation until dispatched)', () => {
    for (const n of [0, 1, 2]) {
      const r = evaluateDispatchNeed({ ...base, fullStaffMembers: n, hasOwnOrg: false }, settings);
      expect(r.roleDue).toBe('INSTRUCTOR');
      expect(r.findings[0]).toMatchObject({ ruleId: 'R8', severity: 'VIOLATION' });
    }
    expect(evaluateDispatchNeed({ ...base, fullStaffMembers: 2, hasOwnOrg: false, inJointOrg: true }, settings).roleDue).toBe('SECRETARY');
    expect(evaluateDispatchNeed({ ...base, fullStaffMembers: 0, hasOwnOrg: false, activeDispatchRoles: ['INSTRUCTOR'] }, settings).roleDue).toBeNull();
    expect(evaluateDispatchNeed({ ...base, fullStaffMembers: 3, hasOwnOrg: false }, settings).roleDue).toBe('SECRETARY');
  });

  it('after an approved R10 switch the builder dispatches no secretary', () => {
    const r = evaluateDispatchNeed({ ...base, secretarySource: 'ELECTION' }, settings);
    expect(r.roleDue).toBeNull();
    expect(r.findings[0]!.ruleId).toBe('R10');
    expect(evaluateDispatchNeed({ ...base, hasSecretary: true, secretarySource: 'OPERATOR' }, settings).roleDue).toBeNull();
  });
});

describe('R10 secretary source switch', () => {
  const sound = { hasOrganisation: true, termStatus: 'ACTIVE' as const, secretaryVacantDays: 0, meetingCompliancePercent: 90, openDisciplineCases: 0 };

  it('judges soundness at the thresholds', () => {
    expect(isOrganisationSound(sound, settings).sound).toBe(true);
    expect(isOrganisationSound({ ...sound, secretaryVacantDays: 90 }, settings).sound).toBe(true);
    expect(isOrganisationSound({ ...sound, secretaryVacantDays: 91 }, settings).sound).toBe(false);
    expect(isOrganisationSound({ ...sound, meetingCompliancePercent: 80 }, settings).sound).toBe(true);
    expect(isOrganisationSound({ ...sound, meetingCompliancePercent: 79 }, settings).sound).toBe(false);
    expect(isOrganisationSound({ ...sound, termStatus: 'OVERDUE' }, settings).sound).toBe(false);
    expect(isOrganisationSound({ ...sound, openDisciplineCases: 1 }, settings).sound).toBe(false);
    expect(isOrganisationSound({ ...sound, hasOrganisation: false }, settings).sound).toBe(false);
  });

  it('allows OPERATOR/ELECTION only when sound; the builder approves', () => {
    const ok = evaluateSecretarySourceSwitch({ institution: pbpr, targetSource: 'OPERATOR', soundness: sound }, settings);
    expect(ok).toMatchObject({ allowed: true, approverOrgId: 'org-builder' });
    const bad = evaluateSecretarySourceSwitch({ institution: pbpr, targetSource: 'ELECTION', soundness: { ...sound, termStatus: 'OVERDUE' } }, settings);
    expect(bad.allowed).toBe(false);
    expect(bad.findings[0]).toMatchObject({ ruleId: 'R10', severity: 'VIOLATION' });
    expect(evaluateSecretarySourceSwitch({ institution: pbpr, targetSource: 'PUBLIC_BUILDER', soundness: { hasOrganisation: false } }, settings).allowed).toBe(true);
    expect(evaluateSecretarySourceSwitch({ institution: institution({ type: 'PRIVATE' }), targetSource: 'ELECTION', soundness: sound }, settings).allowed).toBe(false);
  });
});

describe('R8 for a named role (evaluateDispatchRole)', () => {
  const check = (role: 'SECRETARY' | 'FIRST_SECRETARY' | 'INSTRUCTOR', over: Partial<Parameters<typeof evaluateDispatchRole>[0]> = {}) =>
    evaluateDispatchRole({ ...base, role, ...over }, settings);

  it('SECRETARY to an organisation without a secretary, or where one can be set up; FIRST_SECRETARY only where a secretary exists', () => {
    expect(check('SECRETARY')).toMatchObject({ allowed: true, findings: [{ ruleId: 'R8', severity: 'INFO' }] });
    expect(check('SECRETARY', { hasOwnOrg: false, fullStaffMembers: 3 }).allowed).toBe(true);
    const first = check('FIRST_SECRETARY');
    expect(first).toMatchObject({ allowed: false, findings: [{ ruleId: 'R8', severity: 'VIOLATION' }] });
    expect(first.findings[0]!.message).toContain('尚无书记');
    expect(check('FIRST_SECRETARY', { hasSecretary: true }).allowed).toBe(true);
    const second = check('SECRETARY', { hasSecretary: true });
    expect(second.allowed).toBe(false);
    expect(second.findings[0]!.message).toContain('应选派第一书记');
  });

  it('INSTRUCTOR only where no organisation is possible (R8; R6 for other types); never a secretary there', () => {
    expect(check('INSTRUCTOR', { hasOwnOrg: false, fullStaffMembers: 2 })).toMatchObject({ allowed: true, findings: [{ ruleId: 'R8' }] });
    expect(check('INSTRUCTOR', { hasOwnOrg: false, fullStaffMembers: 0, institution: institution({ type: 'PRIVATE' }) })).toMatchObject({ allowed: true, findings: [{ ruleId: 'R6' }] });
    expect(check('INSTRUCTOR')).toMatchObject({ allowed: false, findings: [{ ruleId: 'R8', severity: 'VIOLATION' }] });
    expect(check('INSTRUCTOR', { hasOwnOrg: false, fullStaffMembers: 3 }).allowed).toBe(false);
    expect(check('INSTRUCTOR', { hasOwnOrg: false, inJointOrg: true, fullStaffMembers: 1 }).allowed).toBe(false);
    const sec = check('SECRETARY', { hasOwnOrg: false, fullStaffMembers: 2 });
    expect(sec.allowed).toBe(false);
    expect(sec.findings[0]!.message).toContain('应选派党建工作指导员');
  });

  it('secretaries only for PUBLIC_BUILT_PRIVATE_RUN; not after an R10 switch; a role already active is not dispatched twice', () => {
    expect(check('SECRETARY', { institution: institution({ type: 'PUBLIC' }) })).toMatchObject({ allowed: false, findings: [{ ruleId: 'R8' }] });
    expect(check('SECRETARY', { secretarySource: 'OPERATOR' })).toMatchObject({ allowed: false, findings: [{ ruleId: 'R10' }] });
    expect(check('FIRST_SECRETARY', { hasSecretary: true, activeDispatchRoles: ['FIRST_SECRETARY'] })).toMatchObject({ allowed: false, findings: [{ ruleId: 'R8' }] });
  });
});
