// Reading the ranking answers (docs/api.md, Rankings) into plain rows for tables and charts.
import { api } from './api.ts';
import type { County } from './county.ts';
import { isObj, listIn, num, percentOf, str, type Obj } from './data.ts';

export interface VillageRow {
  code: string;
  name: string;
  township: string;
  townshipName: string;
  total?: number;
  maxTotal?: number;
  rank?: number;
  countyRank?: number;
  level: string;
  stars?: number;
  group: string;
  weak: string[];
  veto: boolean;
  previousRank?: number;
  movement: unknown;
  /** This period and the last both at the bottom (last place or the 后进 share). */
  bottomTwoRunning: boolean;
  groupReason: string;
  starsReason: string;
  townshipSize?: number;
  countySize?: number;
}

export interface TownshipRow {
  code: string;
  name: string;
  villageAverage?: number;
  observation?: number;
  observationRule: string;
  score?: number;
  rank?: number;
  rate达标?: number;
  rate示范?: number;
  villages?: number;
  previousRank?: number;
  movement: unknown;
  bottomTwoRunning: boolean;
  countySize?: number;
}

export interface Targets {
  target: number;
  aim: number;
}

/** 五好: 达标 villages ≥ 80% of a township, aiming for 90% (brief; 000). Overridden by the answer's targets. */
export const DEFAULT_TARGETS: Targets = { target: 80, aim: 90 };

function unit(row: Obj, key: string, name: (code: string) => string): { code: string; name: string } {
  const u = row[key];
  if (isObj(u)) return { code: str(u.code), name: str(u.name) || name(str(u.code)) };
  const code = str(row[`${key}Code`] ?? row.code ?? (typeof u === 'string' && /^\d+$/.test(u) ? u : ''));
  const given = str(row[`${key}Name`] ?? row.name ?? (typeof u === 'string' && !/^\d+$/.test(u) ? u : ''));
  return { code, name: given || name(code) };
}

function reasons(x: unknown): string[] {
  if (Array.isArray(x)) return x.map((r) => (isObj(r) ? str(r.reason ?? r.message ?? r.text) : str(r))).filter(Boolean);
  if (typeof x === 'string') return x ? [x] : [];
  if (x === true) return ['软弱涣散候选'];
  if (isObj(x)) return reasons(x.reasons);
  return [];
}

function running(x: unknown): boolean {
  return x === true || (num(x) ?? 0) > 0;
}

export function readVillages(body: unknown, county: County): VillageRow[] {
  return listIn(body, 'villages', 'rows', 'ranking', 'items')
    .filter(isObj)
    .map((r) => {
      const v = unit(r, 'village', county.villageName);
      const code = v.code || str(r.code);
      const tRaw = r.township;
      const township = isObj(tRaw) ? str(tRaw.code) : str(r.townshipCode ?? (typeof tRaw === 'string' && /^\d{9}$/.test(tRaw) ? tRaw : code.slice(0, 9)));
      const tName = isObj(tRaw) ? str(tRaw.name) : str(r.townshipName ?? (typeof tRaw === 'string' && !/^\d+$/.test(tRaw) ? tRaw : ''));
      return {
        code,
        name: str(r.name) || v.name || county.villageName(code),
        township,
        townshipName: tName || county.townshipName(township),
        total: num(r.total ?? r.score),
        maxTotal: num(r.maxTotal),
        rank: num(r.rank),
        countyRank: num(r.countyRank),
        level: str(r.level),
        stars: num(r.stars),
        group: str(isObj(r.group) ? r.group.group : r.group),
        weak: reasons(r.weak ?? r.weakReasons),
        veto: r.veto === true,
        previousRank: num(r.previousRank),
        movement: r.movement,
        bottomTwoRunning: running(r.bottomTwoRunning),
        groupReason: str(r.groupReason),
        starsReason: str(r.starsReason),
        townshipSize: num(r.townshipSize),
        countySize: num(r.countySize),
      };
    });
}

export function readTownships(body: unknown, county: County): { rows: TownshipRow[]; targets: Targets; rule: string; formula: string; weight?: number } {
  const rows = listIn(body, 'townships', 'rows', 'ranking', 'items')
    .filter(isObj)
    .map((r) => {
      const t = unit(r, 'township', county.townshipName);
      const obs = r.observation;
      const rates = isObj(r.rates) ? r.rates : {};
      return {
        code: t.code,
        name: t.name,
        villageAverage: num(r.villageAverage),
        observation: isObj(obs) ? num(obs.aggregate ?? obs.score ?? obs.value) : num(obs),
        observationRule: isObj(obs) ? str(obs.rule) : '',
        score: num(r.score ?? r.total),
        rank: num(r.rank),
        rate达标: percentOf(rates['达标'] ?? r.rate达标 ?? r.passRate),
        rate示范: percentOf(rates['示范'] ?? r.rate示范 ?? r.demoRate),
        villages: num(r.villages ?? r.villageCount),
        previousRank: num(r.previousRank),
        movement: r.movement,
        bottomTwoRunning: running(r.bottomTwoRunning),
        countySize: num(r.countySize),
      };
    });
  const b = isObj(body) ? body : {};
  const targets = { ...DEFAULT_TARGETS };
  const t = isObj(b.targets) ? b.targets : undefined;
  const firstRates = listIn(body, 'townships', 'rows').filter(isObj)[0]?.rates;
  const rateObj = isObj(firstRates) && isObj(firstRates['达标']) ? firstRates['达标'] : undefined;
  const target = percentOf(t?.target ?? t?.['达标'] ?? rateObj?.target);
  const aim = percentOf(t?.aim ?? rateObj?.aim);
  if (target !== undefined) targets.target = target;
  if (aim !== undefined) targets.aim = aim;
  const rules = isObj(b.rules) ? b.rules : {};
  return {
    rows,
    targets,
    rule: str(rules.observation ?? b.rule ?? b.observationRule ?? rows.find((r) => r.observationRule)?.observationRule),
    formula: str(b.formula),
    weight: num(b.weight ?? b.observationWeight),
  };
}

export interface TrendPoint {
  period: string;
  score?: number;
  rank?: number;
}

export async function loadTrend(level: 'township' | 'village', code: string): Promise<TrendPoint[]> {
  const body = await api(`/api/rankings/trend?level=${level}&code=${encodeURIComponent(code)}`);
  return listIn(body, 'points', 'trend', 'periods', 'series')
    .filter(isObj)
    .map((p) => ({ period: str(p.period), score: num(p.score ?? p.total), rank: num(p.rank) }))
    .filter((p) => p.period);
}
