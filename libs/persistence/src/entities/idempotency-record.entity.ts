import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** First answer to a request sent with an `Idempotency-Key`, returned again for a repeat. */
@Entity('idempotency_records')
export class IdempotencyRecordEntity {
  /** sha256 of user id + key. */
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'uuid', name: 'user_id' }) userId!: string;
  @Column({ type: 'text', name: 'request_fingerprint' }) requestFingerprint!: string;
  @Column({ type: 'integer', name: 'status_code', nullable: true }) statusCode!: number | null;
  @Column({ type: 'jsonb', nullable: true }) response!: unknown;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
