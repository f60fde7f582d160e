// 按名次分档定额: a unit whose rank falls in a tier gets the tier's amount. Ties share the best rank (1, 2, 2, 4),
// so every unit of a tie group gets the tier of that shared rank, even when the group runs past the tier's last
// rank: a tier may pay more units than its nominal width, and the notes say so. A rank held by an ineligible
// unit is not passed on (名次不顺延). If the tiers need more than the budget the allocation is refused, unless
// `onOverflow: 'scale'`: then every amount shrinks in the same proportion (exact, floored to the rounding unit),
// so equal ranks stay equal.
import type { MethodContext, MethodOutcome, MethodRow, PreparedUnit } from '../context.ts';
import { fail } from '../context.ts';
import { roundingClause, shareText, yuan } from '../explain.ts';
import { findRange, rangeLabel } from '../ranks.ts';
import { truncatedDecimal, unitName } from '../rounding.ts';
import type { TiersMethod } from '../types.ts';
import { allocateWeighted } from '../weighted.ts';
import { floorsFit } from './weightedPart.ts';

interface Desired {
  u: PreparedUnit;
  tierIndex: number | null;
  tierAmount: bigint;
  /** Tier amount after floor and cap. */
  desired: bigint;
  words: string;
}

/** Notes list units by rank, then id, so that they do not depend on the input order. */
function byId(a: PreparedUnit, b: PreparedUnit): number {
  return a.unit.id < b.unit.id ? -1 : a.unit.id > b.unit.id ? 1 : 0;
}

function tieNotes(ctx: MethodContext, method: TiersMethod): string[] {
  const notes: string[] = [];
  const groups = new Map<number, PreparedUnit[]>();
  for (const u of ctx.units) groups.set(u.rank, [...(groups.get(u.rank) ?? []), u]);
  for (const [rank, group] of [...groups].sort((a, b) => a[0] - b[0])) {
    if (group.length < 2) continue;
    const hit = findRange(method.tiers, rank);
    const lastPos = rank + group.length - 1;
    if (hit && lastPos > hit.entry.toRank) {
      const names = [...group].sort(byId).map((u) => u.unit.name).join('、');
      notes.push(
        `第${rank}名并列${group.length}个单位（${names}），占第${rank}–${lastPos}位，跨过${rangeLabel(hit.entry)}档的末位；` +
          `同分同奖，均按第${rank}名所在的${rangeLabel(hit.entry)}档发放`,
      );
    }
  }
  return notes;
}

export function allocateTiers(ctx: MethodContext, method: TiersMethod): MethodOutcome {
  const refused = floorsFit(ctx);
  if (refused) return refused;
  const lastTier = method.tiers[method.tiers.length - 1]!;

  const desired: Desired[] = ctx.eligible.map((u) => {
    const hit = findRange(method.tiers, u.rank);
    const tierAmount = hit ? BigInt(hit.entry.amount) : 0n;
    let d = tierAmount;
    let words = hit
      ? `属${rangeLabel(hit.entry)}档，档额${yuan(tierAmount)}`
      : `不在奖励档次内（档次止于第${lastTier.toRank}名），档额0元`;
    if (d < ctx.floor) {
      d = ctx.floor;
      words += `，低于保底${yuan(ctx.floor)}，按保底${yuan(ctx.floor)}`;
    }
    if (ctx.cap !== null && d > ctx.cap) {
      d = ctx.cap;
      words += `，超过封顶${yuan(ctx.cap)}，按封顶${yuan(ctx.cap)}（多出部分留作结余）`;
    }
    return { u, tierIndex: hit ? hit.index : null, tierAmount, desired: d, words };
  });
  const required = desired.reduce((s, d) => s + d.desired, 0n);

  // What each tier pays, for the notes and the overflow message.
  const breakdown: string[] = method.tiers.map((t, i) => {
    const inTier = desired.filter((d) => d.tierIndex === i);
    const total = inTier.reduce((s, d) => s + d.desired, 0n);
    return `${rangeLabel(t)}档${inTier.length}个单位，合计${yuan(total)}`;
  });
  const outside = desired.filter((d) => d.tierIndex === null);
  if (outside.length > 0 && ctx.floor > 0n) {
    breakdown.push(`档次外${outside.length}个单位按保底各${yuan(ctx.floor)}，合计${yuan(ctx.floor * BigInt(outside.length))}`);
  }

  const notes: string[] = [`${breakdown.join('；')}；档额合计${yuan(required)}，预算${yuan(ctx.budget)}`];
  notes.push(...tieNotes(ctx, method));
  const passedOver = ctx.units
    .filter((u) => !u.eligible && findRange(method.tiers, u.rank) !== null)
    .sort((a, b) => a.rank - b.rank || byId(a, b));
  if (passedOver.length > 0) {
    notes.push(
      `${passedOver.map((u) => `第${u.rank}名${u.unit.name}（${u.reasons.join('、')}）`).join('、')}不参与分配，其名次不顺延给其他单位`,
    );
  }

  const rows = new Map<string, MethodRow>();
  if (required <= ctx.budget) {
    for (const d of desired) rows.set(d.u.unit.id, { amount: d.desired, explanation: `${d.u.prefix}，${d.words}` });
    const left = ctx.budget - required;
    notes.push(left === 0n ? '全部分配，无结余' : `结余${yuan(left)}：预算多于档额合计，未分配部分留作结余`);
    return { ok: true, rows, notes };
  }

  if (method.onOverflow !== 'scale') {
    return fail(
      'tiers_over_budget',
      `按档额需要资金合计${yuan(required)}，超过预算${yuan(ctx.budget)}（差${yuan(required - ctx.budget)}）：${breakdown.join('；')}。` +
        `请调整档额或预算，或设置onOverflow为scale按比例缩减`,
    );
  }

  const scaled = allocateWeighted({
    pool: ctx.budget,
    items: desired.map((d) => ({ id: d.u.unit.id, weight: d.desired })),
    floor: ctx.floor,
    cap: null,
    redistributeCapped: false,
    unit: ctx.unit,
  });
  const factor = scaled.lambda;
  const factorText = factor ? truncatedDecimal(factor.num, factor.den, 6) : null;
  const shownFactor = factorText ? `${factorText.text}${factorText.exact ? '' : '…'}` : '';
  for (const d of desired) {
    const s = scaled.shares.get(d.u.unit.id)!;
    let text = `${d.u.prefix}，${d.words}；档额合计超出预算，按比例缩减：`;
    if (s.share === null) {
      text += `${yuan(s.amount)}`;
    } else {
      text += scaled.plain
        ? `${yuan(d.desired)}×${ctx.budget}÷${required}=${shareText(s.share)}元`
        : `${yuan(d.desired)}×缩减系数${shownFactor}=${shareText(s.share)}元`;
      text +=
        s.bound === 'floor'
          ? `，低于保底${yuan(ctx.floor)}，按保底发放${yuan(ctx.floor)}`
          : roundingClause(s.share, s.rounded, ctx.roundingUnit);
    }
    rows.set(d.u.unit.id, { amount: s.amount, explanation: text });
  }
  const left = ctx.budget - scaled.allocated;
  notes.push(
    `档额合计${yuan(required)}超过预算${yuan(ctx.budget)}，按onOverflow: scale各单位按同一系数缩减` +
      (scaled.plain ? `（${ctx.budget}÷${required}=${shownFactor}）` : `（保底单位除外，系数${shownFactor}）`) +
      `，向下取整到${unitName(ctx.roundingUnit)}；名次相同的单位金额相同`,
  );
  notes.push(
    left === 0n ? '全部分配，无结余' : `结余${yuan(left)}：按${unitName(ctx.roundingUnit)}向下取整舍去的尾数`,
  );
  return { ok: true, rows, notes };
}
