/** The approval kernel's data: step specifications, outcomes, open tasks and the requests waiting to be applied. */
import type { AddSignerArgs, ActorArgs, DecisionArgs, PullBackArgs, ResubmitArgs, TransferArgs, WithdrawArgs } from '@app/contracts';
import type { Decision } from '@app/domain';

export type ApprovalMode = 'SINGLE' | 'ALL' | 'ANY' | 'SEQUENTIAL';

export interface StepSpec {
  stepId: string;
  title: string;
  mode: ApprovalMode;
  /**
   * Candidates, in order (SEQUENTIAL asks them one after another): organisation ids, or `institution:<id>` for the
   * APPLICANT users of an institution (a unit consenting to a joint organisation). See `candidateOf`.
   */
  candidates: Array<string | null>;
  /** Due after this many calendar days, or (default) the policy's working days. */
  dueCalendarDays?: number;
  /** Organisations copied (抄送): notified, never asked. */
  cc?: string[];
  /** The decisions this step accepts (default: APPROVE, REJECT, RETURN). */
  decisions?: Decision[];
  /** The keys decision data may carry at this step (default: none checked, for steps recorded before typed data). */
  dataKeys?: string[];
  /** Epoch ms: the step lapses then (its tasks close and the outcome is EXPIRED), e.g. when a transfer letter expires. */
  expiresAt?: number;
}

export type StepOutcome =
  | { kind: 'DECIDED'; decision: Decision; returnTo: string | null; data: Record<string, unknown>; actorId: string; decisionId: string }
  | { kind: 'WITHDRAWN' }
  | { kind: 'EXPIRED' };

export interface OpenTask {
  taskId: string;
  stepId: string;
  /** The candidate key (an organisation id or `institution:<id>`). */
  candidateOrgId: string;
  escalatedOrgId: string | null;
  assigneeId: string | null;
  dueAt: number;
  /** Deadline events not yet fired, in time order: reminders, then the escalation at dueAt. */
  events: Array<{ at: number; kind: 'REMIND' | 'ESCALATE' }>;
}

export interface StepRun {
  spec: StepSpec;
  mode: ApprovalMode;
  todo: string[];
  /** Where the next 后加签 goes in `todo`: several added after one task sign in the order they were added. */
  afterInsert: number;
  /** Who held an organisation's task when it was set aside (前加签, 取回): its reopened task goes back to them. */
  heldBy: Map<string, string>;
}

/** A request accepted by its validator and waiting for the loop to apply it (one variant per Update). */
export type Pending =
  | { kind: 'decide'; id: string; args: DecisionArgs }
  | { kind: 'transfer'; id: string; args: TransferArgs }
  | { kind: 'addSigner'; id: string; args: AddSignerArgs }
  | { kind: 'pullBack'; id: string; args: PullBackArgs }
  | { kind: 'urge'; id: string; args: ActorArgs }
  | { kind: 'withdraw'; id: string; args: WithdrawArgs }
  | { kind: 'resubmit'; id: string; args: ResubmitArgs };
