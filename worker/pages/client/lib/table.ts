// Dense data tables built from a column list, and the same columns as a CSV download (UTF-8 with BOM so that
// Excel and WPS open it; cells that a spreadsheet would run as formulas are neutralised).
import { type Child, h } from './dom.ts';

export interface Column<R> {
  label: string;
  /** Right-aligned, tabular figures. */
  num?: boolean;
  cell: (row: R, index: number) => Child;
  /** The CSV value; defaults to the cell's text. */
  csv?: (row: R, index: number) => string | number;
  cls?: string;
  title?: string;
  /** Only in the CSV download, not on screen. */
  csvOnly?: boolean;
}

export interface TableOptions<R> {
  caption?: string;
  empty?: string;
  rowClass?: (row: R) => string | undefined;
  /** Extra classes on the table. */
  cls?: string;
}

export function table<R>(allColumns: readonly Column<R>[], rows: readonly R[], opts: TableOptions<R> = {}): HTMLTableElement {
  const columns = allColumns.filter((c) => !c.csvOnly);
  const head = h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : c.cls, title: c.title }, c.label))));
  const body = h(
    'tbody',
    null,
    rows.length === 0
      ? h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, opts.empty ?? '没有数据'))
      : rows.map((r, i) => h('tr', { class: opts.rowClass?.(r) }, columns.map((c) => h('td', { class: [c.num ? 'num' : '', c.cls ?? ''].join(' ').trim() || null }, c.cell(r, i))))),
  );
  return h('table', { class: `data ${opts.cls ?? ''}`.trim() }, opts.caption ? h('caption', null, opts.caption) : null, head, body);
}

function csvCell(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  // A leading = + - @ (or tab/CR) would be run as a formula by Excel/WPS.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function textOf(c: Child): string {
  if (c === null || c === undefined || c === false) return '';
  if (Array.isArray(c)) return c.map(textOf).join('');
  if (c instanceof Node) return c.textContent ?? '';
  return String(c);
}

export function toCsv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(',')];
  rows.forEach((r, i) => lines.push(columns.map((c) => csvCell(c.csv ? c.csv(r, i) : textOf(c.cell(r, i)))).join(',')));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A safe file name part: no path separators or control characters. */
export function fileSafe(s: string): string {
  return s.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_').slice(0, 80);
}
