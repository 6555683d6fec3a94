import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: false });
  const cfg = app.get<AppConfig>(APP_CONFIG);
  // Behind the production reverse proxy the client address comes from X-Forwarded-For (login rate limit).
  if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY === 'true' ? true : process.env.TRUST_PROXY);
  app.setGlobalPrefix('api/v1', { exclude: [] });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('养老机构党建审批系统 API')
    .setDescription('Workflow and approval orchestration for party-organisation work in elderly-care institutions (API.md v1)')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs-json' });
  await app.listen(cfg.port, process.env.HOST ?? '0.0.0.0');
  Logger.log(`API listening on ${cfg.publicBaseUrl}/api/v1 (docs ${cfg.publicBaseUrl}/api/docs)`, 'Api');
}

main().catch((err: unknown) => {
  Logger.error(err instanceof Error ? err.stack ?? err.message : String(err), 'Api');
  process.exit(1);
});
