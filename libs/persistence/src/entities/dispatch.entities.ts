import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { DispatchRole, DutyWeekStatus } from '@app/domain';

/** 选派: a secretary, first secretary or instructor dispatched to an institution (R8), created by its approved process. */
@Entity('dispatches')
export class DispatchEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'process_id', unique: true }) processId!: string;
  @Column({ type: 'uuid', name: 'institution_id' }) institutionId!: string;
  @Column({ type: 'text' }) role!: DispatchRole;
  @Column({ type: 'text', name: 'person_name' }) personName!: string;
  /** The dispatched person's account: they record their duty (POST /duty-logs). */
  @Column({ type: 'uuid', name: 'person_user_id', nullable: true }) personUserId!: string | null;
  /** The body that dispatched (escalation after 2 missed weeks; its parent after 4). */
  @Column({ type: 'uuid', name: 'dispatching_org_id' }) dispatchingOrgId!: string;
  @Column({ type: 'date', name: 'from_date' }) fromDate!: string;
  @Column({ type: 'date', name: 'to_date', nullable: true }) toDate!: string | null;
  @Column({ type: 'text' }) status!: 'ACTIVE' | 'ENDED';
  @Column({ type: 'date', name: 'ended_on', nullable: true }) endedOn!: string | null;
  @Column({ type: 'text', name: 'end_reason', nullable: true }) endReason!: string | null;
  /** ISO weeks ('YYYY-Www') of approved leave: exempt. */
  @Column({ type: 'text', array: true, name: 'leave_weeks', default: () => `'{}'` }) leaveWeeks!: string[];
  /** The weekly duty loop's workflow id. */
  @Column({ type: 'text', name: 'duty_workflow_id' }) dutyWorkflowId!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** A session on site recorded by the dispatched person; counts toward R9 once the institution confirms it. */
@Entity('duty_logs')
export class DutyLogEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'dispatch_id' }) dispatchId!: string;
  @Column({ type: 'date' }) date!: string;
  @Column({ type: 'integer' }) minutes!: number;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ type: 'uuid', name: 'logged_by_id' }) loggedById!: string;
  @Column({ type: 'timestamptz', name: 'confirmed_at', nullable: true }) confirmedAt!: Date | null;
  @Column({ type: 'uuid', name: 'confirmed_by_id', nullable: true }) confirmedById!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** One ISO week's verdict, recorded once on the Monday after it. */
@Entity('duty_weeks')
export class DutyWeekEntity {
  @PrimaryColumn({ type: 'uuid', name: 'dispatch_id' }) dispatchId!: string;
  @PrimaryColumn({ type: 'text' }) week!: string;
  @Column({ type: 'date', name: 'week_start' }) weekStart!: string;
  @Column({ type: 'text' }) status!: DutyWeekStatus;
  @Column({ type: 'integer', name: 'confirmed_minutes' }) confirmedMinutes!: number;
  @Column({ type: 'integer', name: 'unconfirmed_minutes' }) unconfirmedMinutes!: number;
  @Column({ type: 'integer', name: 'consecutive_missed' }) consecutiveMissed!: number;
  /** The first missed week of the streak this week ends (escalations are keyed by it), or null. */
  @Column({ type: 'text', name: 'streak_start', nullable: true }) streakStart!: string | null;
  @Column({ type: 'timestamptz', name: 'assessed_at' }) assessedAt!: Date;
}

/** A reminder (per missed week) or escalation (per streak), made once: unique (dispatch, kind, key). */
@Entity('dispatch_alerts')
export class DispatchAlertEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'dispatch_id' }) dispatchId!: string;
  @Column({ type: 'text' }) kind!: 'REMIND_PERSON' | 'ESCALATE_DISPATCHER' | 'ESCALATE_PARENT';
  @Column({ type: 'text', name: 'alert_key' }) alertKey!: string;
  @Column({ type: 'text' }) week!: string;
  @Column({ type: 'uuid', name: 'org_id', nullable: true }) orgId!: string | null;
  @Column({ type: 'integer', name: 'consecutive_missed' }) consecutiveMissed!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
