import { hash, verify } from '@node-rs/argon2';
import type { DataSource } from 'typeorm';
import { UserEntity } from '@app/persistence';

/** Argon2id with the library's recommended parameters. */
export const hashPassword = (plain: string): Promise<string> => hash(plain);

let dummy: Promise<string> | null = null;

/** Verifies; an unknown user is checked against a dummy hash so timing gives no hint which part was wrong. */
export async function verifyPassword(stored: string | undefined, plain: string): Promise<boolean> {
  dummy ??= hash('not-a-real-password');
  try {
    const ok = await verify(stored ?? (await dummy), plain);
    return stored !== undefined && ok;
  } catch {
    return false;
  }
}

/** The active user these credentials belong to, or null (the caller gives no hint which part was wrong). */
export async function userByCredentials(ds: DataSource, username: string, password: string): Promise<UserEntity | null> {
  const user = await ds.getRepository(UserEntity).createQueryBuilder('u').addSelect('u.passwordHash').where('u.username = :username AND u.active', { username }).getOne();
  return (await verifyPassword(user?.passwordHash, password)) && user ? user : null;
}
