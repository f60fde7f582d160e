// Chinese numerals: 十二 = 12, 二十 = 20, 一百零五 = 105, 三千 = 3000, 两万五千 = 25000, 壹佰零伍 = 105.
//
// The grammar is the standard one, read strictly so that 约数 such as 三四 (3 or 4) or 一两 (1 or 2) are
// rejected rather than guessed:
// - a digit (一…九, 两, 壹…玖) is followed by a place (十 百 千) in falling order; 十 may stand alone only at
//   the very start (十二, 十万);
// - a skipped place needs 零 (一千零五 = 1005; 一千五十 is rejected);
// - 万 and 亿 close a group; 一亿 … 万 … is allowed;
// - the everyday short forms are read: a last digit without a place takes the next lower one
//   (一千二 = 1200, 一百五 = 150, 两万五 = 25000, 三亿五 = 350000000).
// Mixed arabic forms (2万5千, 1万500) are read by the same grammar from number.ts; parseChineseNumeral
// itself accepts Chinese characters only. Decimals (2.5万) are number.ts's job.

const DIGITS: Readonly<Record<string, number>> = {
  一: 1, 壹: 1,
  二: 2, 两: 2, 兩: 2, 贰: 2, 貳: 2,
  三: 3, 叁: 3, 参: 3, 參: 3,
  四: 4, 肆: 4,
  五: 5, 伍: 5,
  六: 6, 陆: 6, 陸: 6,
  七: 7, 柒: 7,
  八: 8, 捌: 8,
  九: 9, 玖: 9,
};
const ZEROS = new Set(['零', '〇']);
const PLACES: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG: Readonly<Record<string, number>> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** Every character the numeral grammar knows (for splitting a numeral from a following unit). */
export const NUMERAL_CHARS = `${Object.keys(DIGITS).join('')}${[...ZEROS].join('')}${Object.keys(PLACES).join('')}${Object.keys(BIG).join('')}`;

type Token =
  | { t: 'digit'; v: number }
  | { t: 'zero' }
  | { t: 'place'; v: number }
  | { t: 'big'; v: number }
  /** An arabic run such as "5000" (only from number.ts's mixed forms). */
  | { t: 'lit'; v: number; len: number };

function tokenize(s: string, allowArabic: boolean): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (!allowArabic) return undefined;
      let j = i;
      while (j < s.length && s[j]! >= '0' && s[j]! <= '9') j++;
      const run = s.slice(i, j);
      if (run.length > 4) return undefined;
      const v = Number(run);
      out.push(run.length === 1 && v >= 1 ? { t: 'digit', v } : { t: 'lit', v, len: run.length });
      i = j;
      continue;
    }
    const d = DIGITS[c];
    if (d !== undefined) out.push({ t: 'digit', v: d });
    else if (ZEROS.has(c)) out.push({ t: 'zero' });
    else if (PLACES[c] !== undefined) out.push({ t: 'place', v: PLACES[c]! });
    else if (BIG[c] !== undefined) out.push({ t: 'big', v: BIG[c]! });
    else return undefined;
    i++;
  }
  return out;
}

/** A group below 万 (1–9999): 三千零五, 二十, 十二 (leading only), 一千二 (short form), or an arabic run. */
function parseSection(ts: readonly Token[], leading: boolean): number | undefined {
  if (ts.length === 0) return undefined;
  const first = ts[0]!;
  if (first.t === 'lit') return ts.length === 1 && first.v >= 1 ? first.v : undefined;
  let value = 0;
  let last = 10000; // the place written last
  let pending: number | undefined;
  let zero = false;
  let started = false;
  for (const tok of ts) {
    switch (tok.t) {
      case 'digit':
        if (pending !== undefined) return undefined; // 三四: two digits in a row
        pending = tok.v;
        break;
      case 'zero':
        if (pending !== undefined || zero || !started) return undefined;
        zero = true;
        break;
      case 'place': {
        let d = pending;
        if (d === undefined) {
          if (tok.v === 10 && !started && leading) d = 1;
          else return undefined;
        }
        if (tok.v >= last) return undefined;
        if (zero) {
          if (tok.v * 10 >= last) return undefined; // 零 must stand for a skipped place
          zero = false;
        } else if (started && tok.v * 10 < last) return undefined; // skipped place without 零
        value += d * tok.v;
        last = tok.v;
        pending = undefined;
        started = true;
        break;
      }
      default:
        return undefined;
    }
  }
  if (pending === undefined) return zero ? undefined : value;
  if (!started) return pending;
  if (zero) return last >= 100 ? value + pending : undefined;
  return last === 10 ? value + pending : value + (pending * last) / 10;
}

/** The part after 万 or 亿 (`big`): empty, 零 + a smaller part, a single short-form digit, or a full part. */
function parseRest(ts: readonly Token[], big: number): number | undefined {
  if (ts.length === 0) return 0;
  const first = ts[0]!;
  if (first.t === 'zero') {
    const v = below(ts.slice(1), big);
    return v !== undefined && v >= 1 && v * 10 < big ? v : undefined;
  }
  if (ts.length === 1 && first.t === 'digit') return (first.v * big) / 10; // 两万五
  if (ts.length === 1 && first.t === 'lit') return first.v >= 1 && first.v < big ? first.v : undefined; // 1万500
  const v = below(ts, big);
  return v !== undefined && v * 10 >= big && v < big ? v : undefined;
}

function below(ts: readonly Token[], big: number): number | undefined {
  if (ts.length === 0 || ts[0]!.t === 'zero') return undefined;
  return big === 1e8 ? parseWan(ts, false) : parseSection(ts, false);
}

function parseWan(ts: readonly Token[], leading: boolean): number | undefined {
  const at: number[] = [];
  ts.forEach((t, i) => {
    if (t.t === 'big') at.push(i);
  });
  if (at.length === 0) return parseSection(ts, leading);
  const i = at[0]!;
  if (at.length > 1 || (ts[i] as { v: number }).v !== 1e4) return undefined;
  const head = parseSection(ts.slice(0, i), leading);
  const rest = parseRest(ts.slice(i + 1), 1e4);
  return head === undefined || rest === undefined ? undefined : head * 1e4 + rest;
}

function parseTokens(ts: readonly Token[]): number | undefined {
  if (ts.length === 1 && ts[0]!.t === 'zero') return 0;
  const yi = ts.findIndex((t) => t.t === 'big' && t.v === 1e8);
  if (yi < 0) return parseWan(ts, true);
  if (ts.slice(yi + 1).some((t) => t.t === 'big' && t.v === 1e8)) return undefined;
  const head = parseSection(ts.slice(0, yi), true);
  const rest = parseRest(ts.slice(yi + 1), 1e8);
  return head === undefined || rest === undefined ? undefined : head * 1e8 + rest;
}

/**
 * A number written in Chinese numerals (simplified, traditional or 大写 financial forms), or undefined when
 * the text is not exactly one well-formed numeral. Arabic digits are refused here (see number.ts).
 */
export function parseChineseNumeral(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const ts = tokenize(t, false);
  return ts ? parseTokens(ts) : undefined;
}

/** The same grammar, also accepting arabic runs in place of a digit or a group: 2万5千, 1万500, 3亿5000万. */
export function parseMixedNumeral(s: string): number | undefined {
  if (s === '') return undefined;
  const ts = tokenize(s, true);
  return ts ? parseTokens(ts) : undefined;
}

const POSITIONAL: Readonly<Record<string, number>> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Digit-by-digit numerals as used for years: 二〇二四 = 2024. Undefined unless every character is a digit. */
export function parseChineseDigits(s: string): number | undefined {
  if (s === '') return undefined;
  let n = 0;
  for (const c of s) {
    const d = POSITIONAL[c];
    if (d === undefined) return undefined;
    n = n * 10 + d;
  }
  return n;
}

/** 一两, 两三, 三四 … 八九: two neighbouring digits, the usual way of writing an estimate. */
export function looksLikeEstimate(s: string): boolean {
  return /^(?:一[两二]|[两二]三|三四|四五|五六|六七|七八|八九)/.test(s);
}
