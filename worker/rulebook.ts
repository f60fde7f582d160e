// The county rulebook in force: the one module every Worker path asks (submissions, GET/PUT
// /api/county/rulebook, rankings, trends).
//  - versions: a county publishes versions 1, 2, … (rulebooks table); they are never edited;
//  - which version holds for a period: shared/rulebook/in-force.ts (the newest version whose
//    effective_from starts on or before the period's end; none: the default standards);
//  - validation: parseCountyRulebook over the default standards, both when publishing (400 bad_rulebook,
//    naming each field) and when reading a stored version back;
//  - a stored version that fails to parse (hand-edited row, a rule tightened since it was published) is
//    StoredRulebookError: an ApiError, so app.onError answers it the same way on every path
//    (500 stored_rulebook_invalid, saying which version and why).
// Parsed versions (and their prepared engines) are cached per isolate by (county, version, created_at).
import type { Bindings } from './env.ts';
import type { Period, Rulebook } from '../shared/types.ts';
import { defaultRulebook, DEFAULT_RULEBOOK_ID, DEFAULT_RULEBOOK_NAME } from '../shared/rulebook/load.ts';
import { CountyRulebookError, parseCountyRulebook, type CountyRulebook, type RulebookProblem } from '../shared/rulebook/county.ts';
import { versionInForce } from '../shared/rulebook/in-force.ts';
import { prepareEngine, type Engine } from '../shared/scoring/evaluate.ts';
import { DEFAULT_DEADLINE_DAYS } from '../shared/output/ledger.ts';
import { ApiError, badRequest } from './errors.ts';

export interface RulebookInForce {
  countyCode: string;
  /** The published version, or null when the county has none in force (default standards). */
  version: number | null;
  effectiveFrom: string | null;
  id: string;
  name: string;
  rulebook: Rulebook;
  county?: CountyRulebook;
  /** The county's JSON exactly as published (for the add-in to cache), or null. */
  json: unknown;
  engine: Engine;
  /** Days after the period's end to rectify a failing requirement (county ledger.deadlineDays, default 30). */
  deadlineDays: number;
}

/** The rulebooks in force for several periods at once (rankings need a period and the one before, trends many). */
export interface RulebooksInForce {
  forPeriod(p: Period): RulebookInForce;
}

/** A stored rulebook version that cannot be read back. One error, one response on every path. */
export class StoredRulebookError extends ApiError {
  constructor(countyCode: string, version: number, reason: string, problems?: RulebookProblem[]) {
    super(500, 'stored_rulebook_invalid', `县级规则第${version}版（${countyCode}）无法使用：${reason}。请管理员核对后重新发布`, problems);
  }
}

interface Parsed {
  rulebook: Rulebook;
  county?: CountyRulebook;
  json: unknown;
  engine: Engine;
}

interface VersionRow {
  version: number;
  effectiveFrom: string;
  createdAt: string;
}

const cache = new Map<string, Promise<Parsed>>();
let standards: Parsed | undefined;

/** The default standards, prepared once per isolate. */
export function standardsEngine(): Parsed {
  if (!standards) {
    const rulebook = defaultRulebook();
    standards = { rulebook, json: null, engine: prepareEngine(rulebook) };
  }
  return standards;
}

/** Validate a county rulebook for publishing by `countyCode`: 400 bad_rulebook naming each field. */
export function validateForPublish(json: unknown, countyCode: string): CountyRulebook {
  let parsed: CountyRulebook;
  try {
    parsed = parseCountyRulebook(json, defaultRulebook());
  } catch (e) {
    if (e instanceof CountyRulebookError) throw badRequest('bad_rulebook', e.message, e.problems);
    throw e;
  }
  if (parsed.countyCode && parsed.countyCode !== countyCode) {
    const problem = { path: 'countyCode', message: `规则写明适用于 ${parsed.countyCode}，与本县（${countyCode}）不符` };
    throw badRequest('bad_rulebook', `县级规则文件有误：${problem.path}：${problem.message}`, [problem]);
  }
  return parsed;
}

/** Read a stored version back: the same validation as publishing, failing with StoredRulebookError. */
export function parseStoredRulebook(countyCode: string, version: number, text: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StoredRulebookError(countyCode, version, '保存的内容不是有效的 JSON');
  }
  const rulebook = defaultRulebook();
  let county: CountyRulebook;
  try {
    county = parseCountyRulebook(json, rulebook);
  } catch (e) {
    if (e instanceof CountyRulebookError) throw new StoredRulebookError(countyCode, version, e.message, e.problems);
    throw e;
  }
  return { rulebook, county, json, engine: prepareEngine(rulebook, county) };
}

async function versionsOf(env: Bindings, countyCode: string): Promise<VersionRow[]> {
  const { results } = await env.DB.prepare('SELECT version, effective_from, created_at FROM rulebooks WHERE county_code = ? ORDER BY version DESC')
    .bind(countyCode)
    .all<{ version: number; effective_from: string; created_at: string }>();
  return results.map((r) => ({ version: r.version, effectiveFrom: r.effective_from, createdAt: r.created_at }));
}

function loadVersion(env: Bindings, countyCode: string, row: VersionRow): Promise<Parsed> {
  const key = `${countyCode}#${row.version}#${row.createdAt}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const r = await env.DB.prepare('SELECT json FROM rulebooks WHERE county_code = ? AND version = ?').bind(countyCode, row.version).first<{ json: string }>();
      if (!r) throw new Error(`rulebook ${countyCode} v${row.version} vanished`);
      return parseStoredRulebook(countyCode, row.version, r.json);
    })();
    cache.set(key, p);
    // A failed load (database briefly unavailable, a broken version since republished) must not stay cached.
    p.catch(() => cache.delete(key));
  }
  return p;
}

function standardsInForce(countyCode: string): RulebookInForce {
  return { countyCode, version: null, effectiveFrom: null, id: DEFAULT_RULEBOOK_ID, name: DEFAULT_RULEBOOK_NAME, ...standardsEngine(), deadlineDays: DEFAULT_DEADLINE_DAYS };
}

/** The rulebooks in force for `periods`: reads the version list once and each version that holds for one of
 * the periods (only those: a broken version no period needs does not stop the answer). */
export async function rulebooksInForce(env: Bindings, countyCode: string, periods: readonly Period[]): Promise<RulebooksInForce> {
  const versions = await versionsOf(env, countyCode);
  const needed = new Map<number, VersionRow>();
  for (const p of periods) {
    const v = versionInForce(versions, p);
    if (v) needed.set(v.version, v);
  }
  const loaded = new Map<number, RulebookInForce>();
  await Promise.all(
    [...needed.values()].map(async (row) => {
      const parsed = await loadVersion(env, countyCode, row);
      const county = parsed.county!;
      loaded.set(row.version, {
        countyCode,
        version: row.version,
        effectiveFrom: row.effectiveFrom,
        id: county.id,
        name: county.name,
        ...parsed,
        deadlineDays: county.ledger?.deadlineDays ?? DEFAULT_DEADLINE_DAYS,
      });
    }),
  );
  const none = standardsInForce(countyCode);
  return {
    forPeriod(p) {
      const v = versionInForce(versions, p);
      if (!v) return none;
      const rb = loaded.get(v.version);
      if (!rb) throw new Error(`rulebook for ${p.label} was not loaded (ask rulebooksInForce for every period you need)`);
      return rb;
    },
  };
}

/** The rulebook in force for one period. */
export async function rulebookInForce(env: Bindings, countyCode: string, period: Period): Promise<RulebookInForce> {
  return (await rulebooksInForce(env, countyCode, [period])).forPeriod(period);
}
