import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, UnauthorizedException, type OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, ConfigError, FIRST_ADMIN_LINE, type AppConfig } from '@app/config';
import { setActor, UserEntity } from '@app/persistence';
import { securityEvent } from '../common/security-log';
import { LoginThrottleService } from './login-throttle.service';
import { hashPassword, userByCredentials } from './password';

export function publicUser(u: UserEntity): Omit<UserEntity, 'passwordHash' | 'tokenVersion'> {
  const { passwordHash: _hash, tokenVersion: _version, ...rest } = u;
  return rest;
}

/** What a bearer token says: the user, the user's token version when it was issued, and its own id (for logout). */
export interface TokenClaims {
  sub: string;
  ver: number;
  jti: string;
  iat: number;
  exp: number;
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async login(username: string, password: string, address: string): Promise<{ accessToken: string; user: ReturnType<typeof publicUser> }> {
    await this.throttle.before(address, username, 'login');
    const user = await userByCredentials(this.ds, username, password);
    if (!user) {
      await this.throttle.failed(address, username, 'login');
      throw new UnauthorizedException('用户名或密码错误');
    }
    await this.throttle.succeeded(username);
    const accessToken = await this.jwt.signAsync({ sub: user.id, ver: user.tokenVersion, jti: randomUUID() });
    return { accessToken, user: publicUser(user) };
  }

  /** Ends this token now (the others of the user stay valid); kept until it would have expired anyway. */
  async logout(claims: TokenClaims, address: string): Promise<void> {
    await this.ds.query(`INSERT INTO revoked_tokens (jti, user_id, expires_at) VALUES ($1, $2, to_timestamp($3)) ON CONFLICT (jti) DO NOTHING`, [
      claims.jti,
      claims.sub,
      claims.exp,
    ]);
    securityEvent('auth.logout', { userId: claims.sub, address });
  }

  /**
   * The first admin: from ADMIN_USERNAME/ADMIN_PASSWORD, or, in development only, a default printed at start-up.
   * Several API instances may start together; the advisory lock and the unique username keep it to one.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(7318004222)');
      const [{ count }] = (await m.query(`SELECT count(*)::int AS count FROM users WHERE 'ADMIN' = ANY(roles)`)) as Array<{ count: number }>;
      if (count > 0) return;
      if (this.cfg.adminPassword === null && !this.cfg.development) {
        throw new ConfigError(
          'Invalid configuration:\n  - ADMIN_USERNAME and ADMIN_PASSWORD must be set to create the first admin outside development (NODE_ENV development/test)',
        );
      }
      const username = this.cfg.adminUsername ?? 'admin';
      const generated = this.cfg.adminPassword === null;
      const password = this.cfg.adminPassword ?? randomBytes(9).toString('base64url');
      await setActor(m, { id: null, name: 'system' }, 'start-up');
      await m.getRepository(UserEntity).insert({
        username,
        passwordHash: await hashPassword(password),
        displayName: '系统管理员',
        email: `${username}@party-approvals.local`,
        roles: ['ADMIN'],
        organizationIds: [],
        institutionIds: [],
      });
      if (generated) {
        // scripts/dev.ts watches for this line and repeats the credentials in its "ready" banner.
        this.logger.warn(`${FIRST_ADMIN_LINE}: username "${username}", password "${password}" (set ADMIN_USERNAME/ADMIN_PASSWORD to choose)`);
      } else {
        this.logger.log(`first admin "${username}" created from ADMIN_USERNAME`);
      }
    });
  }
}
