// Evaluating one check of one requirement on one village row. Each check kind is one function; all
// return an Outcome (data), never throw for bad cells.
import type { Check, Comparator, Judgement, Per, Status, YearMonth } from '../types.ts';
import { readInput, type InputRead, type RowContext } from './inputs.ts';
import { expectedEvents, PER_ZH } from './period.ts';
import { fmtBound, fmtNumber, fmtValue } from './format.ts';
import type { AppliedCheckChange, CheckSetting } from '../rulebook/county.ts';

export interface Outcome {
  status: Status;
  cell?: string;
  cells?: string[];
  value?: number | string | boolean | null;
  threshold?: string;
  /** The finding, without the article prefix. */
  message: string;
  /** For deductions: events missed (frequency), shortfall in the input's unit (threshold/range). */
  missed?: number;
  shortfall?: number;
  judgement?: Judgement;
}

export interface Skip {
  skip: string;
  cell?: string;
}

export type CheckResult = Outcome | Skip;

export function isSkip(r: CheckResult): r is Skip {
  return (r as Skip).skip !== undefined;
}

/** Overrides a county rulebook may apply to a requirement's check. */
export interface CheckOverride {
  threshold?: number;
  /** Parameters the county rulebook set on this check (`checks`), already in the check; for the explanation. */
  county?: AppliedCheckChange;
}

const PARAM_ZH: Record<keyof CheckSetting, (x: unknown) => string> = {
  value: (x) => `标准值${fmtNumber(x as number)}`,
  op: (x) => `比较方式${String(x)}`,
  min: (x) => `下限${fmtNumber(x as number)}`,
  max: (x) => `上限${fmtNumber(x as number)}`,
  times: (x) => `${fmtNumber(x as number)}次`,
  per: (x) => PER_ZH[x as Per],
  years: (x) => `任期${fmtNumber(x as number)}年`,
  expect: (x) => (x ? '应为“是”' : '应为“否”'),
};

function settingText(s: CheckSetting): string {
  return (Object.entries(s) as [keyof CheckSetting, unknown][])
    .filter(([, x]) => x !== undefined)
    .map(([k, x]) => PARAM_ZH[k](x))
    .join('、');
}

/** "（县级规则：任期5年，标准原文任期3年；依据：…）", or '' when the county changed nothing. */
export function countyNote(override: CheckOverride | undefined): string {
  const c = override?.county;
  if (!c) return '';
  return `（县级规则：${settingText(c.to)}，标准原文${settingText(c.from)}${c.basis ? `；依据：${c.basis}` : ''}）`;
}

export function compare(a: number, op: Comparator, b: number): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
  }
}

/** Unavailable input → missing/invalid outcome. */
function unavailable(r: Exclude<InputRead, { state: 'ok' }>): Outcome {
  switch (r.state) {
    case 'unmapped':
      return { status: 'missing', message: `表中未找到“${r.def.label}”列` };
    case 'blank':
      return {
        status: 'missing',
        ...(r.cell.address ? { cell: r.cell.address, cells: [r.cell.address] } : {}),
        message: r.marker ? `“${r.def.label}”填写为“${String(r.cell.value).trim()}”，视为未填` : `“${r.def.label}”未填写`,
      };
    case 'invalid':
      return {
        status: 'invalid',
        ...(r.cell.address ? { cell: r.cell.address, cells: [r.cell.address] } : {}),
        message: `“${r.def.label}”无法识别：${r.reason}`,
      };
  }
}

function where(r: Extract<InputRead, { state: 'ok' }>): { cell?: string; cells: string[] } {
  return { ...(r.cell ? { cell: r.cell.address } : r.cells[0] ? { cell: r.cells[0] } : {}), cells: r.cells };
}

export function evaluateCheck(check: Check, ctx: RowContext, override: CheckOverride = {}): CheckResult {
  switch (check.kind) {
    case 'threshold': {
      if (check.per && expectedEvents(1, check.per, ctx.period) === undefined) {
        return notDue(ctx, check.input, `${PER_ZH[check.per]}累计的要求`, check.per);
      }
      return withNote(thresholdCheck(ctx, check.input, check.op, override.threshold ?? check.value, check.word, override.threshold !== undefined), override);
    }
    case 'param': {
      const v = ctx.params[check.param];
      const r = readInput(ctx, check.input);
      if (v === undefined) {
        return {
          status: 'manual',
          ...(r.state === 'ok' ? where(r) : {}),
          message: `县级规则未设定“${check.param}”（原文未给出具体数值），待人工认定`,
        };
      }
      return withNote(thresholdCheck(ctx, check.input, check.op, override.threshold ?? v, check.word, true), override);
    }
    case 'range':
      return withNote(rangeCheck(ctx, check.input, check.min, check.max), override);
    case 'frequency':
      return withNote(frequencyCheck(ctx, check.input, check.times, check.per, check.scaleBy), override);
    case 'ratio':
      return withNote(ratioCheck(ctx, check.numerator, check.denominator, check.op, override.threshold ?? check.value, check.word), override);
    case 'flag':
      return withNote(flagCheck(ctx, check.input, check.expect), override);
    case 'judgement':
      return judgementCheck(ctx, check.input);
    case 'term':
      return termCheck(ctx, check.input, check.years, override.county);
  }
}

/** A decided outcome's message says which county setting applied (a skip or a missing value is unchanged). */
function withNote(r: CheckResult, override: CheckOverride): CheckResult {
  const note = countyNote(override);
  if (!note || isSkip(r) || (r.status !== 'pass' && r.status !== 'fail')) return r;
  return { ...r, message: `${r.message}${note}` };
}

function thresholdCheck(ctx: RowContext, input: string, op: Comparator, value: number, word: string, county: boolean): Outcome {
  const r = readInput(ctx, input);
  if (r.state !== 'ok') return unavailable(r);
  const v = r.value as number;
  const tText = fmtValue(r.def, value);
  const bound = fmtBound(word, tText, op);
  const ok = compare(v, op, value);
  const shortfall = ok ? 0 : Math.abs(value - v);
  const note = r.derivedFrom ? `（${r.derivedFrom}）` : '';
  return {
    status: ok ? 'pass' : 'fail',
    ...where(r),
    value: v,
    threshold: `${county ? '县定' : ''}${bound}`,
    shortfall,
    message: `${r.def.label}${fmtValue(r.def, v)}${note}，${ok ? '符合' : '不符合'}“${bound}”${county ? '（县级规则）' : ''}`,
  };
}

function rangeCheck(ctx: RowContext, input: string, min: number, max: number): Outcome {
  const r = readInput(ctx, input);
  if (r.state !== 'ok') return unavailable(r);
  const v = r.value as number;
  const ok = v >= min && v <= max;
  const range = `${fmtNumber(min)}至${fmtValue(r.def, max)}`;
  return {
    status: ok ? 'pass' : 'fail',
    ...where(r),
    value: v,
    threshold: range,
    shortfall: ok ? 0 : v < min ? min - v : v - max,
    message: `${r.def.label}${fmtValue(r.def, v)}，${ok ? '在' : '不在'}${range}之间`,
  };
}

const PER_SPAN_ZH: Record<Per, string> = { month: '月度', quarter: '季度', half: '半年', year: '年度', biennium: '两年' };

function notDue(ctx: RowContext, input: string, rule: string, per: Per): Skip {
  const r = readInput(ctx, input);
  const cell = r.state === 'ok' ? r.cell?.address : r.state === 'blank' || r.state === 'invalid' ? r.cell.address : undefined;
  return { skip: `${rule}按${PER_SPAN_ZH[per]}考核，本表期次为${ctx.period.labelZh}，本期不考核`, ...(cell ? { cell } : {}) };
}

function frequencyCheck(ctx: RowContext, input: string, times: number, per: Per, scaleBy?: string): CheckResult {
  const base = expectedEvents(times, per, ctx.period);
  const rule = `${PER_ZH[per]}${fmtNumber(times)}次`;
  if (base === undefined) return notDue(ctx, input, rule, per);
  let expected = base;
  let scaleNote = '';
  const scaleCells: string[] = [];
  if (scaleBy) {
    const s = readInput(ctx, scaleBy);
    if (s.state !== 'ok') {
      const u = unavailable(s);
      return { ...u, message: `${u.message}，无法计算应达次数（按${s.def.label}每人计）` };
    }
    expected = base * (s.value as number);
    scaleNote = `×${s.def.label}${fmtNumber(s.value as number)}人`;
    scaleCells.push(...s.cells);
  }
  const r = readInput(ctx, input);
  if (r.state !== 'ok') return unavailable(r);
  const v = r.value as number;
  const ok = v >= expected;
  const w = where(r);
  return {
    status: ok ? 'pass' : 'fail',
    ...w,
    cells: [...w.cells, ...scaleCells],
    value: v,
    threshold: `≥${fmtNumber(expected)}次`,
    missed: ok ? 0 : expected - v,
    message: `${r.def.label}${fmtNumber(v)}次，${ctx.period.labelZh}应不少于${fmtNumber(expected)}次（${rule}${scaleNote}）${ok ? '' : `，少${fmtNumber(expected - v)}次`}`,
  };
}

function ratioCheck(ctx: RowContext, num: string, den: string, op: Comparator, value: number, word: string): CheckResult {
  const a = readInput(ctx, num);
  if (a.state !== 'ok') return unavailable(a);
  const b = readInput(ctx, den);
  if (b.state !== 'ok') return unavailable(b);
  const av = a.value as number;
  const bv = b.value as number;
  const cells = [...a.cells, ...b.cells];
  if (bv === 0) {
    return { skip: `${b.def.label}为0，${a.def.label}与${b.def.label}之比不适用`, ...(a.cell ? { cell: a.cell.address } : {}) };
  }
  // Compare av/bv OP value without division: av OP value*bv (exact for the integers counted here).
  const ok = compare(av, op, value * bv);
  const bound = fmtBound(word, `${fmtNumber(value)}:1`, op);
  return {
    status: ok ? 'pass' : 'fail',
    ...(a.cell ? { cell: a.cell.address } : {}),
    cells,
    value: `${fmtNumber(av)}:${fmtNumber(bv)}`,
    threshold: bound,
    message: `${a.def.label}${fmtNumber(av)}人、${b.def.label}${fmtNumber(bv)}人，比例${fmtNumber(av / bv)}:1，${ok ? '符合' : '不符合'}“${bound}”`,
  };
}

function flagCheck(ctx: RowContext, input: string, expect: boolean): Outcome {
  const r = readInput(ctx, input);
  if (r.state !== 'ok') return unavailable(r);
  const v = r.value as boolean;
  const ok = v === expect;
  return {
    status: ok ? 'pass' : 'fail',
    ...where(r),
    value: v ? '是' : '否',
    threshold: expect ? '是' : '否',
    message: `${r.def.label}：${v ? '是' : '否'}${ok ? '' : `，应为“${expect ? '是' : '否'}”`}`,
  };
}

function judgementCheck(ctx: RowContext, input: string): Outcome {
  const r = readInput(ctx, input);
  if (r.state === 'unmapped') return { status: 'manual', message: `待观摩评议：表中无“${r.def.label}”评议列` };
  if (r.state === 'blank') {
    return { status: 'manual', ...(r.cell.address ? { cell: r.cell.address, cells: [r.cell.address] } : {}), message: `待观摩评议：“${r.def.label}”尚未评定` };
  }
  if (r.state === 'invalid') return unavailable(r);
  const j = r.value as Judgement;
  const base = { ...where(r), judgement: j };
  switch (j.kind) {
    case 'bool':
      return { ...base, status: j.value ? 'pass' : 'fail', value: j.value ? '是' : '否', message: `${r.def.label}：评定为“${j.value ? '是' : '否'}”` };
    case 'grade':
      return { ...base, status: j.grade === '差' ? 'fail' : 'pass', value: j.grade, message: `${r.def.label}：评定为“${j.grade}”` };
    case 'findings':
      return {
        ...base,
        status: j.count === 0 ? 'pass' : 'fail',
        value: j.count,
        message: j.count === 0 ? `${r.def.label}：未发现问题` : `${r.def.label}：发现问题${j.count}处`,
      };
  }
}

/** The term the other reading would apply: the standards' text under a county setting, five years (the rules in
 * force since 2019) under the standards' shorter text. */
export function otherTerm(years: number, county?: AppliedCheckChange): number | undefined {
  if (county?.to.years !== undefined) return county.from.years as number;
  return years < 5 ? 5 : undefined;
}

/** Which term was applied and why: the county's setting with its basis, or the standards' text (and, while that
 * is shorter than five years, that the rules in force since 2019 say five and how a county sets it). The reasons
 * are given in full where the choice decides the outcome (the other term would judge the village otherwise);
 * elsewhere only which term was applied: the sentence goes into every village's note, and the add-in's requests
 * to Excel are bounded. */
export function termBasis(years: number, county: AppliedCheckChange | undefined, decisive: boolean): string {
  if (county?.to.years !== undefined) {
    if (!decisive) return `按县级规则任期${years}年计`;
    return `按县级规则任期${years}年计（标准原文为${fmtNumber(county.from.years as number)}年${county.basis ? `；依据：${county.basis}` : ''}）`;
  }
  if (years < 5 && decisive) {
    return `按标准原文任期${years}年计（2019年《农村基层组织工作条例》已为5年，县级规则可设定）`;
  }
  return `按标准原文任期${years}年计`;
}

function termCheck(ctx: RowContext, input: string, years: number, county?: AppliedCheckChange): Outcome {
  const r = readInput(ctx, input);
  if (r.state !== 'ok') return unavailable(r);
  const d = r.value as YearMonth;
  const expiryIndex = (d.year + years) * 12 + (d.month - 1);
  const endIndex = ctx.period.year * 12 + (ctx.period.endMonth - 1);
  const ok = endIndex <= expiryIndex;
  const expiry = `${Math.floor(expiryIndex / 12)}年${(expiryIndex % 12) + 1}月`;
  const other = otherTerm(years, county);
  const decisive = other !== undefined && ok !== endIndex <= (d.year + other) * 12 + (d.month - 1);
  const basis = termBasis(years, county, decisive);
  return {
    status: ok ? 'pass' : 'fail',
    ...where(r),
    value: `${d.year}年${d.month}月`,
    threshold: `${county ? '县定' : ''}${years}年内`,
    message: ok
      ? `${r.def.label}${d.year}年${d.month}月，任期${years}年至${expiry}届满，${ctx.period.labelZh}末仍在任期内；${basis}`
      : `${r.def.label}${d.year}年${d.month}月，任期${years}年已于${expiry}届满，${ctx.period.labelZh}末仍未换届；${basis}`,
  };
}
