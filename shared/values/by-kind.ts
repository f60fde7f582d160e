// One entry point: read a cell as the kind its input declares. Blank cells and placeholders (/ — -) are the
// caller's to handle first (isBlank, blankMarker: both mean MISSING); handed one anyway, this returns a reason.
import type { InputKind, Judgement, OrgType, ParseResult, RawCell, UnitType, YearMonth } from '../types.ts';
import { parseBool } from './bool.ts';
import { parseCode } from './code.ts';
import { parseCount } from './count.ts';
import { parseDate } from './date.ts';
import { parseJudgement } from './judgement.ts';
import { parseOrgType, parseUnitType } from './org-type.ts';
import { parsePercent } from './percent.ts';
import { parseQuantity } from './quantity.ts';
import { parseText } from './text.ts';

/** The value each kind parses to. */
export type KindValue = {
  count: number;
  number: number;
  hours: number;
  money: number;
  area: number;
  percent: number;
  bool: boolean;
  judgement: Judgement;
  date: YearMonth;
  code: string;
  orgType: OrgType;
  unitType: UnitType;
  text: string;
};

// Fails to compile if InputKind gains a kind that KindValue does not cover (or the reverse).
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _allKinds: Exact<keyof KindValue, InputKind> = true;
void _allKinds;

/** Column-level context: the header's unit scale (万元 → 10000) and whether percents are written as fractions. */
export interface ParseContext {
  headerScale?: number;
  fractionColumn?: boolean;
}

type Parsers = { [K in InputKind]: (cell: RawCell, ctx: ParseContext) => ParseResult<KindValue[K]> };

const PARSERS: Parsers = {
  count: (cell) => parseCount(cell),
  number: (cell, ctx) => parseQuantity(cell, 'number', ctx.headerScale ?? 1),
  hours: (cell, ctx) => parseQuantity(cell, 'hours', ctx.headerScale ?? 1),
  money: (cell, ctx) => parseQuantity(cell, 'money', ctx.headerScale ?? 1),
  area: (cell, ctx) => parseQuantity(cell, 'area', ctx.headerScale ?? 1),
  percent: (cell, ctx) => parsePercent(cell, { fractionColumn: ctx.fractionColumn ?? false }),
  bool: (cell) => parseBool(cell),
  judgement: (cell) => parseJudgement(cell),
  date: (cell) => parseDate(cell),
  code: (cell) => parseCode(cell),
  orgType: (cell) => parseOrgType(cell),
  unitType: (cell) => parseUnitType(cell),
  text: (cell) => parseText(cell),
};

export function parseByKind<K extends InputKind>(kind: K, cell: RawCell, ctx: ParseContext = {}): ParseResult<KindValue[K]> {
  return PARSERS[kind](cell, ctx);
}
