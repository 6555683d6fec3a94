import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { MemberCategory, MemberStatus } from '@app/domain';

@Entity('party_members')
export class PartyMemberEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Index() @Column({ type: 'uuid', name: 'institution_id' }) institutionId!: string;
  @Column({ type: 'text' }) category!: MemberCategory;
  @Column({ type: 'text' }) status!: MemberStatus;
  @Column({ type: 'date', name: 'birth_date', nullable: true }) birthDate!: string | null;
  @Column({ type: 'boolean', default: false }) disabled!: boolean;
  @Column({ type: 'boolean', default: false }) dementia!: boolean;
  /** The party organisation that holds this member's relation (组织关系), when known. */
  @Column({ type: 'uuid', name: 'relation_org_id', nullable: true }) relationOrgId!: string | null;
  /** The day the member started working at (or moved into) the institution: R11 counts 90 days from it. */
  @Column({ type: 'date', name: 'joined_at', nullable: true }) joinedAt!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
