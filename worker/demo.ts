// The demo county, loaded into an empty database by POST /__dev/demo (worker/dev.ts, local development only:
// the deployed Worker, worker/index.ts, never imports this file):
// a county with six townships of plausible villages (12-digit codes), the example county rulebook, demo
// accounts, four quarters of submissions and one observation round.
import type { Bindings } from './env.ts';
import { demoCounty } from '../shared/demo/generate.ts';
import example from '../shared/rulebook/county-example.json' with { type: 'json' };
import { hashPassword } from './auth/crypto.ts';
import { loadDemoActivity } from './demo-activity.ts';

export const DEMO_PASSWORD = 'demo2026';
export const DEMO_COUNTY = { code: '410999', name: '示例县', province: '41' };
/** A second, smaller and weaker county of the same province, so the province view has something to compare. */
export const DEMO_COUNTY2 = { code: '410998', name: '示例二县', province: '41' };

export interface DemoAccount {
  login: string;
  name: string;
  role: 'township' | 'county' | 'finance' | 'admin' | 'province';
  township?: string;
}

export function demoAccounts(townships: { code: string; name: string }[]): DemoAccount[] {
  return [
    { login: 'admin', name: '县委组织部管理员', role: 'admin' },
    { login: 'county', name: '县委组织部组织科', role: 'county' },
    { login: 'finance', name: '县财政局', role: 'finance' },
    { login: 'province', name: '省委组织部', role: 'province' },
    ...townships.map((t, i) => ({ login: `town${i + 1}`, name: `${t.name}组织委员`, role: 'township' as const, township: t.code })),
  ];
}

let loading: Promise<boolean> | undefined;

/** Load the demo county unless the database already has a county; true when it loaded it now. */
export function ensureDemo(env: Bindings): Promise<boolean> {
  loading ??= load(env).catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function load(env: Bindings): Promise<boolean> {
  const has = await env.DB.prepare('SELECT count(*) AS n FROM counties').first<{ n: number }>();
  if ((has?.n ?? 0) > 0) return false;
  const demo = demoCounty({ countyCode: DEMO_COUNTY.code, name: DEMO_COUNTY.name, townships: 6 });
  const now = new Date().toISOString();
  const stmts: D1PreparedStatement[] = [
    env.DB.prepare('INSERT OR IGNORE INTO counties (code, name, province_code) VALUES (?, ?, ?)').bind(DEMO_COUNTY.code, DEMO_COUNTY.name, DEMO_COUNTY.province),
    env.DB.prepare('INSERT OR IGNORE INTO rulebooks (county_code, version, rulebook_id, name, effective_from, json, created_by, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?)').bind(
      DEMO_COUNTY.code,
      example.id,
      example.name,
      '2025',
      JSON.stringify({ ...example, effectiveFrom: '2025' }),
      'demo',
      now,
    ),
  ];
  for (const t of demo.townships) {
    stmts.push(env.DB.prepare('INSERT OR IGNORE INTO townships (code, county_code, name) VALUES (?, ?, ?)').bind(t.code, DEMO_COUNTY.code, t.name));
    for (const v of t.villages) stmts.push(env.DB.prepare('INSERT OR IGNORE INTO villages (code, township_code, name) VALUES (?, ?, ?)').bind(v.code, t.code, v.name));
  }
  // One salt per account, as for any account: equal passwords must not give equal hashes.
  const accounts = demoAccounts(demo.townships);
  const hashes = await Promise.all(accounts.map(() => hashPassword(DEMO_PASSWORD)));
  for (const [i, a] of accounts.entries()) {
    stmts.push(
      env.DB.prepare(
        'INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).bind(`acc-${a.login}`, a.login, a.name, a.role, DEMO_COUNTY.province, a.role === 'province' ? null : DEMO_COUNTY.code, a.township ?? null, hashes[i]!, now),
    );
  }
  await env.DB.batch(stmts);
  await loadDemoActivity(env, demo);
  await loadSecondCounty(env, now);
  return true;
}

/** 示例二县: three townships, villages of lower quality, the example rulebook, its own admin (admin2) and
 * township officers (c2town1…), four quarters sent through the same submission path; no observation round. */
export function demoCounty2() {
  const demo = demoCounty({ countyCode: DEMO_COUNTY2.code, name: DEMO_COUNTY2.name, townships: 3, seed: 4109, villagesPerTownship: [6, 9] });
  const names = ['黄河镇', '太行乡', '伏牛镇'];
  demo.townships.forEach((t, i) => {
    t.name = names[i] ?? t.name;
    for (const v of t.villages) {
      v.township = t.name;
      // Weaker villages than 示例县 (0.80–0.99), so its 达标 rate falls below the 80% target.
      v.quality = Math.round((v.quality - 0.22 - (i === 2 ? 0.06 : 0)) * 1000) / 1000;
    }
  });
  return demo;
}

export const DEMO2_ACCOUNTS = (townships: { code: string; name: string }[]): DemoAccount[] => [
  { login: 'admin2', name: '示例二县县委组织部管理员', role: 'admin' },
  ...townships.map((t, i) => ({ login: `c2town${i + 1}`, name: `${t.name}组织委员`, role: 'township' as const, township: t.code })),
];

async function loadSecondCounty(env: Bindings, now: string): Promise<void> {
  const demo = demoCounty2();
  const { code, name, province } = DEMO_COUNTY2;
  const stmts: D1PreparedStatement[] = [
    env.DB.prepare('INSERT OR IGNORE INTO counties (code, name, province_code) VALUES (?, ?, ?)').bind(code, name, province),
    env.DB.prepare('INSERT OR IGNORE INTO rulebooks (county_code, version, rulebook_id, name, effective_from, json, created_by, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?)').bind(
      code,
      example.id,
      example.name,
      '2025',
      JSON.stringify({ ...example, county: name, countyCode: code, effectiveFrom: '2025' }),
      'demo',
      now,
    ),
  ];
  for (const t of demo.townships) {
    stmts.push(env.DB.prepare('INSERT OR IGNORE INTO townships (code, county_code, name) VALUES (?, ?, ?)').bind(t.code, code, t.name));
    for (const v of t.villages) stmts.push(env.DB.prepare('INSERT OR IGNORE INTO villages (code, township_code, name) VALUES (?, ?, ?)').bind(v.code, t.code, v.name));
  }
  const accounts = DEMO2_ACCOUNTS(demo.townships);
  const hashes = await Promise.all(accounts.map(() => hashPassword(DEMO_PASSWORD)));
  for (const [i, a] of accounts.entries()) {
    stmts.push(
      env.DB.prepare(
        'INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).bind(`acc-${a.login}`, a.login, a.name, a.role, province, code, a.township ?? null, hashes[i]!, now),
    );
  }
  await env.DB.batch(stmts);
  await loadDemoActivity(env, demo, { login: (i) => `c2town${i + 1}`, observations: false });
}
