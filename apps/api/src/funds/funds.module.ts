import { Module } from '@nestjs/common';
import { ScopeModule } from '../common/scope.service';
import { FundsController } from './funds.controller';
import { FundsService } from './funds.service';

/** R14 funds records: budgets and expenses, stipend payments, finance exports. */
@Module({
  imports: [ScopeModule],
  controllers: [FundsController],
  providers: [FundsService],
})
export class FundsModule {}
