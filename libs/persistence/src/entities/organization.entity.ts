import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { JointMode, OrganizationKind } from '@app/domain';

/** A managing body or a party organisation created by a process. `parentId` is where escalation goes. */
@Entity('organizations')
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: OrganizationKind;
  @Index() @Column({ type: 'uuid', name: 'parent_id', nullable: true }) parentId!: string | null;
  /** For institution party organisations: the institution (joint organisations link several through institutions). */
  @Column({ type: 'uuid', name: 'institution_id', nullable: true }) institutionId!: string | null;
  @Column({ type: 'date', name: 'term_start', nullable: true }) termStart!: string | null;
  @Column({ type: 'date', name: 'term_end', nullable: true }) termEnd!: string | null;
  /** An approved reschedule of the renewal (延期 or 提前, at most 1 calendar year): the deadline instead of the term end. */
  @Column({ type: 'date', name: 'postponed_until', nullable: true }) postponedUntil!: string | null;
  @Column({ type: 'uuid', name: 'secretary_member_id', nullable: true }) secretaryMemberId!: string | null;
  @Column({ type: 'uuid', name: 'created_by_process_id', nullable: true, unique: true }) createdByProcessId!: string | null;
  /** JOINT only: 同业共建 or 挂靠组建 (null for joint organisations recorded before the mode was kept: read as CO_BUILD). */
  @Column({ type: 'text', name: 'joint_mode', nullable: true }) jointMode!: JointMode | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
