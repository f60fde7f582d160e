// Yes/no cells. Read conservatively: only marks and words whose meaning does not depend on the header.
//   true : 是 √ ✓ ✔ ☑ 有 对 Y yes true 1 (and the boolean TRUE)
//   false: 否 × ✗ ✘ ✕ ✖ ☒ 无 没有 不是 错 N no false 0 (and the boolean FALSE); the letter x/X is read as × with a note
// Traditional forms (無, 對, 錯) are folded first. 已/未 are NOT read: “已” answers “已完成?” with yes but
// “是否未完成?” with no, so the officer is asked to write 是 or 否.
import type { ParseResult, RawCell } from '../types.ts';
import { normalizeValue } from '../text/normalize.ts';
import { fail, guard, ok, quote } from './common.ts';

const TRUE_WORDS = ['是', '√', '✓', '✔', '☑', '🗸', '有', '对', 'y', 'yes', 'true', '1'];
const FALSE_WORDS = ['否', '×', '✗', '✘', '✕', '✖', '☒', '╳', '无', '没有', '不是', '错', 'n', 'no', 'false', '0'];

/** Normalised text of a yes/no cell: width, spaces, traditional characters, case, emoji variation selectors. */
export function boolKey(s: string): string {
  return normalizeValue(s).replace(/[\ufe0e\ufe0f]/g, '').toLowerCase();
}

/** The yes/no a word stands for, or undefined. */
export function boolWord(s: string): boolean | undefined {
  const k = boolKey(s);
  if (TRUE_WORDS.includes(k)) return true;
  if (FALSE_WORDS.includes(k)) return false;
  return undefined;
}

export function parseBool(cell: RawCell): ParseResult<boolean> {
  const g = guard(cell);
  if (g) return g;
  const v = cell.value;
  if (typeof v === 'boolean') return ok(v);
  if (typeof v === 'number') {
    if (v === 1) return ok(true);
    if (v === 0) return ok(false);
    return fail(`无法识别为是/否：${quote(cell)}（请填写“是”或“否”）`);
  }
  if (v instanceof Date) return fail(`无法识别为是/否：${quote(cell)}（这是日期，请填写“是”或“否”）`);
  const s = String(v);
  const b = boolWord(s);
  if (b !== undefined) return ok(b);
  const k = boolKey(s);
  if (k === 'x') return ok(false, `${quote(cell)}按“×”（否）读取`);
  if (k === '已' || k === '未') {
    return fail(`无法识别为是/否：${quote(cell)}（“${k}”的含义取决于表头的问法，请填写“是”或“否”）`);
  }
  return fail(`无法识别为是/否：${quote(cell)}（请填写“是”或“否”）`);
}
