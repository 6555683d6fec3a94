import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, UnauthorizedException, type OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { UserEntity } from '@app/persistence';
import { hashPassword, userByCredentials } from './password';

export function publicUser(u: UserEntity): Omit<UserEntity, 'passwordHash'> {
  const { passwordHash: _omit, ...rest } = u;
  return rest;
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async login(username: string, password: string): Promise<{ accessToken: string; user: ReturnType<typeof publicUser> }> {
    const user = await userByCredentials(this.ds, username, password);
    if (!user) throw new UnauthorizedException('用户名或密码错误');
    const accessToken = await this.jwt.signAsync({ sub: user.id });
    return { accessToken, user: publicUser(user) };
  }

  /**
   * The first admin: from ADMIN_USERNAME/ADMIN_PASSWORD, or a development default printed once. Several API
   * instances may start together; the advisory lock and the unique username keep it to one.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(7318004222)');
      const [{ count }] = (await m.query(`SELECT count(*)::int AS count FROM users WHERE 'ADMIN' = ANY(roles)`)) as Array<{ count: number }>;
      if (count > 0) return;
      const username = this.cfg.adminUsername ?? 'admin';
      const generated = this.cfg.adminPassword === null;
      const password = this.cfg.adminPassword ?? randomBytes(9).toString('base64url');
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
        this.logger.warn(`first admin created for development: username "${username}", password "${password}" (shown once; set ADMIN_USERNAME/ADMIN_PASSWORD to choose)`);
      } else {
        this.logger.log(`first admin "${username}" created from ADMIN_USERNAME`);
      }
    });
  }
}
