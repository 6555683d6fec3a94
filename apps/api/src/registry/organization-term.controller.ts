import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { TERM_WATCH_WORKFLOW, dateField, issueDetails, termChangedSignal, termRenewalSubject, termWatchWorkflowId, textField } from '@app/contracts';
import { evaluateReschedule, OPEN_PROCESS_STATUSES, PARTY_ORG_KINDS, termMilestones, termStatus, toCalendarDate, type TermStatus } from '@app/domain';
import { OrganizationEntity, SettingsService } from '@app/persistence';
import { TemporalClientService } from '@app/temporal';
import { CurrentUser, isAdmin, type AuthUser } from '../common/auth-user';
import { badRequest, conflict, fieldError, forbidden, notFound } from '../common/errors';
import { IdParam } from '../common/params';

const rescheduleBody = z.strictObject({
  /** The new renewal deadline: later (延期) or earlier (提前换届) than the term end, at most 1 calendar year either way. */
  until: dateField('until（换届期限）'),
  reason: textField('reason（理由）', 1, 500),
});

class RescheduleDto {
  until!: string;
  reason!: string;
}

export interface TermView {
  organizationId: string;
  termStart: string | null;
  termEnd: string | null;
  /** An approved reschedule's deadline (延期 or 提前换届), when there is one. */
  postponedUntil: string | null;
  /** API.md: ACTIVE, POSTPONED (a reschedule approved), RENEWAL_DUE (from 180 days before the end, or a renewal under way), OVERDUE; null before the founding election. */
  status: 'ACTIVE' | 'RENEWAL_DUE' | 'OVERDUE' | 'POSTPONED' | null;
  /** The policy library's finer phase (RENEWAL_REQUEST_DUE from 60 days before the end). */
  phase: TermStatus | null;
  milestones: { reminderOn: string; requestDueOn: string; endsOn: string } | null;
  renewalProcessId: string | null;
  /** What the term watch did for this term: REMINDED, RENEWAL_OPENED, OVERDUE (with the escalation). */
  events: Array<{ kind: string; at: string; processId: string | null; data: unknown }>;
  watchWorkflowId: string | null;
}

/** `GET /organizations/:id/term` (API.md "Records that the processes keep"): the term and its renewal. */
@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationTermController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly temporal: TemporalClientService,
  ) {}

  /**
   * 延期或提前换届 (DOMAIN.md "Terms"): a decision of the organisation's superior (its approvers) or an ADMIN, at most
   * 1 calendar year from the term end (R4; 400 naming it otherwise), once per term (409 after). The term watch's
   * timers move to the new deadline.
   */
  @Post(':id/term/reschedule')
  @HttpCode(200)
  @ApiOperation({ summary: '上级党组织批准延期或提前换届（不超过 1 年，R4）；任期监控的提醒、开启换届和逾期时间随之调整' })
  @ApiBody({ schema: { type: 'object', required: ['until', 'reason'], properties: { until: { type: 'string', format: 'date' }, reason: { type: 'string' } } } })
  async reschedule(@CurrentUser() user: AuthUser, @Param('id', new IdParam('组织')) id: string, @Body() body: unknown): Promise<TermView> {
    const org = await this.ds.getRepository(OrganizationEntity).findOneBy({ id });
    if (!org) throw notFound('组织');
    if (!isAdmin(user) && !(org.parentId !== null && user.roles.includes('APPROVER') && user.organizationIds.includes(org.parentId))) {
      throw forbidden('只有上级党组织可以批准延期或提前换届');
    }
    const parsed = rescheduleBody.safeParse(body ?? {});
    if (!parsed.success) {
      const details = issueDetails(parsed.error);
      throw badRequest(`请求参数有误：${details.map((d) => d.field).join(', ')}`, details);
    }
    const dto: RescheduleDto = parsed.data;
    if (!org.termEnd) throw fieldError('until', '该组织没有登记任期，无法延期或提前换届');
    const settings = await this.settings.policy();
    const verdict = evaluateReschedule(org.termEnd, dto.until, settings);
    if (!verdict.allowed) throw fieldError('until', `R4：${verdict.findings[0]!.message}`);
    const recorded = await this.ds.transaction(async (m) => {
      const rows: unknown[] = await m.query(
        `INSERT INTO term_events (organization_id, term_end, kind, data) VALUES ($1, $2, 'RESCHEDULED', $3)
         ON CONFLICT ON CONSTRAINT term_events_once DO NOTHING RETURNING id`,
        [org.id, org.termEnd, JSON.stringify({ until: dto.until, reason: dto.reason, decidedById: user.id, shiftDays: verdict.shiftDays })],
      );
      if (rows.length === 0) return false;
      await m.update(OrganizationEntity, { id: org.id }, { postponedUntil: dto.until });
      return true;
    });
    if (!recorded) throw conflict('本届任期已调整过换届时间');
    await this.temporal.client.workflow.signalWithStart(TERM_WATCH_WORKFLOW, {
      workflowId: termWatchWorkflowId(org.id),
      taskQueue: this.temporal.taskQueue,
      args: [{ organizationId: org.id }],
      signal: termChangedSignal,
      signalArgs: [],
    });
    return this.term(id);
  }

  @Get(':id/term')
  @ApiOperation({ summary: '党组织的任期与换届状态（R4/R15）：任期起止、状态（ACTIVE/RENEWAL_DUE/OVERDUE）、进行中的换届流程、任期监控的提醒和逾期记录' })
  async term(@Param('id', new IdParam('组织')) id: string): Promise<TermView> {
    const org = await this.ds.getRepository(OrganizationEntity).findOneBy({ id });
    if (!org) throw notFound('组织');
    const party = (PARTY_ORG_KINDS as readonly string[]).includes(org.kind);
    const open: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM processes WHERE kind = 'term-renewal' AND subject_key = $1 AND status = ANY($2::text[]) ORDER BY created_at DESC LIMIT 1`,
      [termRenewalSubject(org.id), [...OPEN_PROCESS_STATUSES]],
    );
    const renewalProcessId = open[0]?.id ?? null;
    if (!org.termEnd) {
      return { organizationId: org.id, termStart: org.termStart, termEnd: null, postponedUntil: null, status: null, phase: null, milestones: null, renewalProcessId, events: [], watchWorkflowId: party ? termWatchWorkflowId(org.id) : null };
    }
    const settings = await this.settings.policy();
    const today = toCalendarDate(new Date());
    const opts = { postponedUntil: org.postponedUntil };
    const phase = termStatus(org.termEnd, today, settings, opts);
    const events: Array<{ kind: string; at: Date; process_id: string | null; data: unknown }> = await this.ds.query(
      `SELECT kind, created_at AS at, process_id, data FROM term_events WHERE organization_id = $1 AND term_end = $2 ORDER BY created_at, id`,
      [org.id, org.termEnd],
    );
    const overdue = phase === 'OVERDUE' || events.some((e) => e.kind === 'OVERDUE');
    const status = overdue ? 'OVERDUE' : org.postponedUntil ? 'POSTPONED' : phase === 'ACTIVE' && renewalProcessId === null ? 'ACTIVE' : 'RENEWAL_DUE';
    return {
      organizationId: org.id,
      termStart: org.termStart,
      termEnd: org.termEnd,
      status,
      phase: overdue ? 'OVERDUE' : phase,
      postponedUntil: org.postponedUntil,
      milestones: termMilestones(org.termEnd, settings, opts),
      renewalProcessId,
      events: events.map((e) => ({ kind: e.kind, at: new Date(e.at).toISOString(), processId: e.process_id, data: e.data })),
      watchWorkflowId: party ? termWatchWorkflowId(org.id) : null,
    };
  }
}
