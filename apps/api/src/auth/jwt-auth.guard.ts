import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Role } from '@app/domain';
import { UserEntity } from '@app/persistence';
import { IS_PUBLIC, ROLES_KEY, authUserOf, type AuthUser } from '../common/auth-user';
import { forbidden } from '../common/errors';
import { isUuid } from '../common/params';
import type { TokenClaims } from './auth.service';

/**
 * Bearer token → the user as stored now (roles and organizations are never trusted from the token). The token
 * must be no older than the configured lifetime, carry the user's current token version (a password, role,
 * organisation or active change raises it) and not have been logged out.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser; tokenClaims?: TokenClaims }>();
    const { user, claims } = await this.authenticate(req);
    req.user = authUserOf(user);
    req.tokenClaims = claims;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required && !required.some((r) => user.roles.includes(r))) throw forbidden();
    return true;
  }

  /** The user a request's bearer token stands for now, or null for a public endpoint called without a good one. */
  async optionalUser(req: Request): Promise<AuthUser | null> {
    try {
      return authUserOf((await this.authenticate(req)).user);
    } catch {
      return null;
    }
  }

  private async authenticate(req: Request): Promise<{ user: UserEntity; claims: TokenClaims }> {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw new UnauthorizedException();
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'], maxAge: this.cfg.authTokenTtlSeconds });
    } catch {
      throw new UnauthorizedException();
    }
    const user = await this.userFor(claims);
    if (!user) throw new UnauthorizedException();
    return { user, claims };
  }

  /**
   * The user signed claims stand for now: active, with the token version they carry, their token (`jti`) not logged
   * out. Also used for the queue board's cookie, which carries the claims of the bearer token it was issued for.
   */
  async userFor(claims: Partial<Pick<TokenClaims, 'sub' | 'ver' | 'jti'>>): Promise<UserEntity | null> {
    if (typeof claims.sub !== 'string' || !isUuid(claims.sub) || typeof claims.jti !== 'string' || !isUuid(claims.jti) || !Number.isInteger(claims.ver)) return null;
    return this.users
      .createQueryBuilder('u')
      .where('u.id = :id AND u.active AND u.token_version = :ver', { id: claims.sub, ver: claims.ver })
      .andWhere('NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = :jti)', { jti: claims.jti })
      .getOne();
  }
}
