import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { app } from '../../worker/app.ts';
import { call, PASSWORD, seed } from './helpers.ts';

const login = (login: string, password: string) =>
  app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) }, env);

describe('local sign-in', () => {
  it('signs in, answers /me, and stores only a hash of the token', async () => {
    await seed();
    const res = await login('county', PASSWORD);
    expect(res.status).toBe(200);
    const body = await res.json<{ token: string; user: { role: string; countyCode: string } }>();
    expect(body.user).toMatchObject({ role: 'county', countyCode: '410999' });
    expect(res.headers.get('set-cookie')).toMatch(/kp_session=.*HttpOnly.*SameSite=Strict/i);
    const stored = await env.DB.prepare('SELECT token_hash FROM sessions').all<{ token_hash: string }>();
    expect(stored.results.some((r) => r.token_hash === body.token)).toBe(false);
    expect(stored.results.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    const me = await app.request('/api/auth/me', { headers: { Authorization: `Bearer ${body.token}` } }, env);
    expect((await me.json<{ user: { login: string } }>()).user.login).toBe('county');
  });

  it('passwords are stored as PBKDF2 hashes', async () => {
    await seed();
    const row = await env.DB.prepare("SELECT password_hash FROM accounts WHERE login = 'county'").first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2\$100000\$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
  });

  it.each([
    ['wrong password', 'county', 'nope', 401, '账号或密码不正确'],
    ['unknown login', 'nobody', PASSWORD, 401, '账号或密码不正确'],
  ])('%s → %i', async (_n, l, p, status, message) => {
    await seed();
    const res = await login(l, p);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message } });
  });

  it('a malformed body names the field', async () => {
    const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: '' }) }, env);
    expect(res.status).toBe(400);
    const b = await res.json<{ error: { code: string; message: string } }>();
    expect(b.error.code).toBe('invalid');
    expect(b.error.message).toMatch(/login：请填写账号/);
    expect(b.error.message).toMatch(/password：/);
  });

  it('no token, a bad token, an expired session → 401 in Chinese', async () => {
    await seed();
    expect((await call(null, '/api/auth/me')).status).toBe(401);
    const bad = await app.request('/api/auth/me', { headers: { Authorization: 'Bearer ' + 'x'.repeat(43) } }, env);
    expect(bad.status).toBe(401);
    expect((await bad.json<{ error: { message: string } }>()).error.message).toBe('登录已过期，请重新登录');
    const res = await login('finance', PASSWORD);
    const { token } = await res.json<{ token: string }>();
    await env.DB.prepare("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'").run();
    expect((await app.request('/api/auth/me', { headers: { Authorization: `Bearer ${token}` } }, env)).status).toBe(401);
  });

  it('an unknown route answers 404 as JSON', async () => {
    const res = await app.request('/api/nothing', {}, env);
    expect(res.status).toBe(404);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found');
  });
});

describe('OpenAPI', () => {
  it('documents submissions, rankings and allocations with the error shape', async () => {
    const res = await app.request('/api/openapi.json', {}, env);
    expect(res.status).toBe(200);
    const doc = await res.json<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }>();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/submissions', '/api/rankings/villages', '/api/rankings/townships', '/api/allocations', '/api/allocations/preview']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.components.schemas.Error).toBeDefined();
  });
});

describe('OpenAPI matches the routes', () => {
  // Path parameters compared by position, not name: /api/submissions/{id} is /api/submissions/:id.
  const shape = (p: string) => p.replace(/\{[^}]+\}|:[A-Za-z_]\w*/g, ':p');
  it('every routed API path and method is documented, and every documented one is routed (from app.routes, not by calling)', async () => {
    const { OPENAPI } = await import('../../worker/routes/openapi.ts');
    const routed = new Set(
      app.routes.filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && !r.path.includes('*') && r.path !== '/api/openapi.json').map((r) => `${r.method} ${shape(r.path)}`),
    );
    const documented = new Set(Object.entries(OPENAPI.paths).flatMap(([p, ms]) => Object.keys(ms as object).map((m) => `${m.toUpperCase()} ${shape(p)}`)));
    expect([...routed].filter((x) => !documented.has(x)).sort(), 'routed but not documented').toEqual([]);
    expect([...documented].filter((x) => !routed.has(x)).sort(), 'documented but not routed').toEqual([]);
  });
});

describe('CORS for the task pane', () => {
  it('the add-in origin may call the API with a bearer token; other origins get no CORS headers', async () => {
    const pre = await app.request('/api/submissions', { method: 'OPTIONS', headers: { Origin: 'https://localhost:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } }, env);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://localhost:3000');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const evil = await app.request('/api/auth/me', { headers: { Origin: 'https://evil.example' } }, env);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
