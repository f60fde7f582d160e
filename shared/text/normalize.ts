// Text normalisation used before any matching or parsing: full-width forms, stray spaces and
// traditional characters are folded so that 「活動場所面積（平方米）」 and 「活动场所面积(平方米)」 compare equal.
import * as OpenCC from 'opencc-js/t2cn';

// OpenCC's t→cn converter (dictionary-based, handles phrases such as 黨組織→党组织). Chosen over a
// hand-written character table because traditional→simplified is not one-to-one.
const toSimplified: (s: string) => string = OpenCC.Converter({ from: 't', to: 'cn' });

/** NFKC folds full-width ASCII (１２３, ％, （）) to half-width and ㎡ to "m2"; the ideographic space too. */
export function foldWidth(s: string): string {
  return s.normalize('NFKC');
}

/** Traditional → simplified Chinese. Leaves simplified text and ASCII unchanged. */
export function simplify(s: string): string {
  return toSimplified(s);
}

/** Remove every kind of whitespace, including the ideographic space, NBSP and line breaks. */
export function stripSpaces(s: string): string {
  return s.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '');
}

/** The full fold used for matching headers and keywords: width, spaces, traditional characters, case. */
export function normalizeText(s: string): string {
  return stripSpaces(simplify(foldWidth(s))).toLowerCase();
}

/** Fold used before parsing a cell value: width and spaces (keeps case; keeps traditional numerals
 * readable because the value parsers accept both forms). */
export function normalizeValue(s: string): string {
  return simplify(stripSpaces(foldWidth(s)));
}
