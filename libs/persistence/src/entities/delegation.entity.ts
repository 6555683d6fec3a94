import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 委托: while away, a user's deputy acts on the user's tasks; the audit records both. */
@Entity('delegations')
export class DelegationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'user_id' }) userId!: string;
  @Column({ type: 'uuid', name: 'deputy_id' }) deputyId!: string;
  @Column({ type: 'date', name: 'starts_on' }) startsOn!: string;
  @Column({ type: 'date', name: 'ends_on' }) endsOn!: string;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  /**
   * The delegator's organisations it covers (each shared with the deputy when it was made); null for delegations made
   * before they named them: all the delegator's organisations the deputy shares. Either way only while both still
   * hold them as active approvers.
   */
  @Column({ type: 'uuid', array: true, name: 'organization_ids', nullable: true }) organizationIds!: string[] | null;
  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
