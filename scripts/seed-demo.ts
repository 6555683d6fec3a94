/**
 * `npm run seed:demo [-- --seed N]` (also run by `npm start -- --demo`): loads a generated city the size the
 * seed policy describes — 14 districts/zones, ~150 townships, 261 institutions with 28,000 residents, 124
 * home-care centres, 2,930 stations, their party members and organizations — plus the demo users.
 *
 * Deterministic for a seed. Idempotent: a database that was seeded once (settings row `demo_seed`) is left alone.
 * DATABASE_URL as for the apps; migrations are run first. DEMO_PASSWORD sets the demo users' password.
 */
import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { createDataSource, runMigrationsLocked } from '@app/persistence';
import { DEMO_DEFAULT_PASSWORD, generateDemoCity } from './demo/demo-city.generator';
import { summariseDemoCity } from './demo/demo-city.summary';
import { writeDemoCity } from './demo/demo-city.writer';

interface Args {
  seed: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
    if (a === '--seed' || a.startsWith('--seed=')) {
      if (!a.includes('=')) i += 1;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 2 ** 31) throw new Error(`--seed must be a non-negative integer, got "${value}"`);
      args.seed = n;
    } else if (a === '--help' || a === '-h') {
      console.log('Usage: npm run seed:demo [-- --seed N]   (default seed 1; DEMO_PASSWORD sets the demo users\' password)');
      process.exit(0);
    } else {
      throw new Error(`unknown argument "${a}" (try --help)`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const { seed } = parseArgs(process.argv.slice(2));
  const cfg = loadConfig(process.env);
  const password = process.env.DEMO_PASSWORD || DEMO_DEFAULT_PASSWORD;
  // The default demo password is in the repository: accounts carrying it must never exist outside development.
  if (!cfg.development && password === DEMO_DEFAULT_PASSWORD) {
    throw new Error('the demo password is public; outside development (NODE_ENV development/test) set DEMO_PASSWORD to a password of your own');
  }
  const ds = createDataSource(cfg.databaseUrl);
  await ds.initialize();
  try {
    await runMigrationsLocked(ds);
    const city = generateDemoCity({ seed, password });
    const outcome = await writeDemoCity(ds, city);
    if (!outcome.written) {
      console.log(`[seed-demo] this database already holds the demo dataset (seed ${outcome.marker.seed}, loaded ${outcome.marker.at}); nothing written.`);
      console.log('[seed-demo] use a fresh database to load another seed.');
      return;
    }
    const s = summariseDemoCity(city);
    const orgs = Object.entries(s.organizations).map(([k, v]) => `${k} ${v}`).join(', ');
    const insts = Object.entries(s.institutions).map(([k, v]) => `${k} ${v}`).join(', ');
    const m = s.members;
    console.log(
      [
        `[seed-demo] demo city (seed ${seed}) written in ${outcome.ms} ms`,
        `  districts/zones   ${s.districts}`,
        `  organizations     ${city.organizations.length} (${orgs})`,
        `  institutions      ${city.institutions.length} (${insts})`,
        `  residents         ${s.residents}`,
        `  party members     ${city.members.length} (staff ${m.staffFull} full + ${m.staffProbationary} probationary; elderly ${m.elderlyFull} full + ${m.elderlyProbationary} probationary)`,
        `  FULL staff spread over the 261 institutions: 0 → ${s.staffSpread['0']}, 1-2 → ${s.staffSpread['1-2']}, 3-6 → ${s.staffSpread['3-6']}, 7+ → ${s.staffSpread['7+']}`,
        `  with an organization (own or joint): ${s.covered}`,
        '',
        '  Demo accounts (sign in at POST /api/v1/auth/login):',
        ...city.users.map((u) => `    ${u.username.padEnd(16)} password "${u.password}"   ${u.note}`),
        `    ${(cfg.adminUsername ?? 'admin').padEnd(16)} ${cfg.adminUsername ? 'password from ADMIN_PASSWORD' : 'password printed once by the API on its first start'}   ADMIN`,
      ].join('\n'),
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`[seed-demo] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
