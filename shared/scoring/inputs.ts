// Reading one input of one village row: unmapped column, blank cell, unreadable cell, or a parsed value.
import type { InputDef, Judgement, Period, RawCell, YearMonth } from '../types.ts';
import { blankMarker, isBlank, parseByKind } from '../values/index.ts';

export interface ColumnContext {
  headerScale?: number;
  fractionColumn?: boolean;
}

export interface RowContext {
  inputs: ReadonlyMap<string, InputDef>;
  /** Cells of this row by input id (only mapped inputs have an entry). */
  cells: Readonly<Record<string, RawCell | undefined>>;
  /** Input ids that have a column on the sheet. */
  mapped: ReadonlySet<string>;
  columnCtx: ReadonlyMap<string, ColumnContext>;
  period: Period;
  params: Readonly<Record<string, number>>;
  /** Memo of reads for this row. */
  memo?: Map<string, InputRead>;
}

export type InputValue = number | boolean | string | Judgement | YearMonth;

export type InputRead =
  | { state: 'unmapped'; def: InputDef }
  | { state: 'blank'; def: InputDef; cell: RawCell; marker: boolean }
  | { state: 'invalid'; def: InputDef; cell: RawCell; reason: string }
  | { state: 'ok'; def: InputDef; cell?: RawCell; cells: string[]; value: InputValue; note?: string; derivedFrom?: string };

export class UnknownInputError extends Error {
  constructor(readonly input: string) {
    super(`规则引用了未定义的输入项“${input}”`);
  }
}

export function readInput(ctx: RowContext, id: string): InputRead {
  const cached = ctx.memo?.get(id);
  if (cached) return cached;
  const r = readUncached(ctx, id);
  ctx.memo?.set(id, r);
  return r;
}

function readUncached(ctx: RowContext, id: string): InputRead {
  const def = ctx.inputs.get(id);
  if (!def) throw new UnknownInputError(id);
  if (!ctx.mapped.has(id)) {
    if (def.derive) return derive(ctx, def);
    return { state: 'unmapped', def };
  }
  const cell = ctx.cells[id];
  if (!cell || isBlank(cell)) {
    // A blank percent cell may still be derived from its two counts when both are filled.
    if (def.derive) {
      const d = derive(ctx, def);
      if (d.state === 'ok') return d;
    }
    return { state: 'blank', def, cell: cell ?? { address: '', value: null }, marker: false };
  }
  if (blankMarker(cell)) return { state: 'blank', def, cell, marker: true };
  const col = ctx.columnCtx.get(id) ?? {};
  const parsed = parseByKind(def.kind, cell, col);
  if (!parsed.ok) return { state: 'invalid', def, cell, reason: parsed.reason };
  return { state: 'ok', def, cell, cells: [cell.address], value: parsed.value as InputValue, ...(parsed.note ? { note: parsed.note } : {}) };
}

function derive(ctx: RowContext, def: InputDef): InputRead {
  const { part, whole } = def.derive!;
  const p = readInput(ctx, part);
  const w = readInput(ctx, whole);
  if (p.state !== 'ok' || w.state !== 'ok') {
    // Report the first problem among the two counts; if neither column exists, the percent is unmapped.
    for (const r of [p, w]) {
      if (r.state === 'invalid') return { state: 'invalid', def, cell: r.cell, reason: `${r.def.label}：${r.reason}` };
      if (r.state === 'blank') return { state: 'blank', def, cell: r.cell, marker: r.marker };
    }
    return { state: 'unmapped', def };
  }
  const pv = p.value as number;
  const wv = w.value as number;
  if (wv === 0) {
    return { state: 'invalid', def, cell: w.cell!, reason: `${w.def.label}为0，无法计算${def.label}` };
  }
  return {
    state: 'ok',
    def,
    cells: [...p.cells, ...w.cells],
    ...(p.cell ? { cell: p.cell } : {}),
    value: (pv * 100) / wv,
    derivedFrom: `由${p.def.label}${pv}÷${w.def.label}${wv}计算`,
  };
}
