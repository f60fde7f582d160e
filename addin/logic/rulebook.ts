// The rulebook in force: the county's, fetched from the Worker (GET /api/county/rulebook) when it is reachable
// and cached; else the cached copy; else the default standards. Pure apart from the injected fetch and storage.
import type { Rulebook } from '../../shared/types.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { parseCountyRulebook, type CountyRulebook } from '../../shared/rulebook/county.ts';
import { prepareEngine, type Engine } from '../../shared/scoring/evaluate.ts';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export interface RulebookInUse {
  rulebook: Rulebook;
  county?: CountyRulebook;
  engine: Engine;
  /** Where it came from: the county server just now, the cache, or the default standards. */
  source: 'county' | 'cache' | 'default';
  name: string;
  version?: string | number;
  /** When the cached copy was fetched (ISO). */
  fetchedAt?: string;
  deadlineDays?: number;
}

interface Cached {
  json: unknown;
  version?: string | number;
  fetchedAt: string;
}

export function cacheKey(workerUrl: string, period?: string): string {
  return `kaoping.rulebook:${workerUrl.replace(/\/+$/, '')}:${period ?? ''}`;
}

/** The county rulebook JSON in a GET /api/county/rulebook answer: `{ json }` (the Worker's RulebookInForce),
 * `{ rulebook }`, or the rulebook itself. null: the county has none in force (default standards). */
export function countyJsonOf(body: unknown): { json: unknown; version?: string | number } {
  if (!body || typeof body !== 'object') return { json: null };
  const b = body as Record<string, unknown>;
  const version = typeof b.version === 'string' || typeof b.version === 'number' ? b.version : undefined;
  if ('json' in b) return { json: b.json ?? null, ...(version !== undefined ? { version } : {}) };
  if (b.rulebook && typeof b.rulebook === 'object' && 'scoring' in (b.rulebook as object)) return { json: b.rulebook, ...(version !== undefined ? { version } : {}) };
  if ('scoring' in b) return { json: b, ...(version !== undefined ? { version } : {}) };
  return { json: null, ...(version !== undefined ? { version } : {}) };
}

export function defaultInUse(): RulebookInUse {
  const rulebook = defaultRulebook();
  return { rulebook, engine: prepareEngine(rulebook), source: 'default', name: rulebook.name };
}

function fromJson(json: unknown, source: 'county' | 'cache', meta: { version?: string | number; fetchedAt?: string }): RulebookInUse {
  const rulebook = defaultRulebook();
  if (json === null || json === undefined) return { ...defaultInUse(), source, ...meta };
  const county = parseCountyRulebook(json, rulebook);
  return {
    rulebook,
    county,
    engine: prepareEngine(rulebook, county),
    source,
    name: county.name,
    ...(meta.version !== undefined ? { version: meta.version } : county.version ? { version: county.version } : {}),
    ...(meta.fetchedAt ? { fetchedAt: meta.fetchedAt } : {}),
    ...(county.ledger?.deadlineDays ? { deadlineDays: county.ledger.deadlineDays } : {}),
  };
}

/** The cached rulebook for a server (and period), if any and still valid. */
export function cachedRulebook(storage: KeyValueStore, workerUrl: string, period?: string): RulebookInUse | undefined {
  for (const key of period ? [cacheKey(workerUrl, period), cacheKey(workerUrl)] : [cacheKey(workerUrl)]) {
    const raw = storage.getItem(key);
    if (!raw) continue;
    try {
      const c = JSON.parse(raw) as Cached;
      return fromJson(c.json, 'cache', { ...(c.version !== undefined ? { version: c.version } : {}), fetchedAt: c.fetchedAt });
    } catch {
      storage.removeItem(key);
    }
  }
  return undefined;
}

export class RulebookFetchError extends Error {}

/** Fetch the county rulebook in force (for a period), cache it and return it. Throws RulebookFetchError with a
 * Chinese message when the server cannot be reached or answers with an error. */
export async function fetchRulebook(
  fetchFn: FetchLike,
  storage: KeyValueStore,
  cfg: { workerUrl: string; token?: string },
  period: string | undefined,
  now: Date,
): Promise<RulebookInUse> {
  const base = cfg.workerUrl.replace(/\/+$/, '');
  const url = `${base}/api/county/rulebook${period ? `?period=${encodeURIComponent(period)}` : ''}`;
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchFn(url, { headers: { Accept: 'application/json', ...(cfg.token ? { Authorization: `Bearer ${cfg.token}` } : {}) } });
  } catch {
    throw new RulebookFetchError('无法连接县里的服务器，无法获取县级考评细则');
  }
  if (res.status === 401) throw new RulebookFetchError('登录已过期或令牌无效，未能获取县级考评细则（请在“设置”中重新登录）');
  if (!res.ok) throw new RulebookFetchError(`获取县级考评细则失败（服务器返回 ${res.status}）`);
  const body = await res.json();
  const { json, version } = countyJsonOf(body);
  const inUse = fromJson(json, 'county', { ...(version !== undefined ? { version } : {}), fetchedAt: now.toISOString() });
  const cached: Cached = { json, ...(version !== undefined ? { version } : {}), fetchedAt: now.toISOString() };
  storage.setItem(cacheKey(base, period), JSON.stringify(cached));
  if (period) storage.setItem(cacheKey(base), JSON.stringify(cached));
  return inUse;
}
