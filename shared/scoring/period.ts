// Assessment periods: a year, a half, a quarter or a month. Parsed from the --period option, a sheet's
// title rows or its file name; the source is reported with the result.
import type { Per, Period, PeriodKind, PeriodSource } from '../types.ts';
import { PER_MONTHS } from '../types.ts';
import { foldWidth, simplify, stripSpaces } from '../text/normalize.ts';

const ZH_QUARTER = ['一', '二', '三', '四'];

export function makePeriod(kind: PeriodKind, year: number, index = 1): Period {
  const months = kind === 'year' ? 12 : kind === 'half' ? 6 : kind === 'quarter' ? 3 : 1;
  const startMonth = (index - 1) * months + 1;
  const endMonth = startMonth + months - 1;
  const label =
    kind === 'year' ? `${year}` : kind === 'half' ? `${year}H${index}` : kind === 'quarter' ? `${year}Q${index}` : `${year}-${String(index).padStart(2, '0')}`;
  const labelZh =
    kind === 'year'
      ? `${year}年`
      : kind === 'half'
        ? `${year}年${index === 1 ? '上' : '下'}半年`
        : kind === 'quarter'
          ? `${year}年第${ZH_QUARTER[index - 1]}季度`
          : `${year}年${index}月`;
  return { kind, year, index, label, labelZh, months, startMonth, endMonth };
}

function validYear(y: number): boolean {
  return y >= 2000 && y <= 2100;
}

/** Parse a canonical period label: 2026, 2026H2, 2026Q3, 2026-07 (also 2026M7). Returns undefined if not one. */
export function parsePeriodLabel(input: string): Period | undefined {
  const s = stripSpaces(foldWidth(input)).toUpperCase();
  let m = /^(\d{4})$/.exec(s);
  if (m) return validYear(+m[1]!) ? makePeriod('year', +m[1]!) : undefined;
  m = /^(\d{4})-?H([12])$/.exec(s);
  if (m) return validYear(+m[1]!) ? makePeriod('half', +m[1]!, +m[2]!) : undefined;
  m = /^(\d{4})-?Q([1-4])$/.exec(s);
  if (m) return validYear(+m[1]!) ? makePeriod('quarter', +m[1]!, +m[2]!) : undefined;
  m = /^(\d{4})(?:-|M)(\d{1,2})$/.exec(s);
  if (m && +m[2]! >= 1 && +m[2]! <= 12) return validYear(+m[1]!) ? makePeriod('month', +m[1]!, +m[2]!) : undefined;
  return undefined;
}

const QUARTER_WORDS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

/** Find a period in free text such as a title row or a file name:
 * 2026年第三季度, 2026年三季度, 2026年上半年, 2026年度, 2026年7月, 2026Q3, 2026-H2. */
export function findPeriodInText(text: string): Period | undefined {
  const s = simplify(stripSpaces(foldWidth(text)));
  let m = /(20\d{2})年?第?([一二三四1-4])季度/.exec(s);
  if (m) return makePeriod('quarter', +m[1]!, QUARTER_WORDS[m[2]!]!);
  m = /(20\d{2})年?(上|下)半年/.exec(s);
  if (m) return makePeriod('half', +m[1]!, m[2] === '上' ? 1 : 2);
  m = /(20\d{2})[-_ ]?([QqHh])([1-4])(?!\d)/.exec(s);
  if (m) {
    const kind = m[2]!.toUpperCase() === 'Q' ? 'quarter' : 'half';
    const idx = +m[3]!;
    if (kind === 'half' && idx > 2) return undefined;
    return makePeriod(kind, +m[1]!, idx);
  }
  m = /(20\d{2})年(1[0-2]|0?[1-9])月(?![\d份]*[-至到])/.exec(s);
  if (m) return makePeriod('month', +m[1]!, +m[2]!);
  m = /(20\d{2})年度?/.exec(s);
  if (m) return makePeriod('year', +m[1]!);
  return undefined;
}

interface PeriodChoice {
  period: Period;
  source: PeriodSource;
}

/** Decide a sheet's period: the option, else the sheet's title rows or name, else the file name, else the
 * current year (annual). */
export function choosePeriod(opts: {
  option?: string;
  titleTexts?: string[];
  fileName?: string;
  now?: Date;
}): PeriodChoice {
  if (opts.option !== undefined) {
    const p = parsePeriodLabel(opts.option);
    if (!p) throw new PeriodError(opts.option);
    return { period: p, source: 'option' };
  }
  for (const t of opts.titleTexts ?? []) {
    const p = findPeriodInText(t);
    if (p) return { period: p, source: 'title' };
  }
  if (opts.fileName) {
    const p = findPeriodInText(opts.fileName);
    if (p) return { period: p, source: 'filename' };
  }
  const year = (opts.now ?? new Date()).getFullYear();
  return { period: makePeriod('year', year), source: 'default' };
}

export class PeriodError extends Error {
  readonly code = 'bad_period';
  constructor(readonly input: string) {
    super(`无法识别期次“${input}”：请写成 2026（年度）、2026H1/2026H2（半年）、2026Q1–2026Q4（季度）或 2026-07（月度）`);
  }
}

export const PERIOD_SOURCE_ZH: Record<PeriodSource, string> = {
  option: '按命令参数',
  title: '按表头标题识别',
  filename: '按文件名识别',
  default: '未注明期次，按年度考核',
};

/** How many events a "times per `per`" requirement expects over the period, or undefined when the
 * requirement's own period is longer than the sheet's (not due on this sheet). */
export function expectedEvents(times: number, per: Per, period: Period): number | undefined {
  const perMonths = PER_MONTHS[per];
  if (perMonths > period.months) return undefined;
  return (times * period.months) / perMonths;
}

export const PER_ZH: Record<Per, string> = { month: '每月', quarter: '每季度', half: '每半年', year: '每年', biennium: '每两年' };

/** Compare two periods' chronological order by their end month. */
export function comparePeriods(a: Period, b: Period): number {
  return a.year * 12 + a.endMonth - (b.year * 12 + b.endMonth) || a.months - b.months;
}
