import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { JsonObject } from './json';
import type { Finding, ProcessKind, ProcessStatus } from '@app/domain';

/** The database view of one process; its workflow is the source of truth for what happens next. */
@Entity('processes')
export class ProcessEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'text' }) kind!: ProcessKind;
  @Column({ type: 'text' }) status!: ProcessStatus;
  @Column({ type: 'text', name: 'workflow_id', unique: true }) workflowId!: string;
  @Column({ type: 'uuid', name: 'institution_id', nullable: true }) institutionId!: string | null;
  @Column({ type: 'uuid', name: 'applicant_id' }) applicantId!: string;
  /** What the process is about (its kind's admission names it): one open process per kind and subject. */
  @Column({ type: 'text', name: 'subject_key' }) subjectKey!: string;
  @Column({ type: 'text', name: 'current_step' }) currentStep!: string;
  @Column({ type: 'jsonb' }) payload!: JsonObject;
  @Column({ type: 'jsonb', nullable: true }) result!: JsonObject | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) findings!: Finding[];
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt!: Date | null;
}
