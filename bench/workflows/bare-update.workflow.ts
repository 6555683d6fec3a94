/**
 * The benchmark's baseline: bare Temporal doing the least a decision needs — a workflow whose validator checks one
 * Update and whose handler accepts it. `npm run bench` drives it with executeUpdate beside the real decision path.
 */
import { ApplicationFailure, condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const bareDecideUpdate = defineUpdate<{ accepted: true }, [{ taskId: string; decision: string }]>('bareDecide');

export async function bareUpdateWorkflow(taskId: string): Promise<void> {
  let decided = false;
  setHandler(
    bareDecideUpdate,
    () => {
      decided = true;
      return { accepted: true as const };
    },
    {
      validator: (args) => {
        if (decided || args.taskId !== taskId || !['APPROVE', 'REJECT', 'RETURN'].includes(args.decision)) throw ApplicationFailure.nonRetryable('refused', 'Refused');
      },
    },
  );
  await condition(() => decided);
}
