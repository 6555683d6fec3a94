import { createHmac } from 'node:crypto';

/** An HS256 token signed with `key`, as jsonwebtoken would make it (for tests that forge or age tokens). */
export function jwt(key: string | Buffer, claims: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}
