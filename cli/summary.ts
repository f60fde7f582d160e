// The readable Chinese summary printed by `kaoping score` without --json.
import type { ScoreReport, Status } from '../shared/types.ts';
import { PERIOD_SOURCE_ZH } from '../shared/scoring/period.ts';
import { fmtNumber } from '../shared/scoring/format.ts';
import { PROVISIONAL } from '../shared/output/names.ts';

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', missing: '？', invalid: '！', manual: '…' };

export function formatReport(report: ScoreReport, out?: string, copyNote?: string): string {
  const lines: string[] = [];
  lines.push(`文件：${report.file}　规则：${report.rulebook.name}`);
  for (const s of report.sheets) {
    const mapped = s.columns.filter((c) => c.input);
    const unmapped = s.columns.filter((c) => !c.input && c.header);
    lines.push('');
    lines.push(
      `工作表“${s.name}”：${s.period.labelZh}（${PERIOD_SOURCE_ZH[s.periodSource]}），表头第${s.headerRows.top}–${s.headerRows.bottom}行，` +
        `识别${mapped.length}/${s.columns.length}列，共${s.villages.length}个村，跳过${s.skippedRows.length}行`,
    );
    for (const v of s.villages) {
      const n = (st: Status) => v.results.filter((r) => r.status === st).length;
      lines.push(
        `  第${v.row}行 ${v.code ?? '（无代码）'} ${v.name ?? '（无村名）'} ${v.orgType ?? ''}　得分 ${fmtNumber(v.total)}/${fmtNumber(v.maxTotal)}　` +
          `等次 ${v.level}${v.stars !== undefined ? `　${v.stars}星（${PROVISIONAL}）` : ''}　达标${n('pass')} 未达标${n('fail')} 待补${n('missing') + n('invalid')} 待评${n('manual')}`,
      );
      for (const p of v.problems) lines.push(`     ！ ${p}`);
      for (const vt of v.veto) lines.push(`     ✗ ${vt}`);
      for (const r of v.results) {
        if (r.status === 'fail' || r.status === 'invalid') lines.push(`     ${MARK[r.status]} ${r.message}${r.cell ? `［${r.cell}］` : ''}`);
      }
    }
    if (unmapped.length) lines.push(`  未识别的列：${unmapped.map((c) => `${c.letter}“${c.header}”`).join('、')}`);
    const skippedShown = s.skippedRows.slice(0, 8).map((r) => `第${r.row}行（${r.reason}）`);
    if (skippedShown.length) lines.push(`  跳过的行：${skippedShown.join('、')}${s.skippedRows.length > 8 ? ' …' : ''}`);
  }
  for (const i of report.ignoredSheets) lines.push(`工作表“${i.name}”未评分：${i.reason}`);
  if (!report.sheets.length) lines.push('没有找到可评分的村级数据表。请检查表头是否包含村名、党员人数等指标列，或用 kaoping template 生成标准调查表。');
  lines.push('');
  lines.push('图例：✓达标 ✗未达标 ？缺数据 ！无法识别 …待观摩评议');
  if (out) lines.push(`已写出着色副本：${out}（含“考评结果”“整改台账”工作表）`);
  if (out && copyNote) lines.push(`  ${copyNote}`);
  return lines.join('\n') + '\n';
}
