// Chinese sentences that trace each amount to its inputs. Amounts are whole 元 without separators; shares
// before rounding show two decimals, with "…" where digits were cut (never rounded up).
import { displayRatio, formatHundredths, formatHundredthsShort, truncatedDecimal, unitName, type Ratio } from './rounding.ts';
import type { RoundingUnit } from './types.ts';

export const METHOD_LABELS = {
  tiers: '按名次分档定额',
  proportional: '按得分比例',
  rankPoints: '按名次折算点数、按点数比例',
  basePlusTopUp: '基础金额加按比例增量',
} as const;

export function yuan(x: bigint | number): string {
  return `${x}元`;
}

export function score(h: bigint): string {
  return formatHundredths(h);
}

export function points(h: bigint): string {
  return formatHundredthsShort(h);
}

/** 第3名，得分92.50 / 第2名（并列），得分90.00 */
export function rankPrefix(rank: number, tied: boolean, hundredths: bigint): string {
  return `第${rank}名${tied ? '（并列）' : ''}，得分${score(hundredths)}`;
}

/** ，按百元向下取整为14900元 — or nothing when the share is already a whole multiple. */
export function roundingClause(share: Ratio, rounded: bigint, unit: RoundingUnit): string {
  if (share.num === rounded * share.den) return '';
  return `，按${unitName(unit)}向下取整为${yuan(rounded)}`;
}

/** A share as shown in a formula: 14986.84… */
export function shareText(share: Ratio): string {
  return displayRatio(share.num, share.den);
}

/** λ in 元 per point, λ given per hundredth of a point: truncated to 4 decimals. */
export function perPoint(lambdaPerHundredth: Ratio): { text: string; exact: boolean } {
  return truncatedDecimal(lambdaPerHundredth.num * 100n, lambdaPerHundredth.den, 4);
}

export function perPointText(lambdaPerHundredth: Ratio): string {
  const t = perPoint(lambdaPerHundredth);
  return t.exact ? t.text : `${t.text}…`;
}

export function ineligibleSentence(prefix: string, reasons: readonly string[]): string {
  return `${prefix}；${reasons.join('；')}，不参与分配`;
}
