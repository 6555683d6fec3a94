import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Admission, AdmissionRequest, JointCheck, JointOrganizationActivities, JointOrganizationPayload } from '@app/contracts';
import { finding, termEnd } from '@app/domain';
import { InstitutionEntity, OrganizationEntity, SettingsService, TaskEntity, TimelineWriter } from '@app/persistence';
import { Activity } from './activity.decorator';
import { activityEventKey, shanghaiDate } from './activity-support';
import { jointPayloadOf, reviewJointRequest } from './joint-organization.review';
import { TermWatchStarter } from './term-watch.activities';

/**
 * joint-organization 组建联合党组织: the policy's questions (asked before the process starts, on every resubmission and
 * at the start of every round of the workflow), the consents a round collected, and the effect (the JOINT
 * organisation linked to every unit). The kernel's effects (tasks, decisions, emails) are the approval activities'.
 */
@Injectable()
export class JointOrganizationActivitiesService implements JointOrganizationActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly timeline: TimelineWriter,
    private readonly termWatch: TermWatchStarter,
  ) {}

  /** Filed under the initiating unit, whose APPLICANT users (or an ADMIN) may start it. */
  @Activity()
  async admitJointOrganization(req: AdmissionRequest): Promise<Admission> {
    const payload = req.payload as JointOrganizationPayload;
    const review = await reviewJointRequest(this.ds.manager, payload, req.processId ? { processId: req.processId, olderOnly: false } : null, await this.settings.policy());
    return {
      fieldErrors: review.fieldErrors,
      conflict: review.conflict,
      allowed: review.allowed,
      findings: review.findings,
      institutionId: payload.institutionId,
      applicantInstitutionIds: [payload.institutionId],
      applicantUserIds: [],
      subjectKey: payload.institutionId,
      workflowInput: {},
    };
  }

  /** The rules check of each round: the request as it stands now (a unit may have been covered meanwhile). */
  @Activity()
  async checkJointOrganization(processId: string): Promise<JointCheck> {
    const { payload } = await jointPayloadOf(this.ds.manager, processId);
    const review = await reviewJointRequest(this.ds.manager, payload, { processId, olderOnly: true }, await this.settings.policy());
    const refusals = [...review.fieldErrors.map((e) => e.message), ...(review.conflict ? [review.conflict] : [])];
    const findings = [...refusals.map((msg) => finding('R5', 'VIOLATION', msg)), ...review.findings];
    const allowed = review.allowed && refusals.length === 0 && review.routing !== null;
    const responsibleBodyId = review.routing?.organizationId ?? '';
    const ccOrgIds = review.routing?.ccOrgIds ?? [];
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('rules-checked'),
      processId,
      step: 'check',
      action: allowed ? 'RULES_PASSED' : 'RULES_FAILED',
      data: { findings, responsibleBodyId, ccOrgIds, basis: review.routing?.basis ?? null },
    });
    return { allowed, findings, initiatorId: payload.institutionId, unitIds: payload.institutionIds, responsibleBodyId, ccOrgIds };
  }

  /**
   * The units among `unitIds` whose own applicants approved a consent task of the current round (the tasks opened
   * since the last resubmission). A township that stood in for a unit without applicants is not counted: that unit
   * is asked again in the next round.
   */
  @Activity()
  async jointConsentsGiven(input: { processId: string; unitIds: string[] }): Promise<string[]> {
    const rows: Array<{ unit: string }> = await this.ds.query(
      `SELECT DISTINCT t.candidate_institution_id AS unit
         FROM process_events e JOIN tasks t ON t.id = (e.data->>'taskId')::uuid
        WHERE e.process_id = $1 AND e.action = 'TASK_OPENED' AND e.step = 'consent'
          AND e.id > COALESCE((SELECT max(r.id) FROM process_events r WHERE r.process_id = $1 AND r.action = 'RESUBMITTED'), 0)
          AND t.decision = 'APPROVE' AND t.candidate_institution_id = ANY($2::uuid[])`,
      [input.processId, input.unitIds],
    );
    return input.unitIds.filter((id) => rows.some((r) => r.unit === id));
  }

  /**
   * Once per process: the JOINT organisation under the responsible body, its 3-year term from the date of the
   * approval, and every unit pointing at it. A unit that got an organisation of its own meanwhile is never repointed
   * (the timeline names it).
   */
  @Activity()
  async createJointOrganization(input: { processId: string; parentOrgId: string; decisionId: string }): Promise<{ partyOrganizationId: string }> {
    const settings = await this.settings.policy();
    const created = await this.ds.transaction(async (m) => {
      const existing = await m.getRepository(OrganizationEntity).findOneBy({ createdByProcessId: input.processId });
      if (existing) return { partyOrganizationId: existing.id };
      const { payload } = await jointPayloadOf(m, input.processId);
      const approval = await m.getRepository(TaskEntity).findOneBy({ decisionId: input.decisionId });
      const start = shanghaiDate(approval?.decidedAt ?? new Date());
      const org = await m.getRepository(OrganizationEntity).save({
        name: payload.name,
        kind: 'JOINT',
        parentId: input.parentOrgId,
        institutionId: null,
        termStart: start,
        termEnd: termEnd(start, 'JOINT', settings),
        secretaryMemberId: null,
        createdByProcessId: input.processId,
        jointMode: payload.mode,
      });
      const linked = await m
        .createQueryBuilder()
        .update(InstitutionEntity)
        .set({ partyOrganizationId: org.id })
        .where('id IN (:...ids) AND party_organization_id IS NULL', { ids: payload.institutionIds })
        .returning('id')
        .execute();
      const linkedIds = payload.institutionIds.filter((id) => (linked.raw as Array<{ id: string }>).some((r) => r.id === id));
      await this.timeline.append(m, {
        eventKey: `org-created:${input.processId}`,
        processId: input.processId,
        step: 'create',
        action: 'ORGANIZATION_CREATED',
        data: {
          partyOrganizationId: org.id,
          kind: 'JOINT',
          jointMode: payload.mode,
          termStart: org.termStart,
          termEnd: org.termEnd,
          institutionIds: linkedIds,
          skippedInstitutionIds: payload.institutionIds.filter((id) => !linkedIds.includes(id)),
        },
      });
      return { partyOrganizationId: org.id };
    });
    // Its term watch (R4/R15), also when a retry finds the organisation made.
    await this.termWatch.ensure(created.partyOrganizationId);
    return created;
  }
}
