/// <reference types="office-js" />
// The only code that touches Excel. A thin adapter over Office.js: it reads the active sheet into a Grid, writes
// fills (grouped by colour into multi-area ranges), notes, the 考评结果 and 整改台账 sheets and the `_kaoping`
// record, restores the officer's own fills and notes, inserts the 调查表 template and reports sheet changes.
// Every phase goes through a Batcher, so a scoring run is a fixed number of round trips whatever the number of
// rows (4: probe, read, originals + sheets + notes, record + fills), each under the request budget.
import type { Grid } from '../../shared/types.ts';
import { KAOPING_NOTE_SEPARATOR, OUR_SHEETS, RESULT_SHEET, STORE_SHEET } from '../../shared/output/names.ts';
import { columnLetter } from '../../shared/sheet/address.ts';
import { cellKey, contains, groupCells, packRects, parseArea, parseAreas, quoteSheet, rectCells, type Rect } from './address.ts';
import { Batcher, COMMAND_BYTES, DEFAULT_BUDGET, jsonBytes, newStats, opsBytes, planBins, type Budget, type Op, type RunStats } from './batch.ts';
import { decideCell, ourFillSpec, sameFill, type CellDecision, type CurrentCell, type NoteMode } from './decide.ts';
import { buildGrid, type RangeBlock } from './grid.ts';
import { capabilities, type Capabilities, type ExcelHost } from './host.ts';
import { decodeStore, encodeStore, type CellState, type FillSpec } from './store.ts';
import type { AnnotateResult, CellAnnotation, CellScalar, ClearResult, KaopingSettings, OutputSheet, SheetChange, SheetReadResult, TemplateSheet } from './types.ts';

/** Rows from the top of the sheet where the header may be (findTable scans 60): their displayed text is read too. */
export const HEADER_TEXT_ROWS = 60;
/** Fill uniformity is checked per column in blocks of this many rows; only mixed blocks are read cell by cell. */
export const FILL_BLOCK_ROWS = 250;
/** Response estimates per cell. */
const VALUE_CELL_BYTES = 32;
const TEXT_CELL_BYTES = 16;
const PROPS_CELL_BYTES = 72;
export const SETTINGS_KEY = 'kaoping';
/** Notes (or comments) read per request: their text comes back in the response (5 MB on the web). */
export const NOTE_PAGE = 5000;
const NO_FILL_COLOR = '#FFFFFF';

export const EMPTY_SETTINGS: KaopingSettings = { version: 1, sheets: {} };

interface FillBlock {
  rect: Rect;
  /** The block's uniform fill, or 'mixed' when its cells differ (read cell by cell when needed). */
  fill: FillSpec | null | 'mixed';
}

interface ReadState {
  caps: Capabilities;
  used: Rect | null;
  blocks: FillBlock[];
  blockIndex: Map<string, FillBlock>;
  /** Notes (or comments) whose place was read: address → content. */
  located: Map<string, string>;
  /** Every record of `_kaoping` (all sheets), or undefined when there is none. */
  store: Map<string, CellState> | undefined;
  storeExists: boolean;
}

export interface SheetRead extends SheetReadResult {
  state: ReadState;
}

export interface AnnotateInput {
  cells: CellAnnotation[];
  result: OutputSheet;
  ledger: OutputSheet;
  settings?: KaopingSettings;
}

/** What the live re-score reads of a few rows. */
export interface RowsRead {
  blocks: RangeBlock[];
  fills: Map<string, FillSpec | null>;
  notes: Map<string, string>;
  storeRows: number;
}

export interface RowUpdate {
  sheet: string;
  /** The cells of the edited rows, with what this run wants (undefined target: no longer scored). */
  cells: { address: string; target: CellAnnotation | undefined; prior: CellState | undefined }[];
  /** 考评结果 rows to rewrite: 0-based row on that sheet and its values. */
  summaryRows?: { row: number; values: CellScalar[] }[];
}

export class SheetError extends Error {
  constructor(
    readonly code: 'unsupported' | 'empty' | 'sheet-missing' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

function blockKey(col: number, row: number, top: number): string {
  return `${col}:${Math.floor((row - top) / FILL_BLOCK_ROWS)}`;
}

function noFill(color: string | null | undefined, pattern: string | null | undefined): boolean {
  if (pattern === 'None') return true;
  // Without RangeFill.pattern (ExcelApi 1.15) Excel reports "no fill" as white: read white as no fill.
  return (pattern === undefined || pattern === null) && (color ?? '').toUpperCase() === NO_FILL_COLOR;
}

function fillOf(color: string | null | undefined, pattern: string | null | undefined, patternColor?: string | null): FillSpec | null {
  if (noFill(color, pattern)) return null;
  const spec: FillSpec = { color: (color ?? NO_FILL_COLOR).toUpperCase(), pattern: pattern ?? 'Solid' };
  if (patternColor && pattern && pattern !== 'Solid') spec.patternColor = patternColor;
  return spec;
}

/** A string Excel must keep as text (a leading apostrophe is not shown and not part of the value). */
export function asText(v: CellScalar): CellScalar {
  if (typeof v !== 'string' || v === '') return v;
  if (/^[=+\-@']/.test(v) || /^[\s\d.,:/%$¥€eE()年月日-]+$/.test(v) || /^(true|false)$/i.test(v)) return `'${v}`;
  return v;
}

export class ExcelAdapter {
  readonly caps: Capabilities;
  readonly budget: Budget;
  /** Round trips and estimated request bytes of the last operation. */
  lastStats: RunStats = newStats();
  /** Set while the adapter's own writes are in flight; changes reported then are the adapter's. */
  private writing = 0;
  private listener?: (change: SheetChange) => void;
  /** Sheets whose onChanged handler is registered (once per session). */
  private watched = new Set<string>();

  constructor(
    private readonly host: ExcelHost,
    opts: { budget?: Partial<Budget> } = {},
  ) {
    this.caps = capabilities(host);
    this.budget = { ...DEFAULT_BUDGET, ...opts.budget };
  }

  get isWriting(): boolean {
    return this.writing > 0;
  }

  private requireSupport(): void {
    if (!this.caps.supported) {
      throw new SheetError('unsupported', '此版本的 Excel 不支持考评插件（需要 ExcelApi 1.9 及以上：Microsoft 365、Excel 2021 或网页版 Excel）');
    }
  }

  private async sync(context: Excel.RequestContext, stats: RunStats, bytes: number): Promise<void> {
    stats.syncs++;
    stats.requestBytes.push(bytes);
    await context.sync();
  }

  private batcher(context: Excel.RequestContext, stats: RunStats, suspend = false): Batcher {
    return new Batcher(context, this.budget, stats, suspend ? () => context.workbook.application.suspendScreenUpdatingUntilNextSync() : undefined);
  }

  private noteCollection(ws: Excel.Worksheet, mode: NoteMode = this.caps.notes): Excel.NoteCollection | Excel.CommentCollection | undefined {
    return mode === 'notes' ? ws.notes : mode === 'comments' ? ws.comments : undefined;
  }

  // ------------------------------------------------------------------------------------------------------
  // Reading

  /** Read the active sheet: 2 round trips (probe, then values, formats, merges, fills, notes, record). */
  async readActiveSheet(): Promise<SheetRead> {
    this.requireSupport();
    const stats = newStats();
    this.lastStats = stats;
    return this.host.run(async (context) => {
      const wb = context.workbook;
      const ws = wb.worksheets.getActiveWorksheet();
      ws.load('name,id');
      const usedProbe = ws.getUsedRangeOrNullObject(true);
      usedProbe.load('rowIndex,columnIndex,rowCount,columnCount');
      const sheetList = wb.worksheets;
      sheetList.load('items/name');
      const setting = wb.settings.getItemOrNullObject(SETTINGS_KEY);
      setting.load('value');
      const notes = this.noteCollection(ws);
      const noteCount = notes?.getCount();
      if (notes) loadPage(notes, 0);
      await this.sync(context, stats, COMMAND_BYTES * 16);
      const noteItems = notes ? await this.morePages(context, stats, notes, noteCount!.value, () => this.noteCollection(wb.worksheets.getItem(ws.name))!) : [];

      const sheets = sheetList.items.map((s) => s.name);
      const settings = parseSettings(setting.isNullObject ? undefined : setting.value);
      const used: Rect | null = usedProbe.isNullObject
        ? null
        : { top: usedProbe.rowIndex, left: usedProbe.columnIndex, bottom: usedProbe.rowIndex + usedProbe.rowCount - 1, right: usedProbe.columnIndex + usedProbe.columnCount - 1 };
      const storeExists = sheets.includes(STORE_SHEET);
      const state: ReadState = { caps: this.caps, used, blocks: [], blockIndex: new Map(), located: new Map(), store: undefined, storeExists };

      const batch = this.batcher(context, stats);
      const dataRanges: { top: number; range: Excel.Range }[] = [];
      let textRange: { top: number; range: Excel.Range } | undefined;
      let merged: Excel.RangeAreas | undefined;
      const blockRanges: { block: FillBlock; fill: Excel.RangeFill }[] = [];
      if (used) {
        const width = used.right - used.left + 1;
        const perChunk = Math.max(1, Math.floor(this.budget.response / (width * VALUE_CELL_BYTES)));
        for (let top = used.top; top <= used.bottom; top += perChunk) {
          const n = Math.min(perChunk, used.bottom - top + 1);
          await batch.add(
            COMMAND_BYTES * 4,
            () => {
              const range = ws.getRangeByIndexes(top, used.left, n, width);
              range.load('values,numberFormat');
              dataRanges.push({ top, range });
            },
            n * width * VALUE_CELL_BYTES,
          );
        }
        const headerBottom = Math.min(used.bottom, HEADER_TEXT_ROWS - 1);
        if (used.top <= headerBottom) {
          const n = headerBottom - used.top + 1;
          await batch.add(
            COMMAND_BYTES * 4,
            () => {
              const range = ws.getRangeByIndexes(used.top, used.left, n, width);
              range.load('text');
              textRange = { top: used.top, range };
            },
            n * width * TEXT_CELL_BYTES,
          );
        }
        if (this.caps.merges) {
          await batch.add(COMMAND_BYTES * 6, () => {
            merged = ws.getUsedRangeOrNullObject(false).getMergedAreasOrNullObject();
            merged.load('address');
          }, 20_000);
        }
        // The officer's fills, per column in blocks: a uniform block is one value; only mixed blocks are read per cell later.
        for (let col = used.left; col <= used.right; col++) {
          for (let top = used.top; top <= used.bottom; top += FILL_BLOCK_ROWS) {
            const bottom = Math.min(used.bottom, top + FILL_BLOCK_ROWS - 1);
            const block: FillBlock = { rect: { top, bottom, left: col, right: col }, fill: 'mixed' };
            state.blocks.push(block);
            state.blockIndex.set(blockKey(col, top, used.top), block);
            await batch.add(COMMAND_BYTES * 6, () => {
              const fill = ws.getRangeByIndexes(top, col, bottom - top + 1, 1).format.fill;
              fill.load(this.caps.fillPattern ? 'color,pattern' : 'color');
              blockRanges.push({ block, fill });
            }, 60);
          }
        }
      }
      // Where the notes are: the officer's (and the officer's with ours below) are located; ours alone are known
      // from the record — unless there is no record, then all are located.
      const locations: { content: string; range: Excel.Range }[] = [];
      for (const item of noteItems) {
        const content = item.content ?? '';
        if (storeExists && content.startsWith(KAOPING_NOTE_SEPARATOR)) continue;
        await batch.add(COMMAND_BYTES * 4, () => {
          const range = item.getLocation();
          range.load('address');
          locations.push({ content, range });
        }, 80);
      }
      let storeRange: Excel.Range | undefined;
      if (storeExists) {
        await batch.add(COMMAND_BYTES * 6, () => {
          storeRange = wb.worksheets.getItem(STORE_SHEET).getUsedRangeOrNullObject(true);
          storeRange.load('values');
        }, 500_000);
      }
      await batch.sync();

      const blocks: RangeBlock[] = dataRanges.map(({ top, range }) => ({
        top,
        left: used!.left,
        values: range.values as unknown[][],
        numberFormat: range.numberFormat as unknown[][],
      }));
      if (textRange) {
        const tr = textRange;
        // Attach the text to the data blocks covering the header rows.
        const text = tr.range.text as unknown[][];
        for (const b of blocks) {
          if (b.top - tr.top >= text.length) continue;
          const rows: unknown[][] = [];
          for (let i = 0; i < b.values.length; i++) rows.push(text[b.top + i - tr.top] ?? []);
          b.text = rows;
        }
      }
      const merges = merged && !merged.isNullObject ? parseAreas(merged.address) : [];
      for (const { block, fill } of blockRanges) {
        const color = fill.color;
        const pattern = this.caps.fillPattern ? (fill.pattern as string | null) : undefined;
        block.fill = color === null || color === undefined || pattern === null ? 'mixed' : fillOf(color, pattern);
      }
      for (const { content, range } of locations) {
        const rect = parseArea(range.address);
        if (rect) state.located.set(cellKey(rect.top, rect.left), content);
      }
      if (storeRange && !storeRange.isNullObject) state.store = decodeStore(storeRange.values as unknown[][]);

      // Our notes alone are not located: check that the record accounts for every one of them.
      if (storeExists && notes) {
        const ours = noteItems.filter((n) => (n.content ?? '').startsWith(KAOPING_NOTE_SEPARATOR));
        const recorded = [...(state.store?.values() ?? [])].filter((s) => s.sheet === ws.name && s.ourNote && !state.located.has(s.address)).length;
        if (ours.length !== recorded) {
          // The record and the sheet disagree (a note deleted by hand, a record lost): locate ours too.
          const extra: { content: string; range: Excel.Range }[] = [];
          const fix = this.batcher(context, stats);
          for (const item of ours) {
            await fix.add(COMMAND_BYTES * 4, () => {
              const range = item.getLocation();
              range.load('address');
              extra.push({ content: item.content, range });
            }, 80);
          }
          await fix.sync();
          for (const { content, range } of extra) {
            const rect = parseArea(range.address);
            if (rect) state.located.set(cellKey(rect.top, rect.left), content);
          }
          state.located.set('\u0000all', '');
        }
      }

      const grid: Grid = buildGrid(ws.name, blocks, merges);
      return { sheet: { name: ws.name, id: ws.id }, grid, used, sheets, settings, state };
    });
  }

  /** The notes (or comments) of a collection whose first page is loaded: further pages are read in as few
   * round trips as the response budget allows (only when a sheet holds more than NOTE_PAGE of them). */
  private async morePages(context: Excel.RequestContext, stats: RunStats, first: NoteCollection, count: number, fresh: () => NoteCollection): Promise<NoteItem[]> {
    const items: NoteItem[] = [...(first.items as NoteItem[])];
    if (count <= items.length) return items;
    const pages: NoteCollection[] = [];
    const b = this.batcher(context, stats);
    for (let skip = items.length; skip < count; skip += NOTE_PAGE) {
      await b.add(COMMAND_BYTES * 5, () => {
        const coll = fresh();
        loadPage(coll, skip);
        pages.push(coll);
      }, NOTE_PAGE * 300);
    }
    await b.sync();
    for (const p of pages) items.push(...(p.items as NoteItem[]));
    return items;
  }

  /** The current note of a cell as this read knows it. */
  private currentNote(state: ReadState, sheet: string, address: string): { note: string | undefined; pureOurs: boolean } {
    const note = state.located.get(address);
    if (note !== undefined) return { note, pureOurs: false };
    const allLocated = state.located.has('\u0000all');
    const rec = state.store?.get(`${sheet}!${address}`);
    return { note: undefined, pureOurs: !allLocated && !!rec && rec.ourNote };
  }

  // ------------------------------------------------------------------------------------------------------
  // Annotating

  /**
   * Write a scoring run in 3 round trips after the read, whatever the number of rows (each under the request
   * budget; a round trip that would exceed it is split): (1) the per-cell fills of mixed blocks are read, and
   * independent writes start (考评结果, 整改台账, notes, spread over the three round trips to balance them);
   * (2) more of those; (3) the record `_kaoping` first, then the fills grouped by colour, then the settings.
   * Cells whose record is from an earlier run and no longer scored are restored.
   */
  async annotate(read: SheetRead, input: AnnotateInput, onChange?: (change: SheetChange) => void): Promise<AnnotateResult & { states: Map<string, CellState> }> {
    this.requireSupport();
    const stats = newStats();
    this.lastStats = stats;
    const sheetName = read.sheet.name;
    const state = read.state;
    const mode = this.caps.notes;
    const targets = new Map(input.cells.map((c) => [c.address, c]));
    const priors = new Map<string, CellState>();
    const others: CellState[] = [];
    for (const s of state.store?.values() ?? []) {
      if (s.sheet === sheetName) priors.set(s.address, s);
      else if (!OUR_SHEETS.includes(s.sheet)) others.push(s);
    }
    const addresses = [...new Set([...targets.keys(), ...priors.keys()])];

    // Cells whose current fill is not known from a uniform block: what we expect there (our colour of the last
    // run, else no fill) is checked per group of cells in one read; a group that is not as expected (the officer
    // recoloured something) is read cell by cell in the next round trip. All before any fill is written.
    const knownFill = new Map<string, FillSpec | null>();
    const expectGroups = new Map<string, { expect: FillSpec | null; cells: { row: number; col: number }[] }>();
    for (const a of addresses) {
      const r = parseArea(a);
      if (!r) continue;
      const block = state.used && contains(state.used, r.top, r.left) ? state.blockIndex.get(blockKey(r.left, r.top, state.used.top)) : undefined;
      if (block && block.fill !== 'mixed') {
        knownFill.set(a, block.fill);
        continue;
      }
      const ours = priors.get(a)?.ourFill;
      const expect = ours ? ourFillSpec(ours) : null;
      const k = JSON.stringify(expect);
      let g = expectGroups.get(k);
      if (!g) expectGroups.set(k, (g = { expect, cells: [] }));
      g.cells.push({ row: r.top, col: r.left });
    }

    const decide = () => {
      const out = new Map<string, CellDecision>();
      for (const a of addresses) {
        const cur: CurrentCell = { fill: knownFill.get(a) ?? null, ...this.currentNote(state, sheetName, a) };
        out.set(a, decideCell(sheetName, a, priors.get(a), cur, targets.get(a), mode));
      }
      return out;
    };
    // Notes do not depend on fills: decided now. Fills and the record are decided again after the detail read.
    let decisions = decide();
    const explain: { address: string; lines: string[] }[] = [];
    for (const [a, d] of decisions) if (d.explainElsewhere) explain.push({ address: a, lines: d.explainElsewhere });

    this.writing++;
    try {
      return await this.host.run(async (context) => {
        const ws = context.workbook.worksheets.getItem(sheetName);
        const notes = this.noteCollection(ws, mode);
        const checks: { expect: FillSpec | null; addresses: string; fill: Excel.RangeFill }[] = [];
        const checkOps: Op[] = [];
        for (const g of expectGroups.values()) {
          for (const addresses of packRects(groupCells(g.cells))) {
            checkOps.push({
              bytes: COMMAND_BYTES * 6 + addresses.length,
              response: 80,
              run: () => {
                const fill = ws.getRanges(addresses).format.fill;
                fill.load(this.caps.fillPattern ? 'color,pattern' : 'color');
                checks.push({ expect: g.expect, addresses, fill });
              },
            });
          }
        }
        const props: { rect: Rect; result: OfficeExtension.ClientResult<Excel.CellProperties[][]> }[] = [];
        const detailOp = (rect: Rect): Op => {
          const rows = rect.bottom - rect.top + 1;
          const cols = rect.right - rect.left + 1;
          return {
            bytes: COMMAND_BYTES * 6 + 120,
            response: rows * cols * PROPS_CELL_BYTES,
            run: () => {
              const result = ws.getRangeByIndexes(rect.top, rect.left, rows, cols).getCellProperties({ format: { fill: { color: true, pattern: true, patternColor: true } } });
              props.push({ rect, result });
            },
          };
        };
        const result = explain.length ? withExplanations(input.result, explain) : input.result;
        const free: Op[] = [...this.outputSheetOps(context, result, read.sheets), ...this.outputSheetOps(context, input.ledger, read.sheets)];
        let noteCount = 0;
        if (notes) {
          for (const [a, d] of decisions) {
            if (d.state?.ourNote) noteCount++;
            const op = noteOp(notes, mode, `${quoteSheet(sheetName)}!${a}`, d.note);
            if (op) free.push(op);
          }
        }
        // The last round trip's own writes, estimated now (they are rebuilt after the detail read).
        const lastOps = (ds: Map<string, CellDecision>): Op[] => {
          const states: CellState[] = [...others];
          for (const d of ds.values()) if (d.state) states.push(d.state);
          const ops = [...this.storeOps(context, states, read.sheets.includes(STORE_SHEET)), ...this.fillOps(ws, [...ds].map(([a, d]) => ({ address: a, action: d.fill })))];
          if (input.settings) {
            const settings = input.settings;
            ops.push({ bytes: COMMAND_BYTES * 2 + jsonBytes(settings), run: () => context.workbook.settings.add(SETTINGS_KEY, settings) });
          }
          if (onChange && this.caps.events) {
            this.listener = onChange;
            if (!this.watched.has(sheetName)) ops.push({ bytes: COMMAND_BYTES, run: () => this.addHandler(ws, sheetName) });
          }
          return ops;
        };
        const [bin1 = [], bin2 = [], bin3 = []] = planBins(free, 3, this.budget.request, opsBytes(checkOps), opsBytes(lastOps(decisions)));
        const suspend = () => context.workbook.application.suspendScreenUpdatingUntilNextSync();

        const b1 = new Batcher(context, this.budget, stats, suspend);
        await b1.addAll(checkOps);
        await b1.addAll(bin1);
        await b1.sync();
        const detailOps: Op[] = [];
        for (const c of checks) {
          const color = c.fill.color;
          const pattern = this.caps.fillPattern ? (c.fill.pattern as string | null) : undefined;
          const uniform = color === null || pattern === null ? undefined : fillOf(color, pattern);
          if (uniform !== undefined && sameFill(uniform, c.expect)) {
            for (const r of parseAreas(c.addresses)) for (const { row, col } of rectCells([r])) knownFill.set(cellKey(row, col), c.expect);
          } else {
            for (const r of parseAreas(c.addresses)) detailOps.push(detailOp(r));
          }
        }

        const b2 = new Batcher(context, this.budget, stats, suspend);
        await b2.addAll(detailOps);
        await b2.addAll(bin2);
        await b2.sync();
        for (const { rect, result: res } of props) {
          res.value.forEach((row, i) =>
            row.forEach((p, j) => {
              const f = p.format?.fill;
              knownFill.set(cellKey(rect.top + i, rect.left + j), fillOf(f?.color, f?.pattern ?? 'Solid', f?.patternColor));
            }),
          );
        }
        decisions = decide();

        const b3 = new Batcher(context, this.budget, stats, suspend);
        await b3.addAll(bin3);
        await b3.addAll(lastOps(decisions));
        await b3.sync();
        const mine = new Map<string, CellState>();
        for (const [a, d] of decisions) if (d.state) mine.set(a, d.state);
        return { cells: targets.size, notes: noteCount, noteMode: mode, explainedOnSheet: explain.length, states: mine };
      });
    } finally {
      this.writing--;
    }
  }

  /** Fill actions grouped by the fill they set, each group written as multi-area ranges. */
  private fillOps(ws: Excel.Worksheet, actions: { address: string; action: CellDecision['fill'] }[]): Op[] {
    const groups = new Map<string, { fill: FillSpec | null; cells: { row: number; col: number }[] }>();
    for (const { address, action } of actions) {
      if (action.kind !== 'set') continue;
      const r = parseArea(address);
      if (!r) continue;
      const key = JSON.stringify(action.fill);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { fill: action.fill, cells: [] }));
      g.cells.push({ row: r.top, col: r.left });
    }
    // Restorations (no fill, the officer's colours) before our colours; deterministic order.
    const ordered = [...groups.values()].sort((a, b) => (a.fill === null ? -1 : b.fill === null ? 1 : a.fill.color.localeCompare(b.fill.color)));
    const ops: Op[] = [];
    for (const g of ordered) {
      for (const addresses of packRects(groupCells(g.cells))) {
        ops.push({
          bytes: COMMAND_BYTES * 5 + addresses.length,
          run: () => {
            const fill = ws.getRanges(addresses).format.fill;
            if (g.fill === null) fill.clear();
            else {
              fill.color = g.fill.color;
              if (g.fill.pattern && g.fill.pattern !== 'Solid' && this.caps.fillPattern) {
                fill.pattern = g.fill.pattern as Excel.FillPattern;
                if (g.fill.patternColor) fill.patternColor = g.fill.patternColor;
              }
            }
          },
        });
      }
    }
    return ops;
  }

  private async writeFills(batch: Batcher, ws: Excel.Worksheet, actions: { address: string; action: CellDecision['fill'] }[]): Promise<void> {
    await batch.addAll(this.fillOps(ws, actions));
  }

  /** Replace the record `_kaoping` (very hidden) with the given states. */
  private storeOps(context: Excel.RequestContext, states: CellState[], exists: boolean): Op[] {
    const rows = encodeStore(states);
    return [
      {
        bytes: COMMAND_BYTES * 5,
        run: () => {
          if (exists) context.workbook.worksheets.getItem(STORE_SHEET).getRange().clear();
          else {
            const ws = context.workbook.worksheets.add(STORE_SHEET);
            ws.visibility = 'VeryHidden';
          }
        },
      },
      ...this.valuesOps(() => context.workbook.worksheets.getItem(STORE_SHEET), 0, rows.map((r) => r.map((v) => asText(v)))),
    ];
  }

  /** A block of values from row `top`, in slices that each fit well within one request. */
  private valuesOps(sheet: () => Excel.Worksheet, top: number, values: CellScalar[][], left = 0): Op[] {
    if (!values.length) return [];
    const width = values[0]!.length;
    const limit = this.budget.request * 0.45;
    const ops: Op[] = [];
    let start = 0;
    while (start < values.length) {
      let bytes = COMMAND_BYTES * 5;
      let end = start;
      while (end < values.length) {
        const rb = jsonBytes(values[end]) + 1;
        if (end > start && bytes + rb > limit) break;
        bytes += rb;
        end++;
      }
      const slice = values.slice(start, end);
      const r0 = top + start;
      ops.push({
        bytes,
        run: () => {
          sheet().getRangeByIndexes(r0, left, slice.length, width).values = slice as (string | number | boolean)[][];
        },
      });
      start = end;
    }
    return ops;
  }

  private async writeValues(batch: Batcher, sheet: () => Excel.Worksheet, top: number, values: CellScalar[][], left = 0): Promise<void> {
    await batch.addAll(this.valuesOps(sheet, top, values, left));
  }

  /** Replace one of our output sheets: delete the old one, add it again at the end, write values once, format. */
  private outputSheetOps(context: Excel.RequestContext, sheet: OutputSheet, existing: readonly string[]): Op[] {
    const width = sheet.values[0]?.length ?? 1;
    const rows = sheet.values.length;
    const firstData = sheet.headerRow + 1;
    const ops: Op[] = [];
    ops.push({
      bytes: COMMAND_BYTES * 6,
      run: () => {
        if (existing.includes(sheet.name)) context.workbook.worksheets.getItem(sheet.name).delete();
        const ws = context.workbook.worksheets.add(sheet.name);
        if (sheet.tabColor) ws.tabColor = sheet.tabColor;
      },
    });
    const get = () => context.workbook.worksheets.getItem(sheet.name);
    // Text columns first, so that codes keep their digits; date columns shown as dates.
    const columnFormat = (col: number, fmt: string) => {
      if (sheet.dataRows <= 0) return;
      const f = Array.from({ length: sheet.dataRows }, () => [fmt]);
      ops.push({
        bytes: COMMAND_BYTES * 5 + jsonBytes(f),
        run: () => {
          get().getRangeByIndexes(firstData, col, sheet.dataRows, 1).numberFormat = f;
        },
      });
    };
    for (const col of sheet.textColumns ?? []) columnFormat(col, '@');
    for (const col of sheet.dateColumns ?? []) columnFormat(col, 'yyyy-mm-dd');
    const texts = new Set(sheet.textColumns ?? []);
    ops.push(
      ...this.valuesOps(
        get,
        0,
        sheet.values.map((row, r) => row.map((v, c) => (r >= firstData && r < firstData + sheet.dataRows && texts.has(c) && typeof v === 'string' && v !== '' ? `'${v}` : asText(v)))),
      ),
    );
    ops.push({
      bytes: COMMAND_BYTES * 24,
      run: () => {
        const ws = get();
        const title = ws.getRangeByIndexes(0, 0, 1, 1).format.font;
        title.bold = true;
        title.size = 14;
        const header = ws.getRangeByIndexes(sheet.headerRow, 0, 1, width).format;
        header.font.bold = true;
        header.fill.color = '#D9E1F2';
        ws.getRangeByIndexes(0, 0, rows, width).format.autofitColumns();
        if (sheet.freeze) ws.freezePanes.freezeAt(ws.getRangeByIndexes(0, 0, Math.max(1, sheet.freeze.rows), Math.max(1, sheet.freeze.columns)));
      },
    });
    for (const sw of sheet.swatches ?? []) {
      ops.push({
        bytes: COMMAND_BYTES * 7,
        run: () => {
          get().getRangeByIndexes(sw.row, sw.col, 1, 1).format.fill.color = `#${sw.argb.slice(-6)}`;
        },
      });
    }
    if (sheet.listValidation && sheet.dataRows > 0 && this.caps.validation) {
      const v = sheet.listValidation;
      ops.push({
        bytes: COMMAND_BYTES * 7 + jsonBytes(v.options),
        run: () => {
          get().getRangeByIndexes(firstData, v.col, sheet.dataRows, 1).dataValidation.rule = { list: { inCellDropDown: true, source: v.options.join(',') } };
        },
      });
    }
    return ops;
  }

  // ------------------------------------------------------------------------------------------------------
  // Clearing

  /** Remove every fill, note and sheet the add-in added, restoring the officer's own fills and notes. */
  async clearAnnotations(): Promise<ClearResult> {
    this.requireSupport();
    const stats = newStats();
    this.lastStats = stats;
    const mode = this.caps.notes;
    this.writing++;
    try {
      return await this.host.run(async (context) => {
        const wb = context.workbook;
        const sheetList = wb.worksheets;
        sheetList.load('items/name,items/id');
        await this.sync(context, stats, COMMAND_BYTES * 6);
        const names = sheetList.items.map((s) => s.name);
        const storeExists = names.includes(STORE_SHEET);
        const dataSheets = names.filter((n) => !OUR_SHEETS.includes(n));

        // 2: the record and every data sheet's notes.
        const b = this.batcher(context, stats);
        let storeRange: Excel.Range | undefined;
        if (storeExists) {
          await b.add(COMMAND_BYTES * 6, () => {
            storeRange = wb.worksheets.getItem(STORE_SHEET).getUsedRangeOrNullObject(true);
            storeRange.load('values');
          }, 500_000);
        }
        const notesBySheet = new Map<string, Excel.NoteCollection | Excel.CommentCollection>();
        const counts = new Map<string, OfficeExtension.ClientResult<number>>();
        for (const name of dataSheets) {
          const coll = this.noteCollection(wb.worksheets.getItem(name), mode);
          if (!coll) continue;
          await b.add(COMMAND_BYTES * 6, () => {
            counts.set(name, coll.getCount());
            loadPage(coll, 0);
            notesBySheet.set(name, coll);
          }, NOTE_PAGE * 300);
        }
        await b.sync();
        const itemsBySheet = new Map<string, NoteItem[]>();
        for (const [name, coll] of notesBySheet) {
          itemsBySheet.set(name, await this.morePages(context, stats, coll, counts.get(name)!.value, () => this.noteCollection(wb.worksheets.getItem(name), mode)!));
        }
        const store = storeRange && !storeRange.isNullObject ? decodeStore(storeRange.values as unknown[][]) : undefined;
        const records = [...(store?.values() ?? [])].filter((s) => dataSheets.includes(s.sheet));

        // 3: where the notes holding our part are, and whether our fills are still ours (per colour group).
        const b3 = this.batcher(context, stats);
        const located = new Map<string, Map<string, string>>();
        const locs: { sheet: string; content: string; range: Excel.Range }[] = [];
        for (const [sheet, items] of itemsBySheet) {
          located.set(sheet, new Map());
          const recordedPure = records.filter((r) => r.sheet === sheet && r.ourNote && r.originalNote === null).length;
          const oursAlone = items.filter((n) => (n.content ?? '').startsWith(KAOPING_NOTE_SEPARATOR)).length;
          const locateAlone = !store || recordedPure !== oursAlone;
          for (const item of items) {
            const content = item.content ?? '';
            if (!content.includes(KAOPING_NOTE_SEPARATOR)) continue;
            if (content.startsWith(KAOPING_NOTE_SEPARATOR) && !locateAlone) continue;
            await b3.add(COMMAND_BYTES * 4, () => {
              const range = item.getLocation();
              range.load('address');
              locs.push({ sheet, content, range });
            }, 80);
          }
          if (locateAlone) located.get(sheet)!.set('\u0000all', '');
        }
        const fillChecks: { sheet: string; argb: string; cells: CellState[]; addresses: string; fill: Excel.RangeFill }[] = [];
        const byGroup = new Map<string, CellState[]>();
        for (const r of records) {
          if (!r.ourFill) continue;
          const key = `${r.sheet}\u0000${r.ourFill}`;
          const list = byGroup.get(key) ?? [];
          list.push(r);
          byGroup.set(key, list);
        }
        for (const [key, list] of byGroup) {
          const [sheet, argb] = key.split('\u0000') as [string, string];
          const pos = new Map<string, CellState>();
          const cells = list.flatMap((s) => {
            const r = parseArea(s.address);
            if (!r) return [];
            pos.set(cellKey(r.top, r.left), s);
            return [{ row: r.top, col: r.left }];
          });
          for (const addresses of packRects(groupCells(cells))) {
            const inChunk = parseAreas(addresses).flatMap((rect) => {
              const out: CellState[] = [];
              for (let row = rect.top; row <= rect.bottom; row++) for (let col = rect.left; col <= rect.right; col++) {
                const s = pos.get(cellKey(row, col));
                if (s) out.push(s);
              }
              return out;
            });
            await b3.add(COMMAND_BYTES * 8 + addresses.length, () => {
              const fill = wb.worksheets.getItem(sheet).getRanges(addresses).format.fill;
              fill.load('color');
              fillChecks.push({ sheet, argb, cells: inChunk, addresses, fill });
            }, 60);
          }
        }
        await b3.sync();
        for (const { sheet, content, range } of locs) {
          const rect = parseArea(range.address);
          if (rect) located.get(sheet)!.set(cellKey(rect.top, rect.left), content);
        }

        // Fill state per recorded cell: uniform chunks are decided; mixed chunks are read cell by cell (rare:
        // only when the officer recoloured one of our cells).
        const current = new Map<string, FillSpec | null>();
        const mixed: { sheet: string; rect: Rect; result: OfficeExtension.ClientResult<Excel.CellProperties[][]> }[] = [];
        const b4 = this.batcher(context, stats);
        for (const chk of fillChecks) {
          const color = chk.fill.color;
          if (color !== null && color !== undefined) {
            const f = fillOf(color, 'Solid');
            for (const s of chk.cells) current.set(`${chk.sheet}!${s.address}`, f);
            continue;
          }
          for (const rect of parseAreas(chk.addresses)) {
            await b4.add(COMMAND_BYTES * 7 + 120, () => {
              const result = wb.worksheets
                .getItem(chk.sheet)
                .getRangeByIndexes(rect.top, rect.left, rect.bottom - rect.top + 1, rect.right - rect.left + 1)
                .getCellProperties({ format: { fill: { color: true, pattern: true, patternColor: true } } });
              mixed.push({ sheet: chk.sheet, rect, result });
            }, (rect.bottom - rect.top + 1) * (rect.right - rect.left + 1) * PROPS_CELL_BYTES);
          }
        }
        await b4.sync();
        for (const { sheet, rect, result } of mixed) {
          result.value.forEach((row, i) =>
            row.forEach((p, j) => {
              const f = p.format?.fill;
              current.set(`${sheet}!${cellKey(rect.top + i, rect.left + j)}`, fillOf(f?.color, f?.pattern ?? 'Solid', f?.patternColor));
            }),
          );
        }

        // 5: restore fills and notes, remove our sheets.
        const b5 = this.batcher(context, stats, true);
        let cells = 0;
        const bySheet = new Map<string, { address: string; action: CellDecision['fill'] }[]>();
        const noteActions: { sheet: string; address: string; action: CellDecision['note'] }[] = [];
        const done = new Set<string>();
        for (const r of records) {
          const key = `${r.sheet}!${r.address}`;
          done.add(key);
          const loc = located.get(r.sheet);
          const note = loc?.get(r.address);
          const cur: CurrentCell = {
            fill: current.get(key) ?? null,
            note,
            pureOurs: note === undefined && !loc?.has('\u0000all') && r.ourNote,
          };
          const d = decideCell(r.sheet, r.address, r, cur, undefined, mode);
          if (d.fill.kind !== 'keep' || d.note.kind !== 'keep') cells++;
          const list = bySheet.get(r.sheet) ?? [];
          list.push({ address: r.address, action: d.fill });
          bySheet.set(r.sheet, list);
          if (d.note.kind !== 'keep') noteActions.push({ sheet: r.sheet, address: r.address, action: d.note });
        }
        // Notes holding our part that the record does not know (record lost): cut our part.
        for (const [sheet, loc] of located) {
          for (const [address, content] of loc) {
            if (address === '\u0000all' || done.has(`${sheet}!${address}`)) continue;
            const d = decideCell(sheet, address, undefined, { fill: null, note: content, pureOurs: false }, undefined, mode);
            if (d.note.kind !== 'keep') {
              noteActions.push({ sheet, address, action: d.note });
              cells++;
            }
          }
        }
        for (const [sheet, actions] of bySheet) await this.writeFills(b5, wb.worksheets.getItem(sheet), actions);
        for (const n of noteActions) {
          const coll = notesBySheet.get(n.sheet);
          if (!coll) continue;
          const op = noteOp(coll, mode, `${quoteSheet(n.sheet)}!${n.address}`, n.action);
          if (op) await b5.add(op.bytes, op.run);
        }
        const removed: string[] = [];
        for (const name of OUR_SHEETS) {
          if (!names.includes(name)) continue;
          removed.push(name);
          await b5.add(COMMAND_BYTES * 5, () => {
            const ws = wb.worksheets.getItem(name);
            if (name === STORE_SHEET) ws.visibility = 'Visible';
            ws.delete();
          });
        }
        await b5.sync();
        return { cells, sheets: removed, usedStore: !!store };
      });
    } finally {
      this.writing--;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Template

  /** Insert the 调查表 sheet (a new name when one exists): 2 round trips. Returns the sheet's name. */
  async insertTemplate(tpl: TemplateSheet): Promise<string> {
    this.requireSupport();
    const stats = newStats();
    this.lastStats = stats;
    this.writing++;
    try {
      return await this.host.run(async (context) => {
        const list = context.workbook.worksheets;
        list.load('items/name');
        await this.sync(context, stats, COMMAND_BYTES);
        const names = new Set(list.items.map((s) => s.name));
        let name = tpl.name;
        for (let k = 2; names.has(name); k++) name = `${tpl.name}（${k}）`;
        const b = this.batcher(context, stats, true);
        const get = () => context.workbook.worksheets.getItem(name);
        await b.add(COMMAND_BYTES * 4, () => {
          const ws = context.workbook.worksheets.add(name);
          if (tpl.tabColor) ws.tabColor = tpl.tabColor;
        });
        const rows = tpl.dataRows;
        for (const c of tpl.columns) {
          if (!c.text) continue;
          const fmt = Array.from({ length: rows }, () => ['@']);
          await b.add(COMMAND_BYTES * 6 + jsonBytes(fmt), () => {
            get().getRangeByIndexes(tpl.firstDataRow, c.col, rows, 1).numberFormat = fmt;
          });
        }
        await this.writeValues(b, get, 0, tpl.values.map((r) => r.map((v) => asText(v))));
        for (const m of tpl.merges) {
          await b.add(COMMAND_BYTES * 6, () => get().getRangeByIndexes(m.top, m.left, m.bottom - m.top + 1, m.right - m.left + 1).merge(false));
        }
        const width = tpl.values[0]?.length ?? 1;
        await b.add(COMMAND_BYTES * 24, () => {
          const ws = get();
          const title = ws.getRangeByIndexes(0, 0, 1, 1).format.font;
          title.bold = true;
          title.size = 16;
          const header = ws.getRangeByIndexes(tpl.headerRow - 1, 0, 2, width).format;
          header.font.bold = true;
          header.fill.color = '#D9E1F2';
          header.wrapText = true;
          header.horizontalAlignment = 'Center';
          header.verticalAlignment = 'Center';
          ws.freezePanes.freezeAt(ws.getRangeByIndexes(0, 0, tpl.headerRow + 1, 2));
        });
        for (const c of tpl.columns) {
          const v = c.validation;
          await b.add(COMMAND_BYTES * 20 + jsonBytes(v ?? null) + jsonBytes(c.note), () => {
            const ws = get();
            ws.getRangeByIndexes(0, c.col, 1, 1).format.columnWidth = c.width;
            if (v && this.caps.validation) {
              const dv = ws.getRangeByIndexes(tpl.firstDataRow, c.col, rows, 1).dataValidation;
              dv.rule = validationRule(v);
              if (v.prompt) dv.prompt = { showPrompt: true, title: v.prompt.title, message: v.prompt.message };
              if (v.error) dv.errorAlert = { showAlert: true, style: v.error.style, title: v.error.title, message: v.error.message };
            }
            const coll = this.noteCollection(ws);
            if (coll) applyNote(coll, this.caps.notes, `${quoteSheet(name)}!${columnLetter(c.col)}${c.noteRow + 1}`, { kind: 'add', text: c.note });
          });
        }
        await b.add(COMMAND_BYTES, () => get().activate());
        await b.sync();
        return name;
      });
    } finally {
      this.writing--;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Live re-scoring of a few rows

  /** Read a few rows (values, formats, fills) and the notes of the given cells: 1 round trip. */
  async readRows(sheet: string, rows: number[], cols: { left: number; right: number }, noteCells: string[]): Promise<RowsRead> {
    const stats = newStats();
    this.lastStats = stats;
    return this.host.run(async (context) => {
      const ws = context.workbook.worksheets.getItem(sheet);
      const width = cols.right - cols.left + 1;
      const b = this.batcher(context, stats);
      const ranges: { row: number; range: Excel.Range; props: OfficeExtension.ClientResult<Excel.CellProperties[][]> }[] = [];
      for (const row of rows) {
        await b.add(COMMAND_BYTES * 6 + 120, () => {
          const range = ws.getRangeByIndexes(row, cols.left, 1, width);
          range.load('values,numberFormat');
          const props = range.getCellProperties({ format: { fill: { color: true, pattern: true, patternColor: true } } });
          ranges.push({ row, range, props });
        }, width * (VALUE_CELL_BYTES + PROPS_CELL_BYTES));
      }
      const notes: { address: string; note: Excel.Note }[] = [];
      if (this.caps.notes === 'notes') {
        for (const a of noteCells) {
          await b.add(COMMAND_BYTES * 5 + 60, () => {
            const note = ws.notes.getItemOrNullObject(`${quoteSheet(sheet)}!${a}`);
            note.load('content');
            notes.push({ address: a, note });
          }, 300);
        }
      }
      let store: Excel.Range | undefined;
      await b.add(COMMAND_BYTES * 6, () => {
        store = context.workbook.worksheets.getItemOrNullObject(STORE_SHEET).getUsedRangeOrNullObject(true);
        store.load('rowCount');
      });
      await b.sync();
      const fills = new Map<string, FillSpec | null>();
      const blocks: RangeBlock[] = ranges.map(({ row, range, props }) => {
        props.value[0]?.forEach((p, j) => {
          const f = p.format?.fill;
          fills.set(cellKey(row, cols.left + j), fillOf(f?.color, f?.pattern ?? 'Solid', f?.patternColor));
        });
        return { top: row, left: cols.left, values: range.values as unknown[][], numberFormat: range.numberFormat as unknown[][] };
      });
      const noteMap = new Map<string, string>();
      for (const { address, note } of notes) if (!note.isNullObject) noteMap.set(address, note.content);
      return { blocks, fills, notes: noteMap, storeRows: store && !store.isNullObject ? store.rowCount : 0 };
    });
  }

  /** Write the result of re-scoring a few rows: fills, notes, appended records, 考评结果 rows. 1 round trip. */
  async writeRows(read: RowsRead, update: RowUpdate, knownNotes?: (address: string) => boolean): Promise<Map<string, CellState | undefined>> {
    const stats = newStats();
    this.lastStats = stats;
    const mode = this.caps.notes;
    this.writing++;
    try {
      return await this.host.run(async (context) => {
        const ws = context.workbook.worksheets.getItem(update.sheet);
        const b = this.batcher(context, stats, true);
        const decisions: { address: string; d: CellDecision }[] = [];
        for (const c of update.cells) {
          const note = mode === 'notes' ? read.notes.get(c.address) : undefined;
          const cur: CurrentCell = {
            fill: read.fills.get(c.address) ?? null,
            note,
            pureOurs: mode !== 'notes' && (knownNotes?.(c.address) ?? !!c.prior?.ourNote),
          };
          decisions.push({ address: c.address, d: decideCell(update.sheet, c.address, c.prior, cur, c.target, mode) });
        }
        const states: CellState[] = [];
        for (const { address, d } of decisions) {
          states.push(d.state ?? { sheet: update.sheet, address, ourFill: null, ourNote: false, originalFill: null, originalNote: null });
        }
        // The record first: appended rows replace earlier ones for the same cells.
        const rows = encodeStore(states, false).map((r) => r.slice(0, 3).map((v) => asText(v)));
        if (rows.length) {
          const at = Math.max(read.storeRows, 2);
          await b.add(COMMAND_BYTES * 6 + jsonBytes(rows), () => {
            context.workbook.worksheets.getItem(STORE_SHEET).getRangeByIndexes(at, 0, rows.length, 3).values = rows;
          });
        }
        await this.writeFills(b, ws, decisions.map(({ address, d }) => ({ address, action: d.fill })));
        const coll = this.noteCollection(ws, mode);
        if (coll) {
          for (const { address, d } of decisions) {
            const n = d.note;
            if (n.kind === 'keep') continue;
            await b.add(COMMAND_BYTES * 6 + 60 + (n.kind === 'delete' ? 0 : jsonBytes(n.text)), () => applyNote(coll, mode, `${quoteSheet(update.sheet)}!${address}`, n));
          }
        }
        for (const s of update.summaryRows ?? []) {
          const values = [s.values.map((v) => asText(v))];
          await b.add(COMMAND_BYTES * 6 + jsonBytes(values), () => {
            context.workbook.worksheets.getItem(RESULT_SHEET).getRangeByIndexes(s.row, 0, 1, values[0]!.length).values = values as (string | number | boolean)[][];
          });
        }
        await b.sync();
        return new Map(decisions.map(({ address, d }) => [address, d.state]));
      });
    } finally {
      this.writing--;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Settings and events

  async saveSettings(settings: KaopingSettings): Promise<void> {
    const stats = newStats();
    this.lastStats = stats;
    await this.host.run(async (context) => {
      context.workbook.settings.add(SETTINGS_KEY, settings);
      await this.sync(context, stats, COMMAND_BYTES + jsonBytes(settings));
    });
  }

  /** Report value changes on a sheet to `onChange` (replacing any earlier listener). Changes Excel attributes to
   * this add-in are flagged, and so is every change reported while the adapter's own write is in flight. The
   * handler stays registered for the session; `unwatch` only silences it (no round trip). */
  async watch(sheetName: string, onChange: (change: SheetChange) => void): Promise<void> {
    if (!this.caps.events) return;
    this.listener = onChange;
    if (this.watched.has(sheetName)) return;
    await this.host.run(async (context) => {
      this.addHandler(context.workbook.worksheets.getItem(sheetName), sheetName);
      await context.sync();
    });
  }

  private addHandler(ws: Excel.Worksheet, sheetName: string): void {
    this.watched.add(sheetName);
    ws.onChanged.add(async (e: Excel.WorksheetChangedEventArgs) => {
      const trigger = (e as { triggerSource?: string }).triggerSource;
      this.listener?.({ sheetId: e.worksheetId, address: e.address, changeType: String(e.changeType), fromThisAddin: trigger === 'ThisLocalAddin' || this.writing > 0 });
    });
  }

  /** Stop reporting changes (the registered handler is kept, silent). */
  unwatch(): void {
    this.listener = undefined;
  }
}

type NoteCollection = Excel.NoteCollection | Excel.CommentCollection;
type NoteItem = Excel.Note | Excel.Comment;

/** Queue the load of one page of a note (or comment) collection's texts. */
function loadPage(coll: NoteCollection, skip: number): void {
  (coll as { load(o: object): unknown }).load({ content: true, $top: NOTE_PAGE, ...(skip ? { $skip: skip } : {}) });
}

/** A note action as an op (undefined for 'keep'). */
function noteOp(coll: Excel.NoteCollection | Excel.CommentCollection, mode: NoteMode, address: string, n: CellDecision['note']): Op | undefined {
  if (n.kind === 'keep') return undefined;
  const text = n.kind === 'delete' ? 0 : jsonBytes(n.text);
  return { bytes: COMMAND_BYTES * (n.kind === 'add' ? 2 : 3) + jsonBytes(address) + text, run: () => applyNote(coll, mode, address, n) };
}

function applyNote(coll: Excel.NoteCollection | Excel.CommentCollection, mode: NoteMode, address: string, n: CellDecision['note']): void {
  if (n.kind === 'keep') return;
  if (mode === 'notes') {
    const notes = coll as Excel.NoteCollection;
    if (n.kind === 'add') notes.add(address, n.text);
    else if (n.kind === 'set') notes.getItem(address).content = n.text;
    else notes.getItem(address).delete();
  } else {
    const comments = coll as Excel.CommentCollection;
    if (n.kind === 'add') comments.add(address, n.text);
    else if (n.kind === 'set') comments.getItemByCell(address).content = n.text;
    else comments.getItemByCell(address).delete();
  }
}

function validationRule(v: NonNullable<TemplateSheet['columns'][number]['validation']>): Excel.DataValidationRule {
  switch (v.kind) {
    case 'list':
      return { list: { inCellDropDown: true, source: (v.options ?? []).join(',') } };
    case 'whole':
      return { wholeNumber: { formula1: v.formula1 ?? 0, ...(v.formula2 !== undefined ? { formula2: v.formula2 } : {}), operator: v.operator ?? 'GreaterThanOrEqualTo' } };
    case 'decimal':
      return { decimal: { formula1: v.formula1 ?? 0, ...(v.formula2 !== undefined ? { formula2: v.formula2 } : {}), operator: v.operator ?? 'GreaterThanOrEqualTo' } };
    case 'textLength':
      return { textLength: { formula1: v.formula1 ?? 0, operator: v.operator ?? 'EqualTo' } };
    case 'custom':
      return { custom: { formula: String(v.formula1 ?? '=TRUE') } };
  }
}

/** 考评结果 plus the explanations that could not go into notes, as a table below everything else. */
function withExplanations(sheet: OutputSheet, explain: { address: string; lines: string[] }[]): OutputSheet {
  const width = sheet.values[0]?.length ?? 3;
  const pad = (row: CellScalar[]) => [...row, ...Array<CellScalar>(Math.max(0, width - row.length)).fill(null)].slice(0, Math.max(width, 3));
  const rows = [
    ...sheet.values.map(pad),
    pad([]),
    pad(['单元格说明（此版本的 Excel 不能写批注，或该单元格已有您的批注，说明列在这里）']),
    pad(['单元格', '说明']),
    ...explain.map((e) => pad([e.address, e.lines.join('\n')])),
  ];
  return { ...sheet, values: rows };
}

export function parseSettings(v: unknown): KaopingSettings {
  let x = v;
  if (typeof x === 'string') {
    try {
      x = JSON.parse(x) as unknown;
    } catch {
      return { ...EMPTY_SETTINGS, sheets: {} };
    }
  }
  if (!x || typeof x !== 'object' || (x as { version?: unknown }).version !== 1) return { ...EMPTY_SETTINGS, sheets: {} };
  const sheets = (x as { sheets?: unknown }).sheets;
  return { version: 1, sheets: sheets && typeof sheets === 'object' ? (sheets as KaopingSettings['sheets']) : {} };
}

export { sameFill };
