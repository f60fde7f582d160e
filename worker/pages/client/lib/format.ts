// Display formats: scores, money (exact yuan), rates, movement, stars, dates — all in Chinese conventions.
import { num, str } from './data.ts';

const yuan = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

export function fmtScore(x: unknown, digits = 2): string {
  const v = num(x);
  return v === undefined ? '—' : v.toFixed(digits).replace(/\.?0+$/, '') || '0';
}

export function fmtYuan(x: unknown): string {
  const v = num(x);
  return v === undefined ? '—' : yuan.format(v);
}

export function fmtPercent(p: number | undefined, digits = 1): string {
  return p === undefined ? '—' : `${p.toFixed(digits)}%`;
}

export const PERIOD_NAME = (p: string): string => {
  const m = /^(\d{4})(?:Q([1-4])|H([12]))?$/.exec(p);
  if (!m) return p;
  if (m[2]) return `${m[1]}年第${'一二三四'[Number(m[2]) - 1]}季度`;
  if (m[3]) return `${m[1]}年${m[3] === '1' ? '上' : '下'}半年`;
  return `${m[1]}年`;
};

export interface Movement {
  text: string;
  cls: 'up' | 'down' | 'same' | 'new';
  title: string;
}

/** Rank movement: from previousRank and rank when both are known (smaller rank is better), else the API's movement. */
export function movementOf(row: { rank?: unknown; previousRank?: unknown; movement?: unknown }): Movement {
  const rank = num(row.rank);
  const prev = num(row.previousRank);
  let delta: number | undefined;
  if (rank !== undefined && prev !== undefined) delta = prev - rank;
  else if (typeof row.movement === 'number') delta = row.movement;
  else if (typeof row.movement === 'string' && row.movement) {
    return { text: row.movement, cls: 'same', title: '名次变化' };
  }
  if (delta === undefined) return { text: '新', cls: 'new', title: '上期无名次' };
  if (delta > 0) return { text: `↑${delta}`, cls: 'up', title: `比上期上升${delta}名（上期第${prev ?? '?'}名）` };
  if (delta < 0) return { text: `↓${-delta}`, cls: 'down', title: `比上期下降${-delta}名（上期第${prev ?? '?'}名）` };
  return { text: '持平', cls: 'same', title: `与上期相同（第${prev ?? rank}名）` };
}

export function fmtStars(x: unknown): string {
  const n = num(x);
  if (n === undefined || n <= 0) return '—';
  return '★'.repeat(Math.min(5, Math.round(n)));
}

export function fmtDateTime(x: unknown): string {
  const s = str(x);
  const d = new Date(s);
  if (!s || Number.isNaN(d.getTime())) return s || '—';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fmtDate(x: unknown): string {
  const s = str(x);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  return fmtDateTime(s).slice(0, 10);
}

export const STANDARD_NAME: Record<string, string> = { basic: '基本标准', demo: '示范标准' };
export const LEVEL_NAME: Record<string, string> = { village: '村', township: '乡镇' };
