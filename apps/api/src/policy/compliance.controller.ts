import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth-user';
import { IdParam } from '../common/params';
import { ComplianceDto } from './compliance.dto';
import { ComplianceService, type ComplianceReport } from './compliance.service';

@ApiTags('institutions')
@ApiBearerAuth()
@Controller('institutions')
export class ComplianceController {
  constructor(private readonly compliance: ComplianceService) {}

  @Get(':id/compliance')
  @ApiOperation({ summary: '机构当前的党建合规判断（R1–R16），每条结论注明规则编号和政策原文' })
  @ApiOkResponse({ type: ComplianceDto })
  get(@CurrentUser() user: AuthUser, @Param('id', new IdParam('机构')) id: string): Promise<ComplianceReport> {
    return this.compliance.forInstitution(user, id);
  }
}
