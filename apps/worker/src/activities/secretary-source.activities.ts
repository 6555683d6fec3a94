import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  refusedAdmission,
  secretarySourceSubject,
  type Admission,
  type AdmissionRequest,
  type SecretarySourceActivities,
  type SecretarySourceCheck,
  type SecretarySourcePayload,
  type SecretarySourceResult,
} from '@app/contracts';
import { daysBetween, evaluateSecretarySourceSwitch, evaluateTerm, maxDate, toCalendarDate, type Finding, type OrganisationSoundnessFacts, type PartyOrgKind } from '@app/domain';
import { InstitutionEntity, loadInstitutionFacts, OrganizationEntity, ProcessEntity, SecretaryChangeEntity, SettingsService, TimelineWriter, UserEntity, setActor } from '@app/persistence';
import { Activity } from './activity.decorator';
import { activityEventKey } from './activity-support';

/**
 * secretary-source 调整党组织负责人产生方式 (R10): the admission (the institution asks; the organisation must be sound),
 * the check at every (re)submission, and the change itself.
 */
@Injectable()
export class SecretarySourceActivitiesService implements SecretarySourceActivities {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly timeline: TimelineWriter,
  ) {}

  /** The institution's APPLICANT users (or an ADMIN) ask; one open request per institution. */
  @Activity()
  async admitSecretarySource(req: AdmissionRequest): Promise<Admission> {
    const payload = req.payload as SecretarySourcePayload;
    const subjectKey = secretarySourceSubject(payload.institutionId);
    const inst = await this.ds.getRepository(InstitutionEntity).findOneBy({ id: payload.institutionId });
    if (!inst) return refusedAdmission([{ field: 'institutionId', message: '机构不存在' }], subjectKey);
    const a = await this.assess(inst, payload);
    const current = inst.secretarySource ?? 'PUBLIC_BUILDER';
    return {
      fieldErrors: [],
      conflict: current === payload.source ? '党组织负责人已是该产生方式，无需调整' : null,
      allowed: a.allowed,
      findings: a.findings,
      institutionId: inst.id,
      applicantInstitutionIds: [inst.id],
      applicantUserIds: [],
      subjectKey,
      workflowInput: {},
    };
  }

  @Activity()
  async checkSecretarySource(processId: string): Promise<SecretarySourceCheck> {
    const process = await this.ds.getRepository(ProcessEntity).findOneByOrFail({ id: processId });
    const payload = process.payload as unknown as SecretarySourcePayload;
    const inst = await this.ds.getRepository(InstitutionEntity).findOneByOrFail({ id: payload.institutionId });
    const a = await this.assess(inst, payload);
    await this.timeline.append(this.ds.manager, {
      eventKey: activityEventKey('rules-checked'),
      processId,
      step: 'check',
      action: a.allowed ? 'RULES_PASSED' : 'RULES_FAILED',
      data: { findings: a.findings, approverOrgId: a.approverOrgId, soundness: { ...a.soundness } },
    });
    return { allowed: a.allowed, findings: a.findings, approverOrgId: a.approverOrgId };
  }

  @Activity()
  async applySecretarySource(input: { processId: string; actorId: string }): Promise<SecretarySourceResult> {
    return this.ds.transaction(async (m) => {
      const process = await m.getRepository(ProcessEntity).findOneByOrFail({ id: input.processId });
      const payload = process.payload as unknown as SecretarySourcePayload;
      const inst = await m.getRepository(InstitutionEntity).findOneByOrFail({ id: payload.institutionId });
      const actor = await m.getRepository(UserEntity).findOneBy({ id: input.actorId });
      await setActor(m, { id: actor?.id ?? null, name: actor?.displayName ?? '系统' }, `secretary-source:${process.id}`);
      // A retry finds the change made: the result still names where it came from (the timeline keeps the first).
      const recorded = await m.query(`SELECT data FROM process_events WHERE event_key = $1`, [`secretary-source-changed:${process.id}`]);
      const from = (recorded[0]?.data?.from as string | undefined) ?? inst.secretarySource ?? 'PUBLIC_BUILDER';
      await m.update(InstitutionEntity, { id: inst.id }, { secretarySource: payload.source });
      const result: SecretarySourceResult = { institutionId: inst.id, from, to: payload.source };
      await this.timeline.append(m, { eventKey: `secretary-source-changed:${process.id}`, processId: process.id, step: 'apply', actorId: input.actorId, action: 'SECRETARY_SOURCE_CHANGED', data: { ...result } });
      return result;
    });
  }

  private async assess(inst: InstitutionEntity, payload: SecretarySourcePayload): Promise<{ allowed: boolean; findings: Finding[]; approverOrgId: string | null; soundness: OrganisationSoundnessFacts }> {
    const settings = await this.settings.policy();
    const today = toCalendarDate(new Date());
    const m = this.ds.manager;
    const org = inst.partyOrganizationId ? await m.getRepository(OrganizationEntity).findOneBy({ id: inst.partyOrganizationId }) : null;
    let secretaryVacantDays = 0;
    if (org && !org.secretaryMemberId) {
      const last = await m.getRepository(SecretaryChangeEntity).findOne({ where: { organizationId: org.id }, order: { createdAt: 'DESC' } });
      secretaryVacantDays = Math.max(0, daysBetween(last ? maxDate(toCalendarDate(last.createdAt), toCalendarDate(org.createdAt)) : toCalendarDate(org.createdAt), today));
    }
    const soundness: OrganisationSoundnessFacts = {
      hasOrganisation: org !== null,
      termStatus: org ? evaluateTerm({ kind: org.kind as PartyOrgKind, termStart: org.termStart, termEnd: org.termEnd }, today, settings).status : null,
      secretaryVacantDays,
      // Branch meetings are not recorded in the registry yet: not checked (the predicate skips an unknown rate).
      meetingCompliancePercent: null,
      openDisciplineCases: 0,
    };
    const verdict = evaluateSecretarySourceSwitch({ institution: await loadInstitutionFacts(m, inst), targetSource: payload.source, soundness }, settings);
    return { allowed: verdict.allowed && verdict.approverOrgId !== null, findings: verdict.findings, approverOrgId: verdict.approverOrgId, soundness };
  }
}
