import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles, type AuthUser } from '../common/auth-user';
import type { Page } from '../common/pagination';
import { IdParam } from '../common/params';
import { attachmentHeader } from '../imports/import-template.service';
import { AdjustmentDto, BudgetDto, BudgetExportQuery, BudgetQuery, CreateAdjustmentDto, CreateExpenseDto, ExpenseDto, PaymentDto, PaymentExportQuery, PaymentQuery } from './funds.dto';
import { FundsService, type ExportFile } from './funds.service';

function send(res: Response, f: ExportFile): void {
  res.status(200).setHeader('Content-Type', f.contentType).setHeader('Content-Disposition', attachmentHeader(f.asciiName, f.name)).setHeader('Cache-Control', 'no-store').send(f.body);
}

@ApiTags('funds')
@ApiBearerAuth()
@Controller()
export class FundsController {
  constructor(private readonly funds: FundsService) {}

  @Get('budgets')
  @ApiOperation({ summary: '批准的年度党建工作经费预算（各版本）', description: '按用户范围过滤。' })
  listBudgets(@CurrentUser() user: AuthUser, @Query() q: BudgetQuery): Promise<Page<BudgetDto>> {
    return this.funds.listBudgets(user, q);
  }

  @Get('budgets/:id')
  @ApiOperation({ summary: '预算详情：科目、版本、各科目已支出和余额' })
  @ApiOkResponse({ type: BudgetDto })
  getBudget(@CurrentUser() user: AuthUser, @Param('id', new IdParam('预算')) id: string): Promise<BudgetDto> {
    return this.funds.getBudget(user, id);
  }

  @Post('budgets/:id/expenses')
  @Roles('ADMIN', 'APPLICANT')
  @HttpCode(201)
  @ApiOperation({
    summary: '按预算科目登记支出',
    description: '管理员或机构的申请人登记；超出科目余额 400（R14），预算已有新版本 409。',
  })
  @ApiCreatedResponse({ type: ExpenseDto })
  recordExpense(@CurrentUser() user: AuthUser, @Param('id', new IdParam('预算')) id: string, @Body() dto: CreateExpenseDto): Promise<ExpenseDto> {
    return this.funds.recordExpense(user, id, dto);
  }

  @Get('payments')
  @ApiOperation({ summary: '书记工作补贴发放记录（每名书记每月一条）' })
  listPayments(@CurrentUser() user: AuthUser, @Query() q: PaymentQuery): Promise<Page<PaymentDto>> {
    return this.funds.listPayments(user, q);
  }

  @Post('payments/:id/adjustments')
  @Roles('ADMIN', 'APPROVER')
  @ApiOperation({
    summary: '登记发放后的补贴更正（补发或扣回）',
    description:
      '发放记录不修改，更正另行登记：审批该补贴的上级党组织或管理员登记金额（分，正数补发、负数扣回）和原因。补发计入预算书记工作补贴科目，超出余额 400（R14）；扣回不能超过实发金额。相同 Idempotency-Key 重复提交返回首次的记录（200）。',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '重复提交同一请求时返回首次结果' })
  @ApiCreatedResponse({ type: AdjustmentDto })
  async adjustPayment(
    @CurrentUser() user: AuthUser,
    @Param('id', new IdParam('补贴发放记录')) id: string,
    @Body() dto: CreateAdjustmentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AdjustmentDto> {
    const out = await this.funds.adjustPayment(user, id, dto, idempotencyKey);
    res.status(out.created ? 201 : 200);
    return out.adjustment;
  }

  @Get('payments/:id/adjustments')
  @ApiOperation({ summary: '一笔补贴发放的更正记录（按时间，含每次更正后的实发金额）' })
  @ApiOkResponse({ type: [AdjustmentDto] })
  listAdjustments(@CurrentUser() user: AuthUser, @Param('id', new IdParam('补贴发放记录')) id: string): Promise<AdjustmentDto[]> {
    return this.funds.listAdjustments(user, id);
  }

  @Get('exports/payments')
  @ApiOperation({ summary: '导出补贴发放表（xlsx 或 CSV，金额单位元，含合计行）' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  async exportPayments(@CurrentUser() user: AuthUser, @Query() q: PaymentExportQuery, @Res() res: Response): Promise<void> {
    send(res, await this.funds.exportPayments(user, q));
  }

  @Get('exports/budgets')
  @ApiOperation({ summary: '导出年度预算表（各党组织现行版本，xlsx 或 CSV，金额单位元，含合计行）' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  async exportBudgets(@CurrentUser() user: AuthUser, @Query() q: BudgetExportQuery, @Res() res: Response): Promise<void> {
    send(res, await this.funds.exportBudgets(user, q));
  }
}
