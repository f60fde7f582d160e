// 按名次折算点数: a rank → points table, then proportional to points.
import type { MethodContext, MethodOutcome, PreparedUnit } from '../context.ts';
import { points } from '../explain.ts';
import { findRange, rangeLabel } from '../ranks.ts';
import { toHundredths } from '../rounding.ts';
import type { RankPointsEntry, RankPointsMethod } from '../types.ts';
import { floorsFit, weightedPart } from './weightedPart.ts';

/** Points of each eligible unit in hundredths (0 beyond the table), and the words that explain them. */
export function rankPointWeights(
  eligible: readonly PreparedUnit[],
  table: readonly RankPointsEntry[],
): { weights: Map<string, bigint>; describe: (u: PreparedUnit) => string } {
  const weights = new Map<string, bigint>();
  const words = new Map<string, string>();
  const last = table[table.length - 1]!;
  for (const u of eligible) {
    const hit = findRange(table, u.rank);
    const h = hit ? toHundredths(hit.entry.points) : 0n;
    weights.set(u.unit.id, h);
    words.set(u.unit.id, hit ? `属${rangeLabel(hit.entry)}档，计${points(h)}点` : `在点数表（止于第${last.toRank}名）之外，计0点`);
  }
  return { weights, describe: (u) => words.get(u.unit.id)! };
}

export function allocateRankPoints(ctx: MethodContext, method: RankPointsMethod): MethodOutcome {
  const refused = floorsFit(ctx);
  if (refused) return refused;
  const { weights, describe } = rankPointWeights(ctx.eligible, method.points);
  return weightedPart({ ctx, pool: ctx.budget, base: 0n, weights, basis: 'points', describe });
}
