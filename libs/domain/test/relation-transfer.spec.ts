import { ageOn, evaluateRelationTransfer, transferExemptReasons, transferLetterValidUntil } from '../src';
import { member, settings } from './helpers';

const TODAY = '2024-05-01';

describe('advanced age (R12)', () => {
  it('is 80 on the 80th birthday, not the day before', () => {
    expect(ageOn('1944-05-01', TODAY)).toBe(80);
    expect(ageOn('1944-05-02', TODAY)).toBe(79);
    const at80 = member({ category: 'ELDERLY', birthDate: '1944-05-01' });
    const at79 = member({ category: 'ELDERLY', birthDate: '1944-05-02' });
    expect(transferExemptReasons(at80, settings, TODAY)).toEqual(['ADVANCED_AGE']);
    expect(transferExemptReasons(at79, settings, TODAY)).toEqual([]);
  });

  it('uses the configured age', () => {
    const m = member({ category: 'ELDERLY', birthDate: '1949-05-01' });
    expect(transferExemptReasons(m, settings, TODAY)).toEqual([]);
    expect(transferExemptReasons(m, { advancedAgeYears: 75 }, TODAY)).toEqual(['ADVANCED_AGE']);
  });

  it('lists disabled and dementia, and never exempts staff', () => {
    const m = member({ category: 'ELDERLY', birthDate: '1930-01-01', disabled: true, dementia: true });
    expect(transferExemptReasons(m, settings, TODAY)).toEqual(['ADVANCED_AGE', 'DISABLED', 'DEMENTIA']);
    expect(transferExemptReasons({ ...m, category: 'STAFF' }, settings, TODAY)).toEqual([]);
    expect(transferExemptReasons({ ...m, birthDate: null, disabled: false, dementia: false }, settings, TODAY)).toEqual([]);
  });
});

describe('evaluateRelationTransfer (R11–R13)', () => {
  it('R11: a staff member with a relation elsewhere is due within 90 days of joining', () => {
    const m = member({ category: 'STAFF', relationOrgId: 'org-elsewhere', joinedAt: '2024-03-01' });
    const v = evaluateRelationTransfer(m, 'org-branch', {}, settings, TODAY);
    expect(v).toMatchObject({ allowed: true, kind: 'DUE', dueBy: '2024-05-30' });
    expect(v.findings[0]).toMatchObject({ ruleId: 'R11', severity: 'WARNING' });
    expect(evaluateRelationTransfer(m, 'org-branch', {}, settings, '2024-05-30').findings[0]!.severity).toBe('WARNING');
    expect(evaluateRelationTransfer(m, 'org-branch', {}, settings, '2024-05-31').findings[0]!.severity).toBe('VIOLATION');
  });

  it('R11: probationary staff transfer too; nothing to do when already in or there is no organisation', () => {
    const p = member({ category: 'STAFF', status: 'PROBATIONARY', relationOrgId: null });
    expect(evaluateRelationTransfer(p, 'org-branch', {}, settings, TODAY).kind).toBe('DUE');
    const inside = member({ category: 'STAFF', relationOrgId: 'org-branch' });
    expect(evaluateRelationTransfer(inside, 'org-branch', {}, settings, TODAY)).toMatchObject({ allowed: false, kind: 'ALREADY_IN' });
    expect(evaluateRelationTransfer(p, null, {}, settings, TODAY)).toMatchObject({ allowed: false, kind: 'NO_ORGANISATION' });
  });

  it.each([
    ['advanced age (80 today)', { birthDate: '1944-05-01' }, 'ADVANCED_AGE'],
    ['disabled', { disabled: true }, 'DISABLED'],
    ['dementia', { dementia: true }, 'DEMENTIA'],
  ])('R12: %s → reporting only unless the member asks', (_label, facts, reason) => {
    const m = member({ category: 'ELDERLY', birthDate: '1950-01-01', relationOrgId: 'org-home', ...facts });
    const refused = evaluateRelationTransfer(m, 'org-branch', {}, settings, TODAY);
    expect(refused).toMatchObject({ allowed: false, kind: 'REPORTING_ONLY', exemptReasons: [reason] });
    expect(refused.findings[0]).toMatchObject({ ruleId: 'R12', severity: 'VIOLATION' });
    const asked = evaluateRelationTransfer(m, 'org-branch', { memberRequested: true }, settings, TODAY);
    expect(asked).toMatchObject({ allowed: true, kind: 'VOLUNTARY' });
    expect(asked.findings[0]!.ruleId).toBe('R12');
  });

  it('R13: a 79-year-old moves only on request, and only into an existing organisation', () => {
    const m = member({ category: 'ELDERLY', birthDate: '1944-05-02', relationOrgId: 'org-home' });
    const no = evaluateRelationTransfer(m, 'org-branch', {}, settings, TODAY);
    expect(no).toMatchObject({ allowed: false, kind: 'REPORTING_ONLY', exemptReasons: [] });
    expect(no.findings[0]!.ruleId).toBe('R13');
    expect(evaluateRelationTransfer(m, 'org-branch', { memberRequested: true }, settings, TODAY)).toMatchObject({ allowed: true, kind: 'VOLUNTARY' });
    expect(evaluateRelationTransfer(m, null, { memberRequested: true }, settings, TODAY)).toMatchObject({ allowed: false, kind: 'NO_ORGANISATION' });
  });

  it('a transfer letter is valid for 90 days', () => {
    expect(transferLetterValidUntil('2024-01-01', settings)).toBe('2024-03-31');
  });
});
