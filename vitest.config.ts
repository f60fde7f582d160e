import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        // shared/, cli/ and the add-in's logic: plain Node.
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/worker/**', 'test/e2e/**'],
          testTimeout: 30_000,
        },
      },
      {
        // The county Worker: inside workerd, with local D1 and R2, DuckDB-WASM for real.
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: { TEST_MIGRATIONS: await readD1Migrations(here('./worker/migrations')) },
            },
          })),
        ],
        resolve: {
          // Same alias as wrangler.toml [alias]: the pool resolves modules with Vite and ignores wrangler's.
          alias: { 'duckdb-wasm-blocking': here('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs') },
        },
        test: {
          name: 'workers',
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['./test/worker/setup.ts'],
          // The first import of duckdb-eh.wasm (34 MB) takes ~12-15 s in the pool, once per test file.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The dashboard in real Chromium against `wrangler dev` (started and stopped by the test).
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
