// Exact arithmetic for money: BigInt throughout, scores as integer hundredths of a point, amounts floored
// to the rounding unit. Decimal displays are truncated (never rounded up), with "…" where digits were cut.
import type { RoundingUnit } from './types.ts';

export const ROUNDING_UNITS: readonly RoundingUnit[] = [1, 10, 100, 1000];

const UNIT_NAMES: Record<RoundingUnit, string> = { 1: '元', 10: '十元', 100: '百元', 1000: '千元' };

/** 元 / 十元 / 百元 / 千元. */
export function unitName(unit: RoundingUnit): string {
  return UNIT_NAMES[unit];
}

/** A number with at most two decimals as integer hundredths (92.5 → 9250n). The caller has checked the
 * number has at most two decimals; Math.round absorbs the binary representation error of ×100. */
export function toHundredths(x: number): bigint {
  return BigInt(Math.round(x * 100));
}

/** True when x (finite, ≥ 0) has at most two decimals. Division is correctly rounded, so h / 100 is the
 * same double as the decimal literal with two decimals. */
export function hasAtMostTwoDecimals(x: number): boolean {
  return Number.isFinite(x) && Math.round(x * 100) / 100 === x;
}

/** Hundredths as a two-decimal string: 9250n → "92.50". */
export function formatHundredths(h: bigint): string {
  const sign = h < 0n ? '-' : '';
  const a = h < 0n ? -h : h;
  return `${sign}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** Hundredths without trailing zeros: 1000n → "10", 1050n → "10.5", 1005n → "10.05". */
export function formatHundredthsShort(h: bigint): string {
  return formatHundredths(h).replace(/\.?0+$/, '');
}

/** num ÷ den (both ≥ 0, den > 0) truncated to `places` decimals; `exact` says whether nothing was cut. */
export function truncatedDecimal(num: bigint, den: bigint, places: number): { text: string; exact: boolean } {
  const scale = 10n ** BigInt(places);
  const scaled = (num * scale) / den;
  const exact = (num * scale) % den === 0n;
  const whole = scaled / scale;
  if (places === 0) return { text: whole.toString(), exact };
  const frac = (scaled % scale).toString().padStart(places, '0');
  return { text: `${whole}.${frac}`, exact };
}

/** num ÷ den for display in a sentence: two decimals, "…" when digits were cut, integers without decimals. */
export function displayRatio(num: bigint, den: bigint): string {
  if (num % den === 0n) return (num / den).toString();
  const t = truncatedDecimal(num, den, 2);
  return t.exact ? t.text : `${t.text}…`;
}

/** The largest multiple of `unit` not above num ÷ den (num ≥ 0, den > 0). */
export function floorRatioToUnit(num: bigint, den: bigint, unit: bigint): bigint {
  return (num / (den * unit)) * unit;
}

/** The largest multiple of `unit` not above x (x ≥ 0). */
export function floorToUnit(x: bigint, unit: bigint): bigint {
  return (x / unit) * unit;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** A non-negative rational number num/den, den > 0. */
export interface Ratio {
  num: bigint;
  den: bigint;
}

export function ratio(num: bigint, den: bigint): Ratio {
  if (den <= 0n) throw new RangeError('ratio: denominator must be positive');
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

/** Sign of a − b. */
export function compareRatio(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function sumBig(xs: Iterable<bigint>): bigint {
  let s = 0n;
  for (const x of xs) s += x;
  return s;
}
