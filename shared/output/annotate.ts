// The annotated copy of an officer's workbook: each cell a requirement read is filled by its status and
// carries a note explaining why; 考评结果 and 整改台账 are added; everything else is kept as it was.
import type { Cell, Workbook } from 'exceljs';
import type { RequirementResult, ScoredSheet, SkippedRequirement } from '../types.ts';
import { resultLine, skippedLine } from './format.ts';
import { writeLedger } from './ledger.ts';
import { OUR_SHEETS } from './names.ts';
import { composeNote } from './notes.ts';
import { STATUS_SEVERITY, statusFill, STATUS_PALETTE, worstStatus } from './palette.ts';
import { stripAnnotations } from './remove.ts';
import type { CellRecord } from './store.ts';
import { writeStore } from './store.ts';
import { writeSummary } from './summary.ts';
import { cloneJson, getCellNote, loadWorkbook, normalizeAddress, saveWorkbook, setCellFill, setCellNote } from './xlsx.ts';

export interface AnnotationReport {
  sheets: ScoredSheet[];
  rulebookName: string;
  generatedAt: Date;
  /** Days after the period's end given for rectification (default 30). */
  ledgerDeadlineDays?: number;
  /** What the copy kept of the original file, when it was rebuilt from the cells read (copy.ts); on 考评结果. */
  sourceNote?: string;
}

/**
 * Annotate an officer's xlsx workbook with the scoring results. Returns a new xlsx; the input is not
 * modified. Cell values are never changed. A workbook annotated before is cleared first, so a re-run
 * replaces our fills, notes and sheets instead of stacking them.
 */
export async function annotateWorkbook(original: Uint8Array | ArrayBuffer, report: AnnotationReport): Promise<Uint8Array> {
  const wb = await loadWorkbook(original);
  annotateLoadedWorkbook(wb, report);
  return saveWorkbook(wb);
}

/** What `annotateWorkbook` does, on a workbook already loaded with ExcelJS. */
export function annotateLoadedWorkbook(wb: Workbook, report: AnnotationReport): void {
  stripAnnotations(wb);
  const records: CellRecord[] = [];
  const done = new Set<string>();
  for (const sheet of report.sheets) {
    const ws = wb.getWorksheet(sheet.name);
    if (!ws || done.has(ws.name) || OUR_SHEETS.includes(ws.name)) continue;
    done.add(ws.name);
    // A merged area shows its top-left cell's fill and note: annotate that one, once.
    const targets = new Map<string, { cell: Cell; entry: CellEntry }>();
    for (const [address, entry] of cellsOf(sheet)) {
      let cell = ws.getCell(address);
      if (cell.isMerged && cell.master && cell.master.address !== cell.address) cell = cell.master;
      const t = targets.get(cell.address);
      if (t) {
        t.entry.results.push(...entry.results);
        t.entry.skipped.push(...entry.skipped);
      } else targets.set(cell.address, { cell, entry });
    }
    for (const { cell, entry } of targets.values()) {
      const record: CellRecord = {
        sheet: ws.name,
        address: cell.address,
        ourFill: null,
        originalFill: cloneJson(cell.style?.fill) ?? null,
        originalNote: cloneJson(getCellNote(cell)) ?? null,
      };
      const status = worstStatus(entry.results.map((r) => r.status));
      if (status) {
        setCellFill(cell, statusFill(status));
        record.ourFill = STATUS_PALETTE[status].argb;
      }
      setCellNote(cell, composeNote(getCellNote(cell), noteLines(entry)));
      records.push(record);
    }
  }
  writeSummary(wb, report);
  writeLedger(wb, { ...report, deadlineDays: report.ledgerDeadlineDays });
  writeStore(wb, records);
}

/** A1-style address within Excel's grid (XFD1048576 at most); anything else is ignored. */
const CELL_ADDRESS = /^(?:[A-Z]{1,2}|[A-W][A-Z]{2}|X[A-E][A-Z]|XF[A-D])(?:[1-9]\d{0,5}|10[0-3]\d{4}|104[0-7]\d{3}|1048[0-4]\d{2}|10485[0-6]\d|104857[0-6])$/;

interface CellEntry {
  results: RequirementResult[];
  skipped: SkippedRequirement[];
}

/** Results and skipped requirements grouped by the cell they read (merged cells are resolved later). */
function cellsOf(sheet: ScoredSheet): Map<string, CellEntry> {
  const map = new Map<string, CellEntry>();
  const entry = (a: string): CellEntry | undefined => {
    const key = normalizeAddress(a);
    if (!CELL_ADDRESS.test(key)) return undefined;
    let e = map.get(key);
    if (!e) map.set(key, (e = { results: [], skipped: [] }));
    return e;
  };
  for (const v of sheet.villages) {
    for (const r of v.results) if (r.cell) entry(r.cell)?.results.push(r);
    for (const s of v.skipped) if (s.cell) entry(s.cell)?.skipped.push(s);
  }
  return map;
}

/** Note lines, worst first (the note box may be too small to show them all), one per requirement. */
export function noteLines(entry: CellEntry): string[] {
  const seen = new Set<string>();
  const results = entry.results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => STATUS_SEVERITY[b.r.status] - STATUS_SEVERITY[a.r.status] || a.i - b.i)
    .map(({ r }) => r)
    .filter((r) => !seen.has(r.id) && seen.add(r.id));
  const skipped = entry.skipped.filter((s) => !seen.has(s.id) && seen.add(s.id));
  return [...results.map(resultLine), ...skipped.map(skippedLine)];
}
