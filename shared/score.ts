// Scoring a whole file: read every sheet, find its village table, map its columns, pick the period,
// score every row. Pure (bytes in, report out): the command line, the browser page and the Worker share it.
import type { ColumnReport, Grid, ScoreReport, ScoredSheet } from './types.ts';
import type { TableLayout } from './sheet/types.ts';
import type { CountyRulebook } from './rulebook/county.ts';
import type { Rulebook } from './types.ts';
import { inForce } from './rulebook/in-force.ts';
import { readWorkbook } from './sheet/read.ts';
import { findTable, isSheetProblem } from './sheet/header.ts';
import { mapColumns, type MappingOverride } from './sheet/mapping.ts';
import { extractColumns, extractRows } from './sheet/rows.ts';
import { prepareEngine, type Engine } from './scoring/evaluate.ts';
import { choosePeriod, parsePeriodLabel, PERIOD_SOURCE_ZH } from './scoring/period.ts';
import { scoreSheetRows, type SheetColumns, type SheetRows } from './scoring/sheet.ts';
import { OUR_SHEETS } from './output/names.ts';
import { scoreSheetCompact } from './scoring/compiled.ts';
import type { SummaryBuilder } from './scoring/summary.ts';

export interface ScoreOptions {
  fileName: string;
  rulebook: Rulebook;
  county?: CountyRulebook;
  /** --period */
  period?: string;
  mapping?: MappingOverride;
  now?: Date;
}

/** Why a sheet kaoping itself wrote into an annotated copy is not scored. */
const OUR_SHEET_REASON = '考评工具生成的工作表，不作为村级数据';

/** A sheet whose period the county rulebook does not cover (shared/rulebook/in-force.ts). */
export class RulebookPeriodError extends Error {
  readonly code = 'rulebook_not_in_force';
}

/** Find the village table of a grid, map its columns, choose the period and extract the rows: everything
 * before scoring. Returns the reason when the grid holds no village table. */
export function readSheetRows(engine: Engine, grid: Grid, opts: Omit<ScoreOptions, 'rulebook' | 'county'>): SheetRows | { ignored: string } {
  const t = locateTable(engine, grid, opts);
  if ('ignored' in t) return t;
  const { rows, skipped } = extractRows(grid, t.layout, t.columns);
  return { ...t.sheet, rows, skippedRows: skipped };
}

/** readSheetRows, column by column: the decision engine's input (scoreSheetCompact), without a record per row. */
export function readSheetColumns(engine: Engine, grid: Grid, opts: Omit<ScoreOptions, 'rulebook' | 'county'>): SheetColumns | { ignored: string } {
  const t = locateTable(engine, grid, opts);
  if ('ignored' in t) return t;
  const { rowNumbers, cells, skipped } = extractColumns(grid, t.layout, t.columns);
  return { ...t.sheet, rowNumbers, cells, skippedRows: skipped };
}

function locateTable(
  engine: Engine,
  grid: Grid,
  opts: Omit<ScoreOptions, 'rulebook' | 'county'>,
): { layout: TableLayout; columns: ColumnReport[]; sheet: Omit<SheetRows, 'rows' | 'skippedRows'> } | { ignored: string } {
  const inputs = [...engine.inputs.values()];
  const layout = findTable(grid, inputs);
  if (isSheetProblem(layout)) return { ignored: layout.message };
  const columns = mapColumns(layout, inputs, opts.mapping, grid);
  if (!columns.some((c) => c.input && c.input !== 'name' && c.input !== 'code')) {
    return { ignored: '未找到可识别的考评指标列' };
  }
  const choice = choosePeriod({
    ...(opts.period !== undefined ? { option: opts.period } : {}),
    titleTexts: [...layout.titles, grid.name],
    fileName: opts.fileName,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const county = engine.county;
  if (county) {
    if (!inForce(county.effectiveFrom, choice.period)) {
      const from = parsePeriodLabel(county.effectiveFrom)?.labelZh ?? county.effectiveFrom;
      throw new RulebookPeriodError(
        `县级规则“${county.name}”自${from}起施行，工作表“${grid.name}”的期次为${choice.period.labelZh}（${PERIOD_SOURCE_ZH[choice.source]}），不适用`,
      );
    }
  }
  return {
    layout,
    columns,
    sheet: {
      name: grid.name,
      period: choice.period,
      periodSource: choice.source,
      columns,
      headerRows: { top: layout.headerTop + 1, bottom: layout.headerBottom + 1 },
    },
  };
}

/** Score an already-read grid. Returns the scored sheet, or the reason the sheet holds no village table. */
export function scoreGrid(engine: Engine, grid: Grid, opts: Omit<ScoreOptions, 'rulebook' | 'county'>): ScoredSheet | { ignored: string } {
  const rows = readSheetRows(engine, grid, opts);
  return 'ignored' in rows ? rows : scoreSheetRows(engine, rows);
}

/** Score grids already read (readWorkbook): every sheet kaoping did not write itself. */
export function scoreGrids(grids: readonly Grid[], opts: ScoreOptions): ScoreReport {
  const engine = prepareEngine(opts.rulebook, opts.county);
  const sheets: ScoredSheet[] = [];
  const ignoredSheets: ScoreReport['ignoredSheets'] = [];
  for (const grid of grids) {
    // Sheets kaoping itself wrote into an annotated copy are never village tables.
    if (OUR_SHEETS.includes(grid.name)) {
      ignoredSheets.push({ name: grid.name, reason: OUR_SHEET_REASON });
      continue;
    }
    const r = scoreGrid(engine, grid, opts);
    if ('ignored' in r) ignoredSheets.push({ name: grid.name, reason: r.ignored });
    else sheets.push(r);
  }
  const rb = opts.county ?? opts.rulebook;
  return { file: opts.fileName, rulebook: { id: rb.id, name: rb.name }, sheets, ignoredSheets };
}

export async function scoreFile(bytes: Uint8Array, opts: ScoreOptions): Promise<ScoreReport> {
  return scoreGrids(await readWorkbook(bytes, opts.fileName), opts);
}

/** Add every village table of a file to a roll-up (SummaryBuilder), through the decision engine: no sentences
 * are built, so many large files can be summarised. A sheet whose period the county rulebook does not cover is
 * listed with the reason instead of stopping the roll-up; an unreadable file throws (SheetError). */
export async function summarizeFile(builder: SummaryBuilder, engine: Engine, bytes: Uint8Array, opts: Omit<ScoreOptions, 'rulebook' | 'county'>): Promise<void> {
  summarizeGrids(builder, engine, await readWorkbook(bytes, opts.fileName), opts);
}

/** summarizeFile for grids already read (the command line reads in a bounded thread). */
export function summarizeGrids(builder: SummaryBuilder, engine: Engine, grids: readonly Grid[], opts: Omit<ScoreOptions, 'rulebook' | 'county'>): void {
  for (const grid of grids) {
    if (OUR_SHEETS.includes(grid.name)) {
      builder.ignore(opts.fileName, grid.name, OUR_SHEET_REASON);
      continue;
    }
    let sheet: SheetColumns | { ignored: string };
    try {
      sheet = readSheetColumns(engine, grid, opts);
    } catch (e) {
      if (!(e instanceof RulebookPeriodError)) throw e;
      sheet = { ignored: e.message };
    }
    if ('ignored' in sheet) builder.ignore(opts.fileName, grid.name, sheet.ignored);
    else builder.add(opts.fileName, sheet, scoreSheetCompact(engine, sheet));
  }
}
