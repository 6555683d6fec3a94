import { createHash, createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, ConfigError, type AppConfig } from '@app/config';

/** Path of an email-action link under the public base URL (the API's global prefix included). */
export const EMAIL_ACTION_PATH = '/api/v1/email-actions';

/** What a well-formed token looks like: base64url of a 32-byte HMAC (256 bits), no padding. */
export const EMAIL_ACTION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface EmailActionSettings {
  /** Default lifetime of a link (EMAIL_ACTION_TTL_DAYS, default 7). */
  ttlDays: number;
  /** Whether the POST must carry the password of the link's user (EMAIL_ACTION_REQUIRE_LOGIN, default true). */
  requireLogin: boolean;
}

/** Reads and validates the email-action settings; a bad value fails start-up rather than a click. */
export function loadEmailActionSettings(env: NodeJS.ProcessEnv = process.env): EmailActionSettings {
  const errors: string[] = [];
  const rawTtl = env.EMAIL_ACTION_TTL_DAYS;
  let ttlDays = 7;
  if (rawTtl !== undefined && rawTtl !== '') {
    ttlDays = Number(rawTtl);
    if (!Number.isInteger(ttlDays) || ttlDays < 1 || ttlDays > 365) errors.push(`EMAIL_ACTION_TTL_DAYS must be an integer from 1 to 365, got "${rawTtl}"`);
  }
  const rawLogin = (env.EMAIL_ACTION_REQUIRE_LOGIN ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(rawLogin)) errors.push(`EMAIL_ACTION_REQUIRE_LOGIN must be "true" or "false", got "${env.EMAIL_ACTION_REQUIRE_LOGIN}"`);
  if (errors.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  return { ttlDays, requireLogin: rawLogin !== 'false' };
}

/**
 * The token of the link for one task and one user: an HMAC under the email-action key (derived from AUTH_SECRET for
 * this purpose only), so it is unguessable (256 bits) yet the same on every call — a retried activity renders the
 * same email and its outbox row stays one row.
 */
export function emailActionToken(key: Buffer, taskId: string, userId: string): string {
  return createHmac('sha256', key).update(`email-action:v1:${taskId}:${userId}`).digest('base64url');
}

/** What the database keeps of a token (hex sha256): looking a link up never needs the secret. */
export function hashEmailActionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Mints email-action links. Callers (the worker's activities) put the returned URL into the task email. */
@Injectable()
export class EmailActionTokensService {
  readonly settings: EmailActionSettings;

  constructor(@Inject(APP_CONFIG) private readonly cfg: AppConfig) {
    this.settings = loadEmailActionSettings();
  }

  /**
   * Records the link of `userId` for `taskId` with the caller's manager (so it commits with the email that carries
   * it) and returns its URL. Idempotent: a second call returns the same URL and leaves the stored row (its expiry
   * and whether it was used) as it was.
   */
  /** Each email that carries the link gives it the full lifetime again (a reminder weeks later still works). */
  async linkFor(m: EntityManager, taskId: string, userId: string, expiresAt?: Date): Promise<string> {
    const expiry = expiresAt ?? new Date(Date.now() + this.settings.ttlDays * 24 * 3600_000);
    if (Number.isNaN(expiry.getTime())) throw new Error('linkFor: expiresAt is not a valid date');
    const token = emailActionToken(this.cfg.keys.emailActionToken, taskId, userId);
    await m.query(
      `INSERT INTO email_action_tokens (token_hash, task_id, user_id, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (token_hash) DO UPDATE SET expires_at = GREATEST(email_action_tokens.expires_at, EXCLUDED.expires_at)
       WHERE email_action_tokens.used_at IS NULL`,
      [hashEmailActionToken(token), taskId, userId, expiry],
    );
    return this.urlFor(token);
  }

  urlFor(token: string): string {
    return `${this.cfg.publicBaseUrl}${EMAIL_ACTION_PATH}/${token}`;
  }
}
