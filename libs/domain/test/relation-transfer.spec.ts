import { ageOn, evaluateRelationTransfer, relationFollowUps, transferExemptReasons, transferLetterExpiresAt, transferLetterValidUntil } from '../src';
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
  ])('R12: %s → reporting only; the own request alone never moves them', (_label, facts, reason) => {
    const m = member({ category: 'ELDERLY', birthDate: '1950-01-01', relationOrgId: 'org-home', ...facts });
    const refused = evaluateRelationTransfer(m, 'org-branch', {}, settings, TODAY);
    expect(refused).toMatchObject({ allowed: false, kind: 'REPORTING_ONLY', exemptReasons: [reason], needsResponsibleBodyApproval: false });
    expect(refused.findings[0]).toMatchObject({ ruleId: 'R12', severity: 'VIOLATION' });
    for (const exceptionReason of [undefined, null, '', '   ']) {
      const asked = evaluateRelationTransfer(m, 'org-branch', { memberRequested: true, exceptionReason }, settings, TODAY);
      expect(asked).toMatchObject({ allowed: false, kind: 'REPORTING_ONLY', needsResponsibleBodyApproval: false });
      expect(asked.findings[0]).toMatchObject({ ruleId: 'R12', severity: 'VIOLATION' });
      expect(asked.findings[0]!.message).toContain('仅有本人申请不能迁移');
    }
  });

  it('R12: an exception needs the request and a reason, and adds the responsible body\'s approval', () => {
    const m = member({ category: 'ELDERLY', birthDate: '1930-01-01', relationOrgId: 'org-home' });
    const ok = evaluateRelationTransfer(m, 'org-branch', { memberRequested: true, exceptionReason: '子女均在本市，本人坚持' }, settings, TODAY);
    expect(ok).toMatchObject({ allowed: true, kind: 'EXCEPTION', needsResponsibleBodyApproval: true, exemptReasons: ['ADVANCED_AGE'] });
    expect(ok.findings[0]).toMatchObject({ ruleId: 'R12' });
    expect(ok.findings[0]!.message).toContain('子女均在本市，本人坚持');
    // A reason without the member's own request is not enough.
    const reasonOnly = evaluateRelationTransfer(m, 'org-branch', { exceptionReason: '接收党组织提出' }, settings, TODAY);
    expect(reasonOnly).toMatchObject({ allowed: false, kind: 'REPORTING_ONLY', needsResponsibleBodyApproval: false });
    // Still nothing to do when the relation is already there or no organisation exists.
    expect(evaluateRelationTransfer({ ...m, relationOrgId: 'org-branch' }, 'org-branch', { memberRequested: true, exceptionReason: 'x' }, settings, TODAY).kind).toBe('ALREADY_IN');
    expect(evaluateRelationTransfer(m, null, { memberRequested: true, exceptionReason: 'x' }, settings, TODAY).kind).toBe('NO_ORGANISATION');
  });

  it('R13: a 79-year-old moves only on request, and only into an existing organisation', () => {
    const m = member({ category: 'ELDERLY', birthDate: '1944-05-02', relationOrgId: 'org-home' });
    const no = evaluateRelationTransfer(m, 'org-branch', {}, settings, TODAY);
    expect(no).toMatchObject({ allowed: false, kind: 'REPORTING_ONLY', exemptReasons: [] });
    expect(no.findings[0]!.ruleId).toBe('R13');
    // A reason is no substitute for the member's own request.
    expect(evaluateRelationTransfer(m, 'org-branch', { exceptionReason: '组织需要' }, settings, TODAY)).toMatchObject({ allowed: false, kind: 'REPORTING_ONLY' });
    expect(evaluateRelationTransfer(m, 'org-branch', { memberRequested: true }, settings, TODAY)).toMatchObject({ allowed: true, kind: 'VOLUNTARY', needsResponsibleBodyApproval: false });
    expect(evaluateRelationTransfer(m, null, { memberRequested: true }, settings, TODAY)).toMatchObject({ allowed: false, kind: 'NO_ORGANISATION' });
  });

  it('R11: staff transfers need no request and no extra approval', () => {
    const m = member({ category: 'STAFF', relationOrgId: 'org-elsewhere', joinedAt: '2024-03-01' });
    expect(evaluateRelationTransfer(m, 'org-branch', {}, settings, TODAY)).toMatchObject({ allowed: true, kind: 'DUE', needsResponsibleBodyApproval: false });
  });

  it('a transfer letter is valid for 90 days', () => {
    expect(transferLetterValidUntil('2024-01-01', settings)).toBe('2024-03-31');
  });

  it('a transfer letter lapses at the first instant after its last valid day, Beijing time', () => {
    // Valid through 2024-03-31 (Asia/Shanghai): it lapses at 2024-04-01 00:00 +08:00.
    expect(transferLetterExpiresAt('2024-01-01', settings)).toBe(Date.parse('2024-04-01T00:00:00+08:00'));
    expect(transferLetterExpiresAt('2024-01-01', { transferLetterValidDays: 30 })).toBe(Date.parse('2024-02-01T00:00:00+08:00'));
  });
});

describe('relationFollowUps (R11/R12/R13 once an organisation is founded)', () => {
  // R11 在养老机构工作的党员，组织关系原则上都要转入养老机构所在党组织
  it('R11: a new staff branch opens a transfer for every staff member whose relation is elsewhere', () => {
    const away = member({ category: 'STAFF', relationOrgId: 'org-elsewhere' });
    const unknown = member({ category: 'STAFF', status: 'PROBATIONARY', relationOrgId: null });
    const inside = member({ category: 'STAFF', relationOrgId: 'org-new' });
    const old = member({ category: 'ELDERLY', birthDate: '1930-01-01', relationOrgId: 'org-home' });
    expect(relationFollowUps([away, unknown, inside, old], { id: 'org-new', kind: 'BRANCH' }, settings, TODAY)).toEqual({ transfers: [away.id, unknown.id], reports: [] });
  });

  // R12 对养老机构入住的高龄、失能、失智老年人党员一般不转移; R13 老年人可自愿选择迁移党组织关系
  it('R12: a new elderly branch records exempt members as reporting; R13: the others move only on their own request', () => {
    const aged = member({ category: 'ELDERLY', birthDate: '1944-05-01', relationOrgId: 'org-home' });
    const disabled = member({ category: 'ELDERLY', birthDate: '1960-01-01', disabled: true, relationOrgId: null });
    const younger = member({ category: 'ELDERLY', birthDate: '1944-05-02', relationOrgId: 'org-home' });
    const inside = member({ category: 'ELDERLY', dementia: true, relationOrgId: 'org-elderly' });
    const worker = member({ category: 'STAFF', relationOrgId: 'org-elsewhere' });
    expect(relationFollowUps([aged, disabled, younger, inside, worker], { id: 'org-elderly', kind: 'ELDERLY_BRANCH' }, settings, TODAY)).toEqual({
      transfers: [],
      reports: [aged.id, disabled.id],
    });
  });
});
