// Routes /api/allocations inside workerd: preview and save over a period's DuckDB ranking with the shared
// allocate(), exactness (Σ amounts + balance = budget, equal scores equal money), immutable versions that
// reproduce, roles, and the CSV and .xlsx exports parsed back.
import { env } from 'cloudflare:workers';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, COUNTY, seed, T1, T2 } from './helpers.ts';
import { putResults } from './results-helpers.ts';

const V = (t: string, n: number) => `${t}${200 + n}`;

/** RFC 4180 parsing of our CSV (quotes, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

const json = async <T = any>(res: Response): Promise<T> => (await res.json()) as T;
const preview = (login: string, body: unknown) => call(login, '/api/allocations/preview', { method: 'POST', json: body });

beforeAll(async () => {
  await seed();
  await putResults([
    // 2026Q3: ties at 90 (T1) and a tie across townships at 85
    { village: V(T1, 0), period: '2026Q3', total: 90 },
    { village: V(T1, 1), period: '2026Q3', total: 95.5 },
    { village: V(T1, 2), period: '2026Q3', total: 90 },
    { village: V(T1, 3), period: '2026Q3', total: 85 },
    { village: V(T1, 4), period: '2026Q3', total: 61.25, level: '未达标', veto: true },
    { village: V(T2, 0), period: '2026Q3', total: 85 },
    { village: V(T2, 1), period: '2026Q3', total: 72.33, weak: true },
    { village: V(T2, 9), period: '2026Q3', total: 70, name: '=HYPERLINK("http://x","点我")' },
    // 2026Q1/Q2 for the township ranking of 2026H1
    { village: V(T1, 0), period: '2026Q1', total: 80 },
    { village: V(T1, 1), period: '2026Q2', total: 86 },
    { village: V(T2, 0), period: '2026Q1', total: 90 },
    { village: V(T2, 1), period: '2026Q2', total: 70 },
  ]);
});

describe('POST /api/allocations/preview', () => {
  it('proportional over the county ranking: exact to the yuan, balance shown, equal scores equal money', async () => {
    const res = await preview('finance', { period: '2026Q3', level: 'village', budget: 100000, method: { kind: 'proportional' } });
    expect(res.status).toBe(200);
    const { result, ranking } = await json(res);
    expect(ranking).toMatchObject({ period: '2026Q3', level: 'village', count: 8, rankBasis: expect.stringContaining('全县') });
    expect(result.ok).toBe(true);
    const amounts = result.rows.map((r: any) => r.amount);
    expect(amounts.reduce((a: number, b: number) => a + b, 0) + result.balance).toBe(100000);
    expect(result.allocated + result.balance).toBe(100000);
    expect(result.balance).toBeGreaterThanOrEqual(0);
    // ranks are the county ranks DuckDB computed: 95.5 → 1; 90, 90 → 2, 2; 85, 85 → 4, 4
    expect(result.rows.map((r: any) => [r.id, r.rank])).toEqual([
      [V(T1, 1), 1],
      [V(T1, 0), 2],
      [V(T1, 2), 2],
      [V(T1, 3), 4],
      [V(T2, 0), 4],
      [V(T2, 1), 6],
      [V(T2, 9), 7],
      [V(T1, 4), 8],
    ]);
    const by = Object.fromEntries(result.rows.map((r: any) => [r.id, r]));
    expect(by[V(T1, 0)].amount).toBe(by[V(T1, 2)].amount);
    expect(by[V(T1, 3)].amount).toBe(by[V(T2, 0)].amount);
    // default eligibility: 一票否决 and 软弱涣散 (the recorded flag) are excluded, with the reason
    expect(by[V(T1, 4)]).toMatchObject({ eligible: false, amount: 0 });
    expect(by[V(T2, 1)]).toMatchObject({ eligible: false, amount: 0 });
    expect(by[V(T1, 1)].explanation).toContain('95.50');
  });

  it('tiers by rank; ties share the tier (并列就高); rounding unit; within one township', async () => {
    const res = await preview('admin', {
      period: '2026Q3',
      level: 'village',
      township: T1,
      budget: 20000,
      roundingUnit: 100,
      method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 1, amount: 5000 }, { fromRank: 2, toRank: 3, amount: 3000 }, { fromRank: 4, toRank: 5, amount: 1000 }] },
    });
    expect(res.status).toBe(200);
    const { result, ranking } = await json(res);
    expect(ranking.rankBasis).toContain('乡镇内');
    expect(result.rows.map((r: any) => [r.rank, r.amount])).toEqual([
      [1, 5000],
      [2, 3000],
      [2, 3000],
      [4, 1000],
      [5, 0], // vetoed
    ]);
    expect(result.allocated + result.balance).toBe(20000);
  });

  it('townships over a half-year ranking', async () => {
    const res = await preview('finance', { period: '2026H1', level: 'township', budget: 50000, method: { kind: 'rankPoints', points: [{ fromRank: 1, toRank: 1, points: 3 }, { fromRank: 2, toRank: 2, points: 2 }] } });
    expect(res.status).toBe(200);
    const { result } = await json(res);
    // T1: (80 + 86) / 2 = 83; T2: (90 + 70) / 2 = 80
    expect(result.rows.map((r: any) => [r.id, r.score, r.rank])).toEqual([
      [T1, 83, 1],
      [T2, 80, 2],
    ]);
    expect(result.rows.map((r: any) => r.amount)).toEqual([30000, 20000]);
    expect(result.balance).toBe(0);
  });

  it('refusals: roles, bad input with the field named, tiers over budget, no ranking, wrong period kind', async () => {
    const body = { period: '2026Q3', level: 'village', budget: 100000, method: { kind: 'proportional' } };
    expect((await preview('county', body)).status).toBe(403);
    expect((await preview('town1', body)).status).toBe(403);
    expect((await preview('province', body)).status).toBe(403);
    expect((await call(null, '/api/allocations/preview', { method: 'POST', json: body })).status).toBe(401);
    const bad = await preview('finance', { ...body, budget: -5 });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toContain('budget');
    const badMethod = await preview('finance', { ...body, method: { kind: 'lottery' } });
    expect(badMethod.status).toBe(400);
    expect((await json(badMethod)).error.message).toContain('method');
    const unknown = await preview('finance', { ...body, extra: 1 });
    expect(unknown.status).toBe(400);
    const over = await preview('finance', { ...body, budget: 1000, method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 8, amount: 1000 }] } });
    expect(over.status).toBe(422);
    expect((await json(over)).error.code).toBe('tiers_over_budget');
    const none = await preview('finance', { ...body, period: '2020Q1' });
    expect(none.status).toBe(400);
    expect((await json(none)).error.code).toBe('no_ranking');
    expect((await preview('finance', { ...body, level: 'township' })).status).toBe(400);
    expect((await preview('finance', { ...body, township: '410998100' })).status).toBe(400);
  });
});

describe('saved allocations: immutable versions, reproducible, exports', () => {
  let first: any;

  it('saves who, when, inputs, rulebook version and the ranking; versions count up per period', async () => {
    const body = { period: '2026Q3', level: 'village', budget: 123457, roundingUnit: 10, method: { kind: 'basePlusTopUp', base: 5000 }, title: '2026年第三季度村级以奖代补资金分配' };
    const res = await call('finance', '/api/allocations', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    first = (await json(res)).allocation;
    expect(first).toMatchObject({ version: 1, period: '2026Q3', level: 'village', title: body.title, budget: 123457, rulebookVersion: null, createdBy: { id: 'acc-finance', name: 'finance' } });
    expect(first.input).toMatchObject({ budget: 123457, roundingUnit: 10, method: { kind: 'basePlusTopUp', base: 5000 } });
    expect(first.ranking.units).toHaveLength(8);
    expect(first.result.allocated + first.result.balance).toBe(123457);
    expect(first.result.rows.every((r: any) => r.amount % 10 === 0)).toBe(true);
    const second = await call('admin', '/api/allocations', { method: 'POST', json: { ...body, title: '第二稿' } });
    expect(second.status).toBe(201);
    expect((await json(second)).allocation.version).toBe(2);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'allocation.save'").first<{ n: number }>();
    expect(audit!.n).toBe(2);
    // a title is required to save
    expect((await call('finance', '/api/allocations', { method: 'POST', json: { ...body, title: '' } })).status).toBe(400);
  });

  it('a saved allocation cannot be changed or deleted, and reproduces from what it stored even after new results', async () => {
    await expect(env.DB.prepare('UPDATE allocations SET budget = 1 WHERE id = ?').bind(first.id).run()).rejects.toThrow(/immutable/);
    await expect(env.DB.prepare('DELETE FROM allocations WHERE id = ?').bind(first.id).run()).rejects.toThrow(/immutable/);
    await putResults([{ village: V(T1, 3), period: '2026Q3', total: 99 }], '2026-11-01T00:00:00.000Z');
    const res = await call('county', `/api/allocations/${first.id}`);
    expect(res.status).toBe(200);
    const got = await json(res);
    expect(got.reproducible).toBe(true);
    expect(got.allocation.result).toEqual(first.result);
    expect(got.allocation.ranking.units.find((u: any) => u.id === V(T1, 3)).score).toBe(85);
    // a new preview sees the new ranking
    const now = await json(await preview('finance', { period: '2026Q3', level: 'village', budget: 1000, method: { kind: 'proportional' } }));
    expect(now.result.rows[0].id).toBe(V(T1, 3));
  });

  it('list and read: finance, admin and county; not township, province or another county', async () => {
    const list = await call('county', '/api/allocations?period=2026Q3');
    expect(list.status).toBe(200);
    const l = await json(list);
    expect(l.allocations.map((a: any) => a.version)).toEqual([2, 1]);
    expect(l.allocations[1]).toMatchObject({ budget: 123457, method: 'basePlusTopUp', units: 8 });
    expect((await call('town1', '/api/allocations')).status).toBe(403);
    expect((await call('province', '/api/allocations')).status).toBe(403);
    expect((await call('other-county', `/api/allocations/${first.id}`)).status).toBe(403);
    expect((await call('finance', '/api/allocations/nope')).status).toBe(404);
    expect((await call('county', '/api/allocations', { method: 'POST', json: {} })).status).toBe(403);
  });

  it('CSV export: BOM, rows, totals, budget and balance; parses back; formulas neutralised', async () => {
    const res = await call('finance', `/api/allocations/${first.id}/export.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/filename="allocation-2026Q3-v1\.csv"; filename\*=UTF-8''/);
    const buf = new Uint8Array(await res.arrayBuffer());
    expect([...buf.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(buf).replace(/^\ufeff/, ''));
    expect(rows[0]).toEqual(['名次', '乡镇', '区划代码', '名称', '得分', '参与分配', '金额（元）', '计算说明']);
    const data = rows.slice(1, -3);
    expect(data).toHaveLength(8);
    const sum = data.reduce((a, r) => a + Number(r[6]), 0);
    const [total, budget, balance] = rows.slice(-3);
    expect(total![0]).toBe('合计');
    expect(Number(total![6])).toBe(sum);
    expect(budget![0]).toBe('预算');
    expect(Number(budget![6])).toBe(123457);
    expect(balance![0]).toBe('结余');
    expect(sum + Number(balance![6])).toBe(123457);
    expect(data.find((r) => r[2] === V(T2, 9))![3]).toBe('\'=HYPERLINK("http://x","点我")');
    expect(data.find((r) => r[2] === V(T1, 0))![1]).toBe('东风镇');
    // county staff may download too
    expect((await call('county', `/api/allocations/${first.id}/export.csv`)).status).toBe(200);
  });

  it('xlsx export: title, dates, rows with explanations, totals and balance, notes, signature block; parses back', async () => {
    const res = await call('finance', `/api/allocations/${first.id}/export.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('以奖代补分配')!;
    expect(ws.getCell('A1').value).toBe('2026年第三季度村级以奖代补资金分配');
    expect(String(ws.getCell('A2').value)).toContain('预算：123457元');
    expect(String(ws.getCell('A2').value)).toContain('第1版');
    expect(String(ws.getCell('A3').value)).toMatch(/保存时间：\d{4}年\d+月\d+日 \d\d:\d\d（finance）　导出日期：/);
    expect(ws.getRow(4).values).toEqual([undefined, '名次', '乡镇', '区划代码', '名称', '得分', '参与分配', '金额（元）', '计算说明']);
    let sum = 0;
    for (let r = 5; r < 13; r++) {
      sum += ws.getCell(r, 7).value as number;
      expect(String(ws.getCell(r, 8).value).length).toBeGreaterThan(5);
    }
    const cellNum = (r: number) => {
      const v = ws.getCell(r, 7).value as number | { result: number };
      return typeof v === 'number' ? v : v.result;
    };
    expect(ws.getCell(13, 1).value).toBe('合计');
    expect(cellNum(13)).toBe(sum);
    expect((ws.getCell(13, 7).value as { formula: string }).formula).toBe('SUM(G5:G12)');
    expect(ws.getCell(14, 1).value).toBe('预算');
    expect(cellNum(14)).toBe(123457);
    expect(ws.getCell(15, 1).value).toBe('结余');
    expect(cellNum(15)).toBe(123457 - sum);
    const texts: string[] = [];
    ws.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    expect(texts).toContain('经办人：');
    expect(texts).toContain('审核人：');
    expect(texts).toContain('负责人：');
    expect(texts.some((t) => t.startsWith('分配方法'))).toBe(true);
    expect(res.headers.get('content-disposition')).toContain('.xlsx');
  });
});

describe('a county with its rulebook', () => {
  it('records the rulebook version in force', async () => {
    await env.DB.prepare(
      "INSERT INTO rulebooks (county_code, version, rulebook_id, name, effective_from, json, created_by, created_at) VALUES (?, 1, 'r', 'r', '2026', ?, 'acc-admin', '2026-01-01T00:00:00Z')",
    )
      .bind(COUNTY, JSON.stringify({ id: 'r', name: '规则', effectiveFrom: '2026', scoring: { items: [{ ref: 'basic-1', points: 100 }] }, observation: { weight: 0.5 } }))
      .run();
    const res = await call('finance', '/api/allocations', { method: 'POST', json: { period: '2026H1', level: 'township', budget: 10000, method: { kind: 'proportional' }, title: '乡镇' } });
    expect(res.status).toBe(201);
    const a = (await json(res)).allocation;
    expect(a).toMatchObject({ rulebookVersion: 1, version: 1, period: '2026H1' });
    expect(a.ranking.rulebookVersion).toBe(1);
  });
});
