import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, type AuthUser } from '../common/auth-user';
import { IdParam } from '../common/params';
import { renderRecordPage } from './record-page.renderer';
import { RecordService } from './record.service';

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // The page needs no script, image or request of its own: forbid them all, so even an escaping slip could not run.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
};

@ApiTags('processes')
@ApiBearerAuth()
@Controller('processes')
export class RecordController {
  constructor(private readonly records: RecordService) {}

  @Get(':id/record')
  @ApiOperation({
    summary: '审批单（可打印）',
    description:
      '返回适合打印的 HTML 页面（A4）：事项、机构、申请人、提交时间、当前状态，逐条审批记录（时间为北京时间、环节、办理人、操作、意见）和办理结果。' +
      '可查看该流程的用户均可获取。暂不提供 PDF：请用浏览器打印为 PDF。',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: '审批单页面', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiForbiddenResponse({ description: '无权查看该流程' })
  @ApiNotFoundResponse({ description: '流程不存在' })
  async record(
    @CurrentUser() user: AuthUser,
    @Param('id', new IdParam('流程')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const page = renderRecordPage(await this.records.view(user, id));
    // Set only on success (an @Header would also label a JSON error body as HTML).
    res.set(PAGE_HEADERS);
    return page;
  }
}
