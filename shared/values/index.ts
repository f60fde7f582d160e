// shared/values: one parser per kind of cell value. Each returns ParseResult<T> — a value (with an optional
// note) or a Chinese reason quoting the cell — and never throws.
//
// Blank cells are not the parsers' business: call isBlank(cell) (null, empty, whitespace incl. U+3000) and
// blankMarker(cell) (/ ／ - — —— …) first; the engine treats both as MISSING. “无” is an answer, not a
// placeholder: 0 for counts and quantities, 否 for yes/no.
export { isBlank, blankMarker } from './blank.ts';
export { cellText } from './common.ts';
export { parseChineseNumeral, parseChineseDigits } from './chinese-numeral.ts';
export { type Decimal, decimalFromNumber, decimalFromString, toNumber } from './decimal.ts';
export { type NumberReading, type NumberRead, readNumberText, readNumberCell, parseNumber } from './number.ts';
export { type UnitFamily, lookupUnit } from './units.ts';
export { type CountOptions, parseCount } from './count.ts';
export { type QuantityKind, parseQuantity } from './quantity.ts';
export { type PercentOptions, parsePercent, inferFractionColumn, isPercentFormat } from './percent.ts';
export { parseBool } from './bool.ts';
export { parseJudgement } from './judgement.ts';
export { parseDate, isDateNumFmt, MIN_YEAR, MAX_YEAR } from './date.ts';
export { parseCode, CODE_LENGTH } from './code.ts';
export { parseOrgType, parseUnitType } from './org-type.ts';
export { parseText } from './text.ts';
export { type KindValue, type ParseContext, parseByKind } from './by-kind.ts';
