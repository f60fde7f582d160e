// Worker entry: the Hono app handles every request; the daily cron reconciles R2 with D1 (orphaned raw files
// a failed clean-up left behind; submissions whose raw file is missing are logged for an administrator).
import { app } from './app.ts';
import type { Bindings } from './env.ts';
import { reconcileRaw } from './submissions/reconcile.ts';

export default {
  fetch: app.fetch,
  async scheduled(controller: ScheduledController, env: Bindings): Promise<void> {
    const r = await reconcileRaw(env, { now: new Date(controller.scheduledTime) });
    console.log(JSON.stringify({ event: 'reconcile_raw', scanned: r.scanned, removed: r.removed.length, missing: r.missing }));
  },
} satisfies ExportedHandler<Bindings>;
