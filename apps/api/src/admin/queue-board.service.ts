import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { NotificationService } from '@app/notifications';
import type { UserEntity } from '@app/persistence';
import type { TokenClaims } from '../auth/auth.service';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { isAdmin } from '../common/auth-user';
import { securityEvent } from '../common/security-log';

/** Where the dashboard is served: a page, not part of the JSON API, so outside /api/v1. */
export const QUEUE_BOARD_PATH = '/admin/queues/board';
export const QUEUE_BOARD_COOKIE = 'epa_queue_board';
/** A board session lasts at most this long (and never beyond the bearer token it was issued for). */
export const QUEUE_BOARD_SESSION_SECONDS = 15 * 60;

interface BoardClaims {
  sub: string;
  ver: number;
  /** The bearer token it was issued for: logging that token out ends the board session too. */
  jti: string;
}

/**
 * bull-board for admins. A browser that opens a page sends no bearer header, so an admin first calls
 * `POST /api/v1/admin/queues/board-session` with their bearer token and gets a short-lived, HttpOnly, SameSite=Strict
 * cookie scoped to the board's path, signed with a key of its own. Every board request (pages, assets, and the
 * board's own API that retries or cleans jobs) re-checks the user as stored now: still active, still ADMIN, same token
 * version, bearer token not logged out. A bearer header of an admin is accepted too (scripts).
 */
@Injectable()
export class QueueBoardService {
  constructor(
    private readonly jwt: JwtService,
    private readonly auth: JwtAuthGuard,
    private readonly notifications: NotificationService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /** The board's Express router behind the admin check. */
  router(): RequestHandler[] {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: [new BullMQAdapter(this.notifications.queue)],
      serverAdapter,
      options: { uiConfig: { boardTitle: '邮件队列', locale: { lng: 'zh-CN' } } },
    });
    return [(req, res, next) => void this.guard(req, res, next), serverAdapter.getRouter() as RequestHandler];
  }

  /** The cookie for a signed-in admin (the controller checked the role), never outliving the bearer token. */
  async issue(claims: TokenClaims & { exp?: number }): Promise<{ cookie: string; expiresAt: Date; maxAgeSeconds: number }> {
    const bearerLeft = typeof claims.exp === 'number' ? claims.exp - Math.floor(Date.now() / 1000) : QUEUE_BOARD_SESSION_SECONDS;
    const maxAgeSeconds = Math.max(1, Math.min(QUEUE_BOARD_SESSION_SECONDS, bearerLeft));
    const payload: BoardClaims = { sub: claims.sub, ver: claims.ver, jti: claims.jti };
    const cookie = await this.jwt.signAsync(payload, { secret: this.cfg.keys.queueBoardSession, algorithm: 'HS256', expiresIn: maxAgeSeconds });
    return { cookie, expiresAt: new Date(Date.now() + maxAgeSeconds * 1000), maxAgeSeconds };
  }

  private async guard(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const bearer = await this.auth.optionalUser(req);
      if (bearer) {
        if (isAdmin(bearer)) return next();
        return this.refuse(req, res, 403, bearer.id);
      }
      const user = await this.cookieUser(req);
      if (user === 'forbidden') return this.refuse(req, res, 403, null);
      if (user) return next();
      this.refuse(req, res, 401, null);
    } catch (err) {
      next(err);
    }
  }

  /** The admin a board cookie stands for now; 'forbidden' when it names a user who is no admin any more. */
  private async cookieUser(req: Request): Promise<UserEntity | 'forbidden' | null> {
    const token = cookieValue(req.headers.cookie, QUEUE_BOARD_COOKIE);
    if (!token) return null;
    let claims: BoardClaims;
    try {
      claims = await this.jwt.verifyAsync<BoardClaims>(token, { secret: this.cfg.keys.queueBoardSession, algorithms: ['HS256'] });
    } catch {
      return null;
    }
    const user = await this.auth.userFor(claims);
    if (!user) return null;
    return user.roles.includes('ADMIN') ? user : 'forbidden';
  }

  private refuse(req: Request, res: Response, status: 401 | 403, userId: string | null): void {
    if (status === 403) securityEvent('access.forbidden', { method: req.method, path: QUEUE_BOARD_PATH, userId, address: req.ip });
    res.status(status).json({
      statusCode: status,
      error: status === 401 ? 'Unauthorized' : 'Forbidden',
      message:
        status === 401
          ? '请以管理员身份登录后调用 POST /api/v1/admin/queues/board-session，再打开队列面板'
          : '队列面板仅限管理员使用',
    });
  }
}

/** One cookie's value from a Cookie header (names and values as the browser sent them). */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
