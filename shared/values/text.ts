// Free text (names, remarks): width folded (NFKC), runs of whitespace collapsed to one space, trimmed.
// Traditional characters are kept as written (matching code folds them itself with normalizeText).
import type { ParseResult, RawCell } from '../types.ts';
import { foldWidth } from '../text/normalize.ts';
import { cellText, guard, ok } from './common.ts';

export function parseText(cell: RawCell): ParseResult<string> {
  const g = guard(cell);
  if (g) return g;
  return ok(foldWidth(cellText(cell)).replace(/[\s\u200b\ufeff]+/g, ' ').trim());
}
