/**
 * Secretary succession (书记更替): a newly elected or appointed secretary takes over from the predecessor.
 *
 *   applySecretaryChange (one transaction: the change recorded, the organisation's secretary set, the successor's
 *   account made an approver of the organisation, the predecessor's account leaves it) → inheritSecretaryTasks (every
 *   open task the predecessor held for the organisation moves to the successor, or back to the organisation when
 *   the successor has no account; each move is the process workflow's own transfer update) → settled.
 *
 * A workflow rather than a request handler so the change is never lost half-done: a worker or API that dies after
 * the first step still finishes the second. Only `@temporalio/workflow` and the contracts are imported here.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { SecretaryChangeInput, SecretarySuccessionActivities, SecretarySuccessionResult } from '@app/contracts';

const { applySecretaryChange } = proxyActivities<SecretarySuccessionActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// One update per task, each answered once its process applied it: a secretary with many tasks needs longer, and
// the per-task heartbeat notices a dead worker well before the overall timeout.
const { inheritSecretaryTasks } = proxyActivities<SecretarySuccessionActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function secretarySuccessionWorkflow(input: SecretaryChangeInput): Promise<SecretarySuccessionResult> {
  const applied = await applySecretaryChange(input);
  const { tasksMoved } = await inheritSecretaryTasks({ changeId: input.changeId });
  return { ...applied, tasksMoved };
}
