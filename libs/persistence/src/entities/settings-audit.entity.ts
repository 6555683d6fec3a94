import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change of a settings row: who, when, the request and the resulting differences. A trigger refuses UPDATE/DELETE. */
export interface SettingChange {
  /** Dotted path in the effective settings, e.g. `termYears.BRANCH`. */
  path: string;
  before: unknown;
  after: unknown;
}

@Entity('settings_audit')
export class SettingsAuditEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', name: 'setting_key' }) settingKey!: string;
  @Column({ type: 'uuid', name: 'changed_by_id', nullable: true }) changedById!: string | null;
  @Column({ type: 'text', name: 'changed_by_name' }) changedByName!: string;
  @Column({ type: 'jsonb' }) patch!: unknown;
  @Column({ type: 'jsonb' }) changes!: SettingChange[];
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
