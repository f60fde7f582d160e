// The scoring page's calls to the county service. Unlike lib/api.ts these never leave the page: a 401 is an
// error the page answers by asking the officer to sign in here, so the file, the corrected mapping and the
// results on screen are never lost to a redirect.
import type { Submission } from '../../../../shared/submission.ts';

export type Role = 'township' | 'county' | 'finance' | 'admin' | 'province';

export interface SignedInUser {
  login: string;
  name: string;
  role: Role;
  townshipCode: string | null;
  countyCode: string | null;
}

export class NetError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init: { method?: 'GET' | 'POST'; json?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { Accept: 'application/json', ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      credentials: 'same-origin',
    });
  } catch {
    throw new NetError(0, 'network', '无法连接县里的服务器，请检查网络后重试');
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const message = typeof e?.message === 'string' && e.message ? e.message : res.status === 401 ? '登录已过期，请重新登录' : `服务器返回错误（HTTP ${res.status}）`;
    throw new NetError(res.status, typeof e?.code === 'string' ? e.code : 'http_error', message);
  }
  if (data === undefined) throw new NetError(res.status, 'bad_response', '服务器返回的内容无法识别');
  return data as T;
}

function readUser(u: unknown): SignedInUser | null {
  if (!u || typeof u !== 'object') return null;
  const o = u as Record<string, unknown>;
  const role = o.role;
  if (role !== 'township' && role !== 'county' && role !== 'finance' && role !== 'admin' && role !== 'province') return null;
  const s = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    login: s(o.login),
    name: s(o.name),
    role,
    townshipCode: typeof o.townshipCode === 'string' && o.townshipCode ? o.townshipCode : null,
    countyCode: typeof o.countyCode === 'string' && o.countyCode ? o.countyCode : null,
  };
}

/** The signed-in user, or null (no session or an expired one). */
export async function whoAmI(): Promise<SignedInUser | null> {
  try {
    return readUser((await call<{ user?: unknown }>('/api/auth/me')).user);
  } catch (e) {
    if (e instanceof NetError && (e.status === 401 || e.status === 403)) return null;
    throw e;
  }
}

/** Sign in (sets the session cookie). Throws NetError with the service's Chinese message. */
export async function signIn(login: string, password: string): Promise<SignedInUser> {
  const body = await call<{ user?: unknown }>('/api/auth/login', { json: { login, password } });
  const user = readUser(body.user);
  if (!user) throw new NetError(200, 'bad_response', '服务器返回的账号信息无法识别');
  return user;
}

export async function signOut(): Promise<void> {
  await call('/api/auth/logout', { method: 'POST' });
}

/** GET /api/county/rulebook?period=: the county rulebook in force for the period (rulebook null: standards). */
export interface RulebookAnswer {
  countyCode?: string;
  period?: string;
  version?: number | string | null;
  effectiveFrom?: string | null;
  id?: string;
  name?: string;
  deadlineDays?: number | null;
  rulebook?: unknown;
}

export function countyRulebook(period: string): Promise<RulebookAnswer> {
  return call<RulebookAnswer>(`/api/county/rulebook?period=${encodeURIComponent(period)}`);
}

export interface Township {
  code: string;
  name: string;
}

/** The townships the signed-in user may see (an admin: the whole county). */
export async function townships(): Promise<{ county: string; townships: Township[] }> {
  const body = await call<{ county?: { name?: unknown }; townships?: unknown }>('/api/county');
  const list = Array.isArray(body.townships) ? body.townships : [];
  return {
    county: typeof body.county?.name === 'string' ? body.county.name : '',
    townships: list.flatMap((t) => {
      const o = t as Record<string, unknown>;
      return typeof o.code === 'string' && typeof o.name === 'string' ? [{ code: o.code, name: o.name }] : [];
    }),
  };
}

export interface RowOutcome {
  row?: number;
  sheet?: string;
  code?: string;
  name?: string;
  status: 'accepted' | 'rejected';
  cell?: string;
  reason?: string;
  total?: number;
  maxTotal?: number;
  level?: string;
}

export interface SubmissionAnswer {
  submission: {
    id: string;
    duplicate: boolean;
    townshipCode: string;
    period: string;
    rulebookVersion?: string | number | null;
    rows: { total: number; accepted: number; rejected: number };
  };
  outcomes: RowOutcome[];
}

/** POST /api/submissions with the rows of one sheet. */
export function submit(sub: Submission): Promise<SubmissionAnswer> {
  return call<SubmissionAnswer>('/api/submissions', { json: sub });
}
