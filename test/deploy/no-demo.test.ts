// The committed deployment configuration cannot load the demo county. `wrangler deploy --dry-run` builds
// exactly what a deploy would upload (offline, no login); the bundle it writes must not contain the demo
// loader, its route, its accounts' password or its generator, and the configuration must not carry a demo
// variable. The same build of the local-development entry (worker/dev.ts, what `npm start` serves) must
// contain them all: the check can tell a bundle with the demo from one without.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { node22, ROOT } from '../e2e/server.ts';

const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: '0', CI: '1' };
const dirs: string[] = [];

/** `wrangler deploy --dry-run` of the committed wrangler.toml (optionally another entry): the bundle's
 * JavaScript and wrangler's listing of the bindings. */
function dryRun(entry?: string): { js: string; out: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'kp-dry-'));
  dirs.push(outdir);
  const r = spawnSync(node22(), [WRANGLER, 'deploy', ...(entry ? [entry] : []), '--dry-run', '--outdir', outdir], { cwd: ROOT, env: ENV, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const js = readdirSync(outdir)
    .filter((f) => /\.(m?js)$/.test(f))
    .map((f) => readFileSync(join(outdir, f), 'utf8'))
    .join('\n');
  if (js.length < 10_000) throw new Error(`no bundle written to ${outdir}`);
  return { js, out: r.stdout };
}

/** What only the demo brings: its route, its loader and its accounts' password. */
const DEMO_MARKERS = ['/__dev/demo', 'demo2026', 'loadDemoActivity', 'DEMO_PASSWORD', 'ensureDemo'];

const present = (js: string) => DEMO_MARKERS.filter((m) => js.includes(m));

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('deployment configuration and demo data', () => {
  it('the bundle `wrangler deploy` would upload has no demo loader, route or password, and no DEMO variable', () => {
    const { js, out } = dryRun();
    expect(js).toContain('/api/auth/login');
    expect(present(js)).toEqual([]);
    // The bindings wrangler lists: the configured variables, none of them a demo switch.
    expect(out).toMatch(/env\.AUTH_MODE/);
    expect(out).not.toMatch(/DEMO/i);
  }, 150_000);

  it('the local-development entry does bundle them (the check sees the demo when it is there)', () => {
    const { js } = dryRun('worker/dev.ts');
    expect(present(js)).toEqual(DEMO_MARKERS);
  }, 150_000);
});
