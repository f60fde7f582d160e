// Observation rounds and scores in D1: every observer's raw score is kept; aggregates are computed on read
// with the rule stored with the round.
import type { Bindings } from '../env.ts';
import { ApiError } from '../errors.ts';
import { observationRoundAudit } from '../audit/entries.ts';
import type { Actor } from '../audit/log.ts';
import { aggregateScores, combineRounds, fromCents, KNOWN_RULES, OBSERVATION_RULE, toCents, type UnitAggregate } from './aggregate.ts';

export interface RoundRow {
  id: string;
  county_code: string;
  period: string;
  level: 'village' | 'township';
  title: string;
  rule: string;
  created_by: string;
  created_at: string;
}

export interface ScoreRow {
  round_id: string;
  unit_code: string;
  observer: string;
  score_cents: number;
  created_by: string;
  created_at: string;
}

export interface RoundView {
  id: string;
  countyCode: string;
  period: string;
  level: 'village' | 'township';
  title: string;
  rule: string;
  createdBy: string;
  createdAt: string;
  units: UnitView[];
}

export interface UnitView {
  unit: string;
  name: string | null;
  scores: { observer: string; score: number; enteredAt: string }[];
  aggregate: number;
  aggregateCents: number;
  observers: number;
  dropped: { highest: number; lowest: number } | null;
}

export function roundView(r: RoundRow, scores: readonly ScoreRow[], names: Map<string, string>): RoundView {
  if (!KNOWN_RULES.includes(r.rule)) throw new ApiError(500, 'unknown_rule', `观摩评议“${r.title}”记录的汇总规则无法识别：${r.rule}`);
  const byUnit = new Map<string, ScoreRow[]>();
  for (const s of scores) {
    const list = byUnit.get(s.unit_code);
    if (list) list.push(s);
    else byUnit.set(s.unit_code, [s]);
  }
  const units = [...byUnit.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([unit, list]): UnitView => {
      const agg: UnitAggregate = aggregateScores(
        list.map((s) => s.score_cents),
        r.rule,
      );
      return {
        unit,
        name: names.get(unit) ?? null,
        scores: list
          .sort((a, b) => a.observer.localeCompare(b.observer))
          .map((s) => ({ observer: s.observer, score: fromCents(s.score_cents), enteredAt: s.created_at })),
        aggregate: fromCents(agg.cents),
        aggregateCents: agg.cents,
        observers: agg.observers,
        dropped: agg.dropped ? { highest: fromCents(agg.dropped.highest), lowest: fromCents(agg.dropped.lowest) } : null,
      };
    });
  return {
    id: r.id,
    countyCode: r.county_code,
    period: r.period,
    level: r.level,
    title: r.title,
    rule: r.rule,
    createdBy: r.created_by,
    createdAt: r.created_at,
    units,
  };
}

export async function getRound(env: Bindings, id: string): Promise<RoundRow | null> {
  return env.DB.prepare('SELECT * FROM observation_rounds WHERE id = ?').bind(id).first<RoundRow>();
}

export async function scoresOf(env: Bindings, roundIds: readonly string[]): Promise<ScoreRow[]> {
  const out: ScoreRow[] = [];
  for (let i = 0; i < roundIds.length; i += 90) {
    const part = roundIds.slice(i, i + 90);
    const res = await env.DB.prepare(`SELECT * FROM observation_scores WHERE round_id IN (${part.map(() => '?').join(', ')})`)
      .bind(...part)
      .all<ScoreRow>();
    out.push(...res.results);
  }
  return out;
}

/** Names of the county's villages and townships by code. */
export async function unitNames(env: Bindings, countyCode: string): Promise<Map<string, string>> {
  const [t, v] = await env.DB.batch([
    env.DB.prepare('SELECT code, name FROM townships WHERE county_code = ?').bind(countyCode),
    env.DB.prepare('SELECT v.code, v.name FROM villages v JOIN townships t ON t.code = v.township_code WHERE t.county_code = ?').bind(countyCode),
  ]);
  const m = new Map<string, string>();
  for (const r of [...(t!.results as { code: string; name: string }[]), ...(v!.results as { code: string; name: string }[])]) m.set(r.code, r.name);
  return m;
}

export interface TownshipObservation {
  township: string;
  half: string;
  cents: number;
  rounds: { id: string; title: string; aggregate: number; aggregateCents: number; observers: number }[];
  rule: string;
}

/** Each township's observation score per half: its aggregate in the township-level rounds of that half
 * (the mean of them, when there are several). */
export async function townshipObservations(env: Bindings, countyCode: string, halves: readonly string[]): Promise<TownshipObservation[]> {
  if (!halves.length) return [];
  const rounds = await env.DB.prepare(
    `SELECT * FROM observation_rounds WHERE county_code = ? AND level = 'township' AND period IN (${halves.map(() => '?').join(', ')}) ORDER BY created_at, id`,
  )
    .bind(countyCode, ...halves)
    .all<RoundRow>();
  if (!rounds.results.length) return [];
  const scores = await scoresOf(
    env,
    rounds.results.map((r) => r.id),
  );
  const byKey = new Map<string, TownshipObservation>();
  for (const r of rounds.results) {
    const view = roundView(r, scores.filter((s) => s.round_id === r.id), new Map());
    for (const u of view.units) {
      const key = `${u.unit}|${r.period}`;
      let t = byKey.get(key);
      if (!t) {
        t = { township: u.unit, half: r.period, cents: 0, rounds: [], rule: r.rule };
        byKey.set(key, t);
      }
      t.rounds.push({ id: r.id, title: r.title, aggregate: u.aggregate, aggregateCents: u.aggregateCents, observers: u.observers });
    }
  }
  for (const t of byKey.values()) t.cents = combineRounds(t.rounds.map((r) => r.aggregateCents));
  return [...byKey.values()];
}

/** Create a round (the rule in force is stored with it). Used by the route and by the demo data. */
export async function createRound(
  env: Bindings,
  a: { countyCode: string; period: string; level: 'village' | 'township'; title: string; accountId: string; actor?: Actor; now?: string },
): Promise<RoundRow> {
  const row: RoundRow = {
    id: crypto.randomUUID(),
    county_code: a.countyCode,
    period: a.period,
    level: a.level,
    title: a.title,
    rule: OBSERVATION_RULE,
    created_by: a.accountId,
    created_at: a.now ?? new Date().toISOString(),
  };
  await env.DB.batch([
    env.DB.prepare('INSERT INTO observation_rounds (id, county_code, period, level, title, rule, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').bind(
      row.id,
      row.county_code,
      row.period,
      row.level,
      row.title,
      row.rule,
      row.created_by,
      row.created_at,
    ),
    observationRoundAudit(env.DB, row, a.actor ?? { id: a.accountId }),
  ]);
  return row;
}

/** Insert new raw scores (no replacement; the route handles corrections). For the demo data and tests. */
export async function insertScores(
  env: Bindings,
  roundId: string,
  scores: readonly { unit: string; observer: string; score: number }[],
  accountId: string,
  now = new Date().toISOString(),
): Promise<void> {
  if (!scores.length) return;
  await env.DB.batch(
    scores.map((s) =>
      env.DB.prepare('INSERT INTO observation_scores (round_id, unit_code, observer, score_cents, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)').bind(
        roundId,
        s.unit,
        s.observer,
        toCents(s.score),
        accountId,
        now,
      ),
    ),
  );
}
