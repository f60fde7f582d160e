// The county rulebook in force for a period, read from the rulebooks table: the newest version whose
// effective_from period starts on or before the period's end (the same rule as worker/rulebook.ts, which
// scores submissions). Rankings need the rulebooks of several periods at once (a period and the one
// before, or a trend), so every version is read in one query and picked per period here; when
// worker/rulebook.ts exports a multi-period lookup, swap `loadCountyRulebooks` for it.
import * as v from 'valibot';
import { CountyRulebookSchema, type CountyRulebook } from '../../shared/rulebook/county.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import type { Period } from '../../shared/types.ts';
import type { Bindings } from '../env.ts';
import { ApiError } from '../errors.ts';

export interface RulebookVersion {
  version: number;
  effectiveFrom: string;
  rulebook: CountyRulebook;
}

export interface CountyRulebooks {
  /** Newest first. */
  versions: RulebookVersion[];
  /** The version in force for a period, or null (no county rulebook: the standards' defaults apply). */
  forPeriod(p: Period): RulebookVersion | null;
}

const startMonth = (p: Period) => p.year * 12 + p.startMonth;
const endMonth = (p: Period) => p.year * 12 + p.endMonth;

export function countyRulebooksFrom(versions: RulebookVersion[]): CountyRulebooks {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return {
    versions: sorted,
    forPeriod(p) {
      for (const rb of sorted) {
        const from = parsePeriodLabel(rb.effectiveFrom);
        if (from && startMonth(from) <= endMonth(p)) return rb;
      }
      return null;
    },
  };
}

/** Every published version of a county's rulebook (one query; a county has a handful). */
export async function loadCountyRulebooks(env: Bindings, countyCode: string): Promise<CountyRulebooks> {
  const rows = await env.DB.prepare('SELECT version, effective_from, json FROM rulebooks WHERE county_code = ? ORDER BY version DESC')
    .bind(countyCode)
    .all<{ version: number; effective_from: string; json: string }>();
  const versions: RulebookVersion[] = [];
  for (const r of rows.results) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.json);
    } catch {
      throw new ApiError(500, 'bad_rulebook', `县级规则第${r.version}版无法读取（不是有效的 JSON），请管理员重新发布`);
    }
    const res = v.safeParse(CountyRulebookSchema, parsed);
    if (!res.success) throw new ApiError(500, 'bad_rulebook', `县级规则第${r.version}版格式有误，请管理员重新发布`);
    versions.push({ version: r.version, effectiveFrom: r.effective_from, rulebook: res.output });
  }
  return countyRulebooksFrom(versions);
}
