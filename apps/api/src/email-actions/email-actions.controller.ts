import { Body, Controller, Get, Headers, Injectable, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { hashEmailActionToken } from '@app/notifications';
import { Public } from '../common/auth-user';
import { sendPage } from './email-action-pages';
import { EmailActionPageFilter } from './email-action-page.filter';
import { EmailActionsService } from './email-actions.service';

/** The POST checks a password: limit attempts per client address and link, like the login endpoint. */
@Injectable()
class EmailActionThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as Request;
    const token = typeof r.params?.token === 'string' ? r.params.token : '';
    return `email-action:${r.ip ?? ''}:${hashEmailActionToken(token).slice(0, 16)}`;
  }
}

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
  @UseGuards(EmailActionThrottlerGuard)
  @Throttle({ login: { limit: Number(process.env.LOGIN_RATE_LIMIT ?? 10), ttl: 60_000 } })
  async submit(
    @Param('token') token: string,
    @Body() body: unknown,
    @Headers('origin') origin: string | undefined,
    @Headers('sec-fetch-site') secFetchSite: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const html = await this.actions.submit(token, body, { origin, secFetchSite, ownOrigin: `${req.protocol}://${req.get('host') ?? ''}` });
    sendPage(res, 200, html);
  }
}
