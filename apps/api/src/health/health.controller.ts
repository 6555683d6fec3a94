import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { MailTransportService, NotificationService } from '@app/notifications';
import { TemporalClientService } from '@app/temporal';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { isAdmin, Public } from '../common/auth-user';

type ComponentStatus = { status: 'ok' } | { status: 'down'; error: string };

const CHECK_TIMEOUT_MS = 3000;

function within<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref())]);
}

async function check(fn: () => Promise<unknown>): Promise<ComponentStatus> {
  try {
    await within(fn());
    return { status: 'ok' };
  } catch (err) {
    return { status: 'down', error: (err as Error).message };
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  private smtpCache: { at: number; result: ComponentStatus } | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly notifications: NotificationService,
    private readonly temporal: TemporalClientService,
    private readonly mail: MailTransportService,
    private readonly auth: JwtAuthGuard,
  ) {}

  /**
   * Liveness: the process is up and its event loop answers. Checks no dependency, so an orchestrator restarts the API
   * only when the API itself is stuck, never because the database or Redis is away.
   */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: send this replica traffic only while database, Redis, Temporal and SMTP answer (as GET /health). */
  @Public()
  @Get('ready')
  ready(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.health(req, res);
  }

  /**
   * 200 when database, Redis, Temporal and SMTP all answer; 503 naming the ones that do not. The errors themselves
   * (addresses, driver messages) are shown only to an admin's bearer token.
   */
  @Public()
  @Get()
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const [database, redis, temporal, smtp] = await Promise.all([
      check(() => this.ds.query('SELECT 1')),
      check(() => this.notifications.ping()),
      check(() => this.temporal.ping()),
      this.smtp(),
    ]);
    const caller = await this.auth.optionalUser(req);
    const all = { database, redis, temporal, smtp };
    const components = caller && isAdmin(caller) ? all : Object.fromEntries(Object.entries(all).map(([k, c]) => [k, { status: c.status }]));
    const down = Object.entries(components).filter(([, c]) => c.status !== 'ok').map(([name]) => name);
    res.status(down.length ? 503 : 200);
    return down.length
      ? { status: 'error', message: `组件不可用：${down.join(', ')}`, down, components }
      : { status: 'ok', components };
  }

  /** SMTP verification opens a connection; cache it briefly so probes do not hammer the relay. */
  private async smtp(): Promise<ComponentStatus> {
    if (this.smtpCache && Date.now() - this.smtpCache.at < 10_000 && this.smtpCache.result.status === 'ok') return this.smtpCache.result;
    const result = await check(() => this.mail.verify());
    this.smtpCache = { at: Date.now(), result };
    return result;
  }
}
