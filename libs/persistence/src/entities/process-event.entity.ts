import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { JsonObject } from './json';

/**
 * Append-only audit trail (the timeline). A trigger refuses UPDATE and DELETE: Temporal history is deleted after
 * the namespace retention, this table is what stays. `eventKey` makes every write idempotent under retries.
 */
@Entity('process_events')
export class ProcessEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'uuid', name: 'process_id' }) processId!: string;
  @Column({ type: 'text', name: 'event_key', unique: true }) eventKey!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'text' }) step!: string;
  @Column({ type: 'uuid', name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column({ type: 'text', name: 'actor_name', nullable: true }) actorName!: string | null;
  @Column({ type: 'uuid', name: 'on_behalf_of_id', nullable: true }) onBehalfOfId!: string | null;
  @Column({ type: 'text' }) action!: string;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ type: 'jsonb', nullable: true }) data!: JsonObject | null;
}
