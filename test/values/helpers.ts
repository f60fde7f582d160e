import type { RawCell } from '../../shared/types.ts';

/** A cell at B2 holding `value`, with optional numFmt/text. */
export function cell(value: RawCell['value'], extra: Partial<Omit<RawCell, 'value'>> = {}): RawCell {
  return { address: 'B2', value, ...extra };
}

/** ASCII digits and separators → full-width forms (１２，０００．５). */
export function fullWidth(s: string): string {
  return s.replace(/[0-9,.%]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** 1234567 → "1,234,567". */
export function groupThousands(n: number | string, sep = ','): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const PLACES = ['', '十', '百', '千'];

/** 1..9999 in standard form, with 零 for skipped places (1005 → 一千零五, 1050 → 一千零五十). */
function section(n: number): string {
  let out = '';
  let zero = false;
  for (let p = 3; p >= 0; p--) {
    const d = Math.floor(n / 10 ** p) % 10;
    if (d === 0) {
      if (out !== '') zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d]! + PLACES[p]!;
  }
  return out;
}

/** Standard Chinese numerals for 0 ≤ n < 100000000: 十二, 一百零五, 十万零一十, 两 is not used. */
export function toChinese(n: number): string {
  if (n === 0) return '零';
  const hi = Math.floor(n / 10000);
  const lo = n % 10000;
  let s = '';
  if (hi > 0) s += `${section(hi)}万`;
  if (lo > 0) s += (hi > 0 && lo < 1000 ? '零' : '') + section(lo);
  return s.startsWith('一十') ? s.slice(1) : s;
}

const FINANCIAL: Readonly<Record<string, string>> = {
  零: '零', 一: '壹', 二: '贰', 三: '叁', 四: '肆', 五: '伍', 六: '陆', 七: '柒', 八: '捌', 九: '玖',
  十: '拾', 百: '佰', 千: '仟', 万: '萬',
};

/** 大写 (financial) form of a numeral from toChinese. */
export function toFinancial(s: string): string {
  return Array.from(s, (c) => FINANCIAL[c] ?? c).join('');
}

/** 二 before 百/千/万 written as 两 (两百, 两千, 两万), as people usually do. */
export function withLiang(s: string): string {
  return s.replace(/二(?=[百千万])/g, '两');
}
