import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { BudgetCategory } from '@app/domain';

/** `bigint` fen columns read back as numbers (every amount stays below Number.MAX_SAFE_INTEGER). */
const fen = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** An approved annual party-work budget (R14), one row per version; append-only. */
@Entity('budgets')
export class BudgetEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'party_organization_id' }) partyOrganizationId!: string;
  @Column({ type: 'uuid', name: 'institution_id', nullable: true }) institutionId!: string | null;
  @Column({ type: 'integer' }) year!: number;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'uuid', name: 'process_id' }) processId!: string;
  @Column({ type: 'bigint', name: 'total_fen', transformer: fen }) totalFen!: number;
  @Column({ type: 'uuid', name: 'approved_by_id', nullable: true }) approvedById!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'approved_at' }) approvedAt!: Date;
}

@Entity('budget_lines')
export class BudgetLineEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'budget_id' }) budgetId!: string;
  @Column({ type: 'text' }) category!: BudgetCategory;
  @Column({ type: 'bigint', name: 'amount_fen', transformer: fen }) amountFen!: number;
  @Column({ type: 'text', nullable: true }) note!: string | null;
}

/** Spending against a line of (organisation, year); a stipend payment's carries its payment key. */
@Entity('budget_expenses')
export class BudgetExpenseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'budget_id' }) budgetId!: string;
  @Column({ type: 'uuid', name: 'party_organization_id' }) partyOrganizationId!: string;
  @Column({ type: 'integer' }) year!: number;
  @Column({ type: 'text' }) category!: BudgetCategory;
  @Column({ type: 'bigint', name: 'amount_fen', transformer: fen }) amountFen!: number;
  @Column({ type: 'date', name: 'spent_on' }) spentOn!: string;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ type: 'uuid', name: 'recorded_by_id' }) recordedById!: string;
  @Column({ type: 'text', name: 'payment_key', nullable: true }) paymentKey!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** One stipend payment per (secretary, month) (R14); its payment key and reference are unique. */
@Entity('stipend_payments')
export class StipendPaymentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', name: 'payment_key' }) paymentKey!: string;
  @Column({ type: 'text' }) reference!: string;
  @Column({ type: 'uuid', name: 'party_organization_id' }) partyOrganizationId!: string;
  @Column({ type: 'uuid', name: 'institution_id', nullable: true }) institutionId!: string | null;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'char', length: 7 }) month!: string;
  @Column({ type: 'bigint', name: 'amount_fen', transformer: fen }) amountFen!: number;
  @Column({ type: 'bigint', name: 'monthly_fen', transformer: fen }) monthlyFen!: number;
  @Column({ type: 'integer', name: 'days_in_office' }) daysInOffice!: number;
  @Column({ type: 'integer', name: 'days_in_month' }) daysInMonth!: number;
  @Column({ type: 'uuid', name: 'process_id' }) processId!: string;
  @Column({ type: 'uuid', name: 'budget_id' }) budgetId!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** A late correction of a stipend payment (R14): signed fen, never an edit of the payment; append-only. */
@Entity('stipend_adjustments')
export class StipendAdjustmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'payment_id' }) paymentId!: string;
  @Column({ type: 'text', name: 'request_key' }) requestKey!: string;
  @Column({ type: 'text' }) reference!: string;
  @Column({ type: 'bigint', name: 'amount_fen', transformer: fen }) amountFen!: number;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'uuid', name: 'budget_id' }) budgetId!: string;
  @Column({ type: 'uuid', name: 'recorded_by_id' }) recordedById!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
