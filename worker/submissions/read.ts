// An uploaded file → its village sheets, with the period decided and the county rulebook in force applied.
// The period comes from the form, else from each sheet's title rows or name, else the file name; a file
// whose period cannot be found (or whose village sheets disagree) is refused: the county never guesses.
import type { Bindings } from '../env.ts';
import { badRequest } from '../errors.ts';
import { readSheetRows, RulebookPeriodError } from '../../shared/score.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';
import { SHEET_LIMITS, type SheetLimits } from '../../shared/sheet/limits.ts';
import { isSheetError } from '../../shared/sheet/errors.ts';
import type { SheetGrid } from '../../shared/sheet/types.ts';
import { OUR_SHEETS } from '../../shared/output/names.ts';
import { scoreSheetRows, type SheetRows } from '../../shared/scoring/sheet.ts';
import { parsePeriodLabel, PERIOD_SOURCE_ZH, PeriodError } from '../../shared/scoring/period.ts';
import type { Period } from '../../shared/types.ts';
import type { Engine } from '../../shared/scoring/evaluate.ts';
import { rulebookInForce, standardsEngine, type RulebookInForce } from '../rulebook.ts';
import type { ScoredUnit } from './types.ts';

/** The Worker's isolate has 128 MB: ExcelJS needs ~0.6–0.9 KB per cell, so a file is held to 100,000 cells here
 * (a county-wide sheet of 500 villages × 130 columns is 65,000), below the 250,000 the command line accepts. */
export const WORKER_SHEET_LIMITS: SheetLimits = { ...SHEET_LIMITS, maxCells: 100_000, maxMergedCells: 100_000 };

export async function readGrids(bytes: Uint8Array, fileName: string): Promise<SheetGrid[]> {
  try {
    return await readWorkbook(bytes, fileName, WORKER_SHEET_LIMITS);
  } catch (e) {
    if (isSheetError(e)) throw badRequest(`file_${e.code}`, e.message);
    throw e;
  }
}

function sheetRows(engine: Engine, grids: readonly SheetGrid[], fileName: string, period: string | undefined): { sheets: SheetRows[]; ignored: string[] } {
  const sheets: SheetRows[] = [];
  const ignored: string[] = [];
  for (const grid of grids) {
    if (OUR_SHEETS.includes(grid.name)) continue;
    let r: ReturnType<typeof readSheetRows>;
    try {
      r = readSheetRows(engine, grid, { fileName, ...(period ? { period } : {}) });
    } catch (e) {
      if (e instanceof PeriodError || e instanceof RulebookPeriodError) throw badRequest('bad_period', e.message);
      throw e;
    }
    if ('ignored' in r) ignored.push(`工作表“${grid.name}”未作为村级数据：${r.ignored}`);
    else sheets.push(r);
  }
  return { sheets, ignored };
}

export interface ReadFile {
  period: Period;
  rulebook: RulebookInForce;
  units: ScoredUnit[];
  notes: string[];
}

/** Decide the period of an upload (without scoring), so a duplicate can be answered before any work. */
export function filePeriod(grids: readonly SheetGrid[], fileName: string, asked: string | undefined): { period: Period; notes: string[] } {
  if (asked !== undefined) {
    const p = parsePeriodLabel(asked);
    if (!p) throw badRequest('bad_period', new PeriodError(asked).message);
    return { period: p, notes: [] };
  }
  // Which period: read the sheets with the standards alone (the county rulebook depends on the period).
  const { sheets, ignored } = sheetRows(standardsEngine().engine, grids, fileName, undefined);
  if (!sheets.length) throw noTable(ignored);
  const unknown = sheets.filter((s) => s.periodSource === 'default');
  if (unknown.length) {
    throw badRequest(
      'period_required',
      `无法确定工作表“${unknown.map((s) => s.name).join('、')}”的考评期次：请在表头标题或文件名中注明（如“2026年第三季度”），或上传时填写期次（如 2026Q3）`,
    );
  }
  const labels = [...new Set(sheets.map((s) => s.period.label))];
  if (labels.length > 1) {
    throw badRequest(
      'mixed_periods',
      `工作簿中各工作表的期次不一致（${sheets.map((s) => `“${s.name}”：${s.period.labelZh}`).join('；')}）：请分别上传，或上传时填写期次`,
    );
  }
  const first = sheets[0]!;
  return { period: first.period, notes: [`期次：${first.period.labelZh}（${PERIOD_SOURCE_ZH[first.periodSource]}）`] };
}

function noTable(ignored: string[]) {
  return badRequest('no_table', `文件中没有找到村级数据表${ignored.length ? `：${ignored.join('；')}` : ''}。请使用县里下发的模板，或确保表头含“区划代码”“村名”及考评指标列`);
}

/** Read, map and score every village sheet of an upload under the rulebook in force for its period. */
export async function scoreFileUnits(env: Bindings, countyCode: string, grids: readonly SheetGrid[], fileName: string, period: Period, notes: string[]): Promise<ReadFile> {
  const rulebook = await rulebookInForce(env, countyCode, period);
  const { sheets, ignored } = sheetRows(rulebook.engine, grids, fileName, period.label);
  if (!sheets.length) throw noTable(ignored);
  for (const s of sheets) {
    if (!s.columns.some((c) => c.input === 'code')) {
      throw badRequest('no_code_column', `工作表“${s.name}”没有区划代码列：县里按12位统计用区划代码识别每个村，请增加“区划代码”列后再上传`);
    }
  }
  const units = sheets.map((s) => ({ sheet: s.name, rows: s.rows, scored: scoreSheetRows(rulebook.engine, s) }));
  const warnings = grids.flatMap((g) => g.warnings.map((w) => (grids.length > 1 ? `工作表“${g.name}”：${w}` : w)));
  return { period, rulebook, units, notes: [...notes, ...warnings, ...ignored] };
}
