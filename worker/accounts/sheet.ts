// A sheet of accounts to create (姓名, 登录名, 乡镇, 角色, 手机号), xlsx or CSV, read with the shared reader
// (readWorkbook, through the Worker's limits). The header row is found by its titles anywhere in the first ten
// rows of the first sheet that has them; blank rows are skipped; every bad cell is named by row.
import * as v from 'valibot';
import { cellText } from '../../shared/values/common.ts';
import type { SheetCell, SheetGrid } from '../../shared/sheet/types.ts';
import { badRequest } from '../errors.ts';
import { readGrids } from '../submissions/read.ts';
import { Login, Name, Phone, TownshipRef, type ManagedRole, type NewAccountInput, type RowProblem } from './store.ts';

const HEADERS = {
  name: ['姓名', '名字'],
  login: ['登录名', '账号', '用户名', '邮箱'],
  township: ['乡镇', '所在乡镇', '乡镇（街道）', '乡镇代码'],
  role: ['角色', '身份'],
  phone: ['手机号', '手机', '手机号码', '联系电话'],
} as const;
type Field = keyof typeof HEADERS;
const REQUIRED: readonly Field[] = ['name', 'login', 'role'];

const ROLE_WORDS: Record<string, ManagedRole> = {
  township: 'township',
  乡镇: 'township',
  乡镇干部: 'township',
  乡镇组织委员: 'township',
  组织委员: 'township',
  county: 'county',
  县委组织部: 'county',
  组织部: 'county',
  县级: 'county',
  finance: 'finance',
  财政: 'finance',
  县财政: 'finance',
  财政局: 'finance',
  县财政局: 'finance',
};

/** The role a sheet's 角色 cell names, or undefined. */
export function roleOf(text: string): ManagedRole | undefined {
  return ROLE_WORDS[text.replace(/\s+/g, '').toLowerCase()];
}

const norm = (s: string) => s.replace(/[\s*＊]/g, '');

function headerRow(grid: SheetGrid): { at: number; columns: Partial<Record<Field, number>> } | undefined {
  for (let r = 0; r < Math.min(10, grid.rows.length); r++) {
    const cells = (grid.rows[r] ?? []).map((c) => (c ? norm(cellText(c)) : ''));
    const columns: Partial<Record<Field, number>> = {};
    for (const f of Object.keys(HEADERS) as Field[]) {
      const i = cells.findIndex((t) => (HEADERS[f] as readonly string[]).includes(t));
      if (i >= 0) columns[f] = i;
    }
    if (REQUIRED.every((f) => columns[f] !== undefined)) return { at: r, columns };
  }
  return undefined;
}

export type SheetAccount = NewAccountInput & { row: number };

/** The accounts of a sheet, or a 400 naming every problem by row. */
export async function readAccountSheet(bytes: Uint8Array, fileName: string): Promise<SheetAccount[]> {
  const grids = await readGrids(bytes, fileName);
  let found: { grid: SheetGrid; at: number; columns: Partial<Record<Field, number>> } | undefined;
  for (const grid of grids) {
    const h = headerRow(grid);
    if (h) {
      found = { grid, ...h };
      break;
    }
  }
  if (!found) throw badRequest('no_header', '没有找到表头：第一行（或前 10 行之一）须有“姓名”“登录名”“角色”三列，可另加“乡镇”“手机号”');
  const { grid, at, columns } = found;
  const out: SheetAccount[] = [];
  const problems: RowProblem[] = [];
  const text = (row: readonly (SheetCell | undefined)[], f: Field): string => {
    const i = columns[f];
    const cell = i === undefined ? undefined : row[i];
    return cell ? cellText(cell).trim() : '';
  };
  for (let r = at + 1; r < grid.rows.length; r++) {
    const row = grid.rows[r] ?? [];
    const rowNo = r + 1;
    const values = { name: text(row, 'name'), login: text(row, 'login'), township: text(row, 'township'), role: text(row, 'role'), phone: text(row, 'phone').replace(/[\s-]/g, '') };
    if (Object.values(values).every((x) => x === '')) continue;
    const role = roleOf(values.role);
    const rowProblems: string[] = [];
    if (!role) rowProblems.push(values.role ? `角色“${values.role}”无法识别（可填 乡镇干部、县委组织部、县财政）` : '请填写角色');
    const fields = [
      ['姓名', Name, values.name],
      ['登录名', Login, values.login],
      ['乡镇', TownshipRef, values.township],
      ['手机号', Phone, values.phone],
    ] as const;
    const parsed: Record<string, string> = {};
    for (const [label, schema, value] of fields) {
      const res = v.safeParse(schema, value);
      if (res.success) parsed[label] = res.output;
      else rowProblems.push(`${label}：${res.issues[0]?.message ?? '格式不对'}`);
    }
    if (rowProblems.length || !role) {
      problems.push({ row: rowNo, ...(values.login ? { login: values.login } : {}), message: rowProblems.join('，') });
      continue;
    }
    out.push({
      row: rowNo,
      name: parsed['姓名']!,
      login: parsed['登录名']!,
      role,
      ...(parsed['乡镇'] ? { township: parsed['乡镇'] } : {}),
      ...(parsed['手机号'] ? { phone: parsed['手机号'] } : {}),
    });
  }
  if (problems.length) throw badRequest('invalid_accounts', problems.slice(0, 20).map((p) => `第 ${p.row} 行：${p.message}`).join('；'), problems);
  if (out.length === 0) throw badRequest('no_accounts', '名单里没有账号（表头下面是空的）');
  return out;
}
