// The proportional part shared by `proportional`, `rankPoints` and `basePlusTopUp`: runs the exact engine on
// the eligible units' weights (hundredths of a point or of a rank point) and explains every row and the balance.
import type { MethodContext, MethodOutcome, MethodRow, PreparedUnit } from '../context.ts';
import { fail } from '../context.ts';
import { perPoint, perPointText, points, roundingClause, score, shareText, yuan } from '../explain.ts';
import { type Ratio, displayRatio, sumBig, unitName } from '../rounding.ts';
import { type WeightedShare, allocateWeighted } from '../weighted.ts';

export type Basis = 'score' | 'points';

const WORDS = {
  score: { noun: '得分', value: '单位分值金额', per: '分', label: '按得分比例' },
  points: { noun: '点数', value: '单位点数金额', per: '点', label: '按点数比例' },
} as const;

export interface WeightedPartOptions {
  ctx: MethodContext;
  /** Money divided in proportion (budget, or budget − base × units). */
  pool: bigint;
  /** Equal base per eligible unit (0n when none). */
  base: bigint;
  /** Weight of each eligible unit, in hundredths. */
  weights: Map<string, bigint>;
  basis: Basis;
  /** Extra words after the rank prefix, e.g. 属第1–3名档，计10点. */
  describe?: (u: PreparedUnit) => string;
}

/** The floor feasibility check shared by the weight-based methods. */
export function floorsFit(ctx: MethodContext): MethodOutcome | null {
  const k = BigInt(ctx.eligible.length);
  if (ctx.floor * k <= ctx.budget) return null;
  return fail(
    'floors_over_budget',
    `预算不足以保底：${k}个合格单位×保底${ctx.floor}元=${ctx.floor * k}元，超过预算${ctx.budget}元；请降低保底金额或增加预算`,
  );
}

export function weightedPart(o: WeightedPartOptions): MethodOutcome {
  const { ctx, pool, base, basis } = o;
  const w = WORDS[basis];
  const fmt = basis === 'score' ? score : points;
  const floorPart = ctx.floor > base ? ctx.floor - base : 0n;
  const capPart = ctx.cap === null ? null : ctx.cap - base;
  const floorTotal = floorPart + base;
  const outcome = allocateWeighted({
    pool,
    items: ctx.eligible.map((u) => ({ id: u.unit.id, weight: o.weights.get(u.unit.id)! })),
    floor: floorPart,
    cap: capPart,
    redistributeCapped: ctx.redistributeCapped,
    unit: ctx.unit,
  });
  const lambda = outcome.lambda;
  const W = outcome.totalWeight;
  const plus = (r: Ratio) => displayRatio(r.num + base * r.den, r.den);

  const rows = new Map<string, MethodRow>();
  for (const u of ctx.eligible) {
    const s: WeightedShare = outcome.shares.get(u.unit.id)!;
    const extra = o.describe?.(u);
    const head = `${u.prefix}${extra ? `，${extra}` : ''}；${base > 0n ? `基础金额${yuan(base)}；增量部分` : ''}`;
    let body: string;
    if (outcome.mode === 'noWeight') {
      body = `合格单位${w.noun}合计为0，无法${w.label}分配`;
      if (floorPart > 0n) body += `，按保底发放${yuan(floorTotal)}`;
      else if (base > 0n) body += `；合计${yuan(s.amount + base)}`;
      else body += '，0元';
    } else if (outcome.mode === 'allCapped') {
      body =
        s.bound === 'cap'
          ? `${w.label}分配时所有${w.noun}大于0的合格单位均达到封顶，按封顶发放${yuan(ctx.cap!)}`
          : `${w.noun}为0，${floorPart > 0n ? `按保底发放${yuan(floorTotal)}` : base > 0n ? `合计${yuan(base)}` : '0元'}`;
    } else {
      const share = s.share!;
      const formula =
        outcome.plain
          ? `${yuan(pool)}×${fmt(s.weight)}÷${fmt(W)}`
          : `${w.value}${perPointText(lambda!)}元/${w.per}×${fmt(s.weight)}${w.per}`;
      body = `${w.label}：${formula}=${shareText(share)}元`;
      if (s.bound === 'floor') {
        body += `${base > 0n ? `，合计${plus(share)}元` : ''}，低于保底${yuan(floorTotal)}，按保底发放${yuan(floorTotal)}`;
      } else if (s.bound === 'cap') {
        body +=
          `${base > 0n ? `，合计${plus(share)}元` : ''}，超过封顶${yuan(ctx.cap!)}，按封顶发放${yuan(ctx.cap!)}` +
          (ctx.redistributeCapped ? '（多出部分按比例分给未封顶单位）' : '（多出部分留作结余）');
      } else {
        body += roundingClause(share, s.rounded, ctx.roundingUnit);
        if (base > 0n) body += `；合计${yuan(base + s.amount)}`;
      }
    }
    rows.set(u.unit.id, { amount: base + s.amount, explanation: head + body });
  }

  const notes: string[] = [];
  const k = BigInt(ctx.eligible.length);
  notes.push(
    `合格单位${k}个，${w.noun}合计${fmt(W)}${w.per}` +
      (base > 0n ? `；基础金额${yuan(base)}×${k}个=${yuan(base * k)}，余下${yuan(pool)}${w.label}分配` : ''),
  );
  let unitValue: string | undefined;
  if (lambda !== null) {
    unitValue = perPoint(lambda).text;
    const shown = `${perPointText(lambda)}元/${w.per}`;
    if (outcome.plain) {
      notes.push(`${w.value} = ${yuan(pool)} ÷ ${fmt(W)}${w.per} = ${shown}（显示截取4位小数，计算用精确分数）`);
    } else {
      const floored = [...outcome.shares.values()].filter((s) => s.bound === 'floor');
      const capped = ctx.redistributeCapped ? [...outcome.shares.values()].filter((s) => s.bound === 'cap') : [];
      const rest = W - sumBig(floored.map((s) => s.weight)) - sumBig(capped.map((s) => s.weight));
      const minus =
        (floored.length > 0 ? ` − 保底${yuan(floorPart)}×${floored.length}` : '') +
        (capped.length > 0 ? ` − 封顶${yuan(capPart!)}×${capped.length}` : '');
      notes.push(
        `有单位触及${floored.length > 0 ? '保底' : ''}${floored.length > 0 && capped.length > 0 ? '和' : ''}${capped.length > 0 ? '封顶' : ''}，` +
          `${w.value}按其余单位重算：(${yuan(pool)}${minus}) ÷ ${fmt(rest)}${w.per} = ${shown}`,
      );
    }
  }
  if (outcome.floorCount > 0 && outcome.mode !== 'noWeight') {
    notes.push(`${outcome.floorCount}个单位${w.label}应得不足保底${yuan(floorTotal)}，按保底发放，差额由其他单位按比例承担`);
  }
  if (outcome.capCount > 0 && outcome.mode === 'solved') {
    notes.push(
      `${outcome.capCount}个单位${w.label}应得超过封顶${yuan(ctx.cap!)}，按封顶发放；` +
        (ctx.redistributeCapped ? '多出部分按比例分给未封顶单位' : `多出的${yuan(outcome.capFreed)}留作结余`),
    );
  }

  const leftover = pool - outcome.allocated;
  if (outcome.mode === 'noWeight') {
    notes.push(`合格单位${w.noun}合计为0，无法${w.label}分配；${yuan(leftover)}留作结余`);
  } else if (outcome.mode === 'allCapped') {
    notes.push(`合格单位按比例均超过封顶${yuan(ctx.cap!)}，全部按封顶发放后仍余${yuan(leftover)}，留作结余`);
  } else if (leftover === 0n) {
    notes.push('全部分配，无结余');
  } else {
    const rounding = leftover - outcome.capFreed;
    const counted = [...outcome.shares.values()].filter(
      (s) => s.bound === null || (s.bound === 'cap' && !ctx.redistributeCapped),
    ).length;
    const parts: string[] = [];
    if (rounding > 0n) {
      parts.push(
        `按${unitName(ctx.roundingUnit)}向下取整舍去的尾数${yuan(rounding)}` +
          `（每个单位舍去不足${yuan(ctx.unit)}，${counted}个单位合计少于${counted}×${ctx.unit}=${yuan(BigInt(counted) * ctx.unit)}）`,
      );
    }
    if (outcome.capFreed > 0n) parts.push(`封顶留存${yuan(outcome.capFreed)}`);
    notes.push(`结余${yuan(leftover)}：${parts.join('；')}`);
  }
  return { ok: true, rows, notes, ...(unitValue !== undefined ? { unitValue } : {}) };
}
