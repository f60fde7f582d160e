import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { parseCountyRulebook } from '../../shared/rulebook/county.ts';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { prepareEngine } from '../../shared/scoring/evaluate.ts';
import { scoreSheetRows } from '../../shared/scoring/sheet.ts';
import { readSheetRows } from '../../shared/score.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';
import { buildSubmission, scoreSubmission, validateSubmission } from '../../shared/submission.ts';

const rulebook = defaultRulebook();
const engine = prepareEngine(rulebook, parseCountyRulebook(example, rulebook));

describe('submission', () => {
  it.each(['messy-excel.xlsx', 'libreoffice.xlsx', 'gb18030.csv', 'wps-inline.xlsx'])(
    '%s: the county re-scores a submission to exactly what the officer saw',
    async (file) => {
      const bytes = new Uint8Array(await readFile(new URL(`../fixtures/${file}`, import.meta.url)));
      const [grid] = await readWorkbook(bytes, file);
      const rows = readSheetRows(engine, grid!, { fileName: file });
      if ('ignored' in rows) throw new Error(rows.ignored);
      const local = scoreSheetRows(engine, rows);
      const sub = buildSubmission({ period: rows.period.label, townshipCode: '410721100', sheet: rows.name, fileName: file, source: 'file', columns: rows.columns, rows: rows.rows });
      // What travels is JSON.
      const checked = validateSubmission(JSON.parse(JSON.stringify(sub)));
      expect(checked.ok, JSON.stringify(!checked.ok && checked.problems)).toBe(true);
      if (!checked.ok) return;
      const remote = scoreSubmission(engine, checked.value);
      expect(remote.villages.map((v) => [v.row, v.code, v.total, v.level, v.results])).toEqual(local.villages.map((v) => [v.row, v.code, v.total, v.level, v.results]));
    },
  );

  it.each([
    [{} as Record<string, unknown>, 'period', /缺少必填字段/],
    [{ period: '2026Q5' }, 'period', /期次格式/],
    [{ townshipCode: '4107211' }, 'townshipCode', /9位数字/],
    [{ rows: [] }, 'rows', /至少要有一行/],
    [{ rows: [{ row: 0, values: {} }] }, 'rows[0].row', /行号从1开始/],
    [{ rows: [{ row: 5, values: { activityArea: { a: 'F', v: 90 } } }] }, 'rows[0].values.activityArea.a', /单元格地址/],
    [{ rows: [{ row: 5, values: { activityArea: { a: 'F5', v: { x: 1 } } } }] }, 'rows[0].values.activityArea.v', /单元格的值/],
    [{ rows: [{ row: 5, values: { activityArea: { a: 'F5', v: 'x'.repeat(2001) } } }] }, 'rows[0].values.activityArea.v', /超过2000字/],
    [{ extra: 1 }, 'extra', /不认识的字段/],
  ] as const)('rejects a bad field at %$', (patch, path, message) => {
    const base = { period: '2026Q3', townshipCode: '410721100', sheet: 'S', source: 'api', columns: [], rows: [{ row: 5, values: {} }] };
    const input: Record<string, unknown> = { ...base, ...patch };
    if (Object.keys(patch).length === 0) delete input.period;
    const r = validateSubmission(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.problems.find((p) => p.path === path);
    expect(hit, JSON.stringify(r.problems)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });
});
