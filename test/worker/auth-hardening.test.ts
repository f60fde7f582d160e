// Sessions and secrets: passwords only as salted PBKDF2, session tokens only as SHA-256, sessions that
// expire and can be ended, disabled accounts locked out at once, one answer (and the same PBKDF2 work) for
// every failed sign-in, and Cloudflare Access JWTs verified against keys this test generates.
import { env } from 'cloudflare:workers';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../../worker/app.ts';
import { b64url, hashPassword, sha256Hex, verifyPassword } from '../../worker/auth/crypto.ts';
import { AccessError, NBF_LEEWAY_S, teamKeys, verifyAccessJwt, type Jwk } from '../../worker/auth/access.ts';
import { setAccessKeySource } from '../../worker/auth/middleware.ts';
import { canSeeCounty, canSeeTownship, countyOf } from '../../worker/auth/scope.ts';
import { checkPassword, createSession, ttlHours, userForToken } from '../../worker/auth/session.ts';
import type { User } from '../../worker/env.ts';
import { COUNTY, PASSWORD, seed } from './helpers.ts';

type Env = typeof env;

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const signIn = (login: string, password: string, e: Env = env) => app.request('/api/auth/login', json({ login, password }), e);
const me = (token: string, e: Env = env) => app.request('/api/auth/me', { headers: { Authorization: `Bearer ${token}` } }, e);

/** An account of its own (its own salt), so tests may disable or sign it out without touching others. */
async function account(login: string, opts: { role?: string; disabled?: boolean; password?: string } = {}): Promise<User> {
  await seed();
  await env.DB.prepare(
    'INSERT INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)',
  )
    .bind(`acc-${login}`, login, login, opts.role ?? 'county', '41', COUNTY, await hashPassword(opts.password ?? PASSWORD), opts.disabled ? 1 : 0, new Date().toISOString())
    .run();
  return { id: `acc-${login}`, login, name: login, role: 'county', provinceCode: '41', countyCode: COUNTY, townshipCode: null };
}

async function tokenOf(login: string, e: Env = env): Promise<{ token: string; expiresAt: string; res: Response }> {
  const res = await signIn(login, PASSWORD, e);
  expect(res.status, login).toBe(200);
  const body = await res.clone().json<{ token: string; expiresAt: string }>();
  return { ...body, res };
}

const sessionsOf = (accountId: string) =>
  env.DB.prepare('SELECT token_hash, created_at, expires_at FROM sessions WHERE account_id = ? ORDER BY created_at')
    .bind(accountId)
    .all<{ token_hash: string; created_at: string; expires_at: string }>()
    .then((r) => r.results);

// ---------------------------------------------------------------------------------------------------

describe('passwords', () => {
  it('are stored as salted PBKDF2-SHA256 (100,000 iterations), never in clear, with a salt per account', async () => {
    await account('pw-a');
    await account('pw-b');
    const rows = (await env.DB.prepare("SELECT login, password_hash FROM accounts WHERE login IN ('pw-a', 'pw-b')").all<{ login: string; password_hash: string }>()).results;
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^pbkdf2\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      expect(r.password_hash).not.toContain(PASSWORD);
      expect(r.password_hash).not.toContain(b64url(new TextEncoder().encode(PASSWORD)));
    }
    // The same password, two accounts: different salts, so different hashes.
    const [a, b] = rows.map((r) => r.password_hash.split('$'));
    expect(a![2]).not.toBe(b![2]);
    expect(a![3]).not.toBe(b![3]);
    expect(await verifyPassword(PASSWORD, rows[0]!.password_hash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}x`, rows[0]!.password_hash)).toBe(false);
  });

  it('a damaged stored hash is a failed sign-in, not a crash', async () => {
    for (const bad of ['', 'plain', 'pbkdf2$100000$', 'pbkdf2$999999$AAAA$AAAA', 'pbkdf2$100000$!!!$AAAA', 'sha1$1$AAAA$AAAA']) {
      expect(await verifyPassword(PASSWORD, bad), bad).toBe(false);
    }
  });
});

describe('failed sign-ins all look the same', () => {
  beforeAll(async () => {
    await account('fail-ok');
    await account('fail-disabled', { disabled: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('wrong password, unknown login and disabled account: one status, one message, one PBKDF2 of 100,000 iterations', async () => {
    const derive = vi.spyOn(crypto.subtle, 'deriveBits');
    const cases: [string, string, string][] = [
      ['wrong password', 'fail-ok', 'not-the-password'],
      ['unknown login', 'no-such-login', PASSWORD],
      ['disabled account, right password', 'fail-disabled', PASSWORD],
    ];
    const answers: string[] = [];
    for (const [name, login, password] of cases) {
      derive.mockClear();
      const res = await signIn(login, password);
      expect(res.status, name).toBe(401);
      expect(res.headers.get('set-cookie'), name).toBeNull();
      answers.push(await res.text());
      const iterations = derive.mock.calls.map((c) => (c[0] as { iterations: number }).iterations);
      expect(iterations, name).toEqual([100_000]);
    }
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0]!)).toEqual({ error: { code: 'unauthorized', message: '账号或密码不正确' } });
    // The right password does the same work once, and no more.
    derive.mockClear();
    expect((await signIn('fail-ok', PASSWORD)).status).toBe(200);
    expect(derive.mock.calls.map((c) => (c[0] as { iterations: number }).iterations)).toEqual([100_000]);
  });

  it('the sign-in form (POST /login) answers the same for each failure', async () => {
    const form = (login: string, password: string) =>
      app.request('/login', { method: 'POST', body: new URLSearchParams({ login, password }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, env);
    const pages = await Promise.all([form('fail-ok', 'nope'), form('no-such-login', PASSWORD), form('fail-disabled', PASSWORD)]);
    expect(pages.map((p) => p.status)).toEqual([401, 401, 401]);
    const bodies = await Promise.all(pages.map((p) => p.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('账号或密码不正确');
    const ok = await form('fail-ok', PASSWORD);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('set-cookie')).toMatch(/kp_session=[A-Za-z0-9_-]{43};.*HttpOnly/i);
  });

  it('checkPassword itself: null for every failure, the user for the right password', async () => {
    expect(await checkPassword(env, 'fail-ok', 'nope')).toBeNull();
    expect(await checkPassword(env, 'no-such-login', PASSWORD)).toBeNull();
    expect(await checkPassword(env, 'fail-disabled', PASSWORD)).toBeNull();
    expect(await checkPassword(env, 'fail-ok', PASSWORD)).toMatchObject({ login: 'fail-ok', role: 'county' });
  });
});

describe('session tokens', () => {
  it('the client gets 32 random bytes; the database keeps only their SHA-256', async () => {
    const u = await account('tok');
    const { token, res } = await tokenOf('tok');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await sessionsOf(u.id);
    expect(rows.map((r) => r.token_hash)).toEqual([await sha256Hex(token)]);
    // Nowhere in the sessions table, in any column, is the token itself.
    const all = await env.DB.prepare('SELECT * FROM sessions').all();
    expect(JSON.stringify(all.results)).not.toContain(token);
    // The cookie carries the same token, HttpOnly and SameSite=Strict, expiring with the session.
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`kp_session=${token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    // A second sign-in is a second, different session.
    const second = await tokenOf('tok');
    expect(second.token).not.toBe(token);
    expect(await sessionsOf(u.id)).toHaveLength(2);
  });

  it('over https the cookie is Secure', async () => {
    await account('tok-https');
    const res = await app.request('https://county.example/api/auth/login', json({ login: 'tok-https', password: PASSWORD }), env);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('a token that only looks right, or the stored hash itself, is refused', async () => {
    const u = await account('tok-forge');
    const { token } = await tokenOf('tok-forge');
    const [row] = await sessionsOf(u.id);
    // The hash is 64 hex characters: presented as a token it is just an unknown token.
    expect((await me(row!.token_hash)).status).toBe(401);
    expect((await me(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).status).toBe(401);
    expect((await app.request('/api/auth/me', { headers: { Authorization: `Basic ${token}` } }, env)).status).toBe(401);
    expect((await app.request('/api/auth/me', { headers: { Authorization: `Bearer ${token}!` } }, env)).status).toBe(401);
    expect((await me(token)).status).toBe(200);
  });
});

describe('sessions expire', () => {
  it('SESSION_TTL_HOURS sets the lifetime (default 12 h; nonsense falls back to 12 h)', () => {
    expect(ttlHours({ ...env, SESSION_TTL_HOURS: undefined })).toBe(12);
    expect(ttlHours({ ...env, SESSION_TTL_HOURS: '2' })).toBe(2);
    for (const bad of ['0', '-1', 'abc', '100000', 'Infinity']) expect(ttlHours({ ...env, SESSION_TTL_HOURS: bad }), bad).toBe(12);
  });

  it('valid until expiresAt, refused from then on (userForToken with a moved clock)', async () => {
    const u = await account('exp-clock');
    const e = { ...env, SESSION_TTL_HOURS: '1' };
    const t0 = new Date('2026-03-01T08:00:00.000Z');
    const { token, expiresAt } = await createSession(e, u, t0);
    expect(expiresAt).toBe('2026-03-01T09:00:00.000Z');
    expect(await userForToken(e, token, new Date(t0.getTime() + 59 * 60_000))).toMatchObject({ login: 'exp-clock' });
    expect(await userForToken(e, token, new Date(t0.getTime() + 3600_000 - 1))).not.toBeNull();
    expect(await userForToken(e, token, new Date(t0.getTime() + 3600_000))).toBeNull();
    expect(await userForToken(e, token, new Date(t0.getTime() + 61 * 60_000))).toBeNull();
  });

  it('over HTTP: 200 before expiry, 401 after (sign-in with a 1-hour TTL, then the clock of the row moves)', async () => {
    const u = await account('exp-http');
    const e = { ...env, SESSION_TTL_HOURS: '1' };
    const before = Date.now();
    const { token, expiresAt } = await tokenOf('exp-http', e);
    const ttl = Date.parse(expiresAt) - before;
    expect(ttl).toBeGreaterThan(3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(3600_000 + 60_000);
    expect((await me(token, e)).status).toBe(200);
    // Expiring in a few seconds: still valid.
    await env.DB.prepare('UPDATE sessions SET expires_at = ? WHERE account_id = ?').bind(new Date(Date.now() + 5_000).toISOString(), u.id).run();
    expect((await me(token, e)).status).toBe(200);
    // Expired a second ago: refused, on the API and on the pages.
    await env.DB.prepare('UPDATE sessions SET expires_at = ? WHERE account_id = ?').bind(new Date(Date.now() - 1_000).toISOString(), u.id).run();
    const res = await me(token, e);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: '登录已过期，请重新登录' } });
    const page = await app.request('/', { headers: { Cookie: `kp_session=${token}` } }, e);
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2F');
  });

  it('a session created already past its lifetime never works; a new sign-in clears the expired rows', async () => {
    const u = await account('exp-old');
    const old = await createSession(env, u, new Date(Date.now() - 13 * 3600_000));
    expect((await me(old.token)).status).toBe(401);
    const fresh = await createSession(env, u, new Date(Date.now() - 12 * 3600_000 + 30_000));
    expect((await me(fresh.token)).status).toBe(200);
    expect(await sessionsOf(u.id)).toHaveLength(2);
    await tokenOf('exp-old');
    // The expired one is gone; the live ones stay.
    const left = await sessionsOf(u.id);
    expect(left).toHaveLength(2);
    expect(left.map((r) => r.token_hash)).not.toContain(await sha256Hex(old.token));
  });
});

describe('ending sessions', () => {
  it('sign-out (bearer) revokes that session only; the other one of the same account keeps working', async () => {
    const u = await account('out');
    const a = await tokenOf('out');
    const b = await tokenOf('out');
    expect((await me(a.token)).status).toBe(200);
    const res = await app.request('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${a.token}` } }, env);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/kp_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    expect((await me(a.token)).status).toBe(401);
    expect((await me(b.token)).status).toBe(200);
    expect((await sessionsOf(u.id)).map((r) => r.token_hash)).toEqual([await sha256Hex(b.token)]);
  });

  it('sign-out by cookie revokes it too (the page session)', async () => {
    await account('out-cookie');
    const { token } = await tokenOf('out-cookie');
    const cookie = { Cookie: `kp_session=${token}` };
    expect((await app.request('/api/auth/me', { headers: cookie }, env)).status).toBe(200);
    expect((await app.request('/api/auth/logout', { method: 'POST', headers: cookie }, env)).status).toBe(200);
    expect((await app.request('/api/auth/me', { headers: cookie }, env)).status).toBe(401);
    expect((await app.request('/', { headers: cookie }, env)).status).toBe(302);
  });

  it('disabling an account stops its live sessions at once (API and pages), and it cannot sign in again', async () => {
    const u = await account('to-disable');
    const { token } = await tokenOf('to-disable');
    expect((await me(token)).status).toBe(200);
    expect((await app.request('/', { headers: { Authorization: `Bearer ${token}` } }, env)).status).toBe(200);
    await env.DB.prepare('UPDATE accounts SET disabled = 1 WHERE id = ?').bind(u.id).run();
    expect((await me(token)).status).toBe(401);
    expect((await app.request('/api/submissions', { headers: { Authorization: `Bearer ${token}` } }, env)).status).toBe(401);
    expect((await app.request('/', { headers: { Authorization: `Bearer ${token}` } }, env)).status).toBe(302);
    expect((await signIn('to-disable', PASSWORD)).status).toBe(401);
    // Re-enabled: the old session (not expired) works again; nothing else was needed to lock it.
    await env.DB.prepare('UPDATE accounts SET disabled = 0 WHERE id = ?').bind(u.id).run();
    expect((await me(token)).status).toBe(200);
  });
});

describe('scope rules (worker/auth/scope.ts)', () => {
  const user = (over: Partial<User>): User => ({ id: 'x', login: 'x', name: 'x', role: 'county', provinceCode: null, countyCode: null, townshipCode: null, ...over });

  it('a province account sees exactly the counties of its two-digit province; a malformed code sees none', () => {
    expect(canSeeCounty(user({ role: 'province', provinceCode: '41' }), '410999')).toBe(true);
    expect(canSeeCounty(user({ role: 'province', provinceCode: '41' }), '420999')).toBe(false);
    for (const bad of ['4', '', '410', '4x', null]) {
      expect(canSeeCounty(user({ role: 'province', provinceCode: bad }), '410999'), String(bad)).toBe(false);
      expect(canSeeTownship(user({ role: 'province', provinceCode: bad }), '410999100'), String(bad)).toBe(false);
    }
  });

  it('county roles their county, township officers their township, nobody without a code', () => {
    for (const role of ['county', 'finance', 'admin'] as const) {
      expect(canSeeCounty(user({ role, countyCode: '410999' }), '410999')).toBe(true);
      expect(canSeeCounty(user({ role, countyCode: '410999' }), '410998')).toBe(false);
      expect(canSeeCounty(user({ role }), '410999')).toBe(false);
      expect(canSeeTownship(user({ role, countyCode: '410999' }), '410999101')).toBe(true);
      expect(canSeeTownship(user({ role, countyCode: '410999' }), '410998100')).toBe(false);
    }
    const town = user({ role: 'township', countyCode: '410999', townshipCode: '410999100' });
    expect(canSeeCounty(town, '410999')).toBe(false);
    expect(canSeeTownship(town, '410999100')).toBe(true);
    expect(canSeeTownship(town, '410999101')).toBe(false);
    expect(canSeeTownship(user({ role: 'township' }), '410999100')).toBe(false);
    expect(countyOf(town)).toBe('410999');
    expect(() => countyOf(town, '410998')).toThrow();
    expect(() => countyOf(user({ role: 'province', provinceCode: '41' }))).toThrow();
    expect(countyOf(user({ role: 'province', provinceCode: '41' }), '410998')).toBe('410998');
  });
});

// ---------------------------------------------------------------------------------------------------
// Cloudflare Access.

const TEAM = 'kaoping-test.cloudflareaccess.com';
const AUD = 'aud-0123456789abcdef';
const ISS = `https://${TEAM}`;
const accessEnv = { ...env, AUTH_MODE: 'access', ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD };

const enc = new TextEncoder();
const b64json = (x: unknown) => b64url(enc.encode(JSON.stringify(x)));

interface Keys {
  privateKey: CryptoKey;
  jwk: Jwk;
}

async function rsaKeys(kid: string): Promise<Keys> {
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const pub = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
  return { privateKey: pair.privateKey, jwk: { kid, kty: 'RSA', alg: 'RS256', n: pub.n!, e: pub.e! } };
}

async function rs256(header: Record<string, unknown>, claims: Record<string, unknown>, key: CryptoKey): Promise<string> {
  const input = `${b64json(header)}.${b64json(claims)}`;
  const sig = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, enc.encode(input)));
  return `${input}.${b64url(sig)}`;
}

describe('Cloudflare Access JWTs (keys generated here, served with setAccessKeySource)', () => {
  let good: Keys;
  let other: Keys;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => ({ aud: [AUD], email: 'officer@county.example', iss: ISS, iat: now() - 10, nbf: now() - 10, exp: now() + 600, sub: 'u-1', ...over });
  const token = (over: Record<string, unknown> = {}, key?: CryptoKey, header: Record<string, unknown> = {}) => rs256({ alg: 'RS256', kid: 'k1', typ: 'JWT', ...header }, claims(over), key ?? good.privateKey);
  const withJwt = (jwt: string | undefined, path = '/api/auth/me') => app.request(path, jwt === undefined ? {} : { headers: { 'Cf-Access-Jwt-Assertion': jwt } }, accessEnv);

  beforeAll(async () => {
    await seed();
    [good, other] = await Promise.all([rsaKeys('k1'), rsaKeys('k2-not-served')]);
    const served = new Map([[good.jwk.kid, good.jwk]]);
    setAccessKeySource(async (kid) => served.get(kid), TEAM);
    const stamp = new Date().toISOString();
    const hash = await hashPassword('unused-in-access-mode');
    await env.DB.batch([
      env.DB.prepare("INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, created_at) VALUES ('acc-officer', 'officer@county.example', '组织科', 'county', '41', ?, NULL, ?, ?)").bind(COUNTY, hash, stamp),
      env.DB.prepare("INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, disabled, created_at) VALUES ('acc-gone', 'gone@county.example', '已停用', 'county', '41', ?, NULL, ?, 1, ?)").bind(COUNTY, hash, stamp),
    ]);
  });
  afterAll(() => setAccessKeySource(undefined));

  it('a valid token signs in as the account whose login is its email (API and pages)', async () => {
    const jwt = await token();
    const res = await withJwt(jwt);
    expect(res.status).toBe(200);
    expect((await res.json<{ user: User }>()).user).toMatchObject({ login: 'officer@county.example', role: 'county', countyCode: COUNTY });
    expect((await withJwt(jwt, '/')).status).toBe(200);
    // A string aud (not an array), no nbf, an issuer with a trailing slash: all as Access may send them.
    expect((await withJwt(await token({ aud: AUD, nbf: undefined, iss: `${ISS}/` }))).status).toBe(200);
    // nbf slightly ahead of the Worker's clock (within the leeway) is accepted.
    expect((await withJwt(await token({ nbf: now() + NBF_LEEWAY_S - 5 }))).status).toBe(200);
  });

  it('the e-mail is matched case-insensitively (Officer@County.EXAMPLE is officer@county.example)', async () => {
    for (const email of ['Officer@County.EXAMPLE', 'OFFICER@COUNTY.EXAMPLE']) {
      const res = await withJwt(await token({ email }));
      expect(res.status, email).toBe(200);
      expect((await res.json<{ user: User }>()).user).toMatchObject({ id: 'acc-officer', login: 'officer@county.example' });
    }
    // Still exact in everything but case.
    expect((await withJwt(await token({ email: 'officer@county.example.cn' }))).status).toBe(403);
    expect((await withJwt(await token({ email: 'Gone@County.Example' }))).status).toBe(403);
  });

  const rejected: [string, () => Promise<string>][] = [
    ['signed by another key under the served kid', () => token({}, other.privateKey)],
    ['payload changed after signing (another email)', async () => {
      const [h, , s] = (await token()).split('.');
      return `${h}.${b64json(claims({ email: 'admin' }))}.${s}`;
    }],
    ['wrong aud', () => token({ aud: ['someone-else'] })],
    ['no aud', () => token({ aud: undefined })],
    ['expired', () => token({ exp: now() - 1 })],
    ['exp missing', () => token({ exp: undefined })],
    ['exp not a number', () => token({ exp: String(now() + 600) })],
    ['nbf in the future', () => token({ nbf: now() + 600 })],
    ['wrong issuer', () => token({ iss: 'https://evil.cloudflareaccess.com' })],
    ['no issuer', () => token({ iss: undefined })],
    ['alg none, no signature', async () => `${b64json({ alg: 'none', kid: 'k1' })}.${b64json(claims())}.`],
    ['alg none with a signature part', async () => `${b64json({ alg: 'none', kid: 'k1' })}.${b64json(claims())}.${b64url(enc.encode('x'))}`],
    ['HS256 keyed with the public key (algorithm confusion)', async () => {
      const input = `${b64json({ alg: 'HS256', kid: 'k1' })}.${b64json(claims())}`;
      const secret = await crypto.subtle.importKey('raw', enc.encode(JSON.stringify(good.jwk)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      return `${input}.${b64url(new Uint8Array(await crypto.subtle.sign('HMAC', secret, enc.encode(input))))}`;
    }],
    ['RS512 claimed', () => token({}, undefined, { alg: 'RS512' })],
    ['unknown kid', () => token({}, other.privateKey, { kid: 'k2-not-served' })],
    ['no kid', () => token({}, undefined, { kid: undefined })],
    ['kid not a string', () => token({}, undefined, { kid: 1 })],
    ['two parts', async () => (await token()).split('.').slice(0, 2).join('.')],
    ['four parts', async () => `${await token()}.x`],
    ['not base64url', async () => `${(await token()).slice(0, -3)}*=*`],
    ['header is JSON null', async () => `${b64url(enc.encode('null'))}.${b64json(claims())}.AAAA`],
    ['payload is a JSON number', async () => {
      const input = `${b64json({ alg: 'RS256', kid: 'k1' })}.${b64url(enc.encode('42'))}`;
      return `${input}.${b64url(new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', good.privateKey, enc.encode(input))))}`;
    }],
    ['header not JSON', async () => `${b64url(enc.encode('{alg'))}.${b64json(claims())}.AAAA`],
    ['empty string', async () => ''],
    ['garbage', async () => 'not-a-jwt'],
    ['no email claim', () => token({ email: undefined })],
  ];

  it.each(rejected)('401: %s', async (_name, make) => {
    const res = await withJwt(await make());
    expect(res.status).toBe(401);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('unauthorized');
  });

  it('no token at all → 401; pages redirect to sign-in', async () => {
    expect((await withJwt(undefined)).status).toBe(401);
    const page = await withJwt(undefined, '/ledger');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Fledger');
  });

  it('a valid token for an email with no account, or a disabled one → 403 naming the email', async () => {
    for (const email of ['stranger@county.example', 'gone@county.example']) {
      const res = await withJwt(await token({ email }));
      expect(res.status, email).toBe(403);
      expect((await res.json<{ error: { message: string } }>()).error.message).toContain(email);
    }
  });

  it('access mode ignores local sessions and refuses local sign-in', async () => {
    const { token: local } = await tokenOf('admin');
    expect((await app.request('/api/auth/me', { headers: { Authorization: `Bearer ${local}` } }, accessEnv)).status).toBe(401);
    const res = await app.request('/api/auth/login', json({ login: 'admin', password: PASSWORD }), accessEnv);
    expect(res.status).toBe(400);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('access_mode');
  });

  it('a service not configured for Access (no team or audience) refuses everyone', async () => {
    const jwt = await token();
    expect((await app.request('/api/auth/me', { headers: { 'Cf-Access-Jwt-Assertion': jwt } }, { ...accessEnv, ACCESS_AUD: undefined })).status).toBe(401);
    expect((await app.request('/api/auth/me', { headers: { 'Cf-Access-Jwt-Assertion': jwt } }, { ...accessEnv, ACCESS_AUD: 'other-app' })).status).toBe(401);
  });

  it('verifyAccessJwt: the reason of each refusal (Chinese, for the 401 message)', async () => {
    const keys = async (kid: string) => (kid === 'k1' ? good.jwk : undefined);
    const verify = async (jwt: string) => {
      try {
        await verifyAccessJwt(jwt, { audience: AUD, keys, issuer: ISS });
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(AccessError);
        return (e as Error).message;
      }
    };
    expect(await verify(await token())).toBe('ok');
    expect(await verify(await token({}, other.privateKey))).toBe('身份凭证签名无效');
    expect(await verify(await token({ aud: ['x'] }))).toBe('身份凭证的受众（aud）不符');
    expect(await verify(await token({ exp: now() - 1 }))).toBe('身份凭证已过期');
    expect(await verify(await token({ nbf: now() + 600 }))).toBe('身份凭证尚未生效');
    expect(await verify(await token({ iss: 'https://x' }))).toBe('身份凭证的签发方（iss）不符');
    expect(await verify(await token({}, undefined, { alg: 'HS256' }))).toBe('身份凭证的签名算法不受支持');
    expect(await verify(await token({}, undefined, { kid: 'nope' }))).toBe('身份凭证的签名密钥未知');
    expect(await verify('a.b')).toBe('身份凭证格式错误');
    // The clock is a parameter: the same token expires when its time comes.
    const jwt = await token({ exp: now() + 60 });
    await expect(verifyAccessJwt(jwt, { audience: AUD, keys, issuer: ISS, now: (now() + 59) * 1000 })).resolves.toMatchObject({ email: 'officer@county.example' });
    await expect(verifyAccessJwt(jwt, { audience: AUD, keys, issuer: ISS, now: (now() + 60) * 1000 })).rejects.toThrow('身份凭证已过期');
    // A key of the wrong type under the right kid is refused, not a crash.
    const ecKeys = async () => ({ ...good.jwk, kty: 'EC' });
    await expect(verifyAccessJwt(await token(), { audience: AUD, keys: ecKeys })).rejects.toThrow(AccessError);
    const brokenKeys = async () => ({ ...good.jwk, n: '!!' });
    await expect(verifyAccessJwt(await token(), { audience: AUD, keys: brokenKeys })).rejects.toThrow(AccessError);
  });

  it('teamKeys: fetches the team certs once, caches them, refetches for an unknown kid at most once a minute', async () => {
    const urls: string[] = [];
    let served: Jwk[] = [good.jwk];
    const fetcher = (async (url: string) => {
      urls.push(url);
      return Response.json({ keys: served });
    }) as unknown as typeof fetch;
    let clock = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => clock);
    try {
      const source = teamKeys(TEAM, fetcher);
      expect(await source('k1')).toEqual(good.jwk);
      expect(await source('k1')).toEqual(good.jwk);
      expect(urls).toEqual([`https://${TEAM}/cdn-cgi/access/certs`]);
      // Rotation: a new kid appears. Within a minute of the last fetch: no refetch (no fetch storms).
      served = [good.jwk, other.jwk];
      expect(await source('k2-not-served')).toBeUndefined();
      expect(urls).toHaveLength(1);
      clock += 61_000;
      expect(await source('k2-not-served')).toEqual(other.jwk);
      expect(urls).toHaveLength(2);
      // After 10 minutes the cache is refreshed anyway.
      clock += 601_000;
      await source('k1');
      expect(urls).toHaveLength(3);
      // Certs that cannot be fetched: an AccessError (401), not a crash.
      const down = teamKeys(TEAM, (async () => new Response('no', { status: 502 })) as unknown as typeof fetch);
      await expect(down('k1')).rejects.toThrow(AccessError);
      const offline = teamKeys(TEAM, (async () => {
        throw new TypeError('network');
      }) as unknown as typeof fetch);
      await expect(offline('k1')).rejects.toThrow(AccessError);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
