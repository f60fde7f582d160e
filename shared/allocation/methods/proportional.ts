// 按得分比例: each eligible unit gets floor(budget × score ÷ Σ scores) to the rounding unit (before floors and caps).
import type { MethodContext, MethodOutcome } from '../context.ts';
import { floorsFit, weightedPart } from './weightedPart.ts';

export function allocateProportional(ctx: MethodContext): MethodOutcome {
  const refused = floorsFit(ctx);
  if (refused) return refused;
  return weightedPart({
    ctx,
    pool: ctx.budget,
    base: 0n,
    weights: new Map(ctx.eligible.map((u) => [u.unit.id, u.hundredths])),
    basis: 'score',
  });
}
