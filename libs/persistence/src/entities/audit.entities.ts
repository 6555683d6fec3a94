import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One field of an audited change. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** A bearer token ended by POST /auth/logout; kept until the token would have expired anyway. */
@Entity('revoked_tokens')
export class RevokedTokenEntity {
  @PrimaryColumn('uuid') jti!: string;
  @Column({ type: 'uuid', name: 'user_id' }) userId!: string;
  @Column({ type: 'timestamptz', name: 'expires_at' }) expiresAt!: Date;
  @CreateDateColumn({ type: 'timestamptz', name: 'revoked_at' }) revokedAt!: Date;
}

/** Append-only record of a user's creation or change (written by a trigger on `users`; the hash is never copied). */
@Entity('user_audit')
export class UserAuditEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'user_id' }) userId!: string;
  @Column({ type: 'text' }) action!: 'CREATED' | 'UPDATED';
  @Column({ type: 'uuid', name: 'changed_by_id', nullable: true }) changedById!: string | null;
  @Column({ type: 'text', name: 'changed_by_name' }) changedByName!: string;
  @Column({ type: 'jsonb' }) changes!: FieldChange[];
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** Append-only record of a change of a member's status, category or relation (written by a trigger on `party_members`). */
@Entity('member_history')
export class MemberHistoryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'uuid', name: 'changed_by_id', nullable: true }) changedById!: string | null;
  @Column({ type: 'text', name: 'changed_by_name' }) changedByName!: string;
  /** What made the change: `PATCH /members`, `import`, … */
  @Column({ type: 'text' }) source!: string;
  @Column({ type: 'jsonb' }) changes!: FieldChange[];
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
