// Helpers for the sheet tests: committed fixtures and small grids written inline.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeRange, encodeAddress } from '../../shared/sheet/address.ts';
import { findTable, isSheetProblem } from '../../shared/sheet/header.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';
import type { SheetGrid, TableLayout } from '../../shared/sheet/types.ts';
import type { Grid, InputDef, RawCell } from '../../shared/types.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

export async function readFixture(name: string): Promise<SheetGrid[]> {
  return readWorkbook(fixtureBytes(name), name);
}

export async function fixtureSheet(name: string, sheet?: string): Promise<SheetGrid> {
  const grids = await readFixture(name);
  const g = sheet === undefined ? grids[0] : grids.find((x) => x.name === sheet);
  if (!g) throw new Error(`no sheet ${sheet ?? '#0'} in ${name}`);
  return g;
}

/** A grid from rows of plain values (null/undefined/'' = blank) and merges as A1 ranges. */
export function gridOf(rows: (string | number | boolean | null | undefined)[][], merges: string[] = [], name = 'Sheet1'): Grid {
  return {
    name,
    rows: rows.map((row, r) =>
      row.map((v, c): RawCell | undefined =>
        v === null || v === undefined || v === '' ? undefined : { address: encodeAddress(r, c), value: v },
      ),
    ),
    merges: merges.map((m) => decodeRange(m)!),
  };
}

export function layoutOf(grid: Grid, inputs: InputDef[]): TableLayout {
  const l = findTable(grid, inputs);
  if (isSheetProblem(l)) throw new Error(`expected a table: ${l.reason}`);
  return l;
}

/** Column letter → input id (null when unmapped), for compact assertions. */
export function mappingTable(reports: { letter: string; input: string | null }[]): Record<string, string | null> {
  return Object.fromEntries(reports.map((r) => [r.letter, r.input]));
}

/** The value of a cell, with dates as yyyy-mm-dd (UTC). */
export function show(cell: RawCell | undefined): unknown {
  if (!cell) return undefined;
  return cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : cell.value;
}

/** A Chinese message: has CJK characters and no JavaScript stack or English library message. */
export const CHINESE = /^[^\n]*[\u4e00-\u9fff][^\n]*$/;
