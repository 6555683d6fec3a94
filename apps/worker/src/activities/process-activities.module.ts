import { Inject, Injectable, Module } from '@nestjs/common';
import {
  ESTABLISH_BRANCH_V0_ACTIVITIES,
  KERNEL_ACTIVITIES,
  PROCESS_DESCRIPTORS,
  SECRETARY_SUCCESSION_ACTIVITIES,
  TERM_WATCH_ACTIVITIES,
  type Admission,
  type AdmissionRequest,
  type ProcessDescriptor,
} from '@app/contracts';
import { NotificationsModule } from '@app/notifications';
import { TemporalClientModule } from '@app/temporal';
import { assertActivities, collectActivities, type ActivityFunction } from './activity.decorator';
import { ActivitySupport } from './activity-support';
import { ApprovalRoutingActivities } from './approval-routing.activities';
import { AnnualBudgetActivitiesService } from './annual-budget.activities';
import { ApprovalActivities } from './approval.activities';
import { EstablishBranchActivitiesService } from './establish-branch.activities';
import { JointOrganizationActivitiesService } from './joint-organization.activities';
import { ProcessLauncher } from './process-launcher.service';
import { RelationTransferActivitiesService } from './relation-transfer.activities';
import { SecretaryDispatchActivitiesService } from './secretary-dispatch.activities';
import { SecretarySourceActivitiesService } from './secretary-source.activities';
import { SecretarySuccessionActivitiesService } from './secretary-succession.activities';
import { StipendDisbursementActivitiesService } from './stipend-disbursement.activities';
import { TaskNotifier } from './task-notifier.service';
import { TermRenewalActivitiesService } from './term-renewal.activities';
import { TermWatchActivitiesService, TermWatchStarter } from './term-watch.activities';

/** The activities of each process kind, one provider per kind (its file: `<kind>.activities.ts`). */
export const PROCESS_KIND_ACTIVITIES = [
  EstablishBranchActivitiesService,
  JointOrganizationActivitiesService,
  RelationTransferActivitiesService,
  AnnualBudgetActivitiesService,
  StipendDisbursementActivitiesService,
  SecretaryDispatchActivitiesService,
  SecretarySourceActivitiesService,
  TermRenewalActivitiesService,
  // Not a process kind: the term watch of every party organisation (workflows/term-watch.workflow.ts).
  TermWatchActivitiesService,
];

const KIND_SERVICES = Symbol('PROCESS_KIND_SERVICES');

/** Everything every workflow may call, by name, and each contract's activities checked registered at start-up. */
@Injectable()
export class ActivityRegistry {
  readonly activities: Record<string, ActivityFunction>;

  constructor(approval: ApprovalActivities, routing: ApprovalRoutingActivities, succession: SecretarySuccessionActivitiesService, @Inject(KIND_SERVICES) kinds: object[]) {
    this.activities = collectActivities([approval, routing, succession, ...kinds]);
    const descriptors = Object.values(PROCESS_DESCRIPTORS);
    assertActivities(this.activities, [
      ...KERNEL_ACTIVITIES,
      ...SECRETARY_SUCCESSION_ACTIVITIES,
      ...ESTABLISH_BRANCH_V0_ACTIVITIES,
      ...TERM_WATCH_ACTIVITIES,
      ...descriptors.flatMap((d) => [...d.activities, d.admitActivity, ...Object.values(d.steps).flatMap((s) => (s.checkDataActivity ? [s.checkDataActivity] : []))]),
    ]);
  }

  /** The kind's answer to "may this request start?" (the API asks before starting, the workflow after a resubmission). */
  admit(kind: ProcessDescriptor, req: AdmissionRequest): Promise<Admission> {
    return this.call<Admission>(kind.admitActivity, req);
  }

  /** Registry checks of a decision's data that its type alone cannot make (none when the step declares none). */
  async checkDecisionData(kind: ProcessDescriptor, input: { processId: string; step: string; data: Record<string, unknown> }): Promise<Array<{ field: string; message: string }>> {
    const name = kind.steps[input.step]?.checkDataActivity;
    return name ? this.call(name, input) : [];
  }

  private call<T>(name: string, input: unknown): Promise<T> {
    return (this.activities[name] as unknown as (i: unknown) => Promise<T>)(input);
  }
}

/**
 * Every activity provider. The worker registers them with Temporal; the API uses the registry to ask a kind's
 * admission before it starts a process (the same code the workflow runs, so the two never disagree).
 */
@Module({
  imports: [NotificationsModule, TemporalClientModule],
  providers: [
    ActivitySupport,
    TaskNotifier,
    ProcessLauncher,
    TermWatchStarter,
    ApprovalActivities,
    ApprovalRoutingActivities,
    SecretarySuccessionActivitiesService,
    ...PROCESS_KIND_ACTIVITIES,
    { provide: KIND_SERVICES, useFactory: (...services: object[]) => services, inject: PROCESS_KIND_ACTIVITIES },
    ActivityRegistry,
  ],
  exports: [ActivityRegistry, ProcessLauncher, TermWatchStarter],
})
export class ProcessActivitiesModule {}
