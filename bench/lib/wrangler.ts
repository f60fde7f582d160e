// `wrangler dev` for the bench Worker (bench/worker/wrangler.toml): Node 22, 127.0.0.1 on free ports, no
// network, its own process group so that stop() ends wrangler and its workerd and nothing else. The real
// county Worker is started with test/e2e/server.ts (startWorker) instead, which this reuses the pieces of.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, node22, ROOT, WRANGLER_ENV } from '../../test/e2e/server.ts';

export interface BenchWorker {
  url: string;
  /** Milliseconds from spawning wrangler until the first answer to GET /health-less probe. */
  startMs: number;
  log(): string;
  stop(): Promise<void>;
}

const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

export async function startBenchWorker(opts: { readyTimeoutMs?: number } = {}): Promise<BenchWorker> {
  const t0 = performance.now();
  const port = await freePort();
  const inspector = await freePort();
  const out: string[] = [];
  const child = spawn(
    node22(),
    [WRANGLER, 'dev', '-c', join(ROOT, 'bench/worker/wrangler.toml'), '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--show-interactive-dev-session=false', '--log-level', 'warn'],
    { cwd: ROOT, env: WRANGLER_ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (b: Buffer) => {
    out.push(b.toString());
    if (out.length > 400) out.splice(0, out.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (exited === undefined && child.pid) process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  const orphanGuard = () => kill('SIGKILL');
  process.once('exit', orphanGuard);
  const stop = async () => {
    if (exited === undefined) {
      kill('SIGTERM');
      const t = setTimeout(() => kill('SIGKILL'), 8_000);
      await exit;
      clearTimeout(t);
    }
    process.removeListener('exit', orphanGuard);
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`wrangler dev (bench worker) exited (${exited}):\n${out.join('')}`);
    }
    try {
      // 404 from our own fetch handler: the Worker is up (and DuckDB not yet started).
      const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(30_000) });
      if (res.status === 404) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev (bench worker) not ready in time:\n${out.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, startMs: performance.now() - t0, log: () => out.join(''), stop };
}
