// RFC 4180 CSV, as saved by Excel and WPS: quoted fields with embedded separators, line breaks and doubled
// quotes; CRLF, LF or CR line ends; an optional Excel "sep=;" first line; comma, tab or semicolon separators.

export type CsvDelimiter = ',' | '\t' | ';';
const DELIMITERS: readonly CsvDelimiter[] = [',', '\t', ';'];

export interface CsvParseResult {
  rows: string[][];
  delimiter: CsvDelimiter;
  /** A "sep=X" first line was found (and dropped, as Excel does). */
  sepLine: boolean;
  /** Chinese remarks (e.g. an unclosed quote). */
  warnings: string[];
  /** Set when parsing stopped early at `maxRows` records or `maxFields` fields (see parseCsv's options). */
  stopped?: 'rows' | 'fields';
}

interface RawParse {
  rows: string[][];
  unclosedQuoteLine?: number;
  /** Quotes that do not follow RFC 4180 under this separator (inside an unquoted field, or text after a
   * closing quote): a sign that the separator is wrong. */
  stray: number;
  stopped?: 'rows' | 'fields';
}

/** Parse with a known delimiter. Stops after `maxRows` records (used to sniff the delimiter, and as a limit)
 * or once more than `maxFields` fields were read. */
function parseWith(text: string, delimiter: string, maxRows = Infinity, maxFields = Infinity): RawParse {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false; // the current field started with a quote (so a later quote is literal)
  let inQuotes = false;
  let line = 1;
  let quoteStartLine = 0;
  let stray = 0;
  let closed = false; // just after a closing quote
  let fields = 0;
  const n = text.length;
  let i = 0;
  const endRow = () => {
    row.push(field);
    fields++;
    rows.push(row);
    row = [];
    field = '';
    quoted = false;
  };
  while (i < n && rows.length < maxRows && fields <= maxFields) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else {
          inQuotes = false;
          closed = true;
          i++;
        }
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
        i++;
      }
      continue;
    }
    if (closed) {
      closed = false;
      if (c !== delimiter && c !== '\r' && c !== '\n') stray++;
    }
    if (c === '"' && field === '' && !quoted) {
      inQuotes = true;
      quoted = true;
      quoteStartLine = line;
      i++;
    } else if (c === delimiter) {
      row.push(field);
      fields++;
      field = '';
      quoted = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      endRow();
      line++;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      if (c === '"') stray++;
      field += c;
      i++;
    }
  }
  const result: RawParse = { rows, stray };
  if (fields > maxFields) result.stopped = 'fields';
  else if (rows.length >= maxRows && i < n) result.stopped = 'rows';
  else if (field !== '' || quoted || row.length > 0) endRow();
  if (inQuotes) result.unclosedQuoteLine = quoteStartLine;
  return result;
}

/** Pick the separator under which the first records follow the quoting rules, split most often and most
 * consistently; comma wins ties (a tab or semicolon must clearly be in use). */
export function detectDelimiter(text: string): CsvDelimiter {
  const sample = text.slice(0, 64 * 1024);
  let best: CsvDelimiter = ',';
  let bestKey: number[] | undefined;
  for (const d of DELIMITERS) {
    const parsed = parseWith(sample, d, 20);
    const rows = parsed.rows.filter((r) => r.some((f) => f.trim() !== ''));
    const counts = rows.map((r) => r.length).filter((k) => k > 1);
    const freq = new Map<number, number>();
    for (const k of counts) freq.set(k, (freq.get(k) ?? 0) + 1);
    const mode = counts.length > 0 ? Math.max(...freq.values()) : 0;
    // fewer quoting violations, then more records that split, then more records sharing one field count
    const key = [-parsed.stray, counts.length, mode];
    if (!bestKey || compareKeys(key, bestKey) > 0) {
      best = d;
      bestKey = key;
    }
  }
  return best;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** `maxRows` / `maxFields`: stop early (and say so in `stopped`) instead of building a huge result. */
export function parseCsv(text: string, options: { delimiter?: CsvDelimiter; maxRows?: number; maxFields?: number } = {}): CsvParseResult {
  let body = text;
  let sepLine = false;
  let delimiter = options.delimiter;
  const sep = /^sep=(.)(\r\n|\n|\r|$)/i.exec(body);
  if (sep && DELIMITERS.includes(sep[1] as CsvDelimiter)) {
    delimiter ??= sep[1] as CsvDelimiter;
    body = body.slice(sep[0].length);
    sepLine = true;
  }
  delimiter ??= detectDelimiter(body);
  const parsed = parseWith(body, delimiter, options.maxRows, options.maxFields);
  const warnings: string[] = [];
  if (parsed.unclosedQuoteLine !== undefined) {
    warnings.push(`第 ${parsed.unclosedQuoteLine + (sepLine ? 1 : 0)} 行开始的引号没有闭合，已读到文件末尾`);
  }
  const result: CsvParseResult = { rows: parsed.rows, delimiter, sepLine, warnings };
  if (parsed.stopped) result.stopped = parsed.stopped;
  return result;
}

/** Quote a field when it holds a separator, quote or line break (or could be mistaken for one on reading). */
function quoteField(field: string, alone: boolean, first: boolean): string {
  const needs =
    /[",;\t\r\n]/.test(field) || (alone && field === '') || (first && /^sep=/i.test(field));
  return needs ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Write rows as CSV (CRLF line ends, as Excel does). Every row must have at least one field. */
export function serializeCsv(rows: readonly (readonly string[])[], delimiter: CsvDelimiter = ','): string {
  return rows
    .map((row, r) => row.map((f, c) => quoteField(f, row.length === 1, r === 0 && c === 0)).join(delimiter))
    .map((line) => `${line}\r\n`)
    .join('');
}
