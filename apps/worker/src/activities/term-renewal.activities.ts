import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource, EntityManager } from 'typeorm';
import {
  electionPlanData,
  electionResultData,
  refusedAdmission,
  termRenewalSubject,
  type Admission,
  type AdmissionRequest,
  type ElectionPlanData,
  type ElectionRecorded,
  type ElectionResultData,
  type TermRenewalActivities,
  type TermRenewalCheck,
  type TermRenewalPayload,
} from '@app/contracts';
import { evaluateElection, evaluateElectionPlan, evaluateTerm, leadershipStructure, PARTY_ORG_KINDS, termEnd, type PartyOrgKind, type PolicySettings } from '@app/domain';
import { OrganizationEntity, ProcessEntity, SettingsService, TimelineWriter, type JsonObject } from '@app/persistence';
import { Activity } from './activity.decorator';
import { ActivitySupport, activityEventKey, shanghaiDate } from './activity-support';
import { makeApproverOf } from './organization-membership';

type FieldError = { field: string; message: string };

/** Who belongs to a party organisation, for the election's counts: its institution's staff (elderly for an elderly branch), a joint organisation's units' staff, and anyone whose relation it holds. */
export async function organisationMembers(m: EntityManager, org: OrganizationEntity): Promise<Array<{ id: string; status: string }>> {
  return m.query(
    `SELECT DISTINCT pm.id, pm.status FROM party_members pm
      WHERE pm.relation_org_id = $1
         OR (pm.institution_id = $2 AND pm.category = $3)
         OR ($4 AND pm.category = 'STAFF' AND pm.institution_id IN (SELECT i.id FROM institutions i WHERE i.party_organization_id = $1))`,
    [org.id, org.institutionId, org.kind === 'ELDERLY_BRANCH' ? 'ELDERLY' : 'STAFF', org.kind === 'JOINT'],
  );
}

/** The institutions a party organisation belongs to (a joint organisation's units). */
async function institutionsOf(m: EntityManager, org: OrganizationEntity): Promise<string[]> {
  if (org.institutionId) return [org.institutionId];
  const rows: Array<{ id: string }> = await m.query(`SELECT id FROM institutions WHERE party_organization_id = $1 ORDER BY created_at, id`, [org.id]);
  return rows.map((r) => r.id);
}

const ruled = (message: string): string => `R4：${message}`;

/**
 * term-renewal 换届选举 (R4): who may open one, the check at its start, the election rules on the plan and on the
 * result (the policy library's, R4 in every reason), and the record of the new committee or secretary and term.
 */
@Injectable()
export class TermRenewalActivitiesService implements TermRenewalActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly timeline: TimelineWriter,
    private readonly support: ActivitySupport,
  ) {}

  /** The organisation's institution's APPLICANT users, its own approvers (the secretary) and ADMIN may open it. */
  @Activity()
  async admitTermRenewal(req: AdmissionRequest): Promise<Admission> {
    const payload = req.payload as TermRenewalPayload;
    const subjectKey = termRenewalSubject(payload.partyOrganizationId);
    const org = await this.ds.getRepository(OrganizationEntity).findOneBy({ id: payload.partyOrganizationId });
    if (!org) return refusedAdmission([{ field: 'partyOrganizationId', message: '党组织不存在' }], subjectKey);
    const fieldErrors: FieldError[] = [];
    if (!(PARTY_ORG_KINDS as readonly string[]).includes(org.kind)) {
      fieldErrors.push({ field: 'partyOrganizationId', message: '只有党支部、党总支、基层党委、联合党组织和老年人党支部按期换届' });
    } else if (!org.parentId) {
      fieldErrors.push({ field: 'partyOrganizationId', message: '该党组织没有登记上级党组织，无法报批换届' });
    }
    const institutions = await institutionsOf(this.ds.manager, org);
    if (payload.institutionId !== undefined && !institutions.includes(payload.institutionId)) fieldErrors.push({ field: 'institutionId', message: '该党组织不属于此机构' });
    if (fieldErrors.length) return refusedAdmission(fieldErrors, subjectKey);
    const settings = await this.settings.policy();
    const term = evaluateTerm({ kind: org.kind as PartyOrgKind, termStart: org.termStart, termEnd: org.termEnd, postponedUntil: org.postponedUntil }, shanghaiDate(new Date()), settings);
    const approvers = await this.support.approversOf(this.ds.manager, org.id);
    return {
      fieldErrors: [],
      conflict: null,
      allowed: true,
      findings: term.findings,
      institutionId: institutions[0] ?? null,
      applicantInstitutionIds: institutions,
      applicantUserIds: approvers.map((u) => u.id),
      subjectKey,
      workflowInput: {},
    };
  }

  @Activity()
  async checkTermRenewal(processId: string): Promise<TermRenewalCheck> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
    const payload = process.payload as unknown as TermRenewalPayload;
    const org = await this.ds.getRepository(OrganizationEntity).findOneBy({ id: payload.partyOrganizationId });
    const settings = await this.settings.policy();
    const findings = org ? evaluateTerm({ kind: org.kind as PartyOrgKind, termStart: org.termStart, termEnd: org.termEnd, postponedUntil: org.postponedUntil }, shanghaiDate(new Date()), settings).findings : [];
    const allowed = org !== null && org.parentId !== null;
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('rules-checked'),
      processId,
      step: 'check',
      action: allowed ? 'RULES_PASSED' : 'RULES_FAILED',
      data: { findings, organizationId: org?.id ?? null, superiorOrgId: org?.parentId ?? null, termStart: org?.termStart ?? null, termEnd: org?.termEnd ?? null },
    });
    return { allowed, findings, organizationId: payload.partyOrganizationId, superiorOrgId: org?.parentId ?? '' };
  }

  @Activity()
  async checkTermRenewalData(input: { processId: string; step: string; data: Record<string, unknown> }): Promise<FieldError[]> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
    const org = await this.ds.getRepository(OrganizationEntity).findOneByOrFail({ id: String(process.payload.partyOrganizationId) });
    const settings = await this.settings.policy();
    const members = await organisationMembers(this.ds.manager, org);
    if (input.step === 'plan') return this.checkPlan(input.data as ElectionPlanData, members, settings);
    if (input.step === 'result') {
      const plan = await this.approvedPlan(this.ds.manager, process.id);
      if (!plan) return [{ field: 'data', message: '尚无已报送的选举方案' }];
      return this.checkResult(plan, input.data as ElectionResultData, members, settings, shanghaiDate(process.createdAt)).errors;
    }
    return [];
  }

  /** The election's record, the new term, and the secretary (a new one takes office through the succession). */
  @Activity()
  async recordElection(input: { processId: string; actorId: string; plan: Record<string, unknown>; result: Record<string, unknown> }): Promise<ElectionRecorded> {
    const plan = electionPlanData.parse(input.plan);
    const result = electionResultData.parse(input.result);
    const settings = await this.settings.policy();
    return this.ds.transaction(async (m) => {
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const org = await m
        .getRepository(OrganizationEntity)
        .createQueryBuilder('o')
        .setLock('pessimistic_write')
        .where('o.id = :id', { id: String(process.payload.partyOrganizationId) })
        .getOneOrFail();
      const done: Array<Record<string, any>> = await m.query(`SELECT to_char(term_start, 'YYYY-MM-DD') AS term_start, to_char(term_end, 'YYYY-MM-DD') AS term_end, elected_member_ids, secretary_member_id, previous_secretary_member_id FROM elections WHERE process_id = $1`, [process.id]);
      if (done[0]) {
        const e = done[0];
        return {
          organizationId: org.id,
          termStart: e.term_start,
          termEnd: e.term_end,
          electedMemberIds: e.elected_member_ids,
          secretaryMemberId: e.secretary_member_id,
          previousSecretaryMemberId: e.previous_secretary_member_id,
        };
      }
      const members = await organisationMembers(m, org);
      const checked = this.checkResult(plan, result, members, settings, shanghaiDate(process.createdAt));
      if (checked.errors.length) {
        // The API checked the same data before the decision; a registry change meanwhile is not the workflow's to retry.
        throw ApplicationFailure.create({ type: 'ElectionInvalid', message: checked.errors.map((e) => e.message).join('；'), nonRetryable: true });
      }
      const start = result.electionDate;
      const end = termEnd(start, org.kind as PartyOrgKind, settings);
      const structure = leadershipStructure(members.filter((x) => x.status === 'FULL').length, settings).kind;
      await m.query(
        `INSERT INTO elections (process_id, organization_id, election_date, structure, seats, due_to_attend, excluded_from_count, present, votes, elected_member_ids,
                                secretary_member_id, deputy_member_id, previous_secretary_member_id, term_start, term_end, recorded_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          process.id, org.id, start, structure, plan.seats, result.dueToAttend, result.excludedFromCount ?? 0, result.present, JSON.stringify(result.votes), checked.elected,
          result.secretaryMemberId, result.deputyMemberId ?? null, org.secretaryMemberId, start, end, input.actorId,
        ],
      );
      // The new term; the secretary changes through the succession (the workflow starts it), a re-elected one stays.
      await m.update(OrganizationEntity, { id: org.id }, { termStart: start, termEnd: end, postponedUntil: null });
      if (org.secretaryMemberId === result.secretaryMemberId) await makeApproverOf(m, result.secretaryMemberId, org.id);
      const recorded: ElectionRecorded = {
        organizationId: org.id,
        termStart: start,
        termEnd: end,
        electedMemberIds: checked.elected,
        secretaryMemberId: result.secretaryMemberId,
        previousSecretaryMemberId: org.secretaryMemberId,
      };
      await this.timeline.append(m, {
        eventKey: `election-recorded:${process.id}`,
        processId: process.id,
        step: 'record',
        actorId: input.actorId,
        action: 'ELECTION_RECORDED',
        data: { ...recorded, structure, seats: plan.seats, deputyMemberId: result.deputyMemberId ?? null, findings: checked.findings } as unknown as JsonObject,
      });
      return recorded;
    });
  }

  private checkPlan(plan: ElectionPlanData, members: Array<{ id: string; status: string }>, settings: PolicySettings): FieldError[] {
    const errors: FieldError[] = [];
    const full = new Set(members.filter((x) => x.status === 'FULL').map((x) => x.id));
    const strangers = plan.candidateMemberIds.filter((id) => !full.has(id));
    if (strangers.length) errors.push({ field: 'data.candidateMemberIds', message: '候选人必须是本组织的正式党员' });
    const verdict = evaluateElectionPlan({ fullMembers: full.size, seats: plan.seats, candidates: plan.candidateMemberIds.length }, settings);
    const structure = verdict.structure;
    const seatsOk = structure.kind === 'COMMITTEE' ? plan.seats >= structure.minSize && plan.seats <= structure.maxSize : plan.seats <= 2;
    for (const f of verdict.findings) {
      if (f.severity === 'VIOLATION') errors.push({ field: seatsOk ? 'data.candidateMemberIds' : 'data.seats', message: ruled(f.message) });
    }
    return errors;
  }

  private checkResult(
    plan: ElectionPlanData,
    result: ElectionResultData,
    members: Array<{ id: string; status: string }>,
    settings: PolicySettings,
    requestedOn: string,
  ): { errors: FieldError[]; elected: string[]; findings: unknown[] } {
    const errors: FieldError[] = [];
    const fullMembers = members.filter((x) => x.status === 'FULL').length;
    if (result.electionDate < requestedOn) errors.push({ field: 'data.electionDate', message: '选举日期不能早于换届流程开启的日期' });
    if (result.present > result.dueToAttend) errors.push({ field: 'data.present', message: '实到会人数不能多于应到会人数' });
    if ((result.excludedFromCount ?? 0) > result.dueToAttend) errors.push({ field: 'data.excludedFromCount', message: '不计入人数不能多于应到会人数' });
    const candidates = new Set(plan.candidateMemberIds);
    const voted = result.votes.map((v) => v.memberId);
    if (voted.some((id) => !candidates.has(id)) || new Set(voted).size !== voted.length) {
      errors.push({ field: 'data.votes', message: '得票须逐一对应已批准方案中的候选人，每人一项' });
    }
    if (result.votes.some((v) => v.votes > result.present)) errors.push({ field: 'data.votes', message: '候选人得票数不能多于实到会人数' });
    if (errors.length) return { errors, elected: [], findings: [] };

    const verdict = evaluateElection(
      {
        fullMembers,
        seats: plan.seats,
        candidates: result.votes.map((v) => ({ id: v.memberId, votes: v.votes })),
        dueToAttend: result.dueToAttend,
        excludedFromCount: result.excludedFromCount ?? 0,
        present: result.present,
        secretary: { memberId: result.secretaryMemberId, fullMemberSince: result.secretaryFullMemberSince },
        date: result.electionDate,
      },
      settings,
    );
    for (const f of verdict.findings.filter((x) => x.severity === 'VIOLATION')) {
      const field = !verdict.quorum ? 'data.present' : f.message.includes('党龄') ? 'data.secretaryFullMemberSince' : 'data.votes';
      errors.push({ field, message: ruled(f.message) });
    }
    if (verdict.valid) {
      const structure = leadershipStructure(fullMembers, settings);
      const needed = structure.kind === 'COMMITTEE' ? structure.minSize : 1;
      if (verdict.elected.length < needed) {
        errors.push({ field: 'data.votes', message: ruled(`得票超过实到会人数半数的当选人 ${verdict.elected.length} 名，不足 ${needed} 名，须另行选举后再登记。`) });
      }
      if (!verdict.elected.includes(result.secretaryMemberId)) {
        errors.push({ field: 'data.secretaryMemberId', message: ruled('书记须从当选人中产生（得票超过实到会人数半数方能当选）。') });
      }
      if (result.deputyMemberId && (!verdict.elected.includes(result.deputyMemberId) || result.deputyMemberId === result.secretaryMemberId)) {
        errors.push({ field: 'data.deputyMemberId', message: ruled('副书记须从当选人中产生，且不能与书记为同一人。') });
      }
    }
    return { errors, elected: verdict.elected, findings: verdict.findings };
  }

  /** The plan of the process's latest approved plan step (the organisation's submission). */
  private async approvedPlan(m: EntityManager, processId: string): Promise<ElectionPlanData | null> {
    const rows: Array<{ data: Record<string, unknown> }> = await m.query(
      `SELECT data FROM process_events WHERE process_id = $1 AND step = 'plan' AND action = 'APPROVE' ORDER BY id DESC LIMIT 1`,
      [processId],
    );
    const parsed = rows[0] ? electionPlanData.safeParse(Object.fromEntries(Object.entries(rows[0].data).filter(([k]) => k in electionPlanData.shape))) : null;
    return parsed?.success ? parsed.data : null;
  }
}
