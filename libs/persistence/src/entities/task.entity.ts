import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { JsonObject } from './json';
import type { Decision, ProcessKind, TaskStatus } from '@app/domain';

/** Inbox projection of a human step, written only by activities (idempotent upserts). */
@Entity('tasks')
export class TaskEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'process_id' }) processId!: string;
  @Column({ type: 'text' }) kind!: ProcessKind;
  @Column({ type: 'text' }) step!: string;
  @Column({ type: 'text' }) title!: string;
  /** The organisation asked; null when the task asks an institution's APPLICANT users (candidateInstitutionId). */
  @Column({ type: 'uuid', name: 'candidate_org_id', nullable: true }) candidateOrgId!: string | null;
  @Column({ type: 'uuid', name: 'candidate_institution_id', nullable: true }) candidateInstitutionId!: string | null;
  @Column({ type: 'uuid', name: 'assignee_id', nullable: true }) assigneeId!: string | null;
  @Column({ type: 'timestamptz', name: 'due_at' }) dueAt!: Date;
  @Column({ type: 'text' }) status!: TaskStatus;
  @Column({ type: 'boolean', default: false }) overdue!: boolean;
  @Column({ type: 'text', nullable: true }) decision!: Decision | null;
  @Column({ type: 'uuid', name: 'decision_id', nullable: true }) decisionId!: string | null;
  @Column({ type: 'uuid', name: 'decided_by_id', nullable: true }) decidedById!: string | null;
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ type: 'jsonb', name: 'payload_summary', default: () => "'{}'" }) payloadSummary!: JsonObject;
  /** Kernel tasks: the step's mode, reminder instants, the organisation it escalated to, who added it (加签). */
  @Column({ type: 'text', nullable: true }) mode!: string | null;
  @Column({ type: 'jsonb', name: 'remind_at', default: () => "'[]'" }) remindAt!: string[];
  @Column({ type: 'uuid', name: 'escalated_org_id', nullable: true }) escalatedOrgId!: string | null;
  @Column({ type: 'uuid', name: 'added_by', nullable: true }) addedBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
