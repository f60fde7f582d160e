// Opens the built task pane (dist/addin) in headless Chromium against the in-memory Excel of test/addin
// (injected before the page's scripts as window.kaopingHost), clicks 识别 and 评分, and saves screenshots.
// Needs: npm run build:addin, Debian's chromium, playwright-core. Run: node addin/tools/preview.mjs [outDir]
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist/addin');
const out = path.resolve(process.argv[2] ?? path.join(root, 'dist/preview'));
const stub = path.join(root, 'addin/stubs/unavailable.ts');

const bundle = await build({
  entryPoints: [path.join(root, 'test/addin/browser-host.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  alias: { exceljs: stub, 'iconv-lite': stub },
  logLevel: 'error',
});
const hostScript = bundle.outputFiles[0].text;

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.xml': 'application/xml' };
const server = http.createServer(async (req, res) => {
  try {
    const p = path.join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!p.startsWith(dist)) throw new Error('outside');
    const body = await readFile(p);
    res.writeHead(200, { 'content-type': types[path.extname(p)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 380, height: 900 }, locale: 'zh-CN' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(hostScript);
  await page.goto(`http://127.0.0.1:${port}/taskpane.html?villages=40`);
  await page.waitForFunction(() => window.kaoping && window.kaoping.state.status === 'ready');
  await page.click('#btn-recognize');
  await page.waitForSelector('#columns tbody tr');
  await page.screenshot({ path: path.join(out, 'recognize.png'), fullPage: true });
  await page.click('#btn-score');
  await page.waitForFunction(() => window.kaoping.state.result !== undefined && window.kaoping.state.status === 'ready');
  await page.screenshot({ path: path.join(out, 'score.png'), fullPage: true });
  const summary = await page.evaluate(() => ({ message: window.kaoping.state.message, syncs: window.kaopingDouble.stats.syncs, sheets: window.kaopingDouble.model.sheets.map((s) => s.name) }));
  console.log(JSON.stringify(summary));
  if (errors.length) {
    console.error(errors.join('\n'));
    process.exitCode = 1;
  }
  console.log(`screenshots in ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
  server.close();
}
