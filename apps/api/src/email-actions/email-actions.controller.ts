import { Body, Controller, Get, Headers, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientAddress } from '../auth/auth.controller';
import { Public } from '../common/auth-user';
import { sendPage } from './email-action-pages';
import { EmailActionPageFilter } from './email-action-page.filter';
import { EmailActionsService } from './email-actions.service';

/**
 * Links in task emails. No bearer token: the link itself (and, by default, the user's password) authorises.
 * GET only shows; mail scanners and link previews fetch it before people do.
 */
@ApiTags('email-actions')
@Public()
@UseFilters(EmailActionPageFilter)
@Controller('email-actions')
export class EmailActionsController {
  constructor(private readonly actions: EmailActionsService) {}

  @Get(':token')
  @ApiOperation({ summary: '邮件办理页面：展示待办并请审批人确认（只读，不作任何更改）' })
  @ApiParam({ name: 'token', description: '邮件中的办理令牌' })
  @ApiProduces('text/html')
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    sendPage(res, 200, await this.actions.show(token));
  }

  @Post(':token')
  @ApiOperation({ summary: '提交邮件办理页面的审批决定（decision、comment、proof，默认还需 username、password）' })
  @ApiParam({ name: 'token', description: '邮件中的办理令牌' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiProduces('text/html')
  async submit(
    @Param('token') token: string,
    @Body() body: unknown,
    @Headers('origin') origin: string | undefined,
    @Headers('sec-fetch-site') secFetchSite: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const html = await this.actions.submit(token, body, { origin, secFetchSite, ownOrigin: `${req.protocol}://${req.get('host') ?? ''}`, address: clientAddress(req) });
    sendPage(res, 200, html);
  }
}
