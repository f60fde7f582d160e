// A1-style addresses. Columns are 0-based indexes in code, letters on screen.

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function columnLetter(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`bad column index ${index}`);
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** "A" → 0, "AA" → 26; undefined when not a column letter. Case-insensitive. */
export function columnIndex(letters: string): number | undefined {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return undefined;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** 0-based row and column → "F7". */
export function encodeAddress(row: number, col: number): string {
  return `${columnLetter(col)}${row + 1}`;
}

/** "F7" (or "$F$7") → 0-based { row, col }. */
export function decodeAddress(address: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(address.trim());
  if (!m) return undefined;
  const col = columnIndex(m[1]!);
  const row = Number(m[2]) - 1;
  if (col === undefined || row < 0) return undefined;
  return { row, col };
}

/** "A1:C2" → 0-based inclusive corners; a single address is a 1×1 range. */
export function decodeRange(
  range: string,
): { top: number; left: number; bottom: number; right: number } | undefined {
  const [a, b = a] = range.split(':');
  if (a === undefined || b === undefined) return undefined;
  const p = decodeAddress(a);
  const q = decodeAddress(b);
  if (!p || !q) return undefined;
  return {
    top: Math.min(p.row, q.row),
    left: Math.min(p.col, q.col),
    bottom: Math.max(p.row, q.row),
    right: Math.max(p.col, q.col),
  };
}
