// Test helpers for the Worker: a small county with accounts of every role, and signed-in requests.
import { env } from 'cloudflare:workers';
import { app } from '../../worker/app.ts';
import { hashPassword } from '../../worker/auth/crypto.ts';
import type { Role } from '../../worker/env.ts';

export const COUNTY = '410999';
export const OTHER_COUNTY = '410998';
export const T1 = '410999100';
export const T2 = '410999101';
export const T_OTHER = '410998100';
export const PASSWORD = 'test-password-1';

export interface Account {
  login: string;
  role: Role;
  county?: string;
  township?: string;
  province?: string;
}

export const ACCOUNTS: Account[] = [
  { login: 'admin', role: 'admin', county: COUNTY },
  { login: 'county', role: 'county', county: COUNTY },
  { login: 'finance', role: 'finance', county: COUNTY },
  { login: 'town1', role: 'township', county: COUNTY, township: T1 },
  { login: 'town2', role: 'township', county: COUNTY, township: T2 },
  { login: 'province', role: 'province', province: '41' },
  { login: 'other-county', role: 'county', county: OTHER_COUNTY },
  { login: 'other-town', role: 'township', county: OTHER_COUNTY, township: T_OTHER },
];

let seeded: Promise<void> | undefined;

/** Counties, townships, villages (T1: 410999100200–204, T2: 410999101200–202) and accounts. Idempotent. */
export function seed(): Promise<void> {
  seeded ??= (async () => {
    const hash = await hashPassword(PASSWORD);
    const now = new Date().toISOString();
    const s: D1PreparedStatement[] = [
      env.DB.prepare("INSERT OR IGNORE INTO counties VALUES (?, '示例县', '41')").bind(COUNTY),
      env.DB.prepare("INSERT OR IGNORE INTO counties VALUES (?, '邻县', '41')").bind(OTHER_COUNTY),
      env.DB.prepare("INSERT OR IGNORE INTO townships VALUES (?, ?, '东风镇')").bind(T1, COUNTY),
      env.DB.prepare("INSERT OR IGNORE INTO townships VALUES (?, ?, '红旗镇')").bind(T2, COUNTY),
      env.DB.prepare("INSERT OR IGNORE INTO townships VALUES (?, ?, '邻镇')").bind(T_OTHER, OTHER_COUNTY),
    ];
    const names = ['张庄村', '李寨村', '王屯村', '刘庄村', '陈店村'];
    names.forEach((n, i) => s.push(env.DB.prepare('INSERT OR IGNORE INTO villages VALUES (?, ?, ?)').bind(`${T1}${200 + i}`, T1, n)));
    ['黄店村', '杨河村', '罗坡村'].forEach((n, i) => s.push(env.DB.prepare('INSERT OR IGNORE INTO villages VALUES (?, ?, ?)').bind(`${T2}${200 + i}`, T2, n)));
    s.push(env.DB.prepare("INSERT OR IGNORE INTO villages VALUES (?, ?, '邻村')").bind(`${T_OTHER}200`, T_OTHER));
    for (const a of ACCOUNTS) {
      s.push(
        env.DB.prepare('INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').bind(
          `acc-${a.login}`,
          a.login,
          a.login,
          a.role,
          a.province ?? '41',
          a.county ?? null,
          a.township ?? null,
          hash,
          now,
        ),
      );
    }
    await env.DB.batch(s);
  })();
  return seeded;
}

const tokens = new Map<string, string>();

export async function tokenFor(login: string): Promise<string> {
  await seed();
  const cached = tokens.get(login);
  if (cached) return cached;
  const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: PASSWORD }) }, env);
  if (res.status !== 200) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  const { token } = await res.json<{ token: string }>();
  tokens.set(login, token);
  return token;
}

/** A request to the app as a signed-in user (or anonymous when login is null). */
export async function call(login: string | null, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (login) headers.set('Authorization', `Bearer ${await tokenFor(login)}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return app.request(path, { ...init, headers, body }, env);
}
