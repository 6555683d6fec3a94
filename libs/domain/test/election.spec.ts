import { evaluateElection, evaluateElectionPlan, isElected, leadershipStructure, minCandidates, quorumMet, secretaryEligible } from '../src';
import { settings } from './helpers';

describe('elections', () => {
  it.each([
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
    [6, 8],
    [7, 9],
    [10, 12],
  ])('%i seats need at least %i candidates (20%% more, rounded up)', (seats, min) => {
    expect(minCandidates(seats, settings)).toBe(min);
  });

  it('quorum is 4/5 of those due, exactly 4/5 counting, after approved exclusions', () => {
    expect(quorumMet(8, 10, settings)).toBe(true);
    expect(quorumMet(7, 10, settings)).toBe(false);
    expect(quorumMet(4, 5, settings)).toBe(true);
    expect(quorumMet(5, 6, settings)).toBe(true); // 4.8 needed
    expect(quorumMet(4, 6, settings)).toBe(false);
    expect(quorumMet(4, 6, settings, 1)).toBe(true); // one bed-ridden member excluded: 4 of 5
    expect(quorumMet(0, 0, settings)).toBe(false);
  });

  it('needs more than half of the votes of those present', () => {
    expect(isElected(5, 10)).toBe(false);
    expect(isElected(6, 10)).toBe(true);
    expect(isElected(5, 9)).toBe(true);
    expect(isElected(0, 0)).toBe(false);
  });

  it('7+ FULL members elect a committee of 3–5; fewer a secretary', () => {
    expect(leadershipStructure(6, settings)).toEqual({ kind: 'SECRETARY', deputyOptional: true });
    expect(leadershipStructure(7, settings)).toEqual({ kind: 'COMMITTEE', minSize: 3, maxSize: 5 });
  });

  it('a secretary needs one year of party standing', () => {
    expect(secretaryEligible('2023-05-01', '2024-05-01', settings)).toBe(true);
    expect(secretaryEligible('2023-05-02', '2024-05-01', settings)).toBe(false);
    expect(secretaryEligible(null, '2024-05-01', settings)).toBe(false);
  });

  const base = { fullMembers: 9, seats: 3, dueToAttend: 9, present: 8, date: '2024-05-01' };
  const cands = (...votes: number[]) => votes.map((v, i) => ({ id: `c${i + 1}`, votes: v }));

  it('elects the top candidates with a majority of those present', () => {
    const r = evaluateElection({ ...base, candidates: cands(8, 7, 5, 3) }, settings);
    expect(r).toMatchObject({ quorum: true, valid: true, elected: ['c1', 'c2', 'c3'], unfilledSeats: 0 });
    expect(r.findings).toEqual([]);
  });

  it('leaves seats unfilled when too few pass, or on a tie at the last seat', () => {
    const few = evaluateElection({ ...base, candidates: cands(8, 4, 4, 3) }, settings);
    expect(few.elected).toEqual(['c1']);
    expect(few.unfilledSeats).toBe(2);
    const tie = evaluateElection({ ...base, candidates: cands(8, 7, 6, 6) }, settings);
    expect(tie.elected).toEqual(['c1', 'c2']);
    expect(tie.unfilledSeats).toBe(1);
  });

  it('is invalid without quorum, with too few candidates, or with the wrong number of seats', () => {
    expect(evaluateElection({ ...base, present: 7, candidates: cands(7, 7, 7, 7) }, settings)).toMatchObject({ quorum: false, valid: false, elected: [] });
    expect(evaluateElection({ ...base, candidates: cands(8, 7, 6) }, settings).valid).toBe(false);
    expect(evaluateElection({ ...base, seats: 6, candidates: cands(8, 8, 8, 8, 8, 8, 8, 8) }, settings).valid).toBe(false);
    expect(evaluateElection({ ...base, fullMembers: 5, dueToAttend: 5, present: 5, seats: 3, candidates: cands(5, 5, 5, 5) }, settings).valid).toBe(false);
  });

  it('allows a single-candidate secretary election below 7 members, and checks the secretary standing', () => {
    const small = { fullMembers: 4, seats: 1, dueToAttend: 4, present: 4, date: '2024-05-01', candidates: cands(3) };
    expect(evaluateElection(small, settings)).toMatchObject({ valid: true, elected: ['c1'] });
    const junior = evaluateElection({ ...small, secretary: { memberId: 'c1', fullMemberSince: '2023-09-01' } }, settings);
    expect(junior.findings.some((f) => f.ruleId === 'R4' && f.severity === 'VIOLATION')).toBe(true);
  });
});

describe('election plans (R4)', () => {
  it('7+ FULL members: a committee of 3–5 with 20% more candidates, rounded up', () => {
    expect(evaluateElectionPlan({ fullMembers: 9, seats: 5, candidates: 6 }, settings)).toMatchObject({ allowed: true, structure: { kind: 'COMMITTEE' }, findings: [] });
    const short = evaluateElectionPlan({ fullMembers: 9, seats: 5, candidates: 5 }, settings);
    expect(short.allowed).toBe(false);
    expect(short.findings).toEqual([expect.objectContaining({ ruleId: 'R4', severity: 'VIOLATION', message: expect.stringContaining('差额选举') })]);
    expect(short.findings[0]!.message).toContain('至少需要候选人 6 名');
    expect(evaluateElectionPlan({ fullMembers: 7, seats: 3, candidates: 4 }, settings).allowed).toBe(true);
    expect(evaluateElectionPlan({ fullMembers: 7, seats: 3, candidates: 3 }, settings).allowed).toBe(false);
    const seats = evaluateElectionPlan({ fullMembers: 7, seats: 2, candidates: 3 }, settings);
    expect(seats.findings[0]!.message).toContain('3–5 名委员');
  });

  it('fewer than 7: a secretary and optionally a deputy, 等额 allowed', () => {
    expect(evaluateElectionPlan({ fullMembers: 4, seats: 1, candidates: 1 }, settings)).toMatchObject({ allowed: true, structure: { kind: 'SECRETARY' } });
    expect(evaluateElectionPlan({ fullMembers: 4, seats: 2, candidates: 2 }, settings).allowed).toBe(true);
    expect(evaluateElectionPlan({ fullMembers: 4, seats: 3, candidates: 4 }, settings).findings[0]!.message).toContain('应选举书记 1 名');
    expect(evaluateElectionPlan({ fullMembers: 4, seats: 2, candidates: 1 }, settings).allowed).toBe(false);
  });
});
