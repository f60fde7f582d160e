// The units an allocation divides money among: a period's ranking, as DuckDB computed it. Villages carry
// their score, rank (county-wide, or within the township when the allocation is for one township), level,
// 一票否决 and the recorded 软弱涣散 flag; townships their weighted score and county rank.
import type { AllocationUnit } from '../../shared/allocation/types.ts';
import type { Period } from '../../shared/types.ts';
import type { Bindings } from '../env.ts';
import { badRequest } from '../errors.ts';
import { townshipRanking, villageRanking } from '../aggregate/service.ts';

export type AllocationLevel = 'village' | 'township';

/** What a saved allocation keeps of the ranking it used (enough to reproduce the result). */
export interface RankingSnapshot {
  period: string;
  periodZh: string;
  level: AllocationLevel;
  township: string | null;
  computedAt: string;
  rulebookVersion: number | null;
  /** How the ranks were taken. */
  rankBasis: string;
  units: AllocationUnit[];
  /** Display details per unit id (not part of the allocation input). */
  details: Record<string, { township?: string; townshipName?: string | null }>;
  countyName: string | null;
}

export async function rankingUnits(env: Bindings, countyCode: string, period: Period, level: AllocationLevel, township?: string): Promise<RankingSnapshot> {
  const computedAt = new Date().toISOString();
  if (level === 'village') {
    const r = await villageRanking(env, countyCode, period, township ? { township } : {});
    if (!r.villages.length) throw badRequest('no_ranking', `${period.labelZh}${township ? `乡镇${township}` : ''}没有村级排名数据，无法分配`);
    return {
      period: period.label,
      periodZh: period.labelZh,
      level,
      township: township ?? null,
      computedAt,
      rulebookVersion: r.rulebook?.version ?? null,
      rankBasis: township ? '乡镇内名次（同分并列）' : '全县名次（同分并列）',
      units: r.villages.map((v) => ({
        id: v.code,
        name: v.name,
        score: v.total,
        rank: township ? v.rank : v.countyRank,
        level: v.level,
        veto: v.veto,
        weak: v.weakFlag,
      })),
      details: Object.fromEntries(r.villages.map((v) => [v.code, { township: v.township, townshipName: v.townshipName }])),
      countyName: r.county.name,
    };
  }
  if (period.kind !== 'half') throw badRequest('bad_period', `乡镇排名按半年计算，期次应写成 2026H1 或 2026H2（收到“${period.label}”）`);
  if (township) throw badRequest('bad_township', '乡镇级分配不能限定乡镇');
  const r = await townshipRanking(env, countyCode, period);
  const ranked = r.townships.filter((t) => t.ranked && t.score !== null && t.rank !== null);
  if (!ranked.length) throw badRequest('no_ranking', `${period.labelZh}没有乡镇排名数据，无法分配`);
  return {
    period: period.label,
    periodZh: period.labelZh,
    level,
    township: null,
    computedAt,
    rulebookVersion: r.rulebook?.version ?? null,
    rankBasis: '全县乡镇名次（同分并列）',
    units: ranked.map((t) => ({ id: t.code, name: t.name ?? t.code, score: t.score!, rank: t.rank! })),
    details: {},
    countyName: r.county.name,
  };
}
