// 统计用区划代码: 12 digits (2 province + 2 city + 2 county + 3 township + 3 village), kept as a string.
// Accepts the string "130102001001", the number 130102001001, full-width digits and spaces inside
// ("1301 0200 1001"). Refuses scientific notation ("1.30102E+11": the last digits are gone), a wrong number
// of digits (saying how many) and anything that is not a digit.
import type { ParseResult, RawCell } from '../types.ts';
import { foldWidth, stripSpaces } from '../text/normalize.ts';
import { fail, guard, ok, quote } from './common.ts';

export const CODE_LENGTH = 12;

function checkDigits(cell: RawCell, digits: string): ParseResult<string> {
  if (digits.length !== CODE_LENGTH) {
    return fail(`区划代码应为${CODE_LENGTH}位数字：${quote(cell)}（这里是${digits.length}位）`);
  }
  const note = digits.endsWith('000000')
    ? `区划代码${quote(cell)}末6位均为0，是县级以上代码；若原来显示为科学计数法，末几位可能已丢失`
    : undefined;
  return ok(digits, note);
}

export function parseCode(cell: RawCell): ParseResult<string> {
  const g = guard(cell);
  if (g) return g;
  const v = cell.value;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0 || !Number.isInteger(v)) return fail(`区划代码只能包含数字：${quote(cell)}`);
    if (!Number.isSafeInteger(v)) return fail(`区划代码位数过多：${quote(cell)}（应为${CODE_LENGTH}位数字）`);
    return checkDigits(cell, String(v));
  }
  if (typeof v !== 'string') return fail(`区划代码只能包含数字：${quote(cell)}`);
  let t = stripSpaces(foldWidth(v)).replace(/^'/, '');
  if (/^\d+(?:\.\d+)?e[+-]?\d+$/i.test(t)) {
    return fail(
      `区划代码显示为科学计数法：${quote(cell)}（精度已丢失，末几位无法恢复：请把该列设为“文本”格式，重新填写完整的${CODE_LENGTH}位代码）`,
    );
  }
  t = t.replace(/^(\d+)\.0+$/, '$1');
  if (!/^\d+$/.test(t)) return fail(`区划代码只能包含数字：${quote(cell)}`);
  return checkDigits(cell, t);
}
