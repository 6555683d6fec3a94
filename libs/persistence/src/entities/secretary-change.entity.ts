import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One change of an organisation's secretary (书记换届/改选). Append-only like the timeline (a trigger refuses
 * changes to what happened); `settledAt` and `tasksMoved` are written once, when the predecessor's open tasks have
 * been handed on. The id is chosen by the API and is also the succession workflow's id.
 */
@Entity('secretary_changes')
@Index('secretary_changes_org_idx', ['organizationId', 'createdAt'])
export class SecretaryChangeEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'organization_id' }) organizationId!: string;
  @Column({ type: 'uuid', name: 'from_member_id', nullable: true }) fromMemberId!: string | null;
  @Column({ type: 'uuid', name: 'to_member_id' }) toMemberId!: string;
  @Column({ type: 'uuid', name: 'from_user_id', nullable: true }) fromUserId!: string | null;
  @Column({ type: 'uuid', name: 'to_user_id', nullable: true }) toUserId!: string | null;
  @Column({ type: 'uuid', name: 'changed_by_id' }) changedById!: string;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'settled_at', nullable: true }) settledAt!: Date | null;
  @Column({ type: 'integer', name: 'tasks_moved', default: 0 }) tasksMoved!: number;
}
