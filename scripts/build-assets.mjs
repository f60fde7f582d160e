#!/usr/bin/env node
// Builds the dashboard's page scripts: worker/pages/client/*.ts → worker/public/assets/*.js (ES modules,
// minified, shared code such as ECharts split into content-hashed chunks). Deterministic: the same sources
// give the same bytes. Copies nothing else (the stylesheet lives in worker/public/ as written).
//
// The scoring page (score.ts, /score) is built on its own: it runs the shared sheet reader and scoring engine
// in the browser, so it needs a Buffer global for iconv-lite (GB18030 CSV files) that no other page should
// carry, and building it apart keeps the other pages' bundles and chunks exactly as they were. Its ExcelJS
// chunk is loaded only when an .xlsx file is read or a coloured copy is made.
// Usage: node scripts/build-assets.mjs [--watch]
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(root, 'worker/pages/client');
const outDir = join(root, 'worker/public/assets');

/** Pages with a build of their own (below). */
const SCORE_PAGE = 'score.ts';

const entryPoints = readdirSync(srcDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== SCORE_PAGE)
  .sort()
  .map((f) => join(srcDir, f));

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints,
  outdir: outDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  sourcemap: false,
  charset: 'utf8',
  legalComments: 'eof',
  chunkNames: 'chunks/[name]-[hash]',
  entryNames: '[name]',
  tsconfig: join(srcDir, 'tsconfig.json'),
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

/** iconv-lite bundles every double-byte and single-byte table it knows (Japanese, Korean, Big5, code pages);
 * the page only ever decodes GB18030 (shared/sheet/decode.ts), which needs cp936, gbk-added and
 * gb18030-ranges. The others are left out of the page's bundle (about 200 KiB). */
const gb18030Only = {
  name: 'iconv-lite-gb18030-only',
  /** @param {import('esbuild').PluginBuild} build */
  setup(build) {
    build.onLoad({ filter: /[\\/]iconv-lite[\\/]encodings[\\/]tables[\\/](shiftjis|eucjp|cp949|cp950|big5-added)\.json$/ }, () => ({ contents: '[]', loader: 'json' }));
    build.onLoad({ filter: /[\\/]iconv-lite[\\/]encodings[\\/]sbcs-data-generated\.js$/ }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const scoreOptions = {
  ...options,
  entryPoints: [join(srcDir, SCORE_PAGE)],
  // iconv-lite expects Node's global Buffer: the `buffer` package stands in (only in this page's bundle).
  inject: [join(srcDir, 'lib/score-buffer.ts')],
  plugins: [gb18030Only],
};

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;

const started = Date.now();
if (process.argv.includes('--watch')) {
  mkdirSync(outDir, { recursive: true });
  for (const o of [options, scoreOptions]) await (await esbuild.context(o)).watch();
  console.log(`watching ${srcDir}`);
} else {
  // Start clean so that chunks of earlier builds do not linger.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({ ...options, metafile: true });
  const score = await esbuild.build({ ...scoreOptions, metafile: true });
  const outputs = [...Object.entries(result.metafile.outputs), ...Object.entries(score.metafile.outputs)];
  const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
  console.log(`built ${entryPoints.length + 1} page scripts, ${new Set(outputs.map(([f]) => f)).size} files, ${kib(bytes)} in ${Date.now() - started} ms → worker/public/assets/`);
  const scoreFiles = Object.entries(score.metafile.outputs).map(([f, o]) => `${relative(outDir, join(root, f))} ${kib(o.bytes)}`);
  console.log(`  网页评分 (score.js, loaded on /score): ${scoreFiles.join(', ')}`);
}
