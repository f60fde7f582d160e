// `kaoping summary`: the readable Chinese roll-up of many files (SummaryBuilder in shared/scoring/summary.ts).
import { judgedVillages, type Summary } from '../shared/scoring/summary.ts';
import { fmtNumber } from '../shared/scoring/format.ts';
import { PROVISIONAL } from '../shared/output/names.ts';

export interface UnreadableFile {
  file: string;
  reason: string;
}

const STARS_ZH = ['未评星', '一星', '二星', '三星', '四星', '五星'];

function pct(a: number, b: number): string {
  return `${((a * 100) / b).toFixed(1)}%`;
}

/** The requirements with the lowest pass rates, lowest first; among equal rates, the one judged for more villages
 * first, then rulebook order. */
export function weakest(summary: Summary, count: number): Summary['requirements'] {
  return summary.requirements
    .filter((r) => r.passRate !== null)
    .map((r, k) => ({ r, k }))
    .sort((a, b) => a.r.passRate! - b.r.passRate! || judgedVillages(b.r) - judgedVillages(a.r) || a.k - b.k)
    .slice(0, count)
    .map(({ r }) => r);
}

export function formatRollup(s: Summary, unreadable: readonly UnreadableFile[], files: number): string {
  const lines: string[] = [];
  if (unreadable.length) lines.push(`注意：${unreadable.length}个文件未能读取，未计入汇总（见文末）。`);
  const periods = [...new Set(s.sheets.map((sh) => sh.period))];
  if (periods.length > 1) lines.push(`注意：各工作表的期次不一致（${periods.join('、')}），按年度才考核的要求只在年度表中评判。`);
  lines.push(`汇总：${files}个文件，${s.sheets.length}张工作表，共${s.villages}个村　规则：${s.rulebook.name}`);
  if (s.villages) {
    lines.push(`平均得分：${fmtNumber(s.meanTotal!)}分`);
    lines.push(`等次：${s.levels.map((l) => `${l.name}${l.villages}个`).join('、')}；一票否决${s.vetoed}个`);
    if (s.stars) lines.push(`星级（${PROVISIONAL}，各表分别评定）：${s.stars.map((b) => `${STARS_ZH[b.stars] ?? `${b.stars}星`}${b.villages}个`).join('、')}`);
    const weak = weakest(s, 10);
    if (weak.length) {
      lines.push('');
      lines.push(`达标率最低的${weak.length}项要求：`);
      for (const r of weak) {
        const n = judgedVillages(r);
        const open = [r.missing ? `缺数据${r.missing}` : '', r.invalid ? `无法识别${r.invalid}` : '', r.manual ? `待评${r.manual}` : ''].filter(Boolean).join('，');
        lines.push(`  ${r.article} ${r.title}（${r.id}）：达标${r.pass}/${n}（${pct(r.pass, n)}），未达标${r.fail}${open ? `，${open}` : ''}`);
      }
    }
    if (s.lowest.length) {
      lines.push('');
      lines.push(`得分最低的${s.lowest.length}个村：`);
      for (const v of s.lowest) {
        lines.push(`  ${v.name ?? '（无村名）'}${v.code ? ` ${v.code}` : ''}　${fmtNumber(v.total)}/${fmtNumber(v.maxTotal)}分 ${v.level}　${v.file}“${v.sheet}”第${v.row}行`);
      }
    }
  }
  lines.push('');
  lines.push('工作表：');
  for (const sh of s.sheets) lines.push(`  ${sh.file}“${sh.name}”：${sh.period}，${sh.villages}个村${sh.skippedRows ? `，跳过${sh.skippedRows}行` : ''}`);
  if (!s.sheets.length) lines.push('  （没有找到可评分的村级数据表）');
  for (const i of s.ignoredSheets) lines.push(`  ${i.file}“${i.name}”未评分：${i.reason}`);
  for (const u of unreadable) lines.push(`未能读取：${u.file}：${u.reason}`);
  lines.push('');
  lines.push('逐村的得分和原因：kaoping score 文件.xlsx');
  return lines.join('\n') + '\n';
}
