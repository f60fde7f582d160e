// Calls to the county service's JSON API with the session cookie. Errors carry the API's Chinese message;
// a 401 sends the user to the sign-in page and comes back here afterwards.

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiInit {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  json?: unknown;
  form?: FormData;
}

export function loginUrl(): string {
  const here = location.pathname + location.search;
  return `/login?next=${encodeURIComponent(here)}`;
}

/** A link to another dashboard page, keeping a province account's county. */
export function pageLink(path: string): string {
  return document.body.dataset.role === 'province' ? scoped(path) : path;
}

/** The API path with the page's `county` parameter for province accounts (they must name the county). */
export function scoped(path: string): string {
  const county = new URLSearchParams(location.search).get('county');
  if (document.body.dataset.role !== 'province' || !county || /[?&]county=/.test(path)) return path;
  // Only where the API takes `county` (a trend's code already names its county).
  if (path.startsWith('/api/') && !/^\/api\/(county|rankings\/(villages|townships|periods)|ledger|submissions|observations\/rounds)(\?|$)/.test(path)) return path;
  return `${path}${path.includes('?') ? '&' : '?'}county=${encodeURIComponent(county)}`;
}

export async function api<T = unknown>(path: string, init: ApiInit = {}): Promise<T> {
  if (
    document.body.dataset.role === 'province' &&
    scoped(path) === path &&
    !path.startsWith('/api/auth/') &&
    !path.startsWith('/api/rankings/trend') &&
    !path.startsWith('/api/province/') &&
    !new URLSearchParams(location.search).get('county')
  ) {
    throw new ApiFailure(0, 'no_county', '省级账号请先在上方选择要查看的县。');
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    body = init.form;
  }
  let res: Response;
  try {
    res = await fetch(scoped(path), { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: handled below
  }
  if (res.status === 401 && !path.startsWith('/api/auth/login')) {
    location.assign(loginUrl());
    throw new ApiFailure(401, 'unauthorized', errorMessage(data) ?? '请先登录');
  }
  if (!res.ok) {
    throw new ApiFailure(res.status, errorCode(data) ?? 'http_error', errorMessage(data) ?? `服务返回错误（HTTP ${res.status}）`);
  }
  if (data === undefined && text) throw new ApiFailure(res.status, 'bad_response', '服务返回的内容无法识别');
  return data as T;
}

function errorMessage(data: unknown): string | undefined {
  const e = (data as { error?: { message?: unknown } } | undefined)?.error;
  return typeof e?.message === 'string' && e.message ? e.message : undefined;
}

function errorCode(data: unknown): string | undefined {
  const e = (data as { error?: { code?: unknown } } | undefined)?.error;
  return typeof e?.code === 'string' ? e.code : undefined;
}

export function messageOf(e: unknown): string {
  if (e instanceof ApiFailure) return e.message;
  if (e instanceof Error) return `页面出错：${e.message}`;
  return '页面出错';
}
