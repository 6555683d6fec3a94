import { Logger } from '@nestjs/common';

/** What the security log records. */
export type SecurityEvent =
  | 'login.failed'
  | 'login.throttled'
  | 'auth.logout'
  | 'access.forbidden'
  | 'email_action.refused'
  | 'email_action.throttled';

const logger = new Logger('Security');

/**
 * One structured log line per security event (`"security": "<event>"` beside the request id and the other fields of
 * the JSON line), so a log shipper can filter and count them: failed logins, throttles, 403s, refused email actions.
 * Never a password, token or link.
 */
export function securityEvent(event: SecurityEvent, fields: Record<string, unknown>): void {
  logger.warn({ security: event, ...fields, msg: `security event ${event}` });
}
