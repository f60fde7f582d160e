// One test file's real Worker and browser, started before its tests and stopped after them (every Chromium suite
// against the demo county uses it).
import { afterAll, beforeAll } from 'vitest';
import { launch, type Browser } from './browser.ts';
import { buildAssets, startWorker, type Worker } from './server.ts';

/** One test file's real Worker (demo county loaded) and Chromium: built and started before its tests, stopped after
 * them. Read `suite.worker` and `suite.browser` inside tests and hooks. */
export function demoSuite(): { readonly worker: Worker; readonly browser: Browser } {
  const s: { worker?: Worker; browser?: Browser } = {};
  beforeAll(async () => {
    buildAssets();
    s.worker = await startWorker();
    s.browser = await launch();
  }, 300_000);
  afterAll(async () => {
    await s.browser?.close();
    await s.worker?.stop();
  }, 60_000);
  return {
    get worker() {
      if (!s.worker) throw new Error('the Worker is not started (demoSuite hooks not run)');
      return s.worker;
    },
    get browser() {
      if (!s.browser) throw new Error('the browser is not launched (demoSuite hooks not run)');
      return s.browser;
    },
  };
}
