/**
 * Speed of the web application (issue #12): with 1,000 open tasks for one approver, the inbox is interactive in
 * under a second, measured in Chromium; the first load's JavaScript is under 500 KB gzip (route-level splitting).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Client } from 'pg';
import type { Browser } from 'playwright-core';
import { buildWorld, makeUser } from '../support/fixtures';
import { expectStatus, type Http } from '../support/http';
import { startSystemAsAdmin, type TestSystem } from '../support/system';
import { launchBrowser, newContext, signIn } from './support/browser';

const TASKS = 1000;
const FIRST_LOAD_LIMIT = 500 * 1024;

let sys: TestSystem;
let admin: Http;
let db: Client;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  ({ sys, admin, db } = await startSystemAsAdmin('web_speed'));
  origin = new URL(sys.baseUrl).origin;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db?.end();
  await sys?.stop();
});

/** 1,000 open tasks of one organisation, written in SQL as bench/bench-inbox.ts does (no workflow behind them). */
async function seedTasks(orgId: string, institutionId: string, applicantId: string): Promise<void> {
  const processes = Array.from({ length: TASKS }, () => randomUUID());
  const now = Date.now();
  await db.query(
    `INSERT INTO processes (id, kind, status, workflow_id, subject_key, institution_id, applicant_id, current_step, payload, created_at, updated_at)
     SELECT id, 'establish-branch', 'RUNNING', 'speed-' || id, 'speed-' || id, $2, $3, 'approve', '{}'::jsonb, now(), now() FROM unnest($1::uuid[]) AS x(id)`,
    [processes, institutionId, applicantId],
  );
  await db.query(
    `INSERT INTO tasks (id, process_id, kind, step, title, candidate_org_id, due_at, status, payload_summary, created_at)
     SELECT gen_random_uuid(), p, 'establish-branch', 'approve', '审批成立党支部申请（第 ' || n || ' 件）', $2, to_timestamp(($3::bigint + (n * 3600000)) / 1000.0), 'OPEN',
            jsonb_build_object('name', '第 ' || n || ' 党支部'), now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(p, n)`,
    [processes, orgId, now - 24 * 3600_000 * 10],
  );
  await db.query('ANALYZE tasks');
}

describe('web application speed', () => {
  it('shows an inbox of 1,000 open tasks, due dates first, and records how soon it is interactive (target 1 s); the first load carries under 500 KB of gzipped JavaScript', async () => {
    const world = await buildWorld(admin);
    const approver = await makeUser(admin, 'busy', ['APPROVER'], [world.builder.id]);
    await seedTasks(world.builder.id, world.institution.id, world.applicantUser.id);
    expect(expectStatus(await approver.http.get('/tasks?status=OPEN&sort=dueAt&limit=1'), 200).body.items[0].title).toBe('审批成立党支部申请（第 1 件）');

    const ctx = await newContext(browser, origin);
    const page = await ctx.newPage();
    await signIn(page, approver.user.username, 'secret-password', '/delegations');

    // A fresh load of the inbox (the token stays in local storage): every script it fetches, and how long until the
    // earliest-due task is on screen and clickable.
    const scripts = new Map<string, number>();
    let collecting = true;
    page.on('response', (res) => {
      if (collecting && res.request().resourceType() === 'script') void res.body().then((b) => scripts.set(res.url(), gzipSync(b).length), () => undefined);
    });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto('/inbox', { waitUntil: 'commit' });
      const first = page.getByTestId('todo-table').locator('tbody tr a', { hasText: '（第 1 件）' });
      await first.waitFor();
      await first.isEnabled();
      times.push(await page.evaluate(() => performance.now()));
      if (process.env.SPEED_DEBUG) console.log(await page.evaluate(() => JSON.stringify(performance.getEntries().map((e) => [e.name.replace(/^.*\//, '').slice(0, 40), Math.round(e.startTime), Math.round(e.duration)]))));
    }
    collecting = false;
    const median = [...times].sort((a, b) => a - b)[1]!;
    console.log(`inbox with ${TASKS} open tasks interactive after ${times.map((t) => t.toFixed(0)).join(' / ')} ms; first-load JS ${(([...scripts.values()].reduce((a, b) => a + b, 0)) / 1024).toFixed(1)} KB gzip in ${scripts.size} files`);
    // The speed target (interactive in under 1 s) is a measurement, not an assertion (timing depends on the machine):
    // it is written to test-artifacts/inbox-speed.json beside its target; the test asserts what does not.
    mkdirSync(path.resolve(__dirname, '../../test-artifacts'), { recursive: true });
    writeFileSync(
      path.resolve(__dirname, '../../test-artifacts/inbox-speed.json'),
      `${JSON.stringify({ tasks: TASKS, interactiveMs: times.map((t) => Math.round(t)), medianMs: Math.round(median), targetMs: 1000, meets: median < 1000 })}\n`,
    );
    // Interactive: the row opens its task.
    await page.getByTestId('todo-table').locator('tbody tr a', { hasText: '（第 1 件）' }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await page.getByTestId('decision-card').waitFor();

    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    expect(scripts.size).toBeGreaterThan(1);
    expect(total).toBeLessThan(FIRST_LOAD_LIMIT);
    await ctx.close();
  });
});
