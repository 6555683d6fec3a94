import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  refusedAdmission,
  relationTransferSubject,
  type Admission,
  type AdmissionRequest,
  type RelationTransferActivities,
  type RelationTransferCheck,
  type RelationTransferPayload,
  type RelationTransferResult,
} from '@app/contracts';
import {
  evaluateRelationTransfer,
  finding,
  resolveResponsibleBody,
  transferLetterExpiresAt,
  transferLetterValidUntil,
  type Finding,
  type PolicySettings,
} from '@app/domain';
import { NotificationService } from '@app/notifications';
import {
  InstitutionEntity,
  loadInstitutionFacts,
  memberFacts,
  OrganizationEntity,
  PartyMemberEntity,
  ProcessEntity,
  setActor,
  SettingsService,
  TimelineWriter,
  UserEntity,
} from '@app/persistence';
import { Activity } from './activity.decorator';
import { ActivitySupport, activityEventKey, shanghaiDate } from './activity-support';

type FieldError = { field: string; message: string };

const LETTER_FIELDS = { fromOrganizationName: '转出党组织名称', letterNumber: '介绍信编号', letterIssuedOn: '介绍信开具日期' } as const;

/** What the rules and the registry say about a transfer request (the admission and the workflow's check share it). */
interface Assessment {
  /** The registry refuses the request as it stands (400 naming the field). */
  fieldErrors: FieldError[];
  /** Only at submission: a releasing side outside the registry needs its letter, and the letter must be valid. */
  letterErrors: FieldError[];
  allowed: boolean;
  alreadyIn: boolean;
  findings: Finding[];
  receivingOrgId: string;
  exceptionBodyId: string | null;
  letterExpiresAt: number | null;
}

/**
 * relation-transfer 组织关系转接 (R11–R13): the admission (who may ask, whether the rules allow it), the rules check the
 * workflow runs at every (re)submission, the return for a transfer letter and the move of the relation itself.
 */
@Injectable()
export class RelationTransferActivitiesService implements RelationTransferActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly timeline: TimelineWriter,
    private readonly support: ActivitySupport,
    private readonly notifications: NotificationService,
  ) {}

  /**
   * Who may start one: the member's own account, the APPLICANT users of the member's institution (the receiving
   * side), an ADMIN. One open transfer per member.
   */
  @Activity()
  async admitRelationTransfer(req: AdmissionRequest): Promise<Admission> {
    const payload = req.payload as RelationTransferPayload;
    const subjectKey = relationTransferSubject(payload.memberId);
    const member = await this.ds.getRepository(PartyMemberEntity).findOneBy({ id: payload.memberId });
    if (!member) return refusedAdmission([{ field: 'memberId', message: '党员不存在' }], subjectKey);
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: member.institutionId });
    const accounts = await this.ds.getRepository(UserEntity).find({ where: { memberId: member.id, active: true }, select: { id: true } });
    const a = await this.assess(member, inst, payload, req.actorId);
    const fieldErrors = [...a.fieldErrors, ...a.letterErrors];
    return {
      fieldErrors,
      conflict: fieldErrors.length === 0 && a.alreadyIn ? '党员的组织关系已在接收党组织，无需转接' : null,
      allowed: fieldErrors.length === 0 && a.allowed,
      findings: a.findings,
      institutionId: inst.id,
      applicantInstitutionIds: [inst.id],
      applicantUserIds: accounts.map((u) => u.id),
      subjectKey,
      workflowInput: {},
    };
  }

  /** The rules check at every (re)submission: the registry may have changed since the request was made. */
  @Activity()
  async checkRelationTransfer(processId: string): Promise<RelationTransferCheck> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
    const payload = process.payload as unknown as RelationTransferPayload;
    const member = await this.ds.getRepository(PartyMemberEntity).findOneByOrFail({ id: payload.memberId });
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: member.institutionId });
    const a = await this.assess(member, inst, payload, process.applicantId);
    const rule = member.category === 'STAFF' ? 'R11' : 'R13';
    const findings = [...a.fieldErrors.map((e) => finding(rule, 'VIOLATION', `${e.field}：${e.message}`)), ...a.findings];
    const allowed = a.fieldErrors.length === 0 && a.allowed;
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('rules-checked'),
      processId,
      step: 'check',
      action: allowed ? 'RULES_PASSED' : 'RULES_FAILED',
      data: { findings, exceptionBodyId: a.exceptionBodyId, releasingOrgId: member.relationOrgId, receivingOrgId: a.receivingOrgId },
    });
    return {
      allowed,
      findings,
      receivingOrgId: a.receivingOrgId,
      exceptionBodyId: a.exceptionBodyId,
      releasingOrgId: member.relationOrgId,
      letterExpiresAt: a.letterExpiresAt,
    };
  }

  /** The request goes back to its applicant (status RETURNED), who is told why: the letter is missing or lapsed. */
  @Activity()
  async returnForLetter(input: { processId: string; reason: 'MISSING' | 'EXPIRED' }): Promise<void> {
    const settings = await this.settings.policy();
    const mailKey = activityEventKey('letter-returned');
    const staged = await this.ds.transaction(async (m) => {
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const payload = process.payload as unknown as RelationTransferPayload;
      const comment =
        input.reason === 'EXPIRED' && payload.letterIssuedOn
          ? `转出方介绍信（${payload.letterNumber ?? ''}）有效期至 ${transferLetterValidUntil(payload.letterIssuedOn, settings)}，已过期且未在有效期内核验。请取得新的介绍信，修改介绍信编号和开具日期后重新提交；不再办理的可撤回申请。`
          : '党员的组织关系所在党组织不在系统内，须由转出方开具介绍信。请填写转出党组织名称、介绍信编号和开具日期后重新提交，并将介绍信交接收党组织核验。';
      await m.update(ProcessEntity, { id: process.id }, { status: 'RETURNED', currentStep: 'revise' });
      await this.timeline.append(m, {
        eventKey: activityEventKey(`letter-${input.reason}`),
        processId: process.id,
        step: input.reason === 'EXPIRED' ? 'letter' : 'check',
        action: input.reason === 'EXPIRED' ? 'LETTER_EXPIRED' : 'LETTER_REQUIRED',
        comment,
        data: { letterNumber: payload.letterNumber ?? null, letterIssuedOn: payload.letterIssuedOn ?? null },
      });
      const applicant = await m.getRepository(UserEntity).findOneBy({ id: process.applicantId });
      // The system's own processes (an inactive applicant) tell nobody.
      if (!applicant?.active) return [];
      return this.notifications.stage(m, [
        {
          dedupeKey: `${mailKey}:${applicant.id}`,
          template: 'returned',
          to: applicant.email,
          processId: process.id,
          vars: {
            ...(await this.support.processVars(m, process)),
            recipientName: applicant.displayName,
            decisionLabel: '退回修改',
            actorName: '系统',
            comment,
            processUrl: this.support.processUrl(process.id),
          },
        },
      ]);
    });
    await this.notifications.enqueue(staged);
  }

  /** The relation moves into the receiving organisation; the database trigger writes the member history (who, why). */
  @Activity()
  async applyRelationTransfer(input: { processId: string; actorId: string; fromOrganizationId: string | null }): Promise<RelationTransferResult> {
    return this.ds.transaction(async (m) => {
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const payload = process.payload as unknown as RelationTransferPayload;
      const actor = await m.getRepository(UserEntity).findOneBy({ id: input.actorId });
      await setActor(m, { id: actor?.id ?? null, name: actor?.displayName ?? '系统' }, `relation-transfer:${process.id}`);
      // The same value again (a retried activity) changes nothing, so the trigger records nothing twice.
      await m.update(PartyMemberEntity, { id: payload.memberId }, { relationOrgId: payload.toOrganizationId });
      const result: RelationTransferResult = {
        memberId: payload.memberId,
        fromOrganizationId: input.fromOrganizationId,
        fromOrganizationName: payload.fromOrganizationName ?? null,
        toOrganizationId: payload.toOrganizationId,
      };
      await this.timeline.append(m, { eventKey: `relation-moved:${process.id}`, processId: process.id, step: 'move', actorId: input.actorId, action: 'RELATION_MOVED', data: { ...result } });
      return result;
    });
  }

  private async assess(member: PartyMemberEntity, inst: InstitutionEntity, payload: RelationTransferPayload, actorId: string): Promise<Assessment> {
    const settings = await this.settings.policy();
    const today = shanghaiDate(new Date());
    const fieldErrors: FieldError[] = [];
    if (payload.institutionId !== undefined && payload.institutionId !== member.institutionId) fieldErrors.push({ field: 'institutionId', message: '党员不属于该机构' });
    const org = await this.ds.getRepository(OrganizationEntity).findOneBy({ id: payload.toOrganizationId });
    const ownOrg = org !== null && (org.id === inst.partyOrganizationId || (org.kind === 'ELDERLY_BRANCH' && org.institutionId === inst.id));
    if (!org) fieldErrors.push({ field: 'toOrganizationId', message: '接收党组织不存在' });
    else if (!ownOrg) fieldErrors.push({ field: 'toOrganizationId', message: '接收党组织必须是党员所在机构的党组织（机构党组织或其老年人党支部）' });
    else if (member.category === 'STAFF' && org.id !== inst.partyOrganizationId) {
      fieldErrors.push({ field: 'toOrganizationId', message: '工作人员党员的组织关系应转入机构党组织（R11），不转入老年人党支部' });
    }
    const { letterErrors, letterExpiresAt } = this.letter(member, payload, settings, today, fieldErrors);
    const none = { fieldErrors, letterErrors, allowed: false, alreadyIn: false, findings: [], receivingOrgId: payload.toOrganizationId, exceptionBodyId: null, letterExpiresAt };
    if (!org || !ownOrg) return none;

    const ownRequest = (await this.ds.getRepository(UserEntity).existsBy({ id: actorId, memberId: member.id })) || (payload.reason?.trim() ?? '') !== '';
    const exceptionReason = payload.exceptionReason?.trim() ?? '';
    const verdict = evaluateRelationTransfer(memberFacts(member), org.id, { memberRequested: ownRequest, exceptionReason }, settings, today);
    // R13 (and an R12 exception): the member's own request. Someone else submitting records it in `reason`; an
    // exempt member without an exception reason is refused by R12 whoever asks.
    const r12Refusal = verdict.exemptReasons.length > 0 && exceptionReason === '';
    if (member.category === 'ELDERLY' && !ownRequest && !r12Refusal && verdict.kind !== 'ALREADY_IN') {
      fieldErrors.push({ field: 'reason', message: '老年人党员迁移组织关系须本人自愿申请（R13）；代为提交的，请在申请理由中写明本人申请的情况' });
    }
    const findings = [...verdict.findings];
    let exceptionBodyId: string | null = null;
    if (verdict.needsResponsibleBodyApproval) {
      const body = resolveResponsibleBody(await loadInstitutionFacts(this.ds.manager, inst), settings, { elderly: org.kind === 'ELDERLY_BRANCH' });
      exceptionBodyId = body.organizationId;
      findings.push(body.finding);
      if (exceptionBodyId === null) findings.push(finding('R12', 'VIOLATION', '接收党组织的上级党组织未登记，无法审批组织关系转移的例外。'));
    }
    return {
      ...none,
      allowed: verdict.allowed && (!verdict.needsResponsibleBodyApproval || exceptionBodyId !== null),
      alreadyIn: verdict.kind === 'ALREADY_IN',
      findings,
      exceptionBodyId,
    };
  }

  /**
   * The releasing side: the organisation on record, or (no relation on record) the transfer letter, which needs its
   * sender, number and issue date, and must still be valid when the request is made.
   */
  private letter(
    member: PartyMemberEntity,
    payload: RelationTransferPayload,
    settings: PolicySettings,
    today: string,
    fieldErrors: FieldError[],
  ): { letterErrors: FieldError[]; letterExpiresAt: number | null } {
    const fields = Object.keys(LETTER_FIELDS) as Array<keyof typeof LETTER_FIELDS>;
    if (member.relationOrgId !== null) {
      for (const f of fields) {
        if (payload[f] !== undefined) fieldErrors.push({ field: f, message: '党员的组织关系所在党组织已在系统内登记，由该党组织确认转出，无需介绍信' });
      }
      return { letterErrors: [], letterExpiresAt: null };
    }
    const missing = fields.filter((f) => payload[f] === undefined);
    if (missing.length > 0 || !payload.letterIssuedOn) {
      return { letterErrors: missing.map((f) => ({ field: f, message: `党员的组织关系所在党组织不在系统内，须凭转出方介绍信办理，请填写${LETTER_FIELDS[f]}` })), letterExpiresAt: null };
    }
    if (payload.letterIssuedOn > today) fieldErrors.push({ field: 'letterIssuedOn', message: '介绍信开具日期不能晚于今天' });
    const validUntil = transferLetterValidUntil(payload.letterIssuedOn, settings);
    const letterErrors =
      today > validUntil ? [{ field: 'letterIssuedOn', message: `介绍信有效期 ${settings.transferLetterValidDays} 天，已于 ${validUntil} 过期，请取得新的介绍信` }] : [];
    return { letterErrors, letterExpiresAt: transferLetterExpiresAt(payload.letterIssuedOn, settings) };
  }
}
