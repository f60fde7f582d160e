// The `kaoping` command, run as a separate process exactly as a user runs it.
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kaoping, loadXlsx, ROOT, tempDir } from './helpers.ts';

const fixture = (f: string) => join(ROOT, 'test/fixtures', f);

/** A failure is exactly one line, Chinese first, no stack trace. */
function expectOneLineError(r: { code: number; stderr: string; stdout: string }, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^错误：/);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
}

describe('kaoping rules', () => {
  it('--json lists 42 基本标准 and 23 示范标准 articles', async () => {
    const r = await kaoping(['rules', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { rules: { standard: string; article: number }[] };
    expect(j.rules.filter((a) => a.standard === 'basic')).toHaveLength(42);
    expect(j.rules.filter((a) => a.standard === 'demo')).toHaveLength(23);
  });
});

describe('kaoping score', () => {
  it('--json gives sheets, columns, villages and cited results for a messy Excel sheet', async () => {
    const r = await kaoping(['score', fixture('messy-excel.xlsx'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // Two sheets hold village tables; the instructions sheet is reported as ignored, with the reason.
    expect(j.sheets.map((x: { name: string }) => x.name)).toEqual(['三季度汇总', '上季度']);
    expect(j.ignoredSheets[0].name).toBe('填表说明');
    const s = j.sheets[0];
    expect(s.period.label).toBe('2026Q3');
    expect(s.columns.length).toBeGreaterThan(10);
    expect(s.villages.length).toBe(7);
    const v = s.villages[0];
    expect(v).toMatchObject({ row: 6, code: '410721100201', name: '张庄村' });
    expect(typeof v.total).toBe('number');
    expect(typeof v.level).toBe('string');
    const area = v.results.find((x: { id: string }) => x.id === 'basic-24');
    expect(area).toMatchObject({ standard: 'basic', article: 24 });
    expect(area.cell).toMatch(/^[A-Z]+6$/);
    expect(area.message).toMatch(/^基本标准第24条/);
  });

  it('the readable summary says which period was used and why', async () => {
    const r = await kaoping(['score', fixture('gb18030.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2026年第二季度（按表头标题识别）/);
    expect(r.stdout).toMatch(/後河村/);
  });

  it('--period overrides the title', async () => {
    const r = await kaoping(['score', fixture('gb18030.csv'), '--period', '2026', '--json']);
    expect(JSON.parse(r.stdout).sheets[0]).toMatchObject({ periodSource: 'option', period: { label: '2026' } });
  });

  it('--rules applies the county rulebook: points, levels and stars', async () => {
    const r = await kaoping(['score', fixture('messy-excel.xlsx'), '--rules', join(ROOT, 'shared/rulebook/county-example.json'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rulebook.id).toBe('example-county-2026');
    const v = j.sheets[0].villages[0];
    expect(v.maxTotal).toBe(100);
    expect(v.items.length).toBeGreaterThan(30);
    expect(['示范', '达标', '未达标']).toContain(v.level);
    expect(typeof v.stars).toBe('number');
  });

  it('--out writes a coloured copy with notes, 考评结果 and 整改台账, values untouched', async () => {
    const dir = await tempDir();
    const out = join(dir, 'scored.xlsx');
    const r = await kaoping(['score', fixture('messy-excel.xlsx'), '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const wb = await loadXlsx(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['三季度汇总', '考评结果', '整改台账']));
    const orig = await loadXlsx(fixture('messy-excel.xlsx'));
    const ws = wb.getWorksheet('三季度汇总')!;
    const ows = orig.getWorksheet('三季度汇总')!;
    // Every scored cell carries a note citing the article; values equal the original's.
    const v = report.sheets[0].villages[0];
    const failing = v.results.find((x: { status: string; cell?: string }) => x.status === 'fail' && x.cell);
    expect(failing).toBeDefined();
    const cell = ws.getCell(failing.cell);
    const note = typeof cell.note === 'string' ? cell.note : (cell.note?.texts ?? []).map((t) => t.text).join('');
    expect(note).toContain(failing.message);
    ows.eachRow((row, r) => row.eachCell((c, col) => expect(ws.getCell(r, col).value).toEqual(c.value)));
  });

  it('a CSV can be written out as a coloured workbook too', async () => {
    const dir = await tempDir();
    const out = join(dir, 'csv-scored.xlsx');
    const r = await kaoping(['score', fixture('gb18030.csv'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const wb = await loadXlsx(out);
    expect(wb.getWorksheet('考评结果')).toBeDefined();
  });

  it.each([
    ['libreoffice.xls', 'Excel 97-2003 工作簿（.xls）'],
    ['excel95-gbk.xls', 'Excel 97-2003 工作簿（.xls）'],
    ['export-gbk.xls', '网页（HTML）表格'],
    ['libreoffice.ods', 'OpenDocument 表格（.ods）'],
    ['sheetjs-2003.xml', 'Excel 2003 XML 表格'],
  ])('%s is scored and gets a coloured .xlsx copy whose 考评结果 says what was kept', async (file, format) => {
    const dir = await tempDir();
    const out = join(dir, 'scored.xlsx');
    const r = await kaoping(['score', fixture(`producers/${file}`), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/共14个村/);
    expect(r.stdout).toContain(`原文件是${format}，已按读取的单元格重新生成 .xlsx 工作簿后着色`);
    const wb = await loadXlsx(out);
    const texts: string[] = [];
    wb.getWorksheet('考评结果')!.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    expect(texts.join('\n')).toContain(`原文件是${format}`);
    // The village sheet keeps its name (an HTML table has none: it is named after the file).
    expect(wb.getWorksheet(file === 'export-gbk.xls' ? 'export-gbk' : '村级情况')).toBeDefined();
  });

  describe('errors end with one Chinese line and a non-zero exit', () => {
    it('a missing file', async () => {
      expectOneLineError(await kaoping(['score', '/nonexistent/村.xlsx']), /无法读取文件“\/nonexistent\/村\.xlsx”：文件不存在/);
    });
    it('random bytes named .xlsx', async () => {
      const dir = await tempDir();
      const p = join(dir, 'broken.xlsx');
      await writeFile(p, Buffer.from('PK\u0003\u0004 this is not really a zip file at all'));
      expectOneLineError(await kaoping(['score', p]), /xlsx|工作簿|zip/);
    });
    it('a damaged .xls file', async () => {
      const dir = await tempDir();
      const p = join(dir, 'old.xls');
      await writeFile(p, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
      expectOneLineError(await kaoping(['score', p]), /xls 工作簿.*另存为 \.xlsx/);
    });
    it('a file whose reading runs out of time or memory (the reading thread is ended, the command is not)', async () => {
      // SheetJS's formula-token loop cannot be bounded by a guard (shared/sheet/README.md): the command reads in a
      // worker thread with a time and a memory limit. Forced here with tiny limits on a genuine file.
      const slow = await kaoping(['score', fixture('producers/libreoffice.xls')], { env: { KAOPING_READ_TIMEOUT_MS: '1' } });
      expectOneLineError(slow, /读取文件超过 0 秒仍未完成.*另存为 \.xlsx/);
      // A reading thread held to 32 MB: a small file still reads, a 240,000-cell workbook runs out of memory.
      const dir = await tempDir();
      const rows = [['区划代码', '村名', ...Array.from({ length: 100 }, (_, i) => `指标${i}`)]];
      for (let r = 0; r < 2400; r++) rows.push([`4107211${String(r).padStart(5, '0')}`, `村${r}`, ...Array.from({ length: 100 }, (_, i) => `值${r * i}`)]);
      const book = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), '村级情况');
      const bigFile = join(dir, '大表.xlsx');
      await writeFile(bigFile, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
      const big = await kaoping(['summary', bigFile, fixture('gb18030.csv')], { env: { KAOPING_READ_MEMORY_MB: '32' } });
      expect(big.code, JSON.stringify(big)).toBe(1);
      expect(big.stdout).toMatch(/^注意：1个文件未能读取/);
      expect(big.stdout).toMatch(/未能读取：.*大表\.xlsx：读取文件所需内存超过上限 32 MB/);
      expect(big.stdout).toMatch(/共4个村/);
    });
    it('a county rulebook with a wrong field', async () => {
      const dir = await tempDir();
      const p = join(dir, 'county.json');
      const j = JSON.parse(await readFile(join(ROOT, 'shared/rulebook/county-example.json'), 'utf8'));
      j.scoring.items[3].points = -2;
      await writeFile(p, JSON.stringify(j));
      expectOneLineError(await kaoping(['score', fixture('gb18030.csv'), '--rules', p]), /县级规则文件有误：scoring\.items\[3\]\.points：不能为负数/);
    });
    it('a bad period', async () => {
      expectOneLineError(await kaoping(['score', fixture('gb18030.csv'), '--period', '2026Q5']), /无法识别期次“2026Q5”/);
    });
    it('an unknown option', async () => {
      expectOneLineError(await kaoping(['score', fixture('gb18030.csv'), '--colour']), /命令参数有误/);
    });
  });
});

describe('kaoping summary', () => {
  const rules = join(ROOT, 'shared/rulebook/county-example.json');
  type Village = { level: string; total: number; name?: string };

  it('rolls up several files to the same villages, levels and totals `kaoping score` gives them', async () => {
    const files = [fixture('messy-excel.xlsx'), fixture('gb18030.csv')];
    const r = await kaoping(['summary', ...files, '--rules', rules, '--json', '--lowest', '5']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const villages: Village[] = [];
    for (const f of files) {
      const s = await kaoping(['score', f, '--rules', rules, '--json']);
      for (const sh of JSON.parse(s.stdout).sheets) villages.push(...(sh.villages as Village[]));
    }
    expect(j.villages).toBe(villages.length);
    expect(j.sheets.map((s: { name: string }) => s.name)).toEqual(['三季度汇总', '上季度', 'gb18030']);
    const levels: Record<string, number> = {};
    for (const v of villages) levels[v.level] = (levels[v.level] ?? 0) + 1;
    expect(Object.fromEntries(j.levels.filter((l: { villages: number }) => l.villages).map((l: { name: string; villages: number }) => [l.name, l.villages]))).toEqual(levels);
    const totals = villages.map((v) => v.total).sort((a, b) => a - b);
    expect(j.lowest.map((v: Village) => v.total)).toEqual(totals.slice(0, 5));
    expect(j.unreadableFiles).toEqual([]);
  });

  it('the readable roll-up names the weakest requirements and the lowest villages, with file, sheet and row', async () => {
    const r = await kaoping(['summary', fixture('messy-excel.xlsx'), fixture('gb18030.csv'), '--rules', rules]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^注意：各工作表的期次不一致/);
    expect(r.stdout).toMatch(/汇总：2个文件，3张工作表，共12个村/);
    expect(r.stdout).toMatch(/达标率最低的10项要求：\n {2}(基本|示范)标准第\d+条 /);
    expect(r.stdout).toMatch(/得分最低的10个村：\n {2}张庄村\s.*messy-excel\.xlsx“上季度”第2行/);
    expect(r.stdout).toMatch(/messy-excel\.xlsx“填表说明”未评分/);
  });

  it('an unreadable file is named with its reason, the others still counted, and the exit is non-zero', async () => {
    const dir = await tempDir();
    const bad = join(dir, '坏文件.xlsx');
    await writeFile(bad, Buffer.from('PK\u0003\u0004 not a zip'));
    const r = await kaoping(['summary', fixture('gb18030.csv'), bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^注意：1个文件未能读取，未计入汇总/);
    expect(r.stdout).toMatch(/共4个村/);
    expect(r.stdout).toMatch(new RegExp(`未能读取：${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}：.*[\u4e00-\u9fff]`));
  });

  it('usage errors end with one Chinese line', async () => {
    expectOneLineError(await kaoping(['summary']), /请给出要汇总的文件/);
    expectOneLineError(await kaoping(['summary', fixture('gb18030.csv'), '--lowest', 'x']), /--lowest 应为0到1000之间的整数/);
    expectOneLineError(await kaoping(['summary', fixture('gb18030.csv'), '--period', '2026Q5']), /无法识别期次“2026Q5”/);
  });
});

describe('kaoping template', () => {
  it('writes a blank 调查表 that opens with ExcelJS and has dropdowns', async () => {
    const dir = await tempDir();
    const out = join(dir, '调查表.xlsx');
    const r = await kaoping(['template', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const wb = await loadXlsx(out);
    const ws = wb.worksheets[0]!;
    const validations = Object.values((ws as unknown as { dataValidations: { model: Record<string, { type: string; formulae?: string[] }> } }).dataValidations.model);
    const lists = validations.filter((v) => v.type === 'list').map((v) => (v.formulae ?? []).join(','));
    expect(lists.some((f) => f.includes('党支部'))).toBe(true);
    expect(lists.some((f) => f.includes('是'))).toBe(true);
  });
});

describe('kaoping allocate', () => {
  const csv = '村名,代码,得分\n张庄村,410999100200,92.5\n李寨村,410999100201,88\n王屯村,410999100202,88\n刘庄村,410999100203,75.25\n';
  it('allocates exactly, shows the balance and explains every row; equal scores, equal money', async () => {
    const dir = await tempDir();
    const input = join(dir, 'scores.csv');
    await writeFile(input, csv);
    const out = join(dir, 'alloc.csv');
    const r = await kaoping(['allocate', '--input', input, '--budget', '100000', '--method', 'proportional', '--unit', '100', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.allocated + j.balance).toBe(100000);
    expect(j.rows.map((x: { amount: number }) => x.amount)).toEqual([26900, 25600, 25600, 21800]);
    expect(j.rows[0].explanation).toMatch(/100000元×92.50÷343.75/);
    const text = await readFile(out, 'utf8');
    expect(text.startsWith('\ufeff排名')).toBe(true);
    expect(text).toMatch(/结余,,,100,/);
  });
  it('tiers from a params file', async () => {
    const dir = await tempDir();
    const input = join(dir, 'scores.csv');
    await writeFile(input, csv);
    const params = join(dir, 'params.json');
    await writeFile(params, JSON.stringify({ method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 1, amount: 30000 }, { fromRank: 2, toRank: 4, amount: 20000 }] } }));
    const r = await kaoping(['allocate', '--input', input, '--budget', '100000', '--params', params, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rows.map((x: { amount: number }) => x.amount)).toEqual([30000, 20000, 20000, 20000]);
    expect(j.balance).toBe(10000);
  });
  it('a bad score names the line and column, in one line', async () => {
    const dir = await tempDir();
    const input = join(dir, 'scores.csv');
    await writeFile(input, '村名,代码,得分\n张庄村,410999100200,九十\n');
    expectOneLineError(await kaoping(['allocate', '--input', input, '--budget', '1000', '--method', 'proportional']), /第2行第3列（得分）/);
  });
  it('tiers over budget are refused, not scaled silently', async () => {
    const dir = await tempDir();
    const input = join(dir, 'scores.csv');
    await writeFile(input, csv);
    const params = join(dir, 'params.json');
    await writeFile(params, JSON.stringify({ method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 4, amount: 30000 }] } }));
    expectOneLineError(await kaoping(['allocate', '--input', input, '--budget', '100000', '--params', params]), /120000|超出|超过/);
  });
});
