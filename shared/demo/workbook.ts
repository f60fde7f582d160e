// The demo township sheet as an officer keeps it: title rows, a 填报单位 line, a merged two-row header
// grouped by the standard's sections with units in brackets, the village rows, a 合计 row and the
// 填表人/审核人 line. Written with ExcelJS.
import ExcelJS from 'exceljs';
import type { InputDef, Period, Rulebook } from '../types.ts';

const IDENTITY_GROUP = '基本情况';

/** The article group (一、党的组织设置 …) of the first requirement that reads each input. */
export function inputGroups(rulebook: Rulebook): Map<string, string> {
  const groups = new Map<string, string>();
  for (const a of rulebook.articles) {
    for (const r of a.requirements) {
      for (const c of [r.check, ...(r.alt ? [r.alt] : [])]) {
        const ids = c.kind === 'ratio' ? [c.numerator, c.denominator] : [c.input, ...(c.kind === 'frequency' && c.scaleBy ? [c.scaleBy] : [])];
        for (const id of ids) if (!groups.has(id)) groups.set(id, `${a.standard === 'basic' ? '基本标准' : '示范标准'}·${a.group.replace(/^[一二三四五六七八九十]+、/, '')}`);
      }
    }
  }
  for (const id of ['code', 'name', 'township', 'orgType', 'unitType', 'isWeak', 'isPoor', 'members', 'formalMembers']) groups.set(id, IDENTITY_GROUP);
  return groups;
}

function headerLabel(def: InputDef): string {
  const u = def.unit && def.kind !== 'judgement' && def.kind !== 'bool' ? `（${def.unit}）` : '';
  return `${def.label}${u}`;
}

export async function demoWorkbook(opts: {
  rulebook: Rulebook;
  columns: InputDef[];
  county: string;
  township: string;
  period: Period;
  rows: Record<string, string>[];
}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kaoping demo';
  const ws = wb.addWorksheet('调查表');
  const groups = inputGroups(opts.rulebook);
  const n = opts.columns.length;
  ws.addRow([`${opts.county}${opts.township}${opts.period.labelZh}村党组织建设情况调查表`]);
  ws.mergeCells(1, 1, 1, Math.min(n, 20));
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.addRow([`填报单位：${opts.township}党委（盖章）`, '', '', '', '', '', `填报日期：${opts.period.year}年${opts.period.endMonth}月`]);
  // Two header rows: group (merged across its run of columns) and the label with its unit.
  const groupRow = opts.columns.map((c) => groups.get(c.id) ?? '其他');
  ws.addRow(groupRow);
  ws.addRow(opts.columns.map(headerLabel));
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || groupRow[i] !== groupRow[start]) {
      if (i - 1 > start) ws.mergeCells(3, start + 1, 3, i);
      start = i;
    }
  }
  for (const r of [3, 4]) {
    const row = ws.getRow(r);
    row.font = { bold: true };
    row.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    row.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
      cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    });
  }
  ws.getRow(4).height = 48;
  for (const data of opts.rows) {
    const row = ws.addRow(
      opts.columns.map((c) => {
        const v = data[c.id];
        if (v === undefined || v === '') return null;
        // Numbers an officer types are numbers in Excel; codes typed as numbers are numbers too (real sheets do that).
        if (/^\d+(\.\d+)?$/.test(v) && c.kind !== 'date') return Number(v);
        return v;
      }),
    );
    row.eachCell((cell) => (cell.border = { left: { style: 'thin' }, right: { style: 'thin' }, bottom: { style: 'hair' } }));
  }
  const sumRow = ws.addRow(opts.columns.map((c, i) => (i === 1 ? '合计' : c.kind === 'count' && c.id !== 'code' ? null : null)));
  sumRow.font = { bold: true };
  ws.addRow([]);
  ws.addRow(['填表人：王某某', '', '审核人：李某某', '', '联系电话：0371-0000000']);
  ws.views = [{ state: 'frozen', xSplit: 2, ySplit: 4 }];
  ws.getColumn(1).width = 15;
  ws.getColumn(2).width = 10;
  const notes = wb.addWorksheet('填表说明');
  notes.addRow(['说明：本表为 kaoping 演示数据，村名与区划代码均为虚构。']);
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
