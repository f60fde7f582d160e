// Reading a county's active village results (superseded_by IS NULL) from D1 for the periods a ranking needs.
import type { Bindings } from '../env.ts';
import type { ResultRow } from './sql.ts';

interface D1Row {
  village_code: string;
  township_code: string;
  period: string;
  name: string;
  total_cents: number;
  max_cents: number;
  level: string;
  veto: number;
  weak_flag: number;
  created_at: string;
  submission_id: string;
}

/** D1 binds at most 100 parameters per statement; periods are asked for in chunks. */
const CHUNK = 90;

export async function loadResults(env: Bindings, countyCode: string, periods: readonly string[]): Promise<ResultRow[]> {
  const unique = [...new Set(periods)];
  const out: ResultRow[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const part = unique.slice(i, i + CHUNK);
    const res = await env.DB.prepare(
      `SELECT r.village_code, r.township_code, r.period, COALESCE(v.name, r.name) AS name, r.total_cents, r.max_cents, r.level,
              r.veto, r.weak_flag, r.created_at, r.submission_id
       FROM village_results r LEFT JOIN villages v ON v.code = r.village_code
       WHERE r.county_code = ? AND r.superseded_by IS NULL AND r.period IN (${part.map(() => '?').join(', ')})`,
    )
      .bind(countyCode, ...part)
      .all<D1Row>();
    for (const r of res.results) {
      out.push({
        village: r.village_code,
        township: r.township_code,
        period: r.period,
        name: r.name,
        totalCents: r.total_cents,
        maxCents: r.max_cents,
        level: r.level,
        veto: r.veto === 1,
        weakFlag: r.weak_flag === 1,
        createdAt: r.created_at,
        submission: r.submission_id,
      });
    }
  }
  return out;
}

/** Requirement ids and article ids (`basic-18`) that failed, per village, for 软弱涣散 `failsRef` triggers.
 * results_json is read leniently: an array of requirement results, or an object holding one under `results`. */
export async function loadFailedRefs(env: Bindings, countyCode: string, period: string): Promise<Map<string, Set<string>>> {
  const res = await env.DB.prepare(
    'SELECT village_code, results_json FROM village_results WHERE county_code = ? AND period = ? AND superseded_by IS NULL ORDER BY created_at',
  )
    .bind(countyCode, period)
    .all<{ village_code: string; results_json: string }>();
  const out = new Map<string, Set<string>>();
  for (const r of res.results) out.set(r.village_code, failedRefs(r.results_json));
  return out;
}

export function failedRefs(json: string): Set<string> {
  const refs = new Set<string>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return refs;
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { results?: unknown } | null)?.results;
  if (!Array.isArray(list)) return refs;
  for (const item of list) {
    const x = item as { id?: unknown; status?: unknown; standard?: unknown; article?: unknown };
    if (x?.status !== 'fail') continue;
    if (typeof x.id === 'string') refs.add(x.id);
    if (typeof x.standard === 'string' && typeof x.article === 'number') refs.add(`${x.standard}-${x.article}`);
  }
  return refs;
}

export async function townshipNames(env: Bindings, countyCode: string): Promise<Map<string, string>> {
  const res = await env.DB.prepare('SELECT code, name FROM townships WHERE county_code = ? ORDER BY code').bind(countyCode).all<{ code: string; name: string }>();
  return new Map(res.results.map((r) => [r.code, r.name]));
}

export async function countyName(env: Bindings, countyCode: string): Promise<string | null> {
  const r = await env.DB.prepare('SELECT name FROM counties WHERE code = ?').bind(countyCode).first<{ name: string }>();
  return r?.name ?? null;
}
