import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One email-action link: bound to one task and one user, expiring, single-use. Only the sha256 of the token is
 * kept, so a database leak yields no working links.
 */
@Entity('email_action_tokens')
export class EmailActionTokenEntity {
  /** sha256 (hex) of the token in the link. */
  @PrimaryColumn({ type: 'text', name: 'token_hash' }) tokenHash!: string;
  @Column({ type: 'uuid', name: 'task_id' }) taskId!: string;
  @Column({ type: 'uuid', name: 'user_id' }) userId!: string;
  @Column({ type: 'timestamptz', name: 'expires_at' }) expiresAt!: Date;
  /** Set once a decision made through the link has been accepted; a used link shows a page and changes nothing. */
  @Column({ type: 'timestamptz', name: 'used_at', nullable: true }) usedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
