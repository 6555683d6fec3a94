import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth-user';
import { fieldError } from '../common/errors';
import type { CoverageReport } from './coverage-report';
import { CoverageQuery, CoverageReportDto } from './coverage.dto';
import { CoverageService } from './coverage.service';

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('admin/coverage')
export class CoverageController {
  constructor(private readonly coverage: CoverageService) {}

  @Get()
  @ApiOperation({ summary: 'R16 覆盖情况：按机构类型和区县对照年度目标，列出未达标机构及应采取的措施' })
  @ApiOkResponse({ type: CoverageReportDto })
  get(@Query() q: CoverageQuery): Promise<CoverageReport> {
    const year = q.year === undefined ? this.coverage.currentYear() : Number(q.year);
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw fieldError('year', `必须是 ${MIN_YEAR}–${MAX_YEAR} 之间的整数年份`);
    return this.coverage.report(year);
  }
}
