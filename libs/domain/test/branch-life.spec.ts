import { evaluateBranchLife, meetingPeriodKey } from '../src';
import { settings } from './helpers';

describe('branch life (三会一课)', () => {
  it('keys periods', () => {
    expect(meetingPeriodKey('MONTH', '2024-03-31')).toBe('2024-03');
    expect(meetingPeriodKey('QUARTER', '2024-04-01')).toBe('2024-Q2');
    expect(meetingPeriodKey('YEAR', '2024-12-31')).toBe('2024');
  });

  it('lists completed periods without the due meeting, skipping a partial first period', () => {
    const meetings = [
      { type: 'GENERAL_MEETING' as const, date: '2024-02-10' },
      { type: 'PARTY_LECTURE' as const, date: '2024-03-01' },
      { type: 'THEME_DAY' as const, date: '2024-01-15' },
      { type: 'THEME_DAY' as const, date: '2024-03-15' },
    ];
    const short = evaluateBranchLife(meetings, '2024-01-01', '2024-04-15', settings);
    expect(short).toEqual([{ type: 'THEME_DAY', period: 'MONTH', periodKey: '2024-02' }]);
    const withCommittee = evaluateBranchLife(meetings, '2024-01-01', '2024-04-15', settings, { hasCommittee: true });
    expect(withCommittee.filter((s) => s.type === 'COMMITTEE_MEETING').map((s) => s.periodKey)).toEqual(['2024-01', '2024-02', '2024-03']);
    // Founded mid-January: January is not assessed; the first quarter is partial too.
    expect(evaluateBranchLife([], '2024-01-20', '2024-04-15', settings).map((s) => s.periodKey)).toEqual(['2024-02', '2024-03']);
  });

  it('asks for the yearly organisational life meeting once the year has ended', () => {
    const s = evaluateBranchLife([], '2024-01-01', '2025-01-01', settings).filter((x) => x.type === 'ORG_LIFE_MEETING');
    expect(s).toEqual([{ type: 'ORG_LIFE_MEETING', period: 'YEAR', periodKey: '2024' }]);
    expect(evaluateBranchLife([], '2024-01-01', '2024-12-31', settings).some((x) => x.type === 'ORG_LIFE_MEETING')).toBe(false);
  });
});
