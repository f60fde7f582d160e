// The normalised submission a township sends to the county: the raw cells of each village row keyed by input,
// with their addresses, so the county re-scores them with the same engine (the county never trusts a
// client's scores). Shared by the Excel add-in, the browser page and the Worker; validated with valibot.
import * as v from 'valibot';
import type { ColumnReport, RawCell, ScoredSheet } from './types.ts';
import type { Engine } from './scoring/evaluate.ts';
import { parsePeriodLabel } from './scoring/period.ts';
import { scoreSheetRows } from './scoring/sheet.ts';

export const LIMITS = {
  /** Village rows in one submission (a township has at most a few hundred villages). */
  maxRows: 2000,
  /** Inputs per row. */
  maxValuesPerRow: 400,
  /** Characters in one cell's text. */
  maxCellChars: 2000,
} as const;

const Address = v.pipe(v.string('单元格地址必须是文字'), v.regex(/^[A-Z]{1,3}[1-9]\d{0,6}$/, '单元格地址应形如 F7'));

/** One cell as sent: the value as the file held it (a Date travels as an ISO string with d: true). */
const CellSchema = v.strictObject(
  {
    a: Address,
    v: v.union(
      [
        v.pipe(v.string(), v.maxLength(LIMITS.maxCellChars, `单元格内容超过${LIMITS.maxCellChars}字`)),
        v.pipe(v.number(), v.finite('数值必须是有限数')),
        v.boolean(),
        v.null(),
      ],
      '单元格的值必须是文字、数值、是否值或空',
    ),
    f: v.optional(v.pipe(v.string(), v.maxLength(200, '数字格式过长'))),
    d: v.optional(v.literal(true)),
    /** The cell's formula, so that the county tells an uncalculated formula from text starting with "=". */
    fx: v.optional(v.pipe(v.string(), v.maxLength(8192, '公式过长'))),
  },
  (i) => (i.received === 'undefined' ? '缺少必填字段' : i.expected === 'never' ? `不认识的字段${i.received}` : '必须是一个对象'),
);

const RowSchema = v.strictObject(
  {
    row: v.pipe(v.number('行号必须是数字'), v.integer('行号必须是整数'), v.minValue(1, '行号从1开始')),
    values: v.pipe(
      v.record(v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9.]{0,63}$/, '指标编号格式不对')), CellSchema, '每行的值必须是“指标编号→单元格”的对象'),
      v.check((r) => Object.keys(r).length <= LIMITS.maxValuesPerRow, `每行最多${LIMITS.maxValuesPerRow}个指标`),
    ),
  },
  (i) => (i.received === 'undefined' ? '缺少必填字段' : i.expected === 'never' ? `不认识的字段${i.received}` : '必须是一个对象'),
);

const ColumnSchema = v.strictObject(
  {
    letter: v.pipe(v.string(), v.regex(/^[A-Z]{1,3}$/, '列号应形如 F')),
    header: v.pipe(v.string(), v.maxLength(500, '表头过长')),
    input: v.nullable(v.pipe(v.string(), v.maxLength(64))),
    unit: v.optional(v.pipe(v.string(), v.maxLength(20))),
    scale: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0))),
  },
  (i) => (i.received === 'undefined' ? '缺少必填字段' : i.expected === 'never' ? `不认识的字段${i.received}` : '必须是一个对象'),
);

export const SubmissionSchema = v.strictObject(
  {
    period: v.pipe(v.string('期次必须是文字'), v.check((s) => parsePeriodLabel(s) !== undefined, '期次格式应为 2026、2026H1、2026Q3 或 2026-07')),
    townshipCode: v.pipe(v.string('乡镇代码必须是文字'), v.regex(/^\d{9}$/, '乡镇代码应为9位数字（区划代码前9位）')),
    sheet: v.pipe(v.string(), v.maxLength(100, '工作表名过长')),
    fileName: v.optional(v.pipe(v.string(), v.maxLength(255, '文件名过长'))),
    source: v.picklist(['addin', 'browser', 'file', 'api'], '来源应为 addin、browser、file 或 api'),
    columns: v.pipe(v.array(ColumnSchema), v.maxLength(LIMITS.maxValuesPerRow, '列数过多')),
    rows: v.pipe(v.array(RowSchema), v.minLength(1, '至少要有一行村级数据'), v.maxLength(LIMITS.maxRows, `一次最多上报${LIMITS.maxRows}行`)),
  },
  (i) => (i.received === 'undefined' ? '缺少必填字段' : i.expected === 'never' ? `不认识的字段${i.received}` : '必须是一个对象'),
);

export type Submission = v.InferOutput<typeof SubmissionSchema>;
export type SubmissionCell = v.InferOutput<typeof CellSchema>;

export interface SubmissionProblem {
  path: string;
  message: string;
}

export function validateSubmission(json: unknown): { ok: true; value: Submission } | { ok: false; problems: SubmissionProblem[] } {
  const r = v.safeParse(SubmissionSchema, json);
  if (r.success) return { ok: true, value: r.output };
  return {
    ok: false,
    problems: r.issues.slice(0, 50).map((i) => ({
      path: (i.path ?? []).map((p) => (typeof (p as { key: unknown }).key === 'number' ? `[${String((p as { key: unknown }).key)}]` : `.${String((p as { key: unknown }).key)}`)).join('').replace(/^\./, ''),
      message: i.message,
    })),
  };
}

export function toSubmissionCell(c: RawCell): SubmissionCell {
  const value = c.value instanceof Date ? c.value.toISOString() : typeof c.value === 'string' ? c.value.slice(0, LIMITS.maxCellChars) : c.value;
  return {
    a: c.address,
    v: value,
    ...(c.numFmt ? { f: c.numFmt } : {}),
    ...(c.value instanceof Date ? { d: true as const } : {}),
    // Only an uncalculated formula needs it (its value is the formula's text); a calculated one travels as its value.
    ...(c.formula !== undefined && c.value === `=${c.formula}` ? { fx: c.formula.slice(0, 8192) } : {}),
  };
}

export function fromSubmissionCell(c: SubmissionCell): RawCell {
  const value = c.d && typeof c.v === 'string' ? new Date(c.v) : c.v;
  return { address: c.a, value, ...(c.f ? { numFmt: c.f } : {}), ...(c.fx !== undefined ? { formula: c.fx } : {}) };
}

/** Build the submission from a scored sheet's rows (what the add-in and the browser page send). */
export function buildSubmission(args: {
  period: string;
  townshipCode: string;
  sheet: string;
  fileName?: string;
  source: Submission['source'];
  columns: readonly ColumnReport[];
  rows: readonly { row: number; cells: Readonly<Record<string, RawCell | undefined>> }[];
}): Submission {
  return {
    period: args.period,
    townshipCode: args.townshipCode,
    sheet: args.sheet,
    ...(args.fileName ? { fileName: args.fileName } : {}),
    source: args.source,
    columns: args.columns.map((c) => ({
      letter: c.letter,
      header: c.header.slice(0, 500),
      input: c.input,
      ...(c.unit ? { unit: c.unit } : {}),
      ...(c.scale !== undefined ? { scale: c.scale } : {}),
    })),
    rows: args.rows.map((r) => ({
      row: r.row,
      values: Object.fromEntries(Object.entries(r.cells).flatMap(([id, c]) => (c ? [[id, toSubmissionCell(c)]] : []))),
    })),
  };
}

/** Score a submission with the county's engine, exactly as the sheet would have been scored. */
export function scoreSubmission(engine: Engine, sub: Submission): ScoredSheet {
  const columns: ColumnReport[] = sub.columns.map((c, i) => {
    const def = c.input ? engine.inputs.get(c.input) : undefined;
    return {
      index: i,
      letter: c.letter,
      header: c.header,
      input: def ? c.input : null,
      ...(def ? { inputLabel: def.label } : {}),
      confidence: def ? 1 : 0,
      matchedBy: def ? 'override' : 'none',
      ...(c.unit ? { unit: c.unit } : {}),
      ...(c.scale !== undefined ? { scale: c.scale } : {}),
      ...(c.input && !def ? { note: `未知指标“${c.input}”，已忽略` } : {}),
    };
  });
  const period = parsePeriodLabel(sub.period)!;
  return scoreSheetRows(engine, {
    name: sub.sheet,
    period,
    periodSource: 'option',
    columns,
    rows: sub.rows.map((r) => ({
      row: r.row,
      cells: Object.fromEntries(Object.entries(r.values).filter(([id]) => engine.inputs.has(id)).map(([id, c]) => [id, fromSubmissionCell(c)])),
    })),
    skippedRows: [],
    headerRows: { top: 0, bottom: 0 },
  });
}
