import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { DataSource, EntityManager } from 'typeorm';
import {
  TERM_WATCH_WORKFLOW,
  termChangedSignal,
  termRenewalSubject,
  termWatchWorkflowId,
  type TermWatchActivities,
  type TermWatchInput,
  type WatchedTerm,
} from '@app/contracts';
import { addDays, PARTY_ORG_KINDS, startOfShanghaiDay, termMilestones } from '@app/domain';
import { NotificationService, type NotificationRequest, type TemplateName } from '@app/notifications';
import { OrganizationEntity, SettingsService, type UserEntity } from '@app/persistence';
import { TemporalClientService } from '@app/temporal';
import { Activity } from './activity.decorator';
import { ActivitySupport } from './activity-support';
import { ProcessLauncher } from './process-launcher.service';

/** The launcher key of the renewal a watch opens for one term. */
export const termRenewalKey = (organizationId: string, termEnd: string): string => `term-watch:${organizationId}:${termEnd}`;

/**
 * Starts an organisation's term watch, or tells the running one its term changed (signal-with-start): called where
 * organisations are created and where their term starts (the founding election). Safe to repeat.
 */
@Injectable()
export class TermWatchStarter {
  private readonly logger = new Logger('TermWatch');

  constructor(private readonly temporal: TemporalClientService) {}

  async termChanged(organizationId: string): Promise<void> {
    await this.temporal.client.workflow.signalWithStart(TERM_WATCH_WORKFLOW, {
      workflowId: termWatchWorkflowId(organizationId),
      taskQueue: this.temporal.taskQueue,
      args: [{ organizationId } satisfies TermWatchInput],
      signal: termChangedSignal,
      signalArgs: [],
    });
  }

  /** Starts the watch unless one runs already; true when this call started it. */
  async ensure(organizationId: string): Promise<boolean> {
    try {
      await this.temporal.client.workflow.start(TERM_WATCH_WORKFLOW, {
        workflowId: termWatchWorkflowId(organizationId),
        taskQueue: this.temporal.taskQueue,
        args: [{ organizationId } satisfies TermWatchInput],
      });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  /** The back-fill: a watch for every party organisation that has none (idempotent; a few at a time). */
  async backfill(ds: DataSource, concurrency = 8): Promise<{ organizations: number; started: number }> {
    const rows: Array<{ id: string }> = await ds.query(`SELECT id FROM organizations WHERE kind = ANY($1::text[]) ORDER BY created_at, id`, [[...PARTY_ORG_KINDS]]);
    let started = 0;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < rows.length) {
        const id = rows[next++]!.id;
        if (await this.ensure(id)) started++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
    if (started > 0) this.logger.log(`term watch back-fill: started ${started} of ${rows.length}`);
    return { organizations: rows.length, started };
  }
}

/**
 * The term watch's effects (workflows/term-watch.workflow.ts). Each is recorded once per organisation and term in
 * `term_events` (its unique key), and its emails are staged in the same transaction with dedupe keys from it.
 */
@Injectable()
export class TermWatchActivitiesService implements TermWatchActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly support: ActivitySupport,
    private readonly notifications: NotificationService,
    private readonly launcher: ProcessLauncher,
  ) {}

  @Activity()
  async loadWatchedTerm(input: { organizationId: string }): Promise<WatchedTerm> {
    const org = await this.ds.getRepository(OrganizationEntity).findOneBy({ id: input.organizationId });
    if (!org) return { exists: false, termStart: null, termEnd: null, reminderAt: null, renewalAt: null, overdueAt: null };
    if (!org.termEnd) return { exists: true, termStart: org.termStart, termEnd: null, reminderAt: null, renewalAt: null, overdueAt: null };
    const m = termMilestones(org.termEnd, await this.settings.policy(), { postponedUntil: org.postponedUntil });
    return {
      exists: true,
      termStart: org.termStart,
      termEnd: org.termEnd,
      reminderAt: startOfShanghaiDay(m.reminderOn).getTime(),
      renewalAt: startOfShanghaiDay(m.requestDueOn).getTime(),
      // OVERDUE after the end day (termStatus): at the Beijing midnight that ends it.
      overdueAt: startOfShanghaiDay(addDays(m.endsOn, 1)).getTime(),
    };
  }

  /** 180 days before the end: the secretary (the organisation's approvers) and the responsible body are reminded. */
  @Activity()
  async remindTermRenewal(input: { organizationId: string; termEnd: string }): Promise<void> {
    const settings = await this.settings.policy();
    const staged = await this.ds.transaction(async (m) => {
      const org = await m.getRepository(OrganizationEntity).findOneByOrFail({ id: input.organizationId });
      if (!(await this.record(m, input, 'REMINDED', null, { recipients: [org.id, org.parentId] }))) return [];
      const requestDueOn = addDays(input.termEnd, -settings.renewalRequestDaysBefore);
      const message = `${org.name}的任期将于 ${input.termEnd} 届满，请做好换届准备；换届请示应于 ${requestDueOn} 前报送上级党组织（R4：按期进行换届）。`;
      return this.stage(m, org, input, 'remind', '【换届提醒】', message, [org.id, org.parentId]);
    });
    await this.notifications.enqueue(staged);
  }

  /** 60 days before the end: a term-renewal, once per term (a renewal opened by hand before stays the one). */
  @Activity()
  async openTermRenewal(input: { organizationId: string; termEnd: string }): Promise<{ processId: string }> {
    const org = await this.ds.getRepository(OrganizationEntity).findOneByOrFail({ id: input.organizationId });
    const unit: Array<{ id: string }> = org.institutionId
      ? [{ id: org.institutionId }]
      : await this.ds.query(`SELECT id FROM institutions WHERE party_organization_id = $1 ORDER BY created_at, id LIMIT 1`, [org.id]);
    const opened = await this.launcher.open({
      kind: 'term-renewal',
      key: termRenewalKey(org.id, input.termEnd),
      payload: { partyOrganizationId: org.id, reason: `任期将于 ${input.termEnd} 届满，系统于届满前开启换届选举` },
      institutionId: unit[0]?.id ?? null,
      subjectKey: termRenewalSubject(org.id),
    });
    await this.record(this.ds.manager, input, 'RENEWAL_OPENED', opened.processId, {});
    return { processId: opened.processId };
  }

  /**
   * Past the end with no new term: OVERDUE. Escalated once to the responsible body's parent (the responsible body and
   * the secretary are told too); /admin/overdue lists it while no new term exists.
   */
  @Activity()
  async markTermOverdue(input: { organizationId: string; termEnd: string }): Promise<void> {
    const staged = await this.ds.transaction(async (m) => {
      const org = await m.getRepository(OrganizationEntity).findOneByOrFail({ id: input.organizationId });
      const body = org.parentId ? await m.getRepository(OrganizationEntity).findOneBy({ id: org.parentId }) : null;
      const escalatedTo = body?.parentId ?? null;
      if (!(await this.record(m, input, 'OVERDUE', null, { escalatedToOrgId: escalatedTo, responsibleBodyId: body?.id ?? null }))) return [];
      const message = `${org.name}的任期已于 ${input.termEnd} 届满，未按期完成换届且无经批准的延期，现已逾期并上报督办（R4：按期进行换届；R15）。`;
      return this.stage(m, org, input, 'overdue', '【换届逾期】', message, [escalatedTo, body?.id ?? null, org.id]);
    });
    await this.notifications.enqueue(staged);
  }

  /** One term event; false when it was recorded before (nothing else to do). */
  private async record(m: EntityManager, input: { organizationId: string; termEnd: string }, kind: 'REMINDED' | 'RENEWAL_OPENED' | 'OVERDUE', processId: string | null, data: Record<string, unknown>): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO term_events (organization_id, term_end, kind, process_id, data) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT term_events_once DO NOTHING RETURNING id`,
      [input.organizationId, input.termEnd, kind, processId, JSON.stringify(data)],
    );
    return rows.length > 0;
  }

  private async stage(m: EntityManager, org: OrganizationEntity, input: { termEnd: string }, what: string, tag: string, message: string, orgIds: Array<string | null>): Promise<string[]> {
    const people = new Map<string, UserEntity>();
    for (const id of orgIds) if (id) for (const u of await this.support.approversOf(m, id)) people.set(u.id, u);
    const requests: Array<NotificationRequest<TemplateName>> = [...people.values()].map((u) => ({
      dedupeKey: `term-${what}:${org.id}:${input.termEnd}:${u.id}`,
      template: 'term-notice',
      to: u.email,
      vars: { recipientName: u.displayName, tag, organizationName: org.name, message, termEnd: input.termEnd, url: `${this.support.cfg.publicBaseUrl}/organizations/${org.id}` },
    }));
    return this.notifications.stage(m, requests);
  }
}
