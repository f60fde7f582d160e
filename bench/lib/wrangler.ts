// `wrangler dev` for the bench Worker (bench/worker/wrangler.toml): Node 22, 127.0.0.1 on free ports, no
// network, its own process group so that stop() ends wrangler and its workerd and nothing else. The real
// county Worker is started with test/e2e/server.ts (startWorker) instead, which this reuses the pieces of.
import { join } from 'node:path';
import { ROOT, spawnWranglerDev, untilReady } from '../../test/e2e/server.ts';

export interface BenchWorker {
  url: string;
  /** Milliseconds from spawning wrangler until the first answer to GET /health-less probe. */
  startMs: number;
  log(): string;
  stop(): Promise<void>;
}

export async function startBenchWorker(opts: { readyTimeoutMs?: number } = {}): Promise<BenchWorker> {
  const t0 = performance.now();
  const dev = await spawnWranglerDev(['-c', join(ROOT, 'bench/worker/wrangler.toml')]);
  // 404 from our own fetch handler: the Worker is up (and DuckDB not yet started).
  await untilReady(dev, dev.stop, async () => (await fetch(`${dev.url}/ready`, { signal: AbortSignal.timeout(30_000) })).status === 404, opts.readyTimeoutMs ?? 120_000);
  return { url: dev.url, startMs: performance.now() - t0, log: dev.log, stop: dev.stop };
}
