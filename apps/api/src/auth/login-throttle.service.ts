import { createHash } from 'node:crypto';
import { HttpStatus, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type IORedis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { createRedis } from '@app/notifications';
import { ApiError } from '../common/errors';
import { securityEvent } from '../common/security-log';

const HOUR = 3600;
/** The first lock of an account lasts a minute; each further one in the same day doubles, up to an hour. */
const FIRST_LOCK_SECONDS = 60;

/** A refused attempt: the client is told when to try again (the `Retry-After` header). */
export class ThrottledError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, `尝试次数过多，请 ${retryAfterSeconds} 秒后再试`);
  }
}

/** Which limit an attempt is counted against. */
type Limit = 'account_and_address' | 'account' | 'address';

/**
 * Login throttling shared by every API replica (counts in Redis; with Redis away each replica falls back to its own
 * memory rather than refusing every login):
 * - attempts per account and client address per minute (LOGIN_RATE_LIMIT);
 * - failed logins per account from any address: after LOGIN_ACCOUNT_FAILURES in an hour the account is locked,
 *   for a minute the first time and twice as long each further time that day (at most an hour);
 * - failed logins per address across accounts (password spraying): LOGIN_ADDRESS_FAILURES in an hour lock that
 *   address for the hour.
 * The email-action page checks passwords too and goes through the same counts.
 */
@Injectable()
export class LoginThrottleService implements OnApplicationShutdown {
  private readonly redis: IORedis;
  private readonly attempts: RateLimiterAbstract;
  private readonly accountFailures: RateLimiterAbstract;
  private readonly accountLocks: RateLimiterAbstract;
  private readonly addressFailures: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) private readonly cfg: AppConfig) {
    this.redis = createRedis(cfg.redisUrl, 'producer');
    // An idle or unreachable Redis must not crash the process; the insurance limiters take over meanwhile.
    this.redis.on('error', () => undefined);
    const limiter = (name: string, points: number, duration: number): RateLimiterAbstract =>
      new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${cfg.redisPrefix}:login:${name}`,
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `login:${name}`, points, duration }),
      });
    const limits = cfg.login;
    this.attempts = limiter('attempts', limits.perAccountAndAddressPerMinute, 60);
    this.accountFailures = limiter('account', limits.accountFailures, HOUR);
    this.accountLocks = limiter('account-locks', 1_000_000, 24 * HOUR);
    this.addressFailures = limiter('address', limits.addressFailures, HOUR);
  }

  /** Before the password is checked: counts the attempt and refuses it when a limit is reached. */
  async before(address: string, username: string, channel: 'login' | 'email-action'): Promise<void> {
    const account = accountKey(username);
    const [accountState, addressState] = await Promise.all([this.accountFailures.get(account), this.addressFailures.get(address)]);
    const blocked: Array<[Limit, RateLimiterRes | null, number]> = [
      ['account', accountState, this.cfg.login.accountFailures],
      ['address', addressState, this.cfg.login.addressFailures],
    ];
    for (const [limit, state, max] of blocked) {
      if (state && state.consumedPoints >= max) this.refuse(limit, state.msBeforeNext, address, username, channel);
    }
    try {
      await this.attempts.consume(`${address}|${account}`);
    } catch (err) {
      if (err instanceof Error) throw err;
      this.refuse('account_and_address', (err as RateLimiterRes).msBeforeNext, address, username, channel);
    }
  }

  /** A wrong password (or unknown user): counts against the account and the address, locking them at the limit. */
  async failed(address: string, username: string, channel: 'login' | 'email-action'): Promise<void> {
    const account = accountKey(username);
    securityEvent('login.failed', { channel, address, username });
    const [accountState] = await Promise.all([
      this.accountFailures.penalty(account, 1),
      this.addressFailures.penalty(address, 1),
    ]);
    if (accountState.consumedPoints >= this.cfg.login.accountFailures) {
      const locks = await this.accountLocks.penalty(account, 1);
      const seconds = Math.min(FIRST_LOCK_SECONDS * 2 ** (locks.consumedPoints - 1), HOUR);
      await this.accountFailures.block(account, seconds);
    }
  }

  /** A successful sign-in ends the account's run of failures (its lock history for the day stays). */
  async succeeded(username: string): Promise<void> {
    await this.accountFailures.delete(accountKey(username)).catch(() => undefined);
  }

  private refuse(limit: Limit, msBeforeNext: number, address: string, username: string, channel: string): never {
    const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    securityEvent('login.throttled', { channel, limit, address, username, retryAfterSeconds });
    throw new ThrottledError(retryAfterSeconds);
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Usernames are user input: the Redis key holds a digest of it, not the text. */
function accountKey(username: string): string {
  return createHash('sha256').update(username).digest('base64url').slice(0, 22);
}
