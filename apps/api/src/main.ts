import 'reflect-metadata';
import { Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AppModule } from './app.module';
import { configureBodyParsing } from './common/body-parsing';
import { createValidationPipe } from './common/validation';
import { QUEUE_BOARD_PATH, QueueBoardService } from './admin/queue-board.service';
import { httpMetrics } from './observability/http-metrics.middleware';
import { MetricsService } from './observability/metrics.service';
import { requestContext } from './observability/request-logging';
import { webApp } from './web/web-app';

async function main(): Promise<void> {
  // Nest's default parsers are replaced by ones with explicit limits (see body-parsing.ts).
  // Logs written while the application is assembled wait for pino (nestjs-pino), which every Nest logger then uses.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(PinoNestLogger));
  app.flushLogs(); // an HTTP app would keep them until it listens, and lose them if its start-up fails
  // First: the request id and log context, then the timing of every request (metrics.service.ts).
  app.use(requestContext);
  app.use(httpMetrics(app.get(MetricsService)));
  configureBodyParsing(app);
  const cfg = app.get<AppConfig>(APP_CONFIG);
  // Behind the reverse proxy the client address is taken from X-Forwarded-For, only as far as TRUST_PROXY's hops or
  // addresses reach (login throttling keys on it); never "true", which would believe any header a client sends.
  if (cfg.trustProxy !== null) app.set('trust proxy', cfg.trustProxy);
  app.disable('x-powered-by');
  // nosniff, frame and referrer policies on every answer; HSTS only when the request came over TLS (directly or
  // as X-Forwarded-Proto from a trusted proxy), so plain-HTTP development is not pinned to HTTPS.
  app.use(helmet({ strictTransportSecurity: false, contentSecurityPolicy: false }));
  const hsts = helmet.strictTransportSecurity({ maxAge: 180 * 24 * 3600 });
  app.use((req: Parameters<typeof hsts>[0] & { secure: boolean }, res: Parameters<typeof hsts>[1], next: () => void) => (req.secure ? hsts(req, res, next) : next()));
  // The queue dashboard is a page for admins (queue-board.service.ts: why a cookie); Prometheus finds /metrics at the root.
  app.use(QUEUE_BOARD_PATH, ...app.get(QueueBoardService).router());
  // The web application at `/` (apps/web, built into dist/web); the API's own paths pass through.
  for (const handler of webApp()) app.use(handler);
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'metrics', method: RequestMethod.GET }] });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  // The API map is for developers: served in development, elsewhere only with SWAGGER_ENABLED=true.
  if (cfg.swaggerEnabled) {
    const doc = new DocumentBuilder()
      .setTitle('养老机构党建审批系统 API')
      .setDescription('Workflow and approval orchestration for party-organisation work in elderly-care institutions (API.md v1)')
      .setVersion('1')
      .addBearerAuth()
      .build();
    SwaggerModule.setup('api/docs', app, SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs-json' });
  }
  await app.listen(cfg.port, cfg.host);
  Logger.log(`API listening on ${cfg.publicBaseUrl}/api/v1${cfg.swaggerEnabled ? ` (docs ${cfg.publicBaseUrl}/api/docs)` : ''}`, 'Api');
}

main().catch((err: unknown) => {
  // A start that failed before the logger took over has its lines still buffered: out with them, then the reason.
  Logger.flush();
  Logger.error(err instanceof Error ? err.stack ?? err.message : String(err), 'Api');
  process.exit(1);
});
