import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      /** Set in vitest.config.ts from worker/migrations; tests only. */
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
