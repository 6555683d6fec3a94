import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import {
  relationTransferSubject,
  type Admission,
  type AdmissionRequest,
  type EstablishBranchActivities,
  type EstablishBranchPayload,
  type RelationFollowUpsOpened,
  type RuleCheck,
} from '@app/contracts';
import { evaluateEstablishBranch, finding, relationFollowUps, termEnd, type MemberFacts, type PartyOrgKind } from '@app/domain';
import {
  InstitutionEntity,
  loadInstitutionFacts,
  memberFacts,
  membersTransferringIn,
  OrganizationEntity,
  PartyMemberEntity,
  ProcessEntity,
  recordMemberReport,
  SettingsService,
  SYSTEM_USER_ID,
  TaskEntity,
  TimelineWriter,
  UserEntity,
} from '@app/persistence';
import { Activity } from './activity.decorator';
import { activityEventKey, shanghaiDate } from './activity-support';
import { makeApproverOf } from './organization-membership';
import { ProcessLauncher } from './process-launcher.service';
import { TermWatchStarter } from './term-watch.activities';

/**
 * establish-branch 成立党支部: the policy's questions (R4/R7 and routing R1–R3b, asked before the process starts and
 * again on every (re)submission) and the effects (the organisation, its founding election). The kernel's effects
 * (tasks, decisions, emails) are the approval activities'.
 */
@Injectable()
export class EstablishBranchActivitiesService implements EstablishBranchActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly timeline: TimelineWriter,
    private readonly launcher: ProcessLauncher,
    private readonly termWatch: TermWatchStarter,
  ) {}

  @Activity()
  async admitEstablishBranch(req: AdmissionRequest): Promise<Admission> {
    const payload = req.payload as EstablishBranchPayload;
    const elderly = payload.elderly === true;
    const subjectKey = `${payload.institutionId}${elderly ? ':elderly' : ''}`;
    const inst = await this.ds.getRepository(InstitutionEntity).findOneBy({ id: payload.institutionId });
    const base = { institutionId: inst?.id ?? null, applicantInstitutionIds: inst ? [inst.id] : [], applicantUserIds: [], subjectKey };
    const fieldErrors: Admission['fieldErrors'] = [];
    if (!inst) fieldErrors.push({ field: 'institutionId', message: '机构不存在' });
    const rows = await this.ds.getRepository(PartyMemberEntity).findBy({ id: In(payload.memberIds) });
    const members = inst ? await this.withTransfers(inst, rows) : [];
    if (rows.length !== payload.memberIds.length) fieldErrors.push({ field: 'memberIds', message: '包含不存在的党员' });
    if (payload.secretaryMemberId && !payload.memberIds.includes(payload.secretaryMemberId)) fieldErrors.push({ field: 'secretaryMemberId', message: '书记人选必须是支部党员之一' });
    if (!inst || fieldErrors.length) return { ...base, fieldErrors, conflict: null, allowed: false, findings: [], workflowInput: {} };

    const policy = await this.settings.policy();
    const verdict = evaluateEstablishBranch(
      { institution: await loadInstitutionFacts(this.ds.manager, inst), members, elderly, secretaryMemberId: payload.secretaryMemberId ?? null, today: shanghaiDate(new Date()) },
      policy,
    );
    return {
      ...base,
      fieldErrors,
      conflict: await this.existingOrganisation(this.ds.manager, inst, elderly),
      allowed: verdict.allowed,
      findings: verdict.findings,
      workflowInput: { answerDays: policy.establishBranchAnswerDays, foundingElectionDays: policy.foundingElectionDays },
    };
  }

  /**
   * The rules check the workflow runs at every (re)submission: the verdict, who decides (R1–R3b), who designates the
   * secretary (R8) and who is copied (指导). An organisation made meanwhile refuses it too.
   */
  @Activity()
  async checkEstablishBranch(processId: string): Promise<RuleCheck> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: process.institutionId ?? '' });
    const payload = process.payload as unknown as EstablishBranchPayload;
    const elderly = payload.elderly === true;
    const members = await this.withTransfers(inst, payload.memberIds?.length ? await this.ds.getRepository(PartyMemberEntity).findBy({ id: In(payload.memberIds) }) : []);
    const verdict = evaluateEstablishBranch({ institution: await loadInstitutionFacts(this.ds.manager, inst), members, elderly, today: shanghaiDate(new Date()) }, await this.settings.policy());
    const existing = await this.existingOrganisation(this.ds.manager, inst, elderly);
    const findings = existing ? [...verdict.findings, finding(elderly ? 'R7' : 'R4', 'VIOLATION', existing)] : verdict.findings;
    const allowed = verdict.allowed && !existing;
    const responsibleBodyId = verdict.responsibleBodyId;
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('rules-checked'),
      processId,
      step: 'check',
      action: allowed ? 'RULES_PASSED' : 'RULES_FAILED',
      data: { findings, responsibleBodyId },
    });
    return {
      allowed,
      responsibleBodyId,
      findings,
      builderOrgId: !elderly && inst.type === 'PUBLIC_BUILT_PRIVATE_RUN' ? inst.publicBuilderOrgId : null,
      guidingOrgIds: inst.townshipOrgId !== responsibleBodyId ? [inst.townshipOrgId] : [],
    };
  }

  /** The secretary named in a decision is a FULL member of the branch; an election is not dated before the request. */
  @Activity()
  async checkEstablishBranchDecision(input: { processId: string; step: string; data: Record<string, unknown> }): Promise<Array<{ field: string; message: string }>> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
    const errors: Array<{ field: string; message: string }> = [];
    const secretary = input.data.secretaryMemberId;
    if (typeof secretary === 'string') {
      const memberIds = (process.payload.memberIds as string[] | undefined) ?? [];
      const member = memberIds.includes(secretary) ? await this.ds.getRepository(PartyMemberEntity).findOneBy({ id: secretary }) : null;
      if (!member || member.status !== 'FULL') errors.push({ field: 'data.secretaryMemberId', message: '书记人选必须是支部的正式党员' });
    }
    const electionDate = input.data.electionDate;
    if (typeof electionDate === 'string' && electionDate < shanghaiDate(process.createdAt)) {
      errors.push({ field: 'data.electionDate', message: '选举日期不能早于提出申请的日期' });
    }
    return errors;
  }

  /**
   * The organisation (once per process): a BRANCH (the institution now points at it) or an ELDERLY_BRANCH beside it,
   * under the responsible body. Its term starts at its founding election (`termFromElection`), or, for runs from
   * before the founding election was recorded, today. The secretary's own account acts for it.
   */
  @Activity()
  async createPartyOrganizationForProcess(input: { processId: string; parentOrgId: string; secretaryMemberId?: string | null; termFromElection?: boolean }): Promise<{ partyOrganizationId: string }> {
    const settings = await this.settings.policy();
    const created = await this.ds.transaction(async (m) => {
      const existing = await m.getRepository(OrganizationEntity).findOneBy({ createdByProcessId: input.processId });
      if (existing) return { partyOrganizationId: existing.id };
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const elderly = process.payload.elderly === true;
      const kind: PartyOrgKind = elderly ? 'ELDERLY_BRANCH' : 'BRANCH';
      const start = input.termFromElection ? null : shanghaiDate(new Date());
      const secretary = input.secretaryMemberId ?? (process.payload.secretaryMemberId as string | undefined) ?? null;
      const org = await m.getRepository(OrganizationEntity).save({
        name: String(process.payload.name),
        kind,
        parentId: input.parentOrgId,
        institutionId: process.institutionId,
        termStart: start,
        termEnd: start ? termEnd(start, kind, settings) : null,
        secretaryMemberId: secretary,
        createdByProcessId: input.processId,
      });
      if (!elderly && process.institutionId) {
        await m.update(InstitutionEntity, { id: process.institutionId }, { partyOrganizationId: org.id });
      }
      if (input.termFromElection && secretary) await makeApproverOf(m, secretary, org.id);
      await this.timeline.append(m, {
        eventKey: `org-created:${input.processId}`,
        processId: input.processId,
        step: 'create',
        action: 'ORGANIZATION_CREATED',
        data: { partyOrganizationId: org.id, kind, termStart: org.termStart, termEnd: org.termEnd, secretaryMemberId: secretary },
      });
      return { partyOrganizationId: org.id };
    });
    // Its term watch (R4/R15), also when a retry finds the organisation made; it waits for the founding election.
    await this.termWatch.ensure(created.partyOrganizationId);
    return created;
  }

  /** The founding election: the term starts on its date (DOMAIN.md "Terms"); an elected secretary takes office. */
  @Activity()
  async recordFoundingElection(input: { processId: string; organizationId: string; electionDate: string; secretaryMemberId: string | null; actorId: string }): Promise<void> {
    const settings = await this.settings.policy();
    await this.ds.transaction(async (m) => {
      const org = await m.getRepository(OrganizationEntity).findOneByOrFail({ id: input.organizationId });
      const secretary = input.secretaryMemberId ?? org.secretaryMemberId;
      await m.update(OrganizationEntity, { id: org.id }, { termStart: input.electionDate, termEnd: termEnd(input.electionDate, org.kind as PartyOrgKind, settings), secretaryMemberId: secretary });
      if (secretary) await makeApproverOf(m, secretary, org.id);
      await this.timeline.append(m, {
        eventKey: `founding-election:${input.processId}`,
        processId: input.processId,
        step: 'founding-election',
        actorId: input.actorId,
        action: 'FOUNDING_ELECTION_RECORDED',
        data: { partyOrganizationId: org.id, electionDate: input.electionDate, termEnd: termEnd(input.electionDate, org.kind as PartyOrgKind, settings), secretaryMemberId: secretary },
      });
    });
    // The term started: the watch moves to it.
    await this.termWatch.termChanged(input.organizationId);
  }

  /**
   * R11/R12 once the organisation exists (DOMAIN.md process 1): a relation-transfer for every staff member of the
   * branch whose relation is elsewhere, one per branch and member (ProcessLauncher), and a reporting record for every
   * R12-exempt member of an elderly branch. The transfers are filed under the institution with the branch's applicant
   * as theirs (who can bring a transfer letter, revise or withdraw; the system account when the applicant's account is
   * gone); the organisations decide every step: the releasing one (or the receiving one, checking the letter), then
   * the new branch, which until it has people of its own hands its tasks to its responsible body.
   */
  @Activity()
  async openRelationFollowUps(input: { processId: string; organizationId: string }): Promise<RelationFollowUpsOpened> {
    const settings = await this.settings.policy();
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
    const org = await this.ds.getRepository(OrganizationEntity).findOneByOrFail({ id: input.organizationId });
    const memberIds = (process.payload.memberIds as string[] | undefined) ?? [];
    const members = await this.ds.getRepository(PartyMemberEntity).findBy({ id: In(memberIds) });
    const today = shanghaiDate(new Date());
    const due = relationFollowUps(members.map((m) => memberFacts(m)), { id: org.id, kind: org.kind as PartyOrgKind }, settings, today);
    const applicant = await this.ds.getRepository(UserEntity).findOneBy({ id: process.applicantId, active: true });
    const transferProcessIds: string[] = [];
    for (const memberId of due.transfers) {
      const opened = await this.launcher.open({
        kind: 'relation-transfer',
        key: `establish-branch:${org.id}:${memberId}`,
        payload: { memberId, toOrganizationId: org.id },
        institutionId: process.institutionId,
        subjectKey: relationTransferSubject(memberId),
        applicantId: applicant?.id ?? SYSTEM_USER_ID,
      });
      transferProcessIds.push(opened.processId);
    }
    await this.ds.transaction(async (m) => {
      for (const memberId of due.reports) {
        await recordMemberReport(m, {
          memberId,
          organizationId: org.id,
          institutionId: process.institutionId!,
          note: '老年人党支部成立时登记报到（R12：高龄、失能、失智老年人党员一般不转移组织关系）',
          reportedOn: today,
          recordedById: SYSTEM_USER_ID,
          processId: process.id,
        });
      }
      await this.timeline.append(m, {
        eventKey: `relation-follow-ups:${process.id}`,
        processId: process.id,
        step: 'relation-follow-ups',
        action: 'RELATION_FOLLOW_UPS',
        data: { partyOrganizationId: org.id, transferProcessIds, reportedMemberIds: due.reports },
      });
    });
    return { transferProcessIds, reportedMemberIds: due.reports };
  }

  /** Version 0 runs (before the approval kernel) close their open tasks with this. */
  @Activity()
  async cancelOpenTasks(input: { processId: string; reason: string }): Promise<void> {
    await this.ds.getRepository(TaskEntity).update({ processId: input.processId, status: 'OPEN' }, { status: 'CANCELLED', comment: input.reason });
  }

  /** The members as the rules read them, each with whether a transfer into the institution's organisation is open. */
  private async withTransfers(inst: InstitutionEntity, rows: PartyMemberEntity[]): Promise<MemberFacts[]> {
    const transferring = await membersTransferringIn(this.ds.manager, inst.id);
    return rows.map((r) => memberFacts(r, transferring));
  }

  /** 409: a staff branch for an institution that already has its organisation; a second elderly branch (R7 allows one). */
  private async existingOrganisation(m: EntityManager, inst: InstitutionEntity, elderly: boolean): Promise<string | null> {
    if (elderly) {
      const branch = await m.getRepository(OrganizationEntity).findOneBy({ institutionId: inst.id, kind: 'ELDERLY_BRANCH' });
      return branch ? `该机构已有老年人党支部（${branch.name}），不能重复成立` : null;
    }
    if (!inst.partyOrganizationId) return null;
    const org = await m.getRepository(OrganizationEntity).findOneBy({ id: inst.partyOrganizationId });
    return `该机构已有党组织（${org?.name ?? inst.partyOrganizationId}），不能重复成立；老年人党支部可另行申请（R7）`;
  }
}
