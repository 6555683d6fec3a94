import IORedis, { type RedisOptions } from 'ioredis';

/**
 * BullMQ needs `maxRetriesPerRequest: null` on connections used by workers. Producers get a connection without an
 * offline queue so that adding a job fails fast while Redis is away (the outbox sweeper re-enqueues later).
 */
export function createRedis(url: string, role: 'worker' | 'producer'): IORedis {
  const opts: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  return new IORedis(url, { ...opts, lazyConnect: false, retryStrategy: (times) => Math.min(times * 200, 2000) });
}
