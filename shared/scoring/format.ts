// Display helpers for values and thresholds in Chinese messages.
import type { InputDef, Standard } from '../types.ts';

export const STANDARD_ZH: Record<Standard, string> = { basic: '基本标准', demo: '示范标准' };

export function articleRef(standard: Standard, article: number): string {
  return `${STANDARD_ZH[standard]}第${article}条`;
}

/** Up to 4 decimals, no trailing zeros, no float noise (0.1+0.2 prints 0.3). */
export function fmtNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const r = Math.round(n * 10000) / 10000;
  return String(r);
}

export function fmtMoney(yuan: number): string {
  if (Math.abs(yuan) >= 10000 && Number.isInteger(yuan / 100)) return `${fmtNumber(yuan / 10000)}万元`;
  return `${fmtNumber(yuan)}元`;
}

/** A value of an input, with the input's unit family. */
export function fmtValue(def: InputDef | undefined, v: number): string {
  switch (def?.kind) {
    case 'money':
      return fmtMoney(v);
    case 'area':
      return `${fmtNumber(v)}平方米`;
    case 'hours':
      return `${fmtNumber(v)}学时`;
    case 'percent':
      return `${fmtNumber(v)}%`;
    case 'count':
      return `${fmtNumber(v)}${countUnit(def)}`;
    default:
      return fmtNumber(v);
  }
}

function countUnit(def: InputDef): string {
  const u = def.unit ?? '';
  return /^(人|次|个|名|户|项|处|学时)$/.test(u) ? u : '';
}

const SUFFIX_WORDS = new Set(['以上', '以下', '以内']);
const PREFIX_WORDS = new Set(['不少于', '不低于', '不超过', '不高于', '不多于', '达到', '至少', '至多', '低于', '高于', '超过', '不满', '不足', '少于', '多于']);

/** "不低于90平方米", "80%以上", "低于2%". A source word that is not a boundary word (a range such as
 * "2—3" read as at least 2) is shown as the comparator instead. */
export function fmtBound(word: string, valueText: string, op?: string): string {
  if (SUFFIX_WORDS.has(word)) return `${valueText}${word}`;
  if (PREFIX_WORDS.has(word) || !op) return `${word}${valueText}`;
  return `${fmtComparator(op)}${valueText}`;
}

export function fmtComparator(op: string): string {
  return op === '>=' ? '≥' : op === '<=' ? '≤' : op;
}
