import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * 报到: an elderly member registered with the institution's organisation without moving their relation (R12/R13).
 * Once per member and organisation; append-only (a trigger refuses UPDATE and DELETE).
 */
@Entity('member_reports')
export class MemberReportEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'uuid', name: 'organization_id' }) organizationId!: string;
  @Column({ type: 'uuid', name: 'institution_id' }) institutionId!: string;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  /** The day of the reporting (Asia/Shanghai). */
  @Column({ type: 'date', name: 'reported_on' }) reportedOn!: string;
  /** Who recorded it: an applicant, an admin, or the system account (a new elderly branch records its members). */
  @Column({ type: 'uuid', name: 'recorded_by_id' }) recordedById!: string;
  /** The process that recorded it (an establish-branch of an elderly branch), if any. */
  @Column({ type: 'uuid', name: 'process_id', nullable: true }) processId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
