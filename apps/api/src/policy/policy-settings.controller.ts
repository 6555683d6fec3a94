import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PolicySettings } from '@app/domain';
import type { SettingsAuditEntity } from '@app/persistence';
import { CurrentUser, Roles, type AuthUser } from '../common/auth-user';
import { PageQuery, type Page } from '../common/pagination';
import { SettingsAuditPageDto } from './policy-settings.dto';
import { PolicySettingsService } from './policy-settings.service';
import { settingsSchema } from './policy-settings.validator';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('admin/settings/policy')
export class PolicySettingsController {
  constructor(private readonly settings: PolicySettingsService) {}

  @Get()
  @ApiOperation({ summary: '当前生效的政策参数（数据库设置覆盖默认值）' })
  @ApiOkResponse({ schema: settingsSchema() })
  get(): Promise<PolicySettings> {
    return this.settings.effective();
  }

  @Patch()
  @ApiOperation({
    summary: '修改政策参数（部分更新，逐项校验；出错时不做任何修改）',
    description: '只影响此后的规则判断；已打开的待办保留打开时确定的审批组织，不会被改派。每次修改记入审计。',
  })
  @ApiBody({ schema: settingsSchema(undefined, true) })
  @ApiOkResponse({ schema: settingsSchema() })
  patch(@CurrentUser() user: AuthUser, @Body() body: unknown): Promise<PolicySettings> {
    return this.settings.patch(user, body);
  }

  @Get('audit')
  @ApiOperation({ summary: '政策参数修改记录（最新在前）' })
  @ApiOkResponse({ type: SettingsAuditPageDto })
  audit(@Query() q: PageQuery): Promise<Page<SettingsAuditEntity>> {
    return this.settings.audit(q);
  }
}
