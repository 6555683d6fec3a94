/** A kernel step from a process descriptor's step: its title, the decisions and the decision data it accepts. */
import type { ProcessDescriptor } from '@app/contracts';
import type { StepOutcome, StepSpec } from './kernel-types';

export function stepOf<D extends ProcessDescriptor>(
  descriptor: D,
  stepId: keyof D['steps'] & string,
  spec: Omit<StepSpec, 'stepId' | 'title' | 'decisions' | 'dataKeys' | 'mode'> & Partial<Pick<StepSpec, 'mode'>>,
): StepSpec {
  const step = descriptor.steps[stepId]!;
  return {
    mode: 'SINGLE',
    ...spec,
    stepId,
    title: step.title,
    ...(step.decisions ? { decisions: [...step.decisions] } : {}),
    dataKeys: step.data ? Object.keys(step.data.shape) : [],
  };
}

/** A step that offers only decisions (no withdrawal, no expiry) is always decided. */
export function decided(outcome: StepOutcome): Extract<StepOutcome, { kind: 'DECIDED' }> {
  if (outcome.kind !== 'DECIDED') throw new TypeError(`expected a decision, got ${outcome.kind}`);
  return outcome;
}
