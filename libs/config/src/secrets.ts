import { hkdfSync } from 'node:crypto';

/** The signing secret of development and tests (in the repository, so never good for anything else). */
export const DEV_AUTH_SECRET = 'dev-only-secret-change-me-in-production';

/** The demo users' password (`npm run seed:demo`), public in the repository. */
export const DEMO_DEFAULT_PASSWORD = 'demo-password-1';

/** Bits of entropy a production AUTH_SECRET must carry (32 bytes, as `openssl rand -hex 32` gives). */
export const MIN_SECRET_BITS = 256;

/** Values that appear in the repository (the development constant, docker/.env.example): public, so refused. */
export const KNOWN_SECRETS: readonly string[] = [DEV_AUTH_SECRET, 'change-me-auth-secret-use-openssl-rand-hex-32'];

/** Known placeholders anywhere in a secret or password ("change-me…" from the example files). */
export const isPlaceholder = (value: string): boolean => KNOWN_SECRETS.includes(value) || /change[-_ ]?me/i.test(value);

/**
 * A conservative estimate of a secret's entropy in bits: its length times the bits per character of the smallest
 * usual alphabet holding all its characters (hex 4, base64/base64url 6, printable ASCII log2 95, else 8 per UTF-8
 * byte). A string with little variety ('aaaa…', 'abab…') is counted by its observed (Shannon) entropy instead, so a
 * long repetition does not pass for a random value.
 */
export function estimateEntropyBits(secret: string): number {
  if (secret.length === 0) return 0;
  const body = secret.replace(/=+$/, ''); // base64 padding carries nothing
  let perChar: number;
  if (/^[0-9a-f]+$/i.test(body)) perChar = 4;
  else if (/^[A-Za-z0-9+/_-]+$/.test(body)) perChar = 6;
  else if (/^[\x20-\x7e]+$/.test(body)) perChar = Math.log2(95);
  else return shannonBits(Buffer.from(body, 'utf8').toString('latin1'), 8);
  return shannonBits(body, perChar);
}

/** length × per-character bits, unless the characters are so repetitive that their Shannon entropy is below 3 bits. */
function shannonBits(s: string, perChar: number): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return s.length * (h < 3 ? h : perChar);
}

/** One key per purpose, so a value signed for one use can never be replayed as another (HKDF-SHA256, RFC 5869). */
export interface DerivedKeys {
  /** Bearer tokens (JWT HS256). */
  bearer: Buffer;
  /** Email-action link tokens (HMAC of task and user). */
  emailActionToken: Buffer;
  /** The hidden proof field of the email-action page's form. */
  emailActionForm: Buffer;
  /** The cookie that opens the queue dashboard (bull-board) in a browser. */
  queueBoardSession: Buffer;
}

export function deriveKeys(secret: string): DerivedKeys {
  const derive = (purpose: string): Buffer => Buffer.from(hkdfSync('sha256', secret, 'party-approvals/v1', purpose, 32));
  return { bearer: derive('bearer-token'), emailActionToken: derive('email-action-token'), emailActionForm: derive('email-action-form'), queueBoardSession: derive('queue-board-session') };
}
