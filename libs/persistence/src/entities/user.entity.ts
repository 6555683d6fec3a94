import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@app/domain';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true }) username!: string;
  @Column({ type: 'text', name: 'password_hash', select: false }) passwordHash!: string;
  @Column({ type: 'text', name: 'display_name' }) displayName!: string;
  @Column({ type: 'text' }) email!: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) roles!: Role[];
  @Column({ type: 'uuid', array: true, name: 'organization_ids', default: () => "'{}'" }) organizationIds!: string[];
  @Column({ type: 'uuid', array: true, name: 'institution_ids', default: () => "'{}'" }) institutionIds!: string[];
  /** The party member this user is (secretary succession finds the secretary's account through it); one user per member. */
  @Column({ type: 'uuid', name: 'member_id', nullable: true, unique: true }) memberId!: string | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  /** Raised by a trigger on every password, role, organisation or active change: older bearer tokens stop working. */
  @Column({ type: 'integer', name: 'token_version', default: 0 }) tokenVersion!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
