// An officer's township sheet as it sits in Excel: a title naming the period, a 填报单位 line, a merged two-row
// header with units, N village rows with messy cells (units inside cells, full-width digits, √/×, blanks), a
// 合计 row and a 填表人 line; plus the officer's own fills and notes, which the add-in must give back exactly.
import { ExcelDouble, type DoubleOptions, type Scalar, type SheetModel } from './excel-double.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { prepareEngine } from '../../shared/scoring/evaluate.ts';
import { readSheetRows } from '../../shared/score.ts';
import { scoreSheetRows } from '../../shared/scoring/sheet.ts';
import { buildGrid } from '../../addin/excel/grid.ts';
import type { ScoredSheet, Grid } from '../../shared/types.ts';

export const SHEET = '村情统计';

export const HEADERS = [
  '序号',
  '区划代码',
  '村名',
  '乡镇',
  '党组织类型',
  '党员人数（人）',
  '正式党员人数',
  '班子职数（人）',
  '支委会次数（次）',
  '党员大会次数',
  '党课次数',
  '活动场所面积（平方米）',
  '集体经济收入（万元）',
  '班子团结',
  '上次换届时间',
  '氛围营造',
  '失联党员',
  '备注',
];

export const GROUPS: [string, number, number][] = [
  ['基本情况', 0, 4],
  ['组织建设', 5, 7],
  ['组织生活', 8, 10],
  ['阵地与经济', 11, 12],
  ['评议', 13, 16],
];

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const FW = '０１２３４５６７８９';
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => FW[+d]!);

/** The rows of values of a sheet with `n` villages (row 1 = title). */
export function officerRows(n: number, seed = 7): Scalar[][] {
  const rnd = rng(seed);
  const rows: Scalar[][] = [];
  rows.push(['东风镇2026年第三季度村党组织建设情况统计表']);
  rows.push(['填报单位：东风镇党委', '', '', '', '', '', '', '', '', '', '', '', '', '', '填报日期：2026年10月']);
  const group: Scalar[] = HEADERS.map(() => '');
  for (const [g, from] of GROUPS) group[from] = g;
  rows.push(group);
  rows.push([...HEADERS]);
  for (let i = 0; i < n; i++) {
    const town = 1 + Math.floor(i / 999);
    const vil = (i % 999) + 1;
    const code = `130102${String(town).padStart(3, '0')}${String(vil).padStart(3, '0')}`;
    const org = rnd() < 0.8 ? '党支部' : '党总支';
    const members = org === '党支部' ? 15 + Math.floor(rnd() * 30) : 55 + Math.floor(rnd() * 40);
    const lead = org === '党支部' ? 3 + Math.floor(rnd() * 3) : 5 + Math.floor(rnd() * 3) - (rnd() < 0.1 ? 1 : 0);
    const r = rnd();
    const area = 60 + Math.floor(rnd() * 300);
    const income = Math.round((1 + rnd() * 8) * 10) / 10;
    rows.push([
      i + 1,
      code,
      `${['张', '李', '王', '赵', '刘'][i % 5]}家${['庄', '村', '湾', '店'][Math.floor(i / 5) % 4]}${i + 1}村`,
      `东风镇`,
      org,
      r < 0.05 ? fullWidth(String(members)) : members,
      members - Math.floor(rnd() * 3),
      lead,
      rnd() < 0.85 ? 3 : rnd() < 0.5 ? 2 : `${1 + Math.floor(rnd() * 3)}次`,
      1 + Math.floor(rnd() * 2),
      rnd() < 0.1 ? '' : 1,
      rnd() < 0.2 ? `${area}㎡` : area,
      rnd() < 0.3 ? `${Math.round(income * 10000)}元` : income,
      rnd() < 0.1 ? '' : rnd() < 0.85 ? '好' : '差',
      rnd() < 0.5 ? `202${3 + Math.floor(rnd() * 3)}.${1 + Math.floor(rnd() * 12)}` : `2021年${1 + Math.floor(rnd() * 12)}月`,
      rnd() < 0.5 ? '较好' : '',
      rnd() < 0.97 ? '×' : '√',
      rnd() < 0.05 ? '新合并村' : '',
    ]);
  }
  rows.push(['合计', '', '', '', '', n * 30]);
  rows.push(['填表人：张三', '', '', '审核人：李四']);
  return rows;
}

export const OFFICER_FILL = { color: '#FFFF00', pattern: 'Solid' };
export const OFFICER_FILL_2 = { color: '#FCE4D6', pattern: 'Solid' };
export const OFFICER_NOTE = '请核实面积（含广场）';

/** A double holding the officer's workbook: the sheet, a second sheet, the officer's fills and notes. */
export function officerWorkbook(n: number, opts: DoubleOptions = {}): { double: ExcelDouble; sheet: SheetModel } {
  const double = new ExcelDouble(opts);
  const sheet = double.addSheet(SHEET, officerRows(n));
  double.addSheet('说明', [['本表数据来源：各村自报'], ['', 42]]);
  sheet.merges.push({ top: 0, bottom: 0, left: 0, right: 17 });
  for (const [, from, to] of GROUPS) sheet.merges.push({ top: 2, bottom: 2, left: from, right: to });
  // Header shading, and the officer's own marks on data cells.
  for (let c = 0; c < 18; c++) for (const r of [2, 3]) double.cellAt(sheet, r, c, true)!.fill = { color: '#D9E1F2', pattern: 'Solid' };
  double.cellAt(sheet, 4, 1, true)!.fill = { ...OFFICER_FILL }; // B5
  double.cellAt(sheet, 5, 11, true)!.fill = { ...OFFICER_FILL_2 }; // L6
  sheet.notes.set('L6', OFFICER_NOTE);
  sheet.notes.set('R5', '村委会换届后更新');
  double.cellAt(sheet, 6, 8, true)!.format = '0'; // I7
  return { double, sheet };
}

/** What a workbook holds that the officer owns: values, formats, fills, notes, comments, merges, sheets. */
export function snapshot(double: ExcelDouble): unknown {
  return double.model.sheets.map((s) => ({
    name: s.name,
    visibility: s.visibility,
    cells: [...s.cells.entries()]
      .filter(([, c]) => c.value !== '' || c.fill !== null || c.format !== 'General')
      .map(([k, c]) => [k, c.value, c.format, c.fill])
      .sort((a, b) => (a[0] as number) - (b[0] as number)),
    notes: [...s.notes.entries()].sort(),
    comments: [...s.comments.entries()].map(([a, c]) => [a, c.content]).sort(),
    merges: s.merges,
  }));
}

/** The same scoring as the add-in, computed directly from the double's cells (for expectations). */
export function expectedScore(double: ExcelDouble, name = SHEET): { scored: ScoredSheet; grid: Grid } {
  const s = double.sheet(name)!;
  const used = double.usedRect(s, true)!;
  const values: unknown[][] = [];
  const formats: unknown[][] = [];
  for (let r = used.top; r <= used.bottom; r++) {
    const v: unknown[] = [];
    const f: unknown[] = [];
    for (let c = used.left; c <= used.right; c++) {
      const cell = double.cellAt(s, r, c);
      v.push(cell?.value ?? '');
      f.push(cell?.format ?? 'General');
    }
    values.push(v);
    formats.push(f);
  }
  const grid = buildGrid(name, [{ top: used.top, left: used.left, values, numberFormat: formats }], s.merges);
  const engine = prepareEngine(defaultRulebook());
  const rows = readSheetRows(engine, grid, { fileName: name });
  if ('ignored' in rows) throw new Error(rows.ignored);
  return { scored: scoreSheetRows(engine, rows), grid };
}
