import { RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { rootLogger, type AppName } from './root-logger';

/**
 * nestjs-pino over the process's root logger: `app.useLogger(app.get(Logger))` then sends every Nest logger
 * (including each `new Logger(...)`) through pino. The API passes its pino-http options (request id, summary line).
 */
export function loggerModule(app: AppName, http: (cfg: AppConfig) => Omit<Options, 'logger'> = () => ({})): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [APP_CONFIG],
    // Every route, in the wildcard syntax of Nest 11 (nestjs-pino's default `*` is converted with a warning).
    useFactory: (cfg: AppConfig) => ({ pinoHttp: { ...http(cfg), logger: rootLogger(app, cfg) }, forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }] }),
  });
}
