// Which scored rows the county accepts: each row must carry a readable 12-digit 区划代码 of a village of
// this township (first 9 digits = the township, and listed in the villages table), appear once (a later
// row with the same code is rejected), and have no row-level problem the engine found. Rejections name
// the cell and give the reason in Chinese.
import { isBlank, blankMarker, parseBool } from '../../shared/values/index.ts';
import type { RawCell } from '../../shared/types.ts';
import type { AcceptedVillage, RowOutcome, ScoredUnit } from './types.ts';

export interface Township {
  code: string;
  name: string;
}

const ADDRESS_IN_PROBLEM = /（([A-Z]{1,3}[1-9]\d*)）/;

function flag(cell: RawCell | undefined): boolean {
  if (!cell || isBlank(cell) || blankMarker(cell)) return false;
  const r = parseBool(cell);
  return r.ok && r.value;
}

const cents = (n: number) => Math.round(n * 100);

export function vetRows(
  units: readonly ScoredUnit[],
  township: Township,
  directory: ReadonlyMap<string, string>,
  opts: { withSheet: boolean; codeRefusals?: ReadonlyMap<string, string> },
): { outcomes: RowOutcome[]; accepted: AcceptedVillage[] } {
  const outcomes: RowOutcome[] = [];
  const accepted: AcceptedVillage[] = [];
  const seen = new Map<string, { sheet: string; row: number }>();
  for (const unit of units) {
    unit.scored.villages.forEach((v, i) => {
      const cells = unit.rows[i]?.cells ?? {};
      const codeCell = cells.code?.address;
      const name = v.name ?? (v.code ? directory.get(v.code) : undefined);
      const base: RowOutcome = {
        row: v.row,
        ...(opts.withSheet ? { sheet: unit.sheet } : {}),
        ...(v.code ? { code: v.code } : {}),
        ...(name ? { name } : {}),
        status: 'rejected',
      };
      const reject = (reason: string, cell = codeCell) => outcomes.push({ ...base, ...(cell ? { cell } : {}), reason });
      const codeProblem = v.problems.find((p) => p.startsWith('区划代码'));
      if (!v.code) {
        reject(codeProblem ?? (codeCell ? '区划代码未填写' : '本行没有区划代码：请填写12位统计用区划代码，以确认是哪个村'));
        return;
      }
      // A code a recorded change ended (or started) for this period: the reason names the new code(s).
      const changed = opts.codeRefusals?.get(v.code);
      if (changed) {
        reject(changed);
        return;
      }
      if (!v.code.startsWith(township.code)) {
        reject(`区划代码${v.code}的前9位为${v.code.slice(0, 9)}，不是本乡镇（${township.name}，${township.code}）的村，不能在本乡镇上报`);
        return;
      }
      if (!directory.has(v.code)) {
        reject(`区划代码${v.code}不在${township.name}的村名录中：请核对代码；如村庄新设或调整，请县委组织部先更新村名录`);
        return;
      }
      const first = seen.get(v.code);
      if (first) {
        const where = opts.withSheet && first.sheet !== unit.sheet ? `工作表“${first.sheet}”第${first.row}行` : `第${first.row}行`;
        reject(`区划代码${v.code}与${where}重复：同一个村在一次上报中只能出现一次，已采用${where}，本行未采用`);
        return;
      }
      seen.set(v.code, { sheet: unit.sheet, row: v.row });
      const others = v.problems.filter((p) => !p.startsWith('区划代码'));
      if (others.length) {
        const addr = ADDRESS_IN_PROBLEM.exec(others[0]!)?.[1];
        reject(others.join('；'), addr ?? codeCell);
        return;
      }
      const results = v.results;
      accepted.push({
        row: v.row,
        code: v.code,
        name: v.name ?? directory.get(v.code)!,
        orgType: v.orgType ?? null,
        totalCents: cents(v.total),
        maxCents: cents(v.maxTotal),
        level: v.level,
        veto: v.veto.length > 0,
        weak: flag(cells.isWeak),
        results,
      });
      outcomes.push({ ...base, status: 'accepted', total: v.total, maxTotal: v.maxTotal, level: v.level });
    });
  }
  return { outcomes, accepted };
}

export function countStatuses(results: AcceptedVillage['results']): { pass: number; fail: number; open: number } {
  let pass = 0;
  let fail = 0;
  let open = 0;
  for (const r of results) {
    if (r.status === 'pass') pass++;
    else if (r.status === 'fail') fail++;
    else open++;
  }
  return { pass, fail, open };
}
