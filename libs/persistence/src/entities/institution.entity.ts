import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { InstitutionType, ManagedBy, SecretarySource } from '@app/domain';

@Entity('institutions')
export class InstitutionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) type!: InstitutionType;
  @Index() @Column({ type: 'text' }) district!: string;
  @Index() @Column({ type: 'uuid', name: 'township_org_id' }) townshipOrgId!: string;
  @Column({ type: 'uuid', name: 'sponsor_org_id', nullable: true }) sponsorOrgId!: string | null;
  @Column({ type: 'uuid', name: 'public_builder_org_id', nullable: true }) publicBuilderOrgId!: string | null;
  @Column({ type: 'text', name: 'managed_by', nullable: true }) managedBy!: ManagedBy | null;
  @Column({ type: 'text', name: 'operator_name', nullable: true }) operatorName!: string | null;
  @Column({ type: 'integer', name: 'bed_count', nullable: true }) bedCount!: number | null;
  @Column({ type: 'integer', name: 'resident_count', nullable: true }) residentCount!: number | null;
  @Column({ type: 'uuid', name: 'party_organization_id', nullable: true }) partyOrganizationId!: string | null;
  /** Work coverage (R6/R16): a party-building instructor serves the institution. Null is read as false. */
  @Column({ type: 'boolean', name: 'has_instructor', nullable: true, default: false }) hasInstructor!: boolean | null;
  /** Work coverage (R6/R16): a union, women's or youth organisation works in the institution. Null is read as false. */
  @Column({ type: 'boolean', name: 'has_mass_organisation', nullable: true, default: false }) hasMassOrganisation!: boolean | null;
  /** R8/R10: where the organisation's secretary comes from; null is the builder's dispatch (R8), changed only by an approved secretary-source process. */
  @Column({ type: 'text', name: 'secretary_source', nullable: true }) secretarySource!: SecretarySource | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
