// Small display helpers for the output sheets.
import type { Period, RequirementResult, SkippedRequirement, Standard } from '../types.ts';
import { SKIPPED_LABEL, STATUS_PALETTE } from './palette.ts';

export const STANDARD_NAME: Readonly<Record<Standard, string>> = { basic: '基本标准', demo: '示范标准' };

/** 基本标准第24条 */
export function citation(standard: Standard, article: number): string {
  return `${STANDARD_NAME[standard]}第${article}条`;
}

/** A message that cites its article; the citation is added when the message does not already carry it. */
export function citedMessage(r: { standard: Standard; article: number; message: string }): string {
  const c = citation(r.standard, r.article);
  const msg = r.message.trim();
  return msg.includes(c) ? msg : `${c}：${msg}`;
}

/** One note line: 【未达标】基本标准第24条：活动场所面积85平方米，低于90平方米 */
export function resultLine(r: RequirementResult): string {
  return `【${STATUS_PALETTE[r.status].label}】${citedMessage(r)}`;
}

/** One note line for a requirement that does not count here: 【不考核】示范标准第3条：… */
export function skippedLine(s: SkippedRequirement): string {
  return `【${SKIPPED_LABEL}】${citedMessage({ standard: s.standard, article: s.article, message: `${s.title}（${s.reason}）` })}`;
}

/** The last day of a period, as a UTC-midnight Date (ExcelJS writes Dates as UTC serials, so the
 * calendar date survives any time zone). */
export function periodEnd(period: Pick<Period, 'year' | 'endMonth'>): Date {
  return new Date(Date.UTC(period.year, period.endMonth, 0));
}

/** The rectification deadline: the period's last day plus `days` calendar days. */
export function rectificationDeadline(period: Pick<Period, 'year' | 'endMonth'>, days = 30): Date {
  return new Date(Date.UTC(period.year, period.endMonth, days));
}

/** yyyy-mm-dd HH:MM in local time (the officer's clock). */
export function formatDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Up to 4 decimals, no float noise. */
export function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}
