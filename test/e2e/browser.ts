// Debian's Chromium driven by playwright-core (a test tool's own browser download fails on these machines):
// headless, no sandbox, no GPU, no background networking, a fresh profile directory per run.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './server.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');
export const PASSWORD = 'demo2026';

export interface Browser {
  context: BrowserContext;
  downloads: string;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`找不到 Chromium（${CHROMIUM}）：请以 root 运行 scripts/install-system-deps.sh（apt-get install chromium），或设置 CHROMIUM_PATH`);
  const profile = mkdtempSync(join(tmpdir(), 'kp-e2e-profile-'));
  const downloads = mkdtempSync(join(tmpdir(), 'kp-e2e-downloads-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  // launchPersistentContext: the profile directory is ours (a fresh --user-data-dir), deleted afterwards.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    acceptDownloads: true,
    downloadsPath: downloads,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    timeout: 60_000,
  });
  context.setDefaultTimeout(60_000);
  return {
    context,
    downloads,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}

/** Console errors, uncaught exceptions and CSP violations seen by a page. */
export function watch(page: Page): { problems: string[]; dialogs: string[] } {
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { problems, dialogs };
}

/** Sign in through the sign-in page; ends on the page the server sends the role to. */
export async function signIn(page: Page, base: string, login: string, next = ''): Promise<void> {
  // Leave a signed-in page first: its script, finding the session gone, could navigate to /login itself and abort
  // the navigation below (net::ERR_ABORTED).
  if (page.url() !== 'about:blank') await page.goto('about:blank');
  await page.context().clearCookies();
  await page.goto(`${base}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
}

/** Wait until a status line is no longer "loading". */
export async function settled(page: Page, selector = '#status'): Promise<string> {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return !!el && !el.classList.contains('status-loading');
  }, selector);
  return (await page.locator(selector).getAttribute('class')) ?? '';
}

export async function shot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The top of one element (a long table's head and first rows), at full resolution. */
export async function shotTop(page: Page, selector: string, name: string, height = 900): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  // Page coordinates (boundingBox() is relative to the scrolled viewport).
  const box = await page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
  });
  if (!box.width || !box.height) throw new Error(`not visible: ${selector}`);
  await page.screenshot({ path, fullPage: true, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(height, box.height) } });
  return path;
}
