// Judgement cells, filled after inspection (观摩: 听、查、看、谈、评). Three shapes:
//   yes/no : 是/否, √/×, 对/错, Y/N, 达标/不达标, 通过/不通过 (not 1/0: a number counts findings)
//   grade  : 好 / 较好 / 一般 / 差, and the usual synonyms, mapped as follows (with a note):
//              优, 优秀, 很好 → 好 · 良, 良好 → 较好 · 中, 中等, 合格, 及格 → 一般 · 较差, 不合格, 不及格 → 差
//   findings: a count of problems found: 2 · 问题2处 · 发现3个问题 · 存在问题2个 · 无问题 / 未发现问题 (= 0)
// A bare 有/无 is refused: in a judgement column it may mean “有问题” or “有（做到了）”.
import type { Grade, Judgement, ParseResult, RawCell } from '../types.ts';
import { fail, guard, ok, quote } from './common.ts';
import { boolKey } from './bool.ts';
import { isInteger, isNegative } from './decimal.ts';
import { readNumberCell, readNumberText } from './number.ts';

const GRADES: Readonly<Record<string, Grade>> = {
  好: '好', 较好: '较好', 一般: '一般', 差: '差',
  优: '好', 优秀: '好', 很好: '好',
  良: '较好', 良好: '较好',
  中: '一般', 中等: '一般', 合格: '一般', 及格: '一般',
  较差: '差', 不合格: '差', 不及格: '差',
};

const YES = ['是', '√', '✓', '✔', '☑', '对', 'y', 'yes', 'true', '达标', '通过'];
const NO = ['否', '×', '✗', '✘', '✕', '✖', '☒', '不是', '错', 'n', 'no', 'false', '不达标', '不通过', '未达标'];
const NO_FINDINGS = ['无问题', '没有问题', '未发现问题', '没发现问题', '无问题发现'];

/** 问题2处, 发现3个问题, 存在问题2个, 2处: the number in the middle. */
const FINDINGS = /^(?:发现|存在|查出|有)?(?:问题)?(?:数)?[:：]?(.+?)(?:处|个|项|条)?(?:问题)?$/;

function findings(cell: RawCell, text: string): ParseResult<Judgement> | undefined {
  const m = FINDINGS.exec(text);
  if (!m) return undefined;
  const r = readNumberText(m[1]!);
  if (!r.ok || r.reading.unit !== '' || r.reading.multiplier !== '' || r.reading.currency) return undefined;
  if (isNegative(r.reading.decimal)) return fail(`问题数不能为负数：${quote(cell)}`);
  if (!isInteger(r.reading.decimal)) return fail(`问题数应为整数：${quote(cell)}`);
  return ok({ kind: 'findings', count: r.reading.value });
}

export function parseJudgement(cell: RawCell): ParseResult<Judgement> {
  const g = guard(cell);
  if (g) return g;
  const v = cell.value;
  if (typeof v === 'boolean') return ok({ kind: 'bool', value: v });
  if (typeof v === 'number') {
    const r = readNumberCell(cell, '问题数');
    if (!r.ok) return r;
    if (isNegative(r.reading.decimal)) return fail(`问题数不能为负数：${quote(cell)}`);
    if (!isInteger(r.reading.decimal)) return fail(`问题数应为整数：${quote(cell)}`);
    return ok({ kind: 'findings', count: v });
  }
  if (v instanceof Date) return fail(`无法识别为评价：${quote(cell)}（这是日期）`);
  const k = boolKey(String(v));
  const grade = GRADES[k];
  if (grade) return ok({ kind: 'grade', grade }, grade === k ? undefined : `${quote(cell)}按“${grade}”计`);
  if (YES.includes(k)) return ok({ kind: 'bool', value: true });
  if (NO.includes(k)) return ok({ kind: 'bool', value: false });
  if (NO_FINDINGS.includes(k)) return ok({ kind: 'findings', count: 0 });
  if (k === '有' || k === '无' || k === '没有') {
    return fail(`无法识别为评价：${quote(cell)}（“${k}”在评价列中含义不明：请填写“是/否”、好/较好/一般/差，或问题数（0表示没有问题））`);
  }
  const f = findings(cell, k);
  if (f) return f;
  return fail(`无法识别为评价：${quote(cell)}（请填写“是/否”、好/较好/一般/差，或问题数）`);
}
