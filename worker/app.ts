// The county service: one Hono app. Routes per resource; one place turns errors into responses.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { cors } from 'hono/cors';
import type { AppEnv } from './env.ts';
import { ApiError, errorBody } from './errors.ts';
import { auth } from './routes/auth.ts';
import { accounts } from './routes/accounts.ts';
import { codeChanges } from './routes/codes.ts';
import { submissions } from './routes/submissions.ts';
import { rankings } from './routes/rankings.ts';
import { observations } from './routes/observations.ts';
import { allocations } from './routes/allocations.ts';
import { ledger } from './routes/ledger.ts';
import { county } from './routes/county.ts';
import { openapi } from './routes/openapi.ts';
import { audit } from './routes/audit.ts';
import { pages } from './routes/pages.ts';
import { province } from './routes/province.ts';

export const app = new Hono<AppEnv>();

app.use('*', async (c, next) => {
  c.set('requestId', crypto.randomUUID());
  await next();
  // Every response: no sniffing, no framing, a strict CSP for pages (scripts only from this origin).
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  if (!c.res.headers.has('Content-Security-Policy')) {
    c.header('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  }
});

// The Excel task pane runs on its own origin (https://localhost:3000 while developing, or wherever the
// county hosts it): allow exactly the configured origins to call the API with a bearer token (no cookies).
app.use(
  '/api/*',
  cors({
    origin: (origin, c) => ((c.env.ADDIN_ORIGINS ?? 'https://localhost:3000').split(',').map((s: string) => s.trim()).includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type'],
    credentials: false,
    maxAge: 600,
  }),
);

app.get('/api/health', async (c) => {
  const r = await c.env.DB.prepare(
    'SELECT (SELECT name FROM counties ORDER BY code LIMIT 1) AS county, (SELECT count(*) FROM townships) AS townships, (SELECT count(*) FROM villages) AS villages, (SELECT count(*) FROM submissions) AS submissions',
  ).first<{ county: string | null; townships: number; villages: number; submissions: number }>();
  return c.json({ ok: true, ...r });
});

app.route('/api/auth', auth);
app.route('/api/accounts', accounts);
app.route('/api/code-changes', codeChanges);
app.route('/api/submissions', submissions);
app.route('/api/rankings', rankings);
app.route('/api/observations', observations);
app.route('/api/allocations', allocations);
app.route('/api/ledger', ledger);
app.route('/api/county', county);
app.route('/api/province', province);
app.route('/api', audit);
app.route('/api', openapi);
app.route('/', pages);

app.notFound((c) => c.json(errorBody(new ApiError(404, 'not_found', `找不到 ${c.req.method} ${new URL(c.req.url).pathname}`)), 404));

app.onError((err, c) => {
  if (err instanceof ApiError) return c.json(errorBody(err), err.status);
  if (err instanceof HTTPException) return c.json(errorBody(new ApiError(err.status as 400, 'http_error', err.message || '请求有误')), err.status);
  console.error(`[${c.get('requestId')}]`, err);
  return c.json(errorBody(new ApiError(500, 'internal', `服务内部错误，请稍后重试（编号 ${c.get('requestId') ?? '-'}）`)), 500);
});
