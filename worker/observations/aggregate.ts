// 观摩评议 aggregates, exact in hundredths of a point: scores are integer hundredths ("cents"); with at
// least three observers one highest and one lowest score are dropped; the rest are averaged and the mean
// is rounded half up to hundredths (integer arithmetic only, no floating-point rounding).

/** The rule stored with every round and returned with every aggregate. */
export const OBSERVATION_RULE = '评委不少于3人时，去掉一个最高分和一个最低分后取算术平均；不足3人时直接取算术平均；结果四舍五入保留两位小数';

/** Rules this code knows how to apply (a round keeps the rule it was created under). */
export const KNOWN_RULES: readonly string[] = [OBSERVATION_RULE];

export interface UnitAggregate {
  /** Hundredths of a point. */
  cents: number;
  observers: number;
  /** The scores left out (hundredths), when ≥ 3 observers. */
  dropped: { highest: number; lowest: number } | null;
  /** How many scores were averaged. */
  used: number;
}

/** Mean of integers rounded half up (for non-negative sums): floor((2·sum + n) / (2·n)). */
export function roundedMean(sum: number, n: number): number {
  return Math.floor((2 * sum + n) / (2 * n));
}

export function aggregateScores(cents: readonly number[], rule: string = OBSERVATION_RULE): UnitAggregate {
  if (!KNOWN_RULES.includes(rule)) throw new Error(`unknown observation rule: ${rule}`);
  if (cents.length === 0) throw new Error('no scores');
  const sorted = [...cents].sort((a, b) => a - b);
  const trim = sorted.length >= 3;
  const used = trim ? sorted.slice(1, -1) : sorted;
  const sum = used.reduce((a, b) => a + b, 0);
  return {
    cents: roundedMean(sum, used.length),
    observers: cents.length,
    dropped: trim ? { highest: sorted[sorted.length - 1]!, lowest: sorted[0]! } : null,
    used: used.length,
  };
}

/** Several rounds in one half: the mean of the rounds' aggregates, rounded half up again. */
export function combineRounds(aggregates: readonly number[]): number {
  return roundedMean(aggregates.reduce((a, b) => a + b, 0), aggregates.length);
}

export const COMBINE_RULE = '同一半年有多轮观摩时，取各轮评议得分的算术平均，四舍五入保留两位小数';

/** Hundredths as a display number (8533 → 85.33). */
export const fromCents = (c: number): number => c / 100;

/** A score with at most two decimals → hundredths, exactly (85.33 → 8533). */
export function toCents(x: number): number {
  return Math.round(x * 100);
}
