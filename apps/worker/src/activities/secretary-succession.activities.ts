import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { IsNull, type DataSource } from 'typeorm';
import {
  SECRETARY_INHERIT_COMMENT,
  SECRETARY_REFUSALS,
  UPDATE_REFUSALS,
  inheritUpdateId,
  transferUpdate,
  type AppliedSecretaryChange,
  type SecretarySuccessionActivities,
  type SecretaryChangeInput,
} from '@app/contracts';
import { OrganizationEntity, ProcessEntity, SecretaryChangeEntity, SettingEntity, TaskEntity, UserEntity } from '@app/persistence';
import { TemporalClientService } from '@app/temporal';
import { Activity } from './activity.decorator';
import { makeApproverOf } from './organization-membership';

const SKIPPABLE: ReadonlySet<string> = new Set([UPDATE_REFUSALS.TASK_NOT_OPEN, UPDATE_REFUSALS.PROCESS_CLOSED]);

/**
 * The effects of workflows/secretary-succession.workflow.ts. Both are idempotent by the change id: the change row
 * is written once (the organisation row is locked, so two changes of one organisation take turns), and each task
 * moves through its process workflow's transfer update under an update id derived from the change and the task.
 */
@Injectable()
export class SecretarySuccessionActivitiesService implements SecretarySuccessionActivities {
  private readonly logger = new Logger('SecretarySuccession');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly temporal: TemporalClientService,
  ) {}

  @Activity()
  async applySecretaryChange(input: SecretaryChangeInput): Promise<AppliedSecretaryChange> {
    return this.ds.transaction(async (m) => {
      const org = await m
        .getRepository(OrganizationEntity)
        .createQueryBuilder('o')
        .setLock('pessimistic_write')
        .where('o.id = :id', { id: input.organizationId })
        .getOne();
      if (!org) throw ApplicationFailure.create({ type: 'NotFound', message: `organisation ${input.organizationId} not found`, nonRetryable: true });
      const done = await m.getRepository(SecretaryChangeEntity).findOneBy({ id: input.changeId });
      if (done) return view(done);
      // Checked again under the lock: a concurrent change may have made this member the secretary already.
      if (org.secretaryMemberId === input.toMemberId) {
        throw ApplicationFailure.create({ type: SECRETARY_REFUSALS.SAME_SECRETARY, message: '该党员已是本组织书记', nonRetryable: true });
      }
      const users = m.getRepository(UserEntity);
      const fromUser = org.secretaryMemberId ? await users.findOneBy({ memberId: org.secretaryMemberId }) : null;
      const toUser = await users.findOneBy({ memberId: input.toMemberId });
      const change = await m.getRepository(SecretaryChangeEntity).save(
        m.getRepository(SecretaryChangeEntity).create({
          id: input.changeId,
          organizationId: org.id,
          fromMemberId: org.secretaryMemberId,
          toMemberId: input.toMemberId,
          fromUserId: fromUser?.id ?? null,
          toUserId: toUser?.id ?? null,
          changedById: input.changedById,
          comment: input.comment,
        }),
      );
      await m.update(OrganizationEntity, { id: org.id }, { secretaryMemberId: input.toMemberId });
      // The successor acts for the organisation from now on (an approver of it).
      await makeApproverOf(m, input.toMemberId, org.id);
      if (input.predecessorLeaves && fromUser && fromUser.id !== toUser?.id) {
        await m.query(`UPDATE users SET organization_ids = array_remove(organization_ids, $2::uuid), updated_at = now() WHERE id = $1`, [fromUser.id, org.id]);
      }
      return view(change);
    });
  }

  /**
   * Every open task the predecessor's account holds for the organisation (as candidate or escalation target) moves
   * to the successor's account, or back to the organisation when the successor has no active account. A task that
   * closed meanwhile is skipped. Settles the change with the number of tasks moved.
   */
  @Activity()
  async inheritSecretaryTasks(input: { changeId: string }): Promise<{ tasksMoved: number }> {
    const changes = this.ds.getRepository(SecretaryChangeEntity);
    const change = await changes.findOneByOrFail({ id: input.changeId });
    if (change.settledAt) return { tasksMoved: change.tasksMoved };

    const successor = change.toUserId ? await this.ds.getRepository(UserEntity).findOneBy({ id: change.toUserId, active: true }) : null;
    const toUserId = successor?.id ?? null;

    if (change.fromUserId && change.fromUserId !== toUserId) {
      const tasks = await this.ds
        .getRepository(TaskEntity)
        .createQueryBuilder('t')
        .where('t.status = :open', { open: 'OPEN' })
        .andWhere('t.assignee_id = :from', { from: change.fromUserId })
        .andWhere('(t.candidate_org_id = :org OR t.escalated_org_id = :org)', { org: change.organizationId })
        .orderBy('t.created_at')
        .addOrderBy('t.id')
        .getMany();
      const skipApplicant = await this.selfApprovalSkipped();
      for (const task of tasks) {
        const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: task.processId });
        // Under self-approval SKIP a task handed to its own applicant could never be decided: give it to the organisation.
        const target = toUserId && skipApplicant && process.applicantId === toUserId ? null : toUserId;
        await this.move(process.workflowId, change, task.id, target);
        heartbeat(task.id);
      }
    }

    // Counted from the timeline, where each move carries this change's reference: exact even when an earlier
    // attempt moved some tasks and died before it could say so.
    const [{ n }] = (await this.ds.query(
      `SELECT count(DISTINCT data->>'taskId')::int AS n FROM process_events WHERE data ? 'reference' AND data->>'reference' = $1 AND action = 'REASSIGNED'`,
      [secretaryChangeReference(change.id)],
    )) as Array<{ n: number }>;
    await changes.update({ id: change.id, settledAt: IsNull() }, { settledAt: new Date(), tasksMoved: n });
    const settled = await changes.findOneByOrFail({ id: change.id });
    return { tasksMoved: settled.tasksMoved };
  }

  /** One task through its process's transfer update; skipped when the task or process closed meanwhile. */
  private async move(workflowId: string, change: SecretaryChangeEntity, taskId: string, toUserId: string | null): Promise<void> {
    try {
      await this.temporal.client.workflow.getHandle(workflowId).executeUpdate(transferUpdate, {
        updateId: inheritUpdateId(change.id, taskId),
        args: [{ kind: 'REASSIGN', admin: true, actorId: change.changedById, actorOrgIds: [], taskId, toUserId, comment: SECRETARY_INHERIT_COMMENT, reference: secretaryChangeReference(change.id) }],
      });
    } catch (err) {
      if (closedMeanwhile(err)) {
        this.logger.log(`change ${change.id}: task ${taskId} closed meanwhile, not moved`);
        return;
      }
      throw err;
    }
  }

  private async selfApprovalSkipped(): Promise<boolean> {
    const setting = await this.ds.getRepository(SettingEntity).findOneBy({ key: 'approval' });
    return ((setting?.value as { selfApproval?: string } | null | undefined)?.selfApproval ?? 'SKIP') === 'SKIP';
  }
}

/** The reference each move of a change leaves in its timeline event. */
const secretaryChangeReference = (changeId: string): string => `secretary-change:${changeId}`;

function view(c: SecretaryChangeEntity): AppliedSecretaryChange {
  return { changeId: c.id, fromMemberId: c.fromMemberId, fromUserId: c.fromUserId, toUserId: c.toUserId };
}

/** The process refused the move because the task or the process is no longer open, or its run has completed. */
function closedMeanwhile(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    return cause instanceof ApplicationFailure && cause.type !== undefined && cause.type !== null && SKIPPABLE.has(cause.type);
  }
  // gRPC NOT_FOUND / FAILED_PRECONDITION: the run completed between reading the task and sending the update.
  const code = (err as { code?: number } | null)?.code;
  return code === 5 || code === 9;
}
