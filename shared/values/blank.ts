// Is a cell empty, or an explicit "nothing here" placeholder?
//
// The value parsers never receive either kind of cell in normal use: the engine calls isBlank first, then
// blankMarker, and treats both as MISSING (the input was not reported), never as 0 or 否. If a parser is
// handed one anyway it returns a reason instead of a value.
//
// Note the difference with “无”: it is an answer (0 for counts and quantities, 否 for yes/no columns), not a
// placeholder, and the parsers read it.
import type { RawCell } from '../types.ts';
import { foldWidth, stripSpaces } from '../text/normalize.ts';
import { mayBeSpace } from '../text/space.ts';

/** null, the empty string, or only whitespace (including U+3000 ideographic space, NBSP and zero-width). */
export function isBlank(cell: RawCell | undefined): boolean {
  return cell === undefined || isBlankValue(cell.value);
}

/** isBlank for a cell's value alone (the decision engine reads values column by column). */
export function isBlankValue(value: RawCell['value'] | undefined): boolean {
  const v = value as unknown;
  if (v === null || v === undefined) return true;
  if (typeof v !== 'string') return false;
  // Most cells start with a visible character: decide those without the regex (scoring reads every cell).
  if (v.length > 0 && !mayBeSpace(v.charCodeAt(0))) return false;
  return /^(?:[\s\u200b\u200c\u2060\ufeff]|\u200d)*$/.test(v);
}

/** Dashes officers type for "none / not applicable": - — —— – ― ─ (any run of them, full-width too). */
const DASHES = /^[-\u2010\u2011\u2012\u2013\u2014\u2015\u2500\u2501]+$/;

/**
 * True for an explicit placeholder meaning "nothing to report": a single slash (/ ／) or a run of dashes
 * (- — —— – ―, full-width forms included). Spaces around the mark are ignored. Words such as “无” are not
 * placeholders (see the note at the top of this file).
 */
export function blankMarker(cell: RawCell | undefined): boolean {
  if (cell === undefined || typeof cell.value !== 'string') return false;
  const t = stripSpaces(foldWidth(cell.value));
  return t === '/' || DASHES.test(t);
}
