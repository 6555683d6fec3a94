export * from './log-context';
export * from './logger.module';
export * from './root-logger';
