// The text Excel would display for a cell value under its number format — enough of Excel's format
// language for the sheets officers keep (General, fixed decimals, thousands separators, percentages, dates).

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Remove quoted literals, escapes and [colour]/[condition] sections so that tokens can be inspected. */
function stripLiterals(fmt: string): string {
  return fmt.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '').replace(/_.|\*./g, '');
}

export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  const core = stripLiterals(numFmt.split(';')[0] ?? '').replace(/general/gi, '');
  return /[ydhms年月日]/i.test(core);
}

/** General format: up to 11 significant digits without float noise, as Excel shows a plain number. */
export function formatGeneral(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return String(Number(n.toPrecision(11)));
}

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatFixed(n: number, section: string): string {
  const core = stripLiterals(section);
  const percent = core.includes('%');
  const v = percent ? n * 100 : n;
  const dec = /\.([0#?]+)/.exec(core)?.[1]?.length ?? 0;
  let s = Math.abs(v).toFixed(dec);
  if (core.includes(',')) {
    const [i, f] = s.split('.');
    s = groupThousands(i ?? '') + (f !== undefined ? `.${f}` : '');
  }
  return (v < 0 ? '-' : '') + s + (percent ? '%' : '');
}

/** Display a date (ExcelJS dates are UTC instants) under a date format. */
function formatDate(d: Date, fmt: string): string {
  const core = stripLiterals(fmt.split(';')[0] ?? '');
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hasTime = /h/i.test(core);
  if (/年/.test(fmt) && /日/.test(fmt)) return `${y}年${mo}月${day}日`;
  if (/年/.test(fmt)) return `${y}年${mo}月`;
  if (/月/.test(fmt) && /日/.test(fmt)) return `${mo}月${day}日`;
  const hasDay = /d/i.test(core);
  const sep = /[/]/.test(core) ? '/' : /\./.test(core) ? '.' : '-';
  let s = hasDay ? `${y}${sep}${pad(mo)}${sep}${pad(day)}` : `${y}${sep}${pad(mo)}`;
  if (hasTime) s += ` ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return s;
}

export function formatDisplay(value: string | number | boolean | Date | null, numFmt?: string): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    return formatDate(value, numFmt && isDateFormat(numFmt) ? numFmt : 'yyyy-mm-dd');
  }
  if (!numFmt || /^general$/i.test(numFmt) || numFmt === '@') return formatGeneral(value);
  const sections = numFmt.split(';');
  const section = (value < 0 && sections[1] !== undefined ? sections[1] : sections[0]) ?? '';
  const core = stripLiterals(section);
  if (isDateFormat(section)) return formatGeneral(value);
  if (/[0#?]/.test(core)) {
    const body = formatFixed(value < 0 && sections[1] !== undefined ? -value : value, section);
    const literal = /"([^"]*)"\s*$/.exec(section)?.[1] ?? '';
    return body + literal;
  }
  return formatGeneral(value);
}
