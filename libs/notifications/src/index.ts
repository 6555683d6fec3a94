export * from './templates/render';
export * from './redis-connection';
export * from './mail-transport.service';
export * from './notification.service';
export * from './email-processor.service';
export * from './email-action-tokens.service';
export * from './notifications.module';
