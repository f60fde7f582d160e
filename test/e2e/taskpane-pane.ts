// Driving the real task pane (dist/addin/taskpane.html, with the real Office.js from @microsoft/office-js) in
// Debian's Chromium: the build (reused when fresher than the sources), the in-memory Excel bundled for the
// page and injected before its scripts (as addin/tools/preview.mjs does), and one Pane per page with the few
// things the tests do: click a button and wait until the pane and the workbook are quiet, read the pane's
// state and the double's workbook and round-trip count, take a screenshot.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './server.ts';
import { CHROMIUM, SCREENSHOTS } from './browser.ts';
import type { WorkbookSpec } from './taskpane-model.ts';
import type { PaneState } from '../../addin/logic/controller.ts';

export const DIST = join(ROOT, 'dist/addin');

function newest(dir: string, skip: RegExp): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (skip.test(p)) continue;
    t = Math.max(t, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
  }
  return t;
}

/** `npm run build:addin` unless dist/addin/taskpane.html is newer than every source it is built from. */
export function buildAddin(): 'built' | 'reused' {
  const out = join(DIST, 'taskpane.html');
  const skip = /[\\/](tools|node_modules)([\\/]|$)/;
  const sources = Math.max(newest(join(ROOT, 'addin'), skip), newest(join(ROOT, 'shared'), skip), statSync(join(ROOT, 'manifest.xml')).mtimeMs);
  if (existsSync(out) && statSync(out).mtimeMs > sources && existsSync(join(DIST, 'office-js/office.js'))) return 'reused';
  const r = spawnSync('npm', ['run', 'build:addin', '--silent'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`构建插件失败：\n${r.stdout}\n${r.stderr}`);
  return 'built';
}

/** The in-memory Excel for the page (test/e2e/taskpane-host.ts), bundled for the browser. */
export async function hostScript(): Promise<string> {
  const stub = join(ROOT, 'addin/stubs/unavailable.ts');
  const r = await build({
    entryPoints: [join(ROOT, 'test/e2e/taskpane-host.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    alias: { exceljs: stub, 'iconv-lite': stub },
    logLevel: 'error',
  });
  return r.outputFiles[0]!.text;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`找不到 Chromium（${CHROMIUM}）：请以 root 运行 scripts/install-system-deps.sh（apt-get install chromium），或设置 CHROMIUM_PATH`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    timeout: 60_000,
  });
}

/** A task pane's window: Excel for the web's pane is about 350 px wide. */
export function paneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 360, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

interface PaneWindow {
  kaoping: {
    state: PaneState;
    idle(): Promise<void>;
  };
  kaopingDouble: { stats: { syncs: number }; settle(): Promise<void>; userEdit(sheet: string, address: string, value: string | number): Promise<void> };
  kaopingExport(): WorkbookSpec;
}

export class Pane {
  /** Script errors and failed requests the page reported. */
  readonly problems: string[] = [];

  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
  ) {
    page.on('pageerror', (e) => this.problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') this.problems.push(`console: ${m.text()}`);
    });
  }

  /** Open the pane in `context` on a workbook; resolves when the pane has started (and fetched its rulebook). */
  static async open(context: BrowserContext, baseUrl: string, host: string, book: WorkbookSpec): Promise<Pane> {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const pane = new Pane(page, context);
    await page.addInitScript((spec) => {
      (window as unknown as { __kaopingWorkbook: unknown }).__kaopingWorkbook = spec;
    }, book);
    await page.addInitScript(host);
    await page.goto(`${baseUrl}/taskpane.html`);
    await page.waitForFunction(() => {
      const k = (window as unknown as Partial<PaneWindow>).kaoping;
      return !!k && k.state.status !== 'starting';
    });
    await pane.quiet();
    return pane;
  }

  /** Wait until the pane's queued actions, the workbook's change events and what they start have all run. */
  async quiet(): Promise<void> {
    await this.page.evaluate(async () => {
      const w = window as unknown as PaneWindow;
      for (let i = 0; i < 10; i++) {
        await w.kaopingDouble.settle();
        await w.kaoping.idle();
      }
    });
  }

  /** Click a button of the pane and wait for what it started to finish. */
  async click(selector: string): Promise<void> {
    await this.page.click(selector);
    await this.quiet();
  }

  state(): Promise<PaneState> {
    return this.page.evaluate(() => (window as unknown as PaneWindow).kaoping.state);
  }

  /** context.sync() round trips the double has counted since the page opened. */
  syncs(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as PaneWindow).kaopingDouble.stats.syncs);
  }

  /** The workbook as it is now in the double. */
  book(): Promise<WorkbookSpec> {
    return this.page.evaluate(() => (window as unknown as PaneWindow).kaopingExport());
  }

  /** The officer types into a cell (fires the sheet's change event from outside the add-in). */
  async userEdit(sheet: string, address: string, value: string | number): Promise<void> {
    await this.page.evaluate(({ sheet, address, value }) => (window as unknown as PaneWindow).kaopingDouble.userEdit(sheet, address, value), { sheet, address, value });
    await this.quiet();
  }

  /** The message line as the officer sees it: class (info/success/error) and text. */
  async message(): Promise<{ kind: string; text: string; visible: boolean }> {
    const m = this.page.locator('#message');
    return { kind: (await m.getAttribute('class')) ?? '', text: ((await m.textContent()) ?? '').trim(), visible: await m.isVisible() };
  }

  /** Open the 设置 panel (a <details>). */
  async openSettings(): Promise<void> {
    if (!(await this.page.locator('#settings').evaluate((d) => (d as HTMLDetailsElement).open))) await this.page.click('#settings > summary');
  }

  /** What the officer sees: the pane's window (360×900), scrolled so that `at` (a selector) is at the top. */
  async shot(name: string, at?: string): Promise<string> {
    const path = join(SCREENSHOTS, `taskpane-${name}.png`);
    await this.page.evaluate((sel) => {
      if (sel) document.querySelector(sel)?.scrollIntoView({ block: 'start' });
      else window.scrollTo(0, 0);
    }, at ?? null);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
