import { Client } from 'pg';
import { createDataSource, runMigrationsLocked } from '@app/persistence';
import { generateDemoCity } from '../scripts/demo/demo-city.generator';
import type { DemoCity } from '../scripts/demo/demo-city.types';
import { writeDemoCity } from '../scripts/demo/demo-city.writer';

/** The server's maintenance database next to the app's DATABASE_URL (or BENCH_DATABASE_ADMIN_URL). */
export function adminUrlFrom(databaseUrl: string): string {
  if (process.env.BENCH_DATABASE_ADMIN_URL) return process.env.BENCH_DATABASE_ADMIN_URL;
  const u = new URL(databaseUrl);
  u.pathname = '/postgres';
  return u.toString();
}

export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Migrations, then the demo city (the same generator and writer as `npm run seed:demo`). */
export async function seedDatabase(databaseUrl: string, seed: number, password: string): Promise<{ city: DemoCity; migrateMs: number; seedMs: number }> {
  const ds = createDataSource(databaseUrl);
  await ds.initialize();
  try {
    const t0 = Date.now();
    await runMigrationsLocked(ds);
    const t1 = Date.now();
    const city = generateDemoCity({ seed, password });
    await writeDemoCity(ds, city);
    return { city, migrateMs: t1 - t0, seedMs: Date.now() - t1 };
  } finally {
    await ds.destroy();
  }
}
