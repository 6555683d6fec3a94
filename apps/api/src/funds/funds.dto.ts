import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, NotEquals } from 'class-validator';
import { BUDGET_CATEGORIES, type BudgetCategory } from '@app/domain';
import { PageQuery } from '../common/pagination';
import { IsIsoDate } from '../common/validators';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** The largest single amount accepted (one hundred million yuan), as in the process payloads. */
const MAX_FEN = 100_000_000_00;

export class BudgetQuery extends PageQuery {
  @ApiPropertyOptional({ minimum: 2000, maximum: 2100, description: '预算年度' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year 必须是整数年份' })
  @Min(2000, { message: 'year 不能早于 2000 年' })
  @Max(2100, { message: 'year 不能晚于 2100 年' })
  year?: number;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'partyOrganizationId 必须是 UUID' }) partyOrganizationId?: string;
}

export class PaymentQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-10', description: '补贴月份 YYYY-MM' }) @IsOptional() @IsString() @Matches(MONTH, { message: 'month 必须是 YYYY-MM 格式的月份' }) month?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'partyOrganizationId 必须是 UUID' }) partyOrganizationId?: string;
}

export class ExportFormatQuery {
  @ApiPropertyOptional({ enum: ['xlsx', 'csv'], default: 'xlsx' }) @IsOptional() @IsIn(['xlsx', 'csv'], { message: 'format 只能是 xlsx 或 csv' }) format?: 'xlsx' | 'csv';
}

export class BudgetExportQuery extends ExportFormatQuery {
  @ApiProperty({ minimum: 2000, maximum: 2100, description: '预算年度' })
  @Type(() => Number)
  @IsInt({ message: 'year 必须是整数年份' })
  @Min(2000, { message: 'year 不能早于 2000 年' })
  @Max(2100, { message: 'year 不能晚于 2100 年' })
  year!: number;
}

export class PaymentExportQuery extends ExportFormatQuery {
  @ApiProperty({ example: '2026-10', description: '补贴月份 YYYY-MM' }) @IsString() @Matches(MONTH, { message: 'month 必须是 YYYY-MM 格式的月份' }) month!: string;
}

export class CreateExpenseDto {
  @ApiProperty({ enum: BUDGET_CATEGORIES, description: '预算科目' }) @IsIn(BUDGET_CATEGORIES, { message: `category 只能是 ${BUDGET_CATEGORIES.join('、')} 之一` }) category!: BudgetCategory;
  @ApiProperty({ minimum: 1, maximum: MAX_FEN, description: '支出金额（分，整数）' })
  @IsInt({ message: 'amountFen 必须是以分为单位的整数' })
  @Min(1, { message: 'amountFen 必须大于 0' })
  @Max(MAX_FEN, { message: 'amountFen 超出上限' })
  amountFen!: number;
  @ApiProperty({ format: 'date', description: '支出日期（须在预算年度内）' }) @IsIsoDate({ message: 'date 必须是 YYYY-MM-DD 格式的日期' }) date!: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500, { message: 'note 最多 500 个字' }) note?: string;
}

export class BudgetLineDto {
  @ApiProperty({ enum: BUDGET_CATEGORIES }) category!: BudgetCategory;
  @ApiProperty() label!: string;
  @ApiProperty({ description: '预算金额（分）' }) amountFen!: number;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ description: '已支出（分，本年度各版本合计）' }) spentFen!: number;
  @ApiProperty({ description: '余额（分）' }) remainingFen!: number;
}

export class BudgetDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) partyOrganizationId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) institutionId!: string | null;
  @ApiProperty() year!: number;
  @ApiProperty({ description: '版本（调整预算为新版本）' }) version!: number;
  @ApiProperty({ description: '是否为该年度的现行版本' }) current!: boolean;
  @ApiProperty({ format: 'uuid' }) processId!: string;
  @ApiProperty({ description: '预算合计（分）' }) totalFen!: number;
  @ApiProperty({ format: 'date-time' }) approvedAt!: Date;
  @ApiProperty({ type: [BudgetLineDto] }) lines!: BudgetLineDto[];
}

export class ExpenseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) budgetId!: string;
  @ApiProperty({ enum: BUDGET_CATEGORIES }) category!: BudgetCategory;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ format: 'date' }) spentOn!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ description: '该科目余额（分）' }) remainingFen!: number;
}

export class PaymentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: '发放编号' }) reference!: string;
  @ApiProperty() paymentKey!: string;
  @ApiProperty({ format: 'uuid' }) partyOrganizationId!: string;
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty() memberName!: string;
  @ApiProperty() month!: string;
  @ApiProperty({ description: '金额（分）' }) amountFen!: number;
  @ApiProperty() daysInOffice!: number;
  @ApiProperty() daysInMonth!: number;
  @ApiProperty({ format: 'uuid' }) processId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ description: '发放后更正的合计（分，正数补发、负数扣回）' }) adjustedFen!: number;
  @ApiProperty({ description: '实发金额（分）= 发放金额 + 更正' }) netFen!: number;
}

export class CreateAdjustmentDto {
  @ApiProperty({ minimum: -MAX_FEN, maximum: MAX_FEN, description: '更正金额（分，整数；正数补发，负数扣回；不能为 0）' })
  @IsInt({ message: 'amountFen 必须是以分为单位的整数' })
  @NotEquals(0, { message: 'amountFen 不能为 0' })
  @Min(-MAX_FEN, { message: 'amountFen 超出下限' })
  @Max(MAX_FEN, { message: 'amountFen 超出上限' })
  amountFen!: number;
  @ApiProperty({ maxLength: 500, description: '更正原因' })
  @IsString({ message: 'reason 必须是文字' })
  @Matches(/\S/, { message: 'reason 不能为空' })
  @MaxLength(500, { message: 'reason 最多 500 个字' })
  reason!: string;
}

export class AdjustmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ description: '更正编号' }) reference!: string;
  @ApiProperty({ description: '更正金额（分）' }) amountFen!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid' }) recordedById!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ description: '该笔发放更正后的实发金额（分）' }) netFen!: number;
}
