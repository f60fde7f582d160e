// CSV export helpers. A CSV opened in Excel or WPS evaluates a field that starts with = + - @ (and, in
// some versions, a tab or carriage return) as a formula: a village name or message typed by an officer
// must never become one. OWASP's advice is followed: such a field gets a leading apostrophe, which
// spreadsheet programs display as plain text.

/** Characters that make a spreadsheet read a CSV field as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralise one value for a CSV export: a string starting with = + - @ tab or CR gets a leading
 * apostrophe. Numbers, booleans and blanks are written as they are (a number such as -5 is data, not a
 * formula; only text is prefixed). Returns the field text, not yet quoted: see `csvField`.
 */
export function neutralizeCsvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One RFC 4180 field: neutralised, then quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = neutralizeCsvCell(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows to CSV text with CRLF line ends. `bom` (default true) prefixes U+FEFF so that Excel on Chinese
 * Windows reads the file as UTF-8 rather than GBK.
 */
export function toCsv(rows: readonly (readonly (string | number | boolean | null | undefined)[])[], opts: { bom?: boolean } = {}): string {
  const body = rows.map((r) => r.map(csvField).join(',')).join('\r\n');
  return (opts.bom ?? true ? '\ufeff' : '') + body + (rows.length ? '\r\n' : '');
}
