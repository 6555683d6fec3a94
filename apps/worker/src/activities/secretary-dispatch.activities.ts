import { Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  refusedAdmission,
  secretaryDispatchSubject,
  type Admission,
  type AdmissionRequest,
  type DutyWeekOutcome,
  type SecretaryDispatchActivities,
  type SecretaryDispatchCheck,
  type SecretaryDispatchPayload,
  type SecretaryDispatchResult,
} from '@app/contracts';
import {
  assessDutyWeek,
  dispatchRoleZh,
  evaluateDispatchRole,
  finding,
  isoWeekStart,
  resolveResponsibleBody,
  type DispatchRole,
  type Finding,
} from '@app/domain';
import { NotificationService, type NotificationRequest, type TemplateName } from '@app/notifications';
import {
  DispatchEntity,
  DutyLogEntity,
  InstitutionEntity,
  loadInstitutionFacts,
  OrganizationEntity,
  PartyMemberEntity,
  ProcessEntity,
  SettingEntity,
  SettingsService,
  TimelineWriter,
  UserEntity,
} from '@app/persistence';
import { TemporalClientService } from '@app/temporal';
import { Activity } from './activity.decorator';
import { ActivitySupport, activityEventKey } from './activity-support';

type FieldError = { field: string; message: string };

interface Assessment {
  fieldErrors: FieldError[];
  allowed: boolean;
  findings: Finding[];
  dispatchingOrgId: string | null;
  responsibleBodyId: string | null;
}

/** The workflow id of a dispatch's weekly duty loop. */
export const dutyWorkflowIdFor = (dispatchId: string): string => `dispatch-duty/${dispatchId}`;

/**
 * secretary-dispatch 选派 (R8–R10) and its weekly duty (R9/R15): the admission (who may name whom, whether R8 allows
 * the role), the check at every (re)submission, the dispatch itself, and each week's verdict with its reminder and
 * escalations. Idempotent by unique keys: a dispatch per process, a verdict per (dispatch, week), an alert per
 * (dispatch, kind, key).
 */
@Injectable()
export class SecretaryDispatchActivitiesService implements SecretaryDispatchActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly timeline: TimelineWriter,
    private readonly support: ActivitySupport,
    private readonly notifications: NotificationService,
    private readonly temporal: TemporalClientService,
  ) {}

  /**
   * Who may name a person: an ADMIN, or an approver of the dispatching body (the public builder's organisation) or
   * of the institution's responsible body. The institution's own applicants do not dispatch. One open per role.
   */
  @Activity()
  async admitSecretaryDispatch(req: AdmissionRequest): Promise<Admission> {
    const payload = req.payload as SecretaryDispatchPayload;
    const subjectKey = secretaryDispatchSubject(payload.institutionId, payload.role);
    const inst = await this.ds.getRepository(InstitutionEntity).findOneBy({ id: payload.institutionId });
    if (!inst) return refusedAdmission([{ field: 'institutionId', message: '机构不存在' }], subjectKey);
    const a = await this.assess(inst, payload);
    const m = this.ds.manager;
    const approvers = [
      ...(a.dispatchingOrgId ? await this.support.approversOf(m, a.dispatchingOrgId) : []),
      ...(a.responsibleBodyId ? await this.support.approversOf(m, a.responsibleBodyId) : []),
    ];
    return {
      fieldErrors: a.fieldErrors,
      conflict: null,
      allowed: a.fieldErrors.length === 0 && a.allowed,
      findings: a.findings,
      institutionId: inst.id,
      applicantInstitutionIds: [],
      applicantUserIds: [...new Set(approvers.map((u) => u.id))],
      subjectKey,
      workflowInput: {},
    };
  }

  /** The rules check at every (re)submission: the registry may have changed since the request was made. */
  @Activity()
  async checkSecretaryDispatch(processId: string): Promise<SecretaryDispatchCheck> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
    const payload = process.payload as unknown as SecretaryDispatchPayload;
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: payload.institutionId });
    const a = await this.assess(inst, payload);
    const findings = [...a.fieldErrors.map((e) => finding('R8', 'VIOLATION', `${e.field}：${e.message}`)), ...a.findings];
    const allowed = a.fieldErrors.length === 0 && a.allowed;
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('rules-checked'),
      processId,
      step: 'check',
      action: allowed ? 'RULES_PASSED' : 'RULES_FAILED',
      data: { findings, dispatchingOrgId: a.dispatchingOrgId },
    });
    return { allowed, findings, dispatchingOrgId: a.dispatchingOrgId };
  }

  /** The dispatch exists, once per process (its process id is unique). */
  @Activity()
  async createDispatch(input: { processId: string; actorId: string; dispatchingOrgId: string }): Promise<SecretaryDispatchResult> {
    return this.ds.transaction(async (m) => {
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const p = process.payload as unknown as SecretaryDispatchPayload;
      const [row] = (await m.query(
        `INSERT INTO dispatches (process_id, institution_id, role, person_name, person_user_id, dispatching_org_id, from_date, to_date, duty_workflow_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '')
         ON CONFLICT (process_id) DO UPDATE SET process_id = EXCLUDED.process_id
         RETURNING id`,
        [process.id, p.institutionId, p.role, p.personName, p.personUserId ?? null, input.dispatchingOrgId, p.from, p.to ?? null],
      )) as Array<{ id: string }>;
      const dispatchId = row!.id;
      const dutyWorkflowId = dutyWorkflowIdFor(dispatchId);
      await m.update(DispatchEntity, { id: dispatchId }, { dutyWorkflowId });
      const result: SecretaryDispatchResult = {
        dispatchId,
        dutyWorkflowId,
        institutionId: p.institutionId,
        role: p.role,
        personName: p.personName,
        from: p.from,
        to: p.to ?? null,
      };
      await this.timeline.append(m, { eventKey: `dispatch-created:${process.id}`, processId: process.id, step: 'duty', actorId: input.actorId, action: 'DISPATCH_CREATED', data: { ...result } });
      return result;
    });
  }

  @Activity()
  async startDutyLoop(input: { dispatchId: string; dutyWorkflowId: string }): Promise<void> {
    try {
      await this.temporal.client.workflow.start('dispatchDutyWorkflow', {
        workflowId: input.dutyWorkflowId,
        // The caller's task queue: the process's worker runs the loop too.
        taskQueue: Context.current().info.taskQueue,
        args: [{ dispatchId: input.dispatchId }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  @Activity()
  async loadDispatch(dispatchId: string): Promise<{ status: 'ACTIVE' | 'ENDED'; from: string; to: string | null }> {
    const d = await this.ds.getRepository(DispatchEntity).findOneByOrFail({ id: dispatchId });
    return { status: d.status, from: d.fromDate, to: d.toDate };
  }

  /**
   * One ISO week's verdict (recorded once: the first assessment stands), and the alerts it calls for, each made once
   * by its unique key: a reminder to the person, escalations to the dispatching body and its parent (to their
   * approvers, by email), each on the originating process's timeline too.
   */
  @Activity()
  async assessDutyWeek(input: { dispatchId: string; week: string }): Promise<DutyWeekOutcome> {
    const settings = await this.settings.policy();
    const d = await this.ds.getRepository(DispatchEntity).findOneByOrFail({ id: input.dispatchId });
    const [inst, dispatcher, logs, calendarRow] = await Promise.all([
      this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: d.institutionId }),
      this.ds.getRepository(OrganizationEntity).findOneBy({ id: d.dispatchingOrgId }),
      this.ds.getRepository(DutyLogEntity).findBy({ dispatchId: d.id }),
      this.ds.getRepository(SettingEntity).findOneBy({ key: 'calendar' }),
    ]);
    const calendar = (calendarRow?.value ?? {}) as { holidays?: string[]; extraWorkdays?: string[] };
    const verdict = assessDutyWeek(
      {
        dispatch: {
          id: d.id,
          role: d.role,
          institutionId: d.institutionId,
          dispatchingOrgId: d.dispatchingOrgId,
          dispatchingOrgParentId: dispatcher?.parentId ?? null,
          startDate: d.fromDate,
          endDate: d.endedOn ?? d.toDate,
        },
        sessions: logs.map((l) => ({ dispatchId: l.dispatchId, date: l.date, hours: l.minutes / 60, confirmed: l.confirmedAt !== null })),
        week: input.week,
        institutionType: inst.type,
        exemptWeeks: d.leaveWeeks,
        holidays: calendar.holidays ?? [],
        extraWorkdays: calendar.extraWorkdays ?? [],
      },
      settings,
    );
    if (!verdict.week) return { status: null, consecutiveMissed: 0, alerts: [] };
    const w = verdict.week;
    const made: string[] = [];
    const staged = await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO duty_weeks (dispatch_id, week, week_start, status, confirmed_minutes, unconfirmed_minutes, consecutive_missed, streak_start)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dispatch_id, week) DO NOTHING`,
        [d.id, w.week, isoWeekStart(w.week), w.status, w.confirmedMinutes, w.unconfirmedMinutes, verdict.consecutiveMissed, verdict.streakStart],
      );
      const emails: Array<NotificationRequest<TemplateName>> = [];
      for (const alert of verdict.alerts) {
        const inserted = (await m.query(
          `INSERT INTO dispatch_alerts (dispatch_id, kind, alert_key, week, org_id, consecutive_missed)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dispatch_id, kind, alert_key) DO NOTHING RETURNING id`,
          [d.id, alert.kind, alert.key, w.week, alert.orgId, verdict.consecutiveMissed],
        )) as unknown[];
        // Already made (an earlier week of the same streak, or a retry): its emails were staged with it.
        if (inserted.length === 0) continue;
        made.push(alert.kind);
        const reminder = alert.kind === 'REMIND_PERSON';
        await this.timeline.append(m, {
          eventKey: `duty-alert:${d.id}:${alert.kind}:${alert.key}`,
          processId: d.processId,
          step: 'duty',
          action: reminder ? 'DUTY_REMINDED' : 'DUTY_ESCALATED',
          comment: reminder
            ? `${w.week} 驻点时长不足 ${settings.weeklyDutyMinHours} 小时，已提醒选派人员。`
            : `选派人员已连续 ${verdict.consecutiveMissed} 周驻点不足，已上报${alert.kind === 'ESCALATE_PARENT' ? '选派单位的上级党组织' : '选派单位'}。`,
          data: { week: w.week, kind: alert.kind, orgId: alert.orgId, consecutiveMissed: verdict.consecutiveMissed },
        });
        const people = reminder ? await this.person(m, d) : alert.orgId ? await this.support.withDeputies(m, await this.support.approversOf(m, alert.orgId)) : [];
        for (const u of people) {
          emails.push({
            dedupeKey: `duty-alert:${d.id}:${alert.kind}:${alert.key}:${u.id}`,
            template: 'duty-alert',
            to: u.email,
            processId: d.processId,
            vars: {
              recipientName: u.displayName,
              kind: alert.kind,
              institutionName: inst.name,
              personName: d.personName,
              roleLabel: dispatchRoleZh(d.role),
              week: w.week,
              consecutiveMissed: verdict.consecutiveMissed,
              minHours: settings.weeklyDutyMinHours,
              dispatchUrl: `${this.support.cfg.publicBaseUrl}/dispatches/${d.id}`,
            },
          });
        }
      }
      return this.notifications.stage(m, emails);
    });
    await this.notifications.enqueue(staged);
    return { status: w.status, consecutiveMissed: verdict.consecutiveMissed, alerts: made };
  }

  /** The dispatch ends (its end date, or a decision); a second call changes nothing. */
  @Activity()
  async endDispatch(input: { dispatchId: string; endedOn: string; reason: string; actorId: string | null }): Promise<void> {
    await this.ds.transaction(async (m) => {
      const d = await m.getRepository(DispatchEntity).findOneByOrFail({ id: input.dispatchId });
      await m.query(`UPDATE dispatches SET status = 'ENDED', ended_on = $2, end_reason = $3 WHERE id = $1 AND status = 'ACTIVE'`, [d.id, input.endedOn, input.reason]);
      await this.timeline.append(m, {
        eventKey: `dispatch-ended:${d.id}`,
        processId: d.processId,
        step: 'duty',
        actorId: input.actorId,
        action: 'DISPATCH_ENDED',
        comment: input.reason,
        data: { dispatchId: d.id, endedOn: input.endedOn },
      });
    });
  }

  private async person(m: EntityManager, d: DispatchEntity): Promise<UserEntity[]> {
    if (!d.personUserId) return [];
    const u = await m.getRepository(UserEntity).findOneBy({ id: d.personUserId, active: true });
    return u ? [u] : [];
  }

  private async assess(inst: InstitutionEntity, payload: SecretaryDispatchPayload): Promise<Assessment> {
    const settings = await this.settings.policy();
    const m = this.ds.manager;
    const fieldErrors: FieldError[] = [];
    if (payload.personUserId !== undefined && !(await m.getRepository(UserEntity).existsBy({ id: payload.personUserId, active: true }))) {
      fieldErrors.push({ field: 'personUserId', message: '选派人员的账号不存在或已停用' });
    }
    const [facts, org, fullStaff, active] = await Promise.all([
      loadInstitutionFacts(m, inst),
      inst.partyOrganizationId ? m.getRepository(OrganizationEntity).findOneBy({ id: inst.partyOrganizationId }) : Promise.resolve(null),
      m.getRepository(PartyMemberEntity).countBy({ institutionId: inst.id, category: 'STAFF', status: 'FULL' }),
      m.getRepository(DispatchEntity).find({ where: { institutionId: inst.id, status: 'ACTIVE' }, select: { role: true } }),
    ]);
    const verdict = evaluateDispatchRole(
      {
        institution: facts,
        role: payload.role as DispatchRole,
        fullStaffMembers: fullStaff,
        hasOwnOrg: org !== null && org.kind !== 'JOINT' && org.kind !== 'ELDERLY_BRANCH',
        inJointOrg: org?.kind === 'JOINT',
        hasSecretary: Boolean(org?.secretaryMemberId),
        secretarySource: inst.secretarySource ?? null,
        activeDispatchRoles: active.map((r) => r.role),
      },
      settings,
    );
    const body = resolveResponsibleBody(facts, settings);
    // R8: the public builder dispatches (the township when no builder organisation is on record); elsewhere the
    // responsible body that names the person.
    const dispatchingOrgId = inst.type === 'PUBLIC_BUILT_PRIVATE_RUN' ? (facts.publicBuilderOrgId ?? facts.townshipOrgId ?? null) : body.organizationId;
    const findings = [...verdict.findings];
    if (dispatchingOrgId === null) findings.push(finding('R8', 'VIOLATION', '选派单位未登记，无法批准选派。'));
    return { fieldErrors, allowed: verdict.allowed && dispatchingOrgId !== null, findings, dispatchingOrgId, responsibleBodyId: body.organizationId };
  }
}
