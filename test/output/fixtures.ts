// Test fixtures for shared/output: a small officer's workbook with their own formatting, and a
// hand-made ScoredSheet for it.
import ExcelJS from 'exceljs';
import { loadWorkbook } from '../../shared/output/xlsx.ts';
import type { Period, RequirementResult, ScoredSheet, SkippedRequirement, VillageScore } from '../../shared/types.ts';

export const SHEET = '村情统计';
export const OTHER_SHEET = '备注';

export const Q1_2026: Period = {
  kind: 'quarter',
  year: 2026,
  index: 1,
  label: '2026Q1',
  labelZh: '2026年第一季度',
  months: 3,
  startMonth: 1,
  endMonth: 3,
};

export const OFFICER_FILL_A4: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
export const OFFICER_FILL_D4: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
export const OFFICER_NOTE_D4 = '请核实面积（含广场）';

/** The officer's workbook, as bytes. */
export async function officerWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET);
  ws.mergeCells('A1:H1');
  ws.getCell('A1').value = '东风镇村党组织建设情况统计表（2026年第一季度）';
  ws.getCell('A1').font = { name: '黑体', size: 14, bold: true };
  ws.getCell('A2').value = '填报单位：东风镇党委';
  ws.getRow(3).values = ['区划代码', '村名', '党组织类型', '活动场所面积（平方米）', '党员人数（人）', '支委会次数（次）', '班子团结', '换届时间'];
  ws.getRow(3).font = { bold: true };
  ws.getRow(4).values = ['130102001001', '东村', '党支部', 85, 12, 3, null, '2024.3'];
  ws.getRow(5).values = ['130102001002', '=西村', '党总支', 120, 30, 2, '好', '2024.13'];
  ws.getRow(6).values = ['合计', null, null, { formula: 'SUM(D4:D5)', result: 205 }, 42, 5, null, null];
  ws.getCell('A4').fill = OFFICER_FILL_A4;
  ws.getCell('B4').font = { name: '宋体', size: 12, bold: true };
  ws.getCell('D4').style = {
    fill: OFFICER_FILL_D4,
    border: { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'double', color: { argb: 'FF0000FF' } }, right: { style: 'thin' } },
  };
  ws.getCell('D4').note = OFFICER_NOTE_D4;
  ws.getCell('D5').numFmt = '0.00';
  ws.getCell('C4').dataValidation = { type: 'list', allowBlank: true, formulae: ['"党支部,党总支,党委"'] };
  ws.getColumn(1).width = 16;
  ws.getColumn(2).width = 12;
  ws.getColumn(4).width = 22;

  const other = wb.addWorksheet(OTHER_SHEET);
  other.getCell('A1').value = '本表数据来源：各村自报';
  other.getCell('B2').value = 42;
  other.getCell('B2').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFC6EFCE' } };
  const out = await wb.xlsx.writeBuffer();
  return new Uint8Array(out as ArrayBuffer);
}

function r(p: Partial<RequirementResult> & Pick<RequirementResult, 'id' | 'status' | 'message'>): RequirementResult {
  const [std, art] = p.id.split('-');
  return { standard: std as 'basic' | 'demo', article: Number(art), title: p.id, ...p };
}

function village(p: Partial<VillageScore> & Pick<VillageScore, 'row' | 'results'>): VillageScore {
  return { skipped: [], total: 0, maxTotal: 100, level: '未达标', levelReason: '', veto: [], bonus: [], items: [], problems: [], ...p };
}

export const SKIPPED_C4: SkippedRequirement = {
  id: 'basic-20',
  standard: 'basic',
  article: 20,
  title: '民主生活会',
  cell: 'C4',
  reason: '仅适用于党委、党总支',
};

export function scoredSheet(): ScoredSheet {
  return {
    name: SHEET,
    period: Q1_2026,
    periodSource: 'title',
    columns: [],
    skippedRows: [{ row: 6, reason: '合计行' }],
    headerRows: { top: 3, bottom: 3 },
    villages: [
      village({
        row: 4,
        code: '130102001001',
        name: '东村',
        township: '东风镇',
        orgType: '党支部',
        unitType: '村',
        total: 72.5,
        maxTotal: 100,
        level: '未达标',
        levelReason: '基本标准第24条未达标',
        stars: 3,
        results: [
          r({ id: 'basic-24', status: 'fail', cell: 'D4', value: 85, threshold: '≥90平方米', message: '活动场所面积85平方米，低于90平方米' }),
          r({ id: 'demo-12', status: 'fail', cell: 'D4', value: 85, threshold: '≥300平方米', message: '示范标准第12条：活动场所面积85平方米，低于300平方米' }),
          r({ id: 'basic-5', status: 'pass', cell: 'E4', value: 12, message: '正式党员12人，不少于3人' }),
          r({ id: 'basic-18', status: 'pass', cell: 'F4', value: 3, message: '支委会3次，2026年第一季度应不少于3次' }),
          r({ id: 'basic-30', status: 'manual', cell: 'G4', message: '待观摩评议：“班子团结”尚未评定' }),
          r({ id: 'basic-41', status: 'missing', message: '表中未找到“集体经济收入”列' }),
        ],
        skipped: [SKIPPED_C4],
      }),
      village({
        row: 5,
        code: '130102001002',
        name: '=西村',
        township: '东风镇',
        orgType: '党总支',
        unitType: '村',
        total: 88,
        maxTotal: 100,
        level: '达标',
        levelReason: '',
        veto: ['发生违纪违法案件'],
        results: [
          r({ id: 'basic-24', status: 'pass', cell: 'D5', value: 120, message: '活动场所面积120平方米，不低于90平方米' }),
          r({ id: 'demo-12', status: 'fail', cell: 'D5', value: 120, message: '活动场所面积120平方米，低于300平方米' }),
          r({ id: 'basic-5', status: 'pass', cell: 'E5', value: 30, message: '正式党员30人' }),
          r({ id: 'basic-18', status: 'fail', cell: 'F5', value: 2, message: '支委会2次，2026年第一季度应不少于3次，少1次' }),
          r({ id: 'basic-30', status: 'pass', cell: 'G5', value: '好', message: '班子团结：评定为“好”' }),
          r({ id: 'basic-9', status: 'invalid', cell: 'H5', message: '“换届时间”无法识别：月份13不存在' }),
        ],
      }),
    ],
  };
}

export const GENERATED_AT = new Date(2026, 3, 2, 9, 30);

/** Load with the same loader the outputs use (it keeps notes on blank cells, which ExcelJS drops). */
export function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  return loadWorkbook(bytes);
}

export async function bytesOf(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

export function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** The ARGB of a cell's solid fill, or undefined. */
export function fillArgb(cell: ExcelJS.Cell): string | undefined {
  const f = cell.style?.fill;
  return f && f.type === 'pattern' && f.pattern === 'solid' ? f.fgColor?.argb : undefined;
}

/** Every cell of every sheet as address → { value, fill, note }, for exact comparisons. */
export function snapshot(wb: ExcelJS.Workbook): Record<string, { value: unknown; fill: unknown; note: unknown; style: unknown }> {
  const out: Record<string, { value: unknown; fill: unknown; note: unknown; style: unknown }> = {};
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: true }, (row) =>
      row.eachCell({ includeEmpty: true }, (cell) => {
        out[`${ws.name}!${cell.address}`] = {
          value: JSON.parse(JSON.stringify(cell.value ?? null)),
          fill: JSON.parse(JSON.stringify(cell.style?.fill ?? null)),
          note: JSON.parse(JSON.stringify(cell.note ?? null)),
          style: JSON.parse(JSON.stringify(cell.style ?? null)),
        };
      }),
    );
  }
  return out;
}
