import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { TokenClaims } from '../auth/auth.service';
import { Roles } from '../common/auth-user';
import { QueueBoardSessionDto } from './queues.dto';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_PATH, QueueBoardService } from './queue-board.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@ApiForbiddenResponse({ description: '不是管理员' })
@Controller('admin/queues/board-session')
export class QueueBoardController {
  constructor(private readonly board: QueueBoardService) {}

  @Post()
  @ApiOperation({
    summary: '开启队列面板（bull-board）会话：设置仅限面板路径的短期 Cookie',
    description: '浏览器打开页面时不带 Bearer 令牌，因此由管理员先调用本接口，再在同一浏览器中打开返回的地址。退出登录即结束面板会话。',
  })
  @ApiCreatedResponse({ type: QueueBoardSessionDto })
  async open(@Req() req: Request & { tokenClaims: TokenClaims & { exp?: number } }, @Res({ passthrough: true }) res: Response): Promise<QueueBoardSessionDto> {
    const session = await this.board.issue(req.tokenClaims);
    res.cookie(QUEUE_BOARD_COOKIE, session.cookie, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: QUEUE_BOARD_PATH,
      maxAge: session.maxAgeSeconds * 1000,
    });
    return { url: `${QUEUE_BOARD_PATH}/`, expiresAt: session.expiresAt.toISOString() };
  }
}
