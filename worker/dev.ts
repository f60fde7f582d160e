// Local-development entry (`npm start`, the browser tests): the production Worker (worker/index.ts) plus one
// route that loads the demo county, POST /__dev/demo, which scripts/dev.mjs and test/e2e/server.ts call once
// after `wrangler dev` is up. Only `wrangler dev worker/dev.ts` uses this file: wrangler.toml's `main` is
// worker/index.ts, so a deployment never bundles the demo loader, its accounts or its password
// (test/deploy/no-demo.test.ts proves it on the bundle `wrangler deploy --dry-run` builds).
import { Hono } from 'hono';
import type { AppEnv, Bindings } from './env.ts';
import { app } from './app.ts';
import { DEMO_COUNTY, ensureDemo } from './demo.ts';
import production from './index.ts';

const dev = new Hono<AppEnv>();

dev.post('/__dev/demo', async (c) => {
  // Local only: wrangler dev listens on 127.0.0.1; refuse anything that does not come from there.
  const host = new URL(c.req.url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') return c.json({ error: { code: 'forbidden', message: '演示数据只能在本机加载' } }, 403);
  const loaded = await ensureDemo(c.env);
  return c.json({ ok: true, loaded, county: DEMO_COUNTY });
});
dev.route('/', app);

export default {
  fetch: dev.fetch,
  scheduled: production.scheduled,
} satisfies ExportedHandler<Bindings>;
