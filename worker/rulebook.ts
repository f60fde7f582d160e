// The county rulebook in force for a period: the newest published version of the county whose effective_from
// period starts on or before the period's end, applied over the default standards; a county that has
// published none scores by the standards alone. Versions are immutable, so parsed rulebooks (and their
// prepared engines) are cached per isolate by (county, version).
import type { Bindings } from './env.ts';
import type { Period, Rulebook } from '../shared/types.ts';
import { defaultRulebook, DEFAULT_RULEBOOK_ID, DEFAULT_RULEBOOK_NAME } from '../shared/rulebook/load.ts';
import { parseCountyRulebook, type CountyRulebook } from '../shared/rulebook/county.ts';
import { prepareEngine, type Engine } from '../shared/scoring/evaluate.ts';
import { parsePeriodLabel } from '../shared/scoring/period.ts';
import { DEFAULT_DEADLINE_DAYS } from '../shared/output/ledger.ts';

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

interface Parsed {
  rulebook: Rulebook;
  county?: CountyRulebook;
  json: unknown;
  engine: Engine;
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

/** Month index of a period's start or end, for comparisons. */
const monthIndex = (p: Period, end: boolean) => p.year * 12 + (end ? p.endMonth : p.startMonth);

/** Whether a rulebook effective from `effectiveFrom` applies to `period` (it starts on or before the period's end). */
export function inForce(effectiveFrom: string, period: Period): boolean {
  const from = parsePeriodLabel(effectiveFrom);
  return !!from && monthIndex(from, false) <= monthIndex(period, true);
}

export async function rulebookInForce(env: Bindings, countyCode: string, period: Period): Promise<RulebookInForce> {
  const { results } = await env.DB.prepare('SELECT version, effective_from FROM rulebooks WHERE county_code = ? ORDER BY version DESC')
    .bind(countyCode)
    .all<{ version: number; effective_from: string }>();
  const row = results.find((r) => inForce(r.effective_from, period));
  if (!row) {
    const s = standardsEngine();
    return { countyCode, version: null, effectiveFrom: null, id: DEFAULT_RULEBOOK_ID, name: DEFAULT_RULEBOOK_NAME, ...s, deadlineDays: DEFAULT_DEADLINE_DAYS };
  }
  const key = `${countyCode}#${row.version}`;
  let p = cache.get(key);
  if (!p) {
    p = loadVersion(env, countyCode, row.version);
    cache.set(key, p);
    // A failed load (the database was briefly unavailable) must not stay cached.
    p.catch(() => cache.delete(key));
  }
  const parsed = await p;
  const county = parsed.county!;
  return {
    countyCode,
    version: row.version,
    effectiveFrom: row.effective_from,
    id: county.id,
    name: county.name,
    ...parsed,
    deadlineDays: county.ledger?.deadlineDays ?? DEFAULT_DEADLINE_DAYS,
  };
}

async function loadVersion(env: Bindings, countyCode: string, version: number): Promise<Parsed> {
  const r = await env.DB.prepare('SELECT json FROM rulebooks WHERE county_code = ? AND version = ?').bind(countyCode, version).first<{ json: string }>();
  if (!r) throw new Error(`rulebook ${countyCode} v${version} vanished`);
  const json: unknown = JSON.parse(r.json);
  const rulebook = defaultRulebook();
  const county = parseCountyRulebook(json, rulebook);
  return { rulebook, county, json, engine: prepareEngine(rulebook, county) };
}

/** Tests only: forget cached rulebooks. */
export function clearRulebookCache(): void {
  cache.clear();
}
