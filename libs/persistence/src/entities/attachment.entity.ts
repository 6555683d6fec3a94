import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A file attached to a decision (uploaded to an open task first, then named in the decision). The bytes are
 * `select: false`: lists and checks never load them; only the download asks for `content` explicitly.
 */
@Entity('attachments')
export class AttachmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'task_id' }) taskId!: string;
  @Column({ type: 'uuid', name: 'process_id' }) processId!: string;
  @Column({ type: 'uuid', name: 'uploaded_by_id' }) uploadedById!: string;
  @Column({ type: 'text', name: 'file_name' }) fileName!: string;
  @Column({ type: 'text', name: 'content_type' }) contentType!: string;
  @Column({ type: 'integer', name: 'size_bytes' }) sizeBytes!: number;
  /** Hex sha256 of `content`, computed at upload. */
  @Column({ type: 'text' }) sha256!: string;
  @Column({ type: 'bytea', select: false }) content!: Buffer;
  /** Set by the worker when the decision that names this file is recorded. */
  @Column({ type: 'uuid', name: 'decision_id', nullable: true }) decisionId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
