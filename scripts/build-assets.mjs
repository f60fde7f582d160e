#!/usr/bin/env node
// Builds the dashboard's page scripts: worker/pages/client/*.ts → worker/public/assets/*.js (ES modules,
// minified, shared code such as ECharts split into content-hashed chunks). Deterministic: the same sources
// give the same bytes. Copies nothing else (the stylesheet lives in worker/public/ as written).
// Usage: node scripts/build-assets.mjs [--watch]
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(root, 'worker/pages/client');
const outDir = join(root, 'worker/public/assets');

const entryPoints = readdirSync(srcDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
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

const started = Date.now();
if (process.argv.includes('--watch')) {
  mkdirSync(outDir, { recursive: true });
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log(`watching ${srcDir}`);
} else {
  // Start clean so that chunks of earlier builds do not linger.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({ ...options, metafile: true });
  const outputs = Object.entries(result.metafile.outputs);
  const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
  console.log(`built ${entryPoints.length} page scripts, ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB in ${Date.now() - started} ms → worker/public/assets/`);
}
