/**
 * Who may act on an inbox task (decide, transfer, 加签): the one rule the API and the workflow's validators both
 * apply, so a request the API lets through is never refused by the workflow for a different reason, and the other
 * way round.
 */

/** The task as far as the rule needs it. */
export interface TaskHolding {
  /** The organisation asked; null when the task asks an institution's applicants instead. */
  candidateOrgId: string | null;
  /** An institution whose APPLICANT users are asked (e.g. a unit consenting to a joint organisation). */
  candidateInstitutionId?: string | null;
  /** Where an overdue task escalated to: that organisation may act on it too. */
  escalatedOrgId: string | null;
  /** A task assigned to one person (转交, admin reassignment, a reopened task): only that person, or their deputy. */
  assigneeId: string | null;
}

/** Today's delegation (委托) to the actor: whose it is, and which of the delegator's organisations it covers. */
export interface StandIn {
  userId: string;
  /** null: not known (requests recorded before delegations named their organisations), read as unrestricted. */
  orgIds: readonly string[] | null;
}

export interface TaskActor {
  userId: string;
  /** Organisations the user is an active APPROVER of. */
  ownOrgIds: readonly string[];
  /** Institutions the user is an active APPLICANT of. */
  institutionIds?: readonly string[];
  /** People the user stands in for today. */
  standsInFor: readonly StandIn[];
}

export interface ProcessParty {
  applicantId: string;
  /** SKIP (default): the applicant never decides their own request. */
  selfApproval: 'SKIP' | 'ALLOW';
}

export type TaskAuthorityRefusal = 'NOT_CANDIDATE' | 'SELF_APPROVAL' | 'DEPUTY_OF_APPLICANT';

export type TaskAuthority = { allowed: true; onBehalfOfId: string | null } | { allowed: false; reason: TaskAuthorityRefusal; message: string };

const REFUSALS: Record<TaskAuthorityRefusal, string> = {
  NOT_CANDIDATE: '您不是该待办的办理人',
  SELF_APPROVAL: '申请人不能审批本人的申请',
  DEPUTY_OF_APPLICANT: '您是申请人的委托代理人，不能办理其本人申请的审批',
};

const refuse = (reason: TaskAuthorityRefusal): TaskAuthority => ({ allowed: false, reason, message: REFUSALS[reason] });

const covers = (s: StandIn, orgs: readonly string[]): boolean => s.orgIds === null || s.orgIds.some((o) => orgs.includes(o));

/**
 * May `actor` act on `task` of a process applied for by `party.applicantId`, and on whose behalf?
 * - A task assigned to a person: that person, or whoever stands in for them (委托) for the task's organisation.
 * - Otherwise: an approver of its candidate (or escalation) organisation, or an applicant of its candidate institution,
 *   in their own right first, else (organisations only) through a delegation from an approver of it.
 * - The applicant never decides their own request under SKIP; a deputy of the applicant never does, whatever the
 *   setting and in whatever right they would act (the applicant chose them).
 */
export function taskAuthority(task: TaskHolding, actor: TaskActor, party: ProcessParty): TaskAuthority {
  const orgs = [task.candidateOrgId, task.escalatedOrgId].filter((o): o is string => o !== null);
  let onBehalfOfId: string | null;
  if (task.assigneeId !== null) {
    if (task.assigneeId === actor.userId) onBehalfOfId = null;
    else if (actor.standsInFor.some((s) => s.userId === task.assigneeId && covers(s, orgs))) onBehalfOfId = task.assigneeId;
    else return refuse('NOT_CANDIDATE');
  } else if (orgs.some((o) => actor.ownOrgIds.includes(o)) || (task.candidateInstitutionId != null && (actor.institutionIds ?? []).includes(task.candidateInstitutionId))) {
    onBehalfOfId = null;
  } else {
    const via = actor.standsInFor.find((s) => s.orgIds !== null && covers(s, orgs));
    if (!via) return refuse('NOT_CANDIDATE');
    onBehalfOfId = via.userId;
  }
  if (actor.userId === party.applicantId && (party.selfApproval === 'SKIP' || onBehalfOfId !== null)) return refuse('SELF_APPROVAL');
  if (actor.standsInFor.some((s) => s.userId === party.applicantId)) return refuse('DEPUTY_OF_APPLICANT');
  return { allowed: true, onBehalfOfId };
}
