import { establishBranch, termRenewal } from '@app/contracts';
import { stepOf } from './process-steps';

/** What the worker does to preloaded modules (libs/temporal workflow-bundling): they are shared, so frozen. */
function deepFreeze<T>(o: T, seen = new Set<unknown>()): T {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return o;
  seen.add(o);
  for (const k of Reflect.ownKeys(o as object)) {
    const d = Object.getOwnPropertyDescriptor(o as object, k);
    if (d && 'value' in d) deepFreeze(d.value, seen);
  }
  return Object.freeze(o);
}

describe('stepOf on descriptors frozen as the worker shares them', () => {
  beforeAll(() => {
    deepFreeze(establishBranch);
    deepFreeze(termRenewal);
  });

  it('reads the decision data keys of a step with typed data', () => {
    expect(stepOf(establishBranch, 'designate', { candidates: ['org'] }).dataKeys).toEqual(['secretaryMemberId']);
    expect(stepOf(establishBranch, 'founding-election', { candidates: ['org'] }).dataKeys).toEqual(expect.arrayContaining(['electionDate']));
    expect(stepOf(termRenewal, 'plan', { candidates: ['org'] }).dataKeys).not.toHaveLength(0);
  });

  it('gives a step without data no keys, and its title and mode', () => {
    const s = stepOf(establishBranch, 'approve', { candidates: ['org'] });
    expect(s).toMatchObject({ stepId: 'approve', mode: 'SINGLE', dataKeys: [] });
    expect(s.title).toBe(establishBranch.steps.approve.title);
  });
});
