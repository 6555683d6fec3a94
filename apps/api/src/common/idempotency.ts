import { createHash } from 'node:crypto';
import { fieldError } from './errors';

/**
 * An `Idempotency-Key` header as the key of what it asked for: one user's key, hashed (keys of two users never
 * meet), or null when the request carries none. 400 naming the header when its length is out of bounds.
 */
export function idempotencyRecordKey(userId: string, idempotencyKey: string | undefined): string | null {
  if (idempotencyKey === undefined) return null;
  if (idempotencyKey.length < 1 || idempotencyKey.length > 200) throw fieldError('Idempotency-Key', '长度须在 1-200 之间');
  return createHash('sha256').update(`${userId}:${idempotencyKey}`).digest('hex');
}
