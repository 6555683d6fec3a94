import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { OrganizationKind } from '@app/domain';

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
  @Column({ type: 'uuid', name: 'secretary_member_id', nullable: true }) secretaryMemberId!: string | null;
  @Column({ type: 'uuid', name: 'created_by_process_id', nullable: true, unique: true }) createdByProcessId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
