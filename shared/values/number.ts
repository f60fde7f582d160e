// The core decimal reader every numeric kind builds on. It reads one number, exactly, with at most one
// unit, and says precisely why when it cannot:
//   12 · １２ · 20,000 · ２０，０００ · 20 000 · 2.57万 (→ 25700 exactly) · 两万五千 · 2万5千 · ¥25000 · 90㎡
// and refuses ranges (3-5, 三至五), several numbers (3次或4次, 3、4), estimates (约10, 10余次, 十来次, 三四次),
// vague words (若干), scientific notation (1.5E+4: the digits shown may be rounded) and more than 15
// significant digits. Units are only recognised here (see units.ts); whether a unit fits is the caller's call.
import type { ParseResult, RawCell } from '../types.ts';
import { foldWidth, simplify, stripSpaces } from '../text/normalize.ts';
import { NUMERAL_CHARS, looksLikeEstimate, parseMixedNumeral } from './chinese-numeral.ts';
import { type Failure, fail, guard, ok, quote, withDetail } from './common.ts';
import {
  type Decimal,
  decimalFromNumber,
  decimalFromString,
  isNegative,
  mul,
  negate,
  pow10,
  significantDigits,
  toNumber,
} from './decimal.ts';
import { lookupUnit, unconvertibleUnit, unitKey } from './units.ts';

export interface NumberReading {
  /** The exact value, sign and 万/亿 multiplier applied, unit factor NOT applied. */
  decimal: Decimal;
  value: number;
  /** The unit written in the cell (key of units.ts, e.g. 元, m2, 次, %), '' when none. */
  unit: string;
  /** The magnitude word written with the digits (万, 亿, 千, 百, 百万, 千万, w; for numerals see magnitudeWord),
   * '' when none. A cell with one states its own unit. */
  multiplier: string;
  /** ¥ / RMB / 人民币 in front of the number. */
  currency: boolean;
  /** Chinese numerals were used (十二, 两万五, 2万5千). */
  numeral: boolean;
}

/** Either a reading, or an explanation (possibly empty) of why the text is not one number. */
export type NumberRead = { ok: true; reading: NumberReading } | { ok: false; detail: string };

const MULTIPLIERS: readonly (readonly [RegExp, string, number])[] = [
  [/^百万/, '百万', 6],
  [/^千万/, '千万', 7],
  [/^万/, '万', 4],
  [/^亿/, '亿', 8],
  [/^千/, '千', 3],
  [/^百/, '百', 2],
  [/^w/i, 'w', 4],
];

/** Words that make the number an estimate when written before it. Longest first. */
const APPROX_BEFORE = [
  '不少于', '不低于', '不超过', '大约', '大概', '约为', '将近', '接近', '超过', '不到', '不足', '至少',
  '最少', '最多', '多于', '少于', '约', '近', '逾', '超', '≥', '≤', '>', '<', '≈', '~',
];
/** …and right after it (10余次, 10多人, 十来次, 十几次, 100+). */
const APPROX_AFTER = ['余', '多', '来', '几', '左右', '上下', '以上', '以下', '以内', '+', '许'];
/** …and at the very end (10次左右). */
const APPROX_END = ['左右', '上下', '以上', '以下', '以内', '余', '多'];
/** Words that are not a number at all. */
const VAGUE = ['若干', '多次', '数次', '几次', '很多', '许多', '不详', '不清楚', '未知', '不确定', '待定', '待统计'];

const RANGE_SEPARATOR = /[-~至到—–―]/;
const ANY_DIGIT = new RegExp(`[0-9${NUMERAL_CHARS}]`);
const MIXED_BODY = new RegExp(`^[0-9${NUMERAL_CHARS}]+`);

const MAX_SIGNIFICANT = 15;

function failRead(detail: string): NumberRead {
  return { ok: false, detail };
}

/** Digits separated by spaces are only accepted as thousands groups ("20 000"); "3 4" is two numbers. */
function badSpacing(t: string): boolean {
  for (const m of t.matchAll(/\d[\d\s]*\d/g)) {
    if (!/\s/.test(m[0])) continue;
    const before = t[m.index - 1];
    if (before === '.' || !/^\d{1,3}(?:\s\d{3})+$/.test(m[0])) return true;
  }
  return false;
}

/**
 * The magnitude word a numeral states, which makes the cell carry its own unit (a column header's 万元 then
 * no longer applies): 2万5千, 3千 and 两万 do; 十二 and 三百 alone do not (十二 under 「（万元）」 is 12万元).
 */
function magnitudeWord(body: string): string {
  const words = /[0-9]/.test(body) ? ['亿', '万', '千', '百'] : ['亿', '万'];
  return words.find((w) => body.includes(w)) ?? '';
}

/** What is wrong with the text after the number when it is not a unit. */
function explainTail(tail: string): string {
  const after = APPROX_AFTER.find((w) => tail.startsWith(w));
  if (after) return `“${after}”表示约数，请填写确切数字`;
  const end = APPROX_END.find((w) => tail.endsWith(w));
  if (end) return `“${end}”表示约数，请填写确切数字`;
  if (tail.startsWith('.')) return '含有多个小数点，可能填写了多个数字';
  if (/^,\d/.test(tail)) return '逗号的位置不是千分位，可能填写了多个数字';
  if (/^e[+-]?\d/i.test(tail)) return '这是科学计数法，显示的数字可能已被四舍五入，请填写完整数字';
  const withoutUnits = tail.replace(/m\^?2/gi, '');
  if (ANY_DIGIT.test(withoutUnits)) {
    return RANGE_SEPARATOR.test(withoutUnits) ? '这是一个范围，请填写一个确切数字' : '含有多个数字，请只填写一个数字';
  }
  return `无法识别的单位“${tail}”`;
}

function withUnit(
  decimal: Decimal,
  tail: string,
  multiplier: string,
  currency: boolean,
  numeral: boolean,
): NumberRead {
  if (tail !== '' && !lookupUnit(tail) && !unconvertibleUnit(tail)) return failRead(explainTail(tail));
  return {
    ok: true,
    reading: { decimal, value: toNumber(decimal), unit: tail === '' ? '' : unitKey(tail), multiplier, currency, numeral },
  };
}

/** Read one number (with at most one unit) from a text. Never throws. */
export function readNumberText(raw: string): NumberRead {
  let t = foldWidth(raw).replace(/[\u2212\u2796]/g, '-').trim();
  if (badSpacing(t)) return failRead('含有多个数字，请只填写一个数字');
  t = simplify(stripSpaces(t));
  if (t === '') return failRead('');
  const vague = VAGUE.find((w) => t.startsWith(w));
  if (vague) return failRead(`“${vague}”不是确切数字`);
  const before = APPROX_BEFORE.find((w) => t.startsWith(w));
  if (before) return failRead(`“${before}”表示估计，请填写确切数字`);

  let negative = false;
  let currency = false;
  for (let pass = 0; pass < 2; pass++) {
    if (!negative && /^[+-]/.test(t)) {
      negative = t.startsWith('-');
      t = t.slice(1);
    }
    const cur = /^(?:¥|rmb|人民币)/i.exec(t);
    if (!currency && cur) {
      currency = true;
      t = t.slice(cur[0].length);
    }
  }
  const total = /^共计?/.exec(t);
  if (total) t = t.slice(total[0].length);
  const sign = (d: Decimal): Decimal => (negative ? negate(d) : d);

  // 两万五千, 2万5千, 1万500, 三次: the numeral grammar.
  const body = MIXED_BODY.exec(t)?.[0] ?? '';
  const next = t[body.length];
  if (/[^0-9]/.test(body) && next !== '.' && next !== ',') {
    const v = parseMixedNumeral(body);
    if (v !== undefined) {
      const r = withUnit(sign(decimalFromNumber(v)!), t.slice(body.length), magnitudeWord(body), currency, true);
      // 一般, 十分: a word that merely starts with a numeral is not "a number with an odd unit".
      return !r.ok && r.detail.startsWith('无法识别的单位') ? failRead('') : r;
    }
    if (!/^[0-9]/.test(body)) {
      if (looksLikeEstimate(body)) return failRead(`“${body.slice(0, 2)}”是约数，请填写确切数字`);
      return failRead('');
    }
  }

  // 12, 20,000, 2.57万, .5: the decimal literal.
  const dm = /^(?:(\d{1,3}(?:,\d{3})+)|(\d+))?(?:\.(\d*))?/.exec(t)!;
  const int = (dm[1] ?? dm[2] ?? '').replace(/,/g, '');
  const frac = dm[3] ?? '';
  if (int === '' && frac === '') return failRead('');
  const literal = decimalFromString(`${int || '0'}.${frac || '0'}`)!;
  if (significantDigits(literal) > MAX_SIGNIFICANT) return failRead(`有效数字超过${MAX_SIGNIFICANT}位，无法精确表示`);
  let rest = t.slice(dm[0].length);
  let multiplier = '';
  let value = literal;
  for (const [re, word, exp] of MULTIPLIERS) {
    const m = re.exec(rest);
    if (m) {
      multiplier = word;
      value = mul(literal, pow10(exp));
      rest = rest.slice(m[0].length);
      break;
    }
  }
  return withUnit(sign(value), rest, multiplier, currency, false);
}

/** A number read from a cell: xlsx numbers as they are (finite), strings through readNumberText. */
export function readNumberCell(cell: RawCell, noun: string): { ok: true; reading: NumberReading } | Failure {
  const g = guard(cell);
  if (g) return g;
  const v = cell.value;
  const cannot = `无法识别为${noun}：${quote(cell)}`;
  if (typeof v === 'number') {
    const d = decimalFromNumber(v);
    if (!d) return fail(withDetail(cannot, '不是有效数字'));
    return { ok: true, reading: { decimal: d, value: v, unit: '', multiplier: '', currency: false, numeral: false } };
  }
  if (typeof v === 'boolean') return fail(withDetail(cannot, '这是逻辑值，不是数字'));
  if (v instanceof Date) return fail(withDetail(cannot, '这是日期，不是数字'));
  const r = readNumberText(String(v));
  return r.ok ? r : fail(withDetail(cannot, r.detail));
}

/** A unitless number (万/亿 multipliers allowed). Negative numbers only when allowed. */
export function parseNumber(cell: RawCell, opts: { allowNegative?: boolean } = {}): ParseResult<number> {
  const r = readNumberCell(cell, '数字');
  if (!r.ok) return r;
  const { reading } = r;
  if (reading.unit !== '' || reading.currency) {
    return fail(`无法识别为数字：${quote(cell)}（本列不应带单位“${reading.unit || '元'}”）`);
  }
  if (!opts.allowNegative && isNegative(reading.decimal)) return fail(`数字不能为负数：${quote(cell)}`);
  return ok(reading.value);
}
