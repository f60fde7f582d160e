// Locate the village table on a sheet: skip title rows and 填报单位/填报日期 lines, find the header block
// (one to four rows, merged or not), build each column's header path and unit.
import { normalizeText } from '../text/normalize.ts';
import type { Grid, InputDef, RawCell } from '../types.ts';
import { columnLetter } from './address.ts';
import { MergeIndex, cellText, gridWidth, headerText, isColumnNumberTexts, rawCell } from './grid.ts';
import { InputMatcher, headerKey } from './match.ts';
import type { HeaderColumn, SheetProblem, TableLayout } from './types.ts';
import { isUnitOnly, splitUnit } from './units.ts';

export interface FindTableOptions {
  /** How many rows from the top may hold the header (default 60). */
  maxScanRows?: number;
  /** At most this many header rows (default 4). */
  maxHeaderRows?: number;
  /** A header block must match at least this many inputs (default 2). */
  minMatches?: number;
}

type RowKind = 'empty' | 'title' | 'preamble' | 'data' | 'header';

interface RowInfo {
  kind: RowKind;
  /** Header text per column, merged cells spread over their whole range. */
  texts: string[];
  /** Distinct non-empty raw cell texts, left to right. */
  cells: string[];
}

const PREAMBLE =
  /(填报|填表|报送|制表)(单位|日期|时间|人)|^(单位|日期|时间)[:：]|盖章|^(单位|金额单位|面积单位)[:：]?.{0,6}$/;

/** Number-looking text (a number typed as text, as every CSV cell is). */
function isNumberText(s: string): boolean {
  return /^[-+]?\d+(\.\d+)?$/.test(s.normalize('NFKC').trim());
}

function isNumericCell(cell: RawCell | undefined): boolean {
  if (!cell || cell.value === null) return false;
  if (typeof cell.value === 'number' || cell.value instanceof Date) return true;
  return typeof cell.value === 'string' && isNumberText(cell.value);
}

function isCodeLike(cell: RawCell | undefined): boolean {
  if (!cell) return false;
  const s = typeof cell.value === 'number' ? String(cell.value) : typeof cell.value === 'string' ? cell.value : '';
  return /^\d{9,12}$/.test(s.normalize('NFKC').trim());
}

/** 栏次 row directly under the header. */
function isColumnNumberRow(grid: Grid, r: number, width: number): boolean {
  const texts: string[] = [];
  for (let c = 0; c < width; c++) texts.push(cellText(rawCell(grid, r, c)));
  return isColumnNumberTexts(texts);
}

function analyseRow(grid: Grid, merges: MergeIndex, r: number, width: number): RowInfo {
  const texts: string[] = [];
  const cells: string[] = [];
  let numeric = 0;
  let code = false;
  let nonEmpty = 0;
  for (let c = 0; c < width; c++) {
    const m = merges.master(r, c);
    texts.push(headerText(rawCell(grid, m.row, m.col)));
    const raw = rawCell(grid, r, c);
    const t = headerText(raw);
    if (t === '') continue;
    nonEmpty++;
    if (!cells.includes(t)) cells.push(t);
    if (isNumericCell(raw)) numeric++;
    if (isCodeLike(raw)) code = true;
  }
  const distinct = new Set(texts.filter((t) => t !== ''));
  let kind: RowKind;
  if (distinct.size === 0) kind = 'empty';
  else if (cells.length <= 4 && cells.some((t) => PREAMBLE.test(normalizeText(t)))) kind = 'preamble';
  else if (distinct.size === 1 && nonEmpty <= 1) kind = 'title';
  else if (code || numeric >= Math.max(2, nonEmpty * 0.3) || (numeric >= 1 && nonEmpty <= 2)) kind = 'data';
  else kind = 'header';
  return { kind, texts, cells };
}

interface Block {
  top: number;
  bottom: number;
  paths: string[][];
  score: number;
  matched: number;
  cuts: number;
}

/** Header paths for rows top..bottom. A header cell left blank beside a group title (a CSV, or merges lost)
 * inherits the group title when both columns have sub-headers below. */
function buildPaths(merges: MergeIndex, info: RowInfo[], top: number, bottom: number, width: number): string[][] {
  const rowsTexts: string[][] = [];
  for (let r = top; r <= bottom; r++) rowsTexts.push([...info[r]!.texts]);
  const hasBelow = (i: number, c: number) => rowsTexts.slice(i + 1).some((t) => t[c] !== '');
  for (let i = 0; i < rowsTexts.length - 1; i++) {
    const texts = rowsTexts[i]!;
    for (let c = 1; c < width; c++) {
      if (texts[c] !== '' || merges.at(top + i, c) || !hasBelow(i, c)) continue;
      let p = c - 1;
      while (p >= 0 && texts[p] === '' && hasBelow(i, p) && !merges.at(top + i, p)) p--;
      if (p >= 0 && texts[p] !== '' && hasBelow(i, p) && !merges.at(top + i, p)) {
        // Only a real group: the parent's own column has a sub-header too.
        texts[c] = texts[p]!;
      }
    }
  }
  const paths: string[][] = [];
  for (let c = 0; c < width; c++) {
    const path: string[] = [];
    for (const texts of rowsTexts) {
      const t = texts[c]!;
      if (t !== '' && path[path.length - 1] !== t) path.push(t);
    }
    paths.push(path);
  }
  return paths;
}

/**
 * Score a candidate header block like the mapping will use it: each input counts once (a merged group title
 * spread over its sub-columns is one match, not several), at its best confidence. A containment match found
 * only in a parent cell (村名/张庄村 — a data row taken for a header row) counts for little.
 */
function scoreBlock(matcher: InputMatcher, paths: string[][]): { score: number; matched: number } {
  const best = new Map<string, number>();
  for (const path of paths) {
    const m = matcher.match(path);
    if (!m) continue;
    let weight = m.confidence;
    if (m.matchedBy === 'fuzzy' && path.length > 1 && !headerKey(path[path.length - 1]!).includes(m.via)) weight *= 0.3;
    if (weight > (best.get(m.input.id) ?? 0)) best.set(m.input.id, weight);
  }
  let score = 0;
  for (const w of best.values()) score += w;
  return { score, matched: best.size };
}

function countCuts(grid: Grid, top: number, bottom: number): number {
  let cuts = 0;
  for (const m of grid.merges) {
    if (m.bottom < top || m.top > bottom) continue;
    if (m.top < top || m.bottom > bottom) cuts++;
  }
  return cuts;
}

function better(a: Block, b: Block | undefined): boolean {
  if (!b) return true;
  if (Math.abs(a.score - b.score) > 1e-9) return a.score > b.score;
  if (a.cuts !== b.cuts) return a.cuts < b.cuts;
  const ha = a.bottom - a.top;
  const hb = b.bottom - b.top;
  if (ha !== hb) return ha < hb;
  return a.top < b.top;
}

function problem(code: SheetProblem['code'], name: string, reason: string): SheetProblem {
  return { kind: 'problem', code, name, reason, message: reason };
}

export function isSheetProblem(x: TableLayout | SheetProblem): x is SheetProblem {
  return x.kind === 'problem';
}

/**
 * Find the header block of the village table on a sheet. Returns a TableLayout (1-based rows, 0-based columns),
 * or a SheetProblem with a Chinese reason when the sheet is empty or holds no recognisable header.
 */
export function findTable(grid: Grid, inputs: InputDef[], options: FindTableOptions = {}): TableLayout | SheetProblem {
  const maxScan = options.maxScanRows ?? 60;
  const maxHeaderRows = options.maxHeaderRows ?? 4;
  const minMatches = options.minMatches ?? 2;
  const width = gridWidth(grid);
  const merges = new MergeIndex(grid.merges);
  const nonEmpty = grid.rows.some((row) => row?.some((c) => cellText(c) !== ''));
  if (!nonEmpty) return problem('empty-sheet', grid.name, `工作表「${grid.name}」是空的`);

  const matcher = new InputMatcher(inputs);
  const scan = Math.min(grid.rows.length, maxScan);
  const info: RowInfo[] = [];
  for (let r = 0; r < scan; r++) info.push(analyseRow(grid, merges, r, width));

  let best: Block | undefined;
  for (let bottom = 0; bottom < scan; bottom++) {
    for (let h = 1; h <= maxHeaderRows; h++) {
      const top = bottom - h + 1;
      if (top < 0) break;
      if (info[top]!.kind !== 'header') break; // rows are added upwards: stop at the first non-header row
      if (info[bottom]!.kind !== 'header') break;
      const paths = buildPaths(merges, info, top, bottom, width);
      const { score, matched } = scoreBlock(matcher, paths);
      if (matched === 0) continue;
      const block: Block = { top, bottom, paths, score, matched, cuts: countCuts(grid, top, bottom) };
      if (better(block, best)) best = block;
    }
  }
  if (!best || best.matched < minMatches) {
    const found = best ? `（最多只有 ${best.matched} 列能对应到指标）` : '';
    return problem(
      'no-header',
      grid.name,
      `工作表「${grid.name}」的前 ${scan} 行中没有找到村级数据表的表头：没有哪一行能对应到至少 ${minMatches} 个指标列${found}`,
    );
  }

  let { top, bottom } = best;
  // Group titles above the chosen block (e.g. a merged 基本情况 over columns the block already names).
  while (top > 0 && bottom - top + 1 < maxHeaderRows && info[top - 1]!.kind === 'header') {
    const r = top - 1;
    const parents = grid.merges.some((m) => m.top <= r && m.bottom >= r && m.right > m.left && m.bottom < top);
    const spans = grid.merges.some((m) => m.top <= r && m.bottom >= top);
    if (!parents && !spans) break;
    top = r;
  }
  // Rows under the chosen block that still belong to the header: sub-headers that carry units
  // (年收入（万元）under a group title, when the group has a single sub-column) and a row of units alone
  // (（人） （次） （万元）). Data never looks like this: values carry no bracketed unit next to a text label.
  const rowTexts = (r: number) => {
    const texts: string[] = [];
    for (let c = 0; c < width; c++) {
      const t = headerText(rawCell(grid, r, c));
      if (t !== '') texts.push(t);
    }
    return texts;
  };
  while (bottom + 1 < grid.rows.length && bottom - top + 1 < maxHeaderRows) {
    const texts = rowTexts(bottom + 1);
    const sub = texts.length > 0 && texts.every((t) => {
      const s = splitUnit(t);
      return s.unit !== undefined && /[^\d.,\s-]/.test(s.label) && !isNumberText(s.label);
    });
    if (!sub) break;
    bottom++;
  }
  let unitsRow: number | undefined;
  if (bottom + 1 < grid.rows.length) {
    const texts = rowTexts(bottom + 1);
    if (texts.length > 0 && texts.every(isUnitOnly)) {
      unitsRow = bottom + 1;
      bottom = unitsRow;
    }
  }
  const pathBottom = unitsRow !== undefined ? bottom - 1 : bottom;
  const paths =
    top === best.top && pathBottom === best.bottom
      ? best.paths
      : buildPaths(merges, extendInfo(grid, merges, info, pathBottom, width), top, pathBottom, width);

  let firstData = bottom + 1;
  let columnNumberRow: number | undefined;
  if (firstData < grid.rows.length && isColumnNumberRow(grid, firstData, width)) {
    columnNumberRow = firstData + 1;
    firstData++;
  }

  // Columns: every column with a header, plus header-less columns that hold data.
  const hasData = (c: number) => {
    for (let r = firstData; r < Math.min(grid.rows.length, firstData + 500); r++) if (cellText(rawCell(grid, r, c)) !== '') return true;
    return false;
  };
  const columns: HeaderColumn[] = [];
  for (let c = 0; c < width; c++) {
    const path = paths[c] ?? [];
    if (path.length === 0 && !hasData(c)) continue;
    columns.push(makeColumn(c, path, unitsRow !== undefined ? headerText(rawCell(grid, unitsRow, c)) : ''));
  }

  const titleLines: TableLayout['titleLines'] = [];
  for (let r = 0; r < top; r++) {
    const row = r < info.length ? info[r]! : analyseRow(grid, merges, r, width);
    if (row.kind === 'empty') continue;
    titleLines.push({
      row: r + 1,
      text: row.cells.join(' '),
      kind: row.kind === 'title' ? 'title' : row.kind === 'preamble' ? 'preamble' : 'other',
    });
  }

  const finalScore = scoreBlock(matcher, columns.map((c) => c.path));
  const layout: TableLayout = {
    kind: 'table',
    sheet: grid.name,
    headerRows: { top: top + 1, bottom: bottom + 1 },
    firstDataRow: firstData + 1,
    headerTop: top,
    headerBottom: bottom,
    dataStart: firstData,
    titleLines,
    titles: titleLines.map((l) => l.text),
    titleText: titleLines.map((l) => l.text).join('\n'),
    columns,
    matchedColumns: finalScore.matched,
    score: Math.round(finalScore.score * 1000) / 1000,
  };
  if (columnNumberRow !== undefined) layout.columnNumberRow = columnNumberRow;
  return layout;
}

function extendInfo(grid: Grid, merges: MergeIndex, info: RowInfo[], upTo: number, width: number): RowInfo[] {
  const out = [...info];
  for (let r = out.length; r <= upTo; r++) out.push(analyseRow(grid, merges, r, width));
  return out;
}

function makeColumn(index: number, path: string[], unitCell: string): HeaderColumn {
  const labels: string[] = [];
  let unit: string | undefined;
  let info: ReturnType<typeof splitUnit>['info'];
  for (const part of path) {
    const s = splitUnit(part);
    if (s.label !== '') labels.push(s.label);
    if (s.unit !== undefined) {
      unit = s.unit; // the lowest part that names a unit wins
      info = s.info;
    }
  }
  if (unit === undefined && unitCell !== '') {
    const s = splitUnit(unitCell.startsWith('（') || unitCell.startsWith('(') ? unitCell : `(${unitCell})`);
    if (s.unit !== undefined) {
      unit = s.unit;
      info = s.info;
    }
  }
  const col: HeaderColumn = {
    index,
    letter: columnLetter(index),
    path,
    header: path.join('/'),
    label: labels.join('/'),
  };
  if (unit !== undefined && info !== undefined) {
    col.unit = unit;
    col.unitFamily = info.family;
    col.scale = info.scale;
    if (info.family === 'percent') col.percent = true;
  }
  return col;
}
