// A workbook as plain JSON, to move it in and out of the in-memory Excel (test/addin/excel-double.ts) that runs
// inside the task-pane page: the Node test builds a spec, the page builds the double from it before the pane's
// scripts run (taskpane-host.ts), and the test reads the double back as a spec to check fills, notes, sheets
// and validation — or to "re-open the pane" on the same workbook (a new page built from the exported spec).
// Pure: no DOM, no Node.
import { ExcelDouble, parseRef, type CellModel, type DoubleOptions, type Fill, type Scalar } from '../addin/excel-double.ts';
import { columnLetter } from '../../shared/sheet/address.ts';

export interface CellSpec {
  v: Scalar;
  /** Number format when not General. */
  f?: string;
  fill?: Fill;
  formula?: true;
  bold?: true;
}

export interface SheetSpec {
  name: string;
  visibility?: 'Visible' | 'Hidden' | 'VeryHidden';
  /** "B7" → cell. Empty cells (no value, no fill, General) are left out. */
  cells: Record<string, CellSpec>;
  /** "A1:T1" */
  merges: string[];
  notes: Record<string, string>;
  comments?: Record<string, string>;
  validations?: { address: string; rule?: unknown; prompt?: unknown; errorAlert?: unknown }[];
  tabColor?: string;
  frozen?: string;
}

export interface WorkbookSpec {
  sheets: SheetSpec[];
  /** The active sheet's name. */
  active: string;
  /** Document settings (Office.context.document.settings / workbook.settings). */
  settings: Record<string, unknown>;
  /** The double's options: ExcelApi version (default 1.18), platform. */
  options?: DoubleOptions;
}

const STRIDE = 16384;

function rectAddress(r: { top: number; left: number; bottom: number; right: number }): string {
  const a = `${columnLetter(r.left)}${r.top + 1}`;
  return r.top === r.bottom && r.left === r.right ? a : `${a}:${columnLetter(r.right)}${r.bottom + 1}`;
}

function meaningful(c: CellModel): boolean {
  return c.value !== '' || c.fill !== null || c.format !== 'General' || !!c.bold;
}

/** Build the in-memory Excel holding `spec`. */
export function buildDouble(spec: WorkbookSpec): ExcelDouble {
  const double = new ExcelDouble(spec.options ?? {});
  for (const s of spec.sheets) {
    const sheet = double.addSheet(s.name);
    sheet.visibility = s.visibility ?? 'Visible';
    for (const [a, c] of Object.entries(s.cells)) {
      const p = parseRef(a)!.rect;
      const cell = double.cellAt(sheet, p.top, p.left, true)!;
      cell.value = c.v;
      cell.format = c.f ?? 'General';
      cell.fill = c.fill ? { ...c.fill } : null;
      if (c.formula) cell.formula = true;
      if (c.bold) cell.bold = true;
    }
    for (const m of s.merges) sheet.merges.push(parseRef(m)!.rect);
    for (const [a, t] of Object.entries(s.notes)) sheet.notes.set(a, t);
    for (const [a, t] of Object.entries(s.comments ?? {})) sheet.comments.set(a, { id: `c-${a}`, content: t });
    for (const v of s.validations ?? []) sheet.validations.push({ rect: parseRef(v.address)!.rect, rule: v.rule, prompt: v.prompt, errorAlert: v.errorAlert });
    if (s.tabColor) sheet.tabColor = s.tabColor;
    if (s.frozen) sheet.frozen = s.frozen;
  }
  for (const [k, v] of Object.entries(spec.settings)) double.model.settings.set(k, v);
  const active = double.sheet(spec.active);
  if (active) double.model.activeId = active.id;
  return double;
}

/** The double's workbook as a spec (what the test inspects). */
export function exportDouble(double: ExcelDouble): WorkbookSpec {
  const sheets: SheetSpec[] = double.model.sheets.map((s) => {
    const cells: Record<string, CellSpec> = {};
    const keys = [...s.cells.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      const c = s.cells.get(k)!;
      if (!meaningful(c)) continue;
      const a = `${columnLetter(k % STRIDE)}${Math.floor(k / STRIDE) + 1}`;
      cells[a] = { v: c.value, ...(c.format !== 'General' ? { f: c.format } : {}), ...(c.fill ? { fill: { ...c.fill } } : {}), ...(c.formula ? { formula: true as const } : {}), ...(c.bold ? { bold: true as const } : {}) };
    }
    return {
      name: s.name,
      visibility: s.visibility,
      cells,
      merges: s.merges.map(rectAddress),
      notes: Object.fromEntries([...s.notes.entries()].sort(([a], [b]) => a.localeCompare(b))),
      comments: Object.fromEntries([...s.comments.entries()].map(([a, c]) => [a, c.content])),
      validations: s.validations.map((v) => ({ address: rectAddress(v.rect), rule: v.rule, prompt: v.prompt, errorAlert: v.errorAlert })),
      ...(s.tabColor ? { tabColor: s.tabColor } : {}),
      ...(s.frozen ? { frozen: s.frozen } : {}),
    };
  });
  const active = double.model.sheets.find((s) => s.id === double.model.activeId)?.name ?? '';
  return { sheets, active, settings: Object.fromEntries(double.model.settings), options: { version: double.opts.version, platform: double.opts.platform } };
}
