/**
 * Browser tests drive Debian's Chromium (/usr/bin/chromium) through playwright-core against the real system the
 * test file started: the web application as the API serves it, same origin.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '../../../test-artifacts/screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a sandbox-less container; no GPU; no calls home (the machine's network is closed).
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A browser context for one person, on a desktop or a 390 px phone, in Beijing's time zone and Chinese. */
export function newContext(browser: Browser, origin: string, viewport = DESKTOP): Promise<BrowserContext> {
  return browser.newContext({ baseURL: origin, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
}

/** Signs in through the login page and waits for the application shell. */
export async function signIn(page: Page, username: string, password: string, next = '/home'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
}

/** A full-page screenshot under test-artifacts/screenshots (git-ignored), named `<name>-<desktop|phone>.png`. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}-${(page.viewportSize()?.width ?? 0) <= PHONE.width ? 'phone' : 'desktop'}.png`);
  // Spinners and skeletons gone: the page shows its data.
  await page.waitForFunction("!document.querySelector('.ant-spin-spinning, .ant-skeleton-active')", undefined, { timeout: 15_000 }).catch(() => undefined);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Screenshots of one path on a desktop and on a 390 px phone, signed in as the given person. */
export async function shotsOf(browser: Browser, origin: string, who: { username: string; password: string }, pages: Array<{ path: string; name: string; ready: (p: Page) => Promise<unknown> }>): Promise<void> {
  for (const viewport of [DESKTOP, PHONE]) {
    const ctx = await newContext(browser, origin, viewport);
    const page = await ctx.newPage();
    await signIn(page, who.username, who.password);
    for (const p of pages) {
      await page.goto(p.path);
      await p.ready(page).catch(async (err: Error) => {
        // Say which page, and what it shows instead (an error alert, a refusal).
        const shown = await page.locator('.ant-alert, .ant-result, .ant-message-notice').allInnerTexts().catch(() => []);
        throw new Error(`${p.name} (${p.path}, ${viewport.width} px): ${err.message.split('\n')[0]}; the page shows: ${JSON.stringify(shown)}`);
      });
      await shot(page, p.name);
    }
    await ctx.close();
  }
}
