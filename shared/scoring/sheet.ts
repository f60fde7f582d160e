// Scoring the village rows of one sheet: build each row's context, evaluate, total, and assign stars
// over the sheet's villages. Those stars are provisional (本表内预评, shared/output/names.ts PROVISIONAL): the
// county's ranking decides stars over the township or county cohort (worker/aggregate/cohorts.ts), and every
// host that shows these labels them so.
import type { ColumnReport, OrgType, Period, PeriodSource, RawCell, ScoredSheet, UnitType, VillageScore } from '../types.ts';
import { inferFractionColumn } from '../values/index.ts';
import { CellColumnBuilder, type CellColumn } from '../sheet/columns.ts';
import type { Engine } from './evaluate.ts';
import { evaluateVillage } from './evaluate.ts';
import { readInput, type ColumnContext, type InputRead, type RowContext } from './inputs.ts';
import { scoreVillage } from './points.ts';
import { assignStars } from './cohort.ts';

export interface SheetRows {
  name: string;
  period: Period;
  periodSource: PeriodSource;
  columns: ColumnReport[];
  rows: { row: number; cells: Record<string, RawCell | undefined> }[];
  skippedRows: { row: number; reason: string }[];
  headerRows: { top: number; bottom: number };
}

/** The same village rows column by column (dictionary-encoded cells, shared/sheet/columns.ts): the decision
 * engine's input (compiled.ts). extractColumns reads a grid into it without a record per row. */
export interface SheetColumns {
  name: string;
  period: Period;
  periodSource: PeriodSource;
  columns: ColumnReport[];
  /** The 1-based sheet row of each village row, in input order. */
  rowNumbers: readonly number[];
  /** Every mapped input's column; an input not on the sheet has no entry. */
  cells: ReadonlyMap<string, CellColumn>;
  skippedRows: { row: number; reason: string }[];
  headerRows: { top: number; bottom: number };
}

/** Rows turned into columns (for callers that already hold records). */
export function columnsOfRows(sheet: SheetRows): SheetColumns {
  const builders = new Map<string, CellColumnBuilder>();
  for (const c of sheet.columns) if (c.input && !builders.has(c.input)) builders.set(c.input, new CellColumnBuilder());
  for (const r of sheet.rows) for (const [input, b] of builders) b.push(r.cells[input]);
  const cells = new Map<string, CellColumn>();
  for (const [input, b] of builders) cells.set(input, b.done());
  const { rows: _rows, ...rest } = sheet;
  return { ...rest, rowNumbers: sheet.rows.map((r) => r.row), cells };
}

/** Per-column reading context: the header's unit scale, and whether a percent column holds fractions.
 * `cellsOf(input)` gives the column's cells (any order; undefined for blanks). */
export function columnContexts(
  engine: Engine,
  sheetColumns: readonly ColumnReport[],
  cellsOf: (input: string) => readonly (RawCell | undefined)[],
): { ctx: Map<string, ColumnContext>; columns: ColumnReport[] } {
  const ctx = new Map<string, ColumnContext>();
  const columns = sheetColumns.map((c) => {
    if (!c.input) return c;
    const def = engine.inputs.get(c.input);
    const cc: ColumnContext = {};
    if (c.scale !== undefined && c.scale !== 1) cc.headerScale = c.scale;
    let note = c.note;
    if (def?.kind === 'percent') {
      if (inferFractionColumn(cellsOf(c.input))) {
        cc.fractionColumn = true;
        note = [note, '本列数值均在0到1之间，按小数读取百分比（0.8即80%）'].filter(Boolean).join('；');
      }
    }
    ctx.set(c.input, cc);
    return note === c.note ? c : { ...c, ...(note ? { note } : {}) };
  });
  return { ctx, columns };
}

function identity<T>(r: InputRead, problems: string[], label: string): T | undefined {
  if (r.state === 'ok') return r.value as T;
  if (r.state === 'invalid') problems.push(`${label}（${r.cell.address}）无法识别：${r.reason}`);
  return undefined;
}

export function scoreSheetRows(engine: Engine, sheet: SheetRows): ScoredSheet {
  const { ctx: columnCtx, columns } = columnContexts(engine, sheet.columns, (input) => sheet.rows.map((r) => r.cells[input]));
  const mapped = new Set(columns.map((c) => c.input).filter((x): x is string => !!x));
  const villages: VillageScore[] = [];
  for (const row of sheet.rows) {
    const ctx: RowContext = {
      inputs: engine.inputs,
      cells: row.cells,
      mapped,
      columnCtx,
      period: sheet.period,
      params: engine.params,
      memo: new Map(),
    };
    const problems: string[] = [];
    const code = identity<string>(readInput(ctx, 'code'), problems, '区划代码');
    const name = identity<string>(readInput(ctx, 'name'), problems, '村名');
    const township = identity<string>(readInput(ctx, 'township'), problems, '乡镇');
    const orgType = identity<OrgType>(readInput(ctx, 'orgType'), problems, '党组织类型');
    const unitType = identity<UnitType>(readInput(ctx, 'unitType'), problems, '村/社区');
    if (mapped.has('code') && code === undefined && !problems.some((p) => p.startsWith('区划代码'))) problems.push('区划代码未填写');
    const ev = evaluateVillage(engine, ctx);
    const t = scoreVillage(engine, ev, ctx);
    villages.push({
      row: row.row,
      ...(code !== undefined ? { code } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(township !== undefined ? { township } : {}),
      ...(orgType !== undefined ? { orgType } : {}),
      ...(unitType !== undefined ? { unitType } : {}),
      results: ev.results,
      skipped: ev.skipped,
      total: t.total,
      maxTotal: t.maxTotal,
      level: t.level,
      levelReason: t.levelReason,
      veto: t.veto,
      bonus: t.bonus,
      items: t.items,
      problems,
    });
  }
  const bands = engine.county?.stars?.bands;
  if (bands?.length) {
    // A vetoed village is not rated; quotas are still shares of the whole cohort.
    const rated = villages.filter((v) => v.veto.length === 0);
    const stars = assignStars(rated.map((v) => ({ id: String(v.row), total: v.total })), bands, villages.length);
    for (const v of villages) v.stars = stars.get(String(v.row))?.stars ?? 0;
  }
  return {
    name: sheet.name,
    period: sheet.period,
    periodSource: sheet.periodSource,
    columns,
    villages,
    skippedRows: sheet.skippedRows,
    headerRows: sheet.headerRows,
  };
}
