import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type OutboxStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';

/** One row per notification; the id is derived from what the email is about, so a retry never makes a second. */
@Entity('email_outbox')
export class EmailOutboxEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text', name: 'dedupe_key', unique: true }) dedupeKey!: string;
  @Column({ type: 'text' }) template!: string;
  @Column({ type: 'text', name: 'to_address' }) toAddress!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ type: 'text' }) text!: string;
  @Column({ type: 'text' }) html!: string;
  @Column({ type: 'uuid', name: 'process_id', nullable: true }) processId!: string | null;
  @Column({ type: 'text' }) status!: OutboxStatus;
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ type: 'text', name: 'last_error', nullable: true }) lastError!: string | null;
  @Column({ type: 'timestamptz', name: 'locked_until', nullable: true }) lockedUntil!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true }) sentAt!: Date | null;
}
