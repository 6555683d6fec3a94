import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Configurable policy defaults (DOMAIN.md "Defaults"); seeded by a migration, edited by ADMIN. */
@Entity('settings')
export class SettingEntity {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'jsonb' }) value!: unknown;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
