// Public surface of the sheet reader: bytes → grids → table layout → column mapping → village rows.
export { readWorkbook, readCsv, sniffFormat, isSheetGrid, type FileFormat } from './read.ts';
export { loadSheetJs } from './sheetjs.ts';
export { decodeText, type DecodedText } from './decode.ts';
export { parseCsv, serializeCsv, detectDelimiter, type CsvDelimiter, type CsvParseResult } from './csv.ts';
export { SheetError, isSheetError, type SheetErrorCode } from './errors.ts';
export { findTable, isSheetProblem, type FindTableOptions } from './header.ts';
export { mapColumns, parseMappingOverride, mappedColumns } from './mapping.ts';
export { extractColumns, extractRows, ROW_PATTERNS } from './rows.ts';
export { InputMatcher, headerKey, articleRef, parseChineseNumber, CONFIDENCE, type HeaderMatch, type MatchedBy } from './match.ts';
export { splitUnit, lookupUnit, isUnitOnly, type UnitInfo } from './units.ts';
export { columnLetter, columnIndex, encodeAddress, decodeAddress, decodeRange } from './address.ts';
export { cellText, headerText, MergeIndex } from './grid.ts';
export { formatDisplay } from './format.ts';
export type * from './types.ts';
