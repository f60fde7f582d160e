// 基础金额加增量: an equal base per eligible unit, the rest of the budget proportional to score (or to rank
// points when a table is given). Floors and caps apply to the total per unit.
import type { MethodContext, MethodOutcome } from '../context.ts';
import { fail } from '../context.ts';
import type { BasePlusTopUpMethod } from '../types.ts';
import { rankPointWeights } from './rankPoints.ts';
import { floorsFit, weightedPart } from './weightedPart.ts';

export function allocateBasePlusTopUp(ctx: MethodContext, method: BasePlusTopUpMethod): MethodOutcome {
  const base = BigInt(method.base);
  const k = BigInt(ctx.eligible.length);
  if (base * k > ctx.budget) {
    return fail(
      'base_over_budget',
      `预算不足以发放基础金额：${k}个合格单位×基础金额${base}元=${base * k}元，超过预算${ctx.budget}元；请降低基础金额或增加预算`,
    );
  }
  const refused = floorsFit(ctx);
  if (refused) return refused;
  const pool = ctx.budget - base * k;
  if (method.points) {
    const { weights, describe } = rankPointWeights(ctx.eligible, method.points);
    return weightedPart({ ctx, pool, base, weights, basis: 'points', describe });
  }
  const weights = new Map(ctx.eligible.map((u) => [u.unit.id, u.hundredths]));
  return weightedPart({ ctx, pool, base, weights, basis: 'score' });
}
