import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Public } from '../common/auth-user';
import { MetricsService } from './metrics.service';

/**
 * `GET /metrics` (outside /api/v1, where Prometheus looks by default). Open unless METRICS_TOKEN is set, then only for
 * `Authorization: Bearer <METRICS_TOKEN>` (Prometheus `authorization: {credentials: …}`); the compose proxy never
 * forwards it, Prometheus scrapes each replica on the internal network.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (this.cfg.metricsToken && !sameSecret(authorization ?? '', `Bearer ${this.cfg.metricsToken}`)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException();
    }
    const body = await this.metrics.render();
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
