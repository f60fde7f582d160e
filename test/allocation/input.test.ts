// Reading allocation input from JSON and CSV text.
import { describe, expect, it } from 'vitest';
import { allocate, parseAllocationInput, parseAllocationJson, parseUnitsCsv } from '../../shared/allocation/index.ts';
import { jsonErrorOffset } from '../../shared/allocation/input.ts';

function units(text: string) {
  const r = parseUnitsCsv(text);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r;
}

function errors(text: string): string[] {
  const r = parseUnitsCsv(text);
  return r.ok ? [] : r.errors;
}

describe('parseUnitsCsv', () => {
  it('reads Chinese headers and 是/否 flags', () => {
    const r = units(
      ['代码,名称,得分,排名,等次,一票否决,软弱涣散', '330102001001,东村,92.5,1,优秀,否,否', '330102001002,西村,88,2,良好,是,0'].join('\n'),
    );
    expect(r.value).toEqual([
      { id: '330102001001', name: '东村', score: 92.5, rank: 1, level: '优秀', veto: false, weak: false },
      { id: '330102001002', name: '西村', score: 88, rank: 2, level: '良好', veto: true, weak: false },
    ]);
  });

  it('reads English headers, CRLF, a BOM, quoted fields and blank flags', () => {
    const r = units('\ufeffid,name,score,veto,weak\r\n"a1","Dong, village",90,,1\r\n\r\na2,"He said ""hi""",80.25,no,\r\n');
    expect(r.value).toEqual([
      { id: 'a1', name: 'Dong, village', score: 90, weak: true },
      { id: 'a2', name: 'He said "hi"', score: 80.25, veto: false },
    ]);
  });

  it('reads traditional and full-width headers with units, skips title rows, 合计 and 填表人 lines', () => {
    const r = units(
      [
        '2025年度村黨組織考評結果,,,',
        '名稱,得分（分）,一票否決,備註',
        '东村,９０.５,√,',
        '西村,85分,×,好',
        '合计,175.5,,',
        '填表人：张三,,,',
      ].join('\n'),
    );
    expect(r.value).toEqual([
      { id: '东村', name: '东村', score: 90.5, veto: true },
      { id: '西村', name: '西村', score: 85, veto: false },
    ]);
    expect(r.warnings).toEqual(['未使用的列：第4列（備註）', '第5行：合计行，已跳过', '第6行：表尾签署行，已跳过']);
  });

  it('reads tab-separated text (pasted from a spreadsheet)', () => {
    expect(units('名称\t得分\n东村\t90\n').value).toEqual([{ id: '东村', name: '东村', score: 90 }]);
    expect(units('考评结果\n名称\t得分\n东村,一组\t90.5\n').value).toEqual([{ id: '东村,一组', name: '东村,一组', score: 90.5 }]);
  });

  it('names the line and column of every problem', () => {
    expect(
      errors(['名称,得分,一票否决,排名', '东村,abc,否,1', '西村,90.125,也许,2', '南村,,否,第3名', '北村,80,否,x'].join('\n')),
    ).toEqual([
      '第2行第2列（得分）：“abc”不是有效的得分（应为不小于0的数字）',
      '第3行第2列（得分）：“90.125”超过两位小数',
      '第3行第3列（一票否决）：“也许”应为是或否（也可写1/0）表示是否一票否决',
      '第4行第2列（得分）：得分为空',
      '第5行第4列（排名）：“x”不是有效的名次（应为正整数）',
    ]);
  });

  it('refuses duplicate names when there is no code column, and duplicate codes', () => {
    expect(errors('名称,得分\n东村,1\n东村,2')).toEqual([
      '第3行第1列（名称）：名称“东村”与第2行重复；有重名时请增加代码列',
    ]);
    expect(errors('代码,名称,得分\n1,东村,1\n1,西村,2')).toEqual(['第3行第1列（代码）：代码“1”与第2行重复']);
  });

  it('spots codes mangled into scientific notation', () => {
    expect(errors('代码,名称,得分\n3.30102E+11,东村,1')[0]).toContain('第2行第1列（代码）：“3.30102E+11”是科学计数法');
  });

  it('wants ranks for all or none', () => {
    expect(errors('名称,得分,排名\n东村,2,1\n西村,1,')).toEqual([
      '第3行第3列（排名）：排名为空；排名须全部填写或全部留空（留空时按得分计算并列名次）',
    ]);
  });

  it('explains a missing header', () => {
    expect(errors('名称,分值\n东村,1')).toEqual([
      '第1行：找不到得分列；表头须含“得分”（或 分数/总分/score），以及“名称”或“代码”',
    ]);
    expect(errors('得分,备注\n1,x')).toEqual(['第1行：表头缺少名称列（名称/单位名称/name）或代码列（代码/区划代码/id）']);
    expect(errors('名称,得分,总分\n东村,1,1')).toEqual(['第1行第3列（总分）：与第2列（得分）都表示“得分”，请只保留一列']);
    expect(errors('')).toEqual(['文件为空：没有表头和数据行']);
    expect(errors('名称,得分\n')).toEqual(['第1行表头之下没有数据行']);
  });

  it('reports an unclosed quote with its line', () => {
    expect(errors('名称,得分\n"东村,1\n西村,2')).toEqual(['第2行：引号没有闭合（从这一行开始的带引号字段一直到文件末尾）']);
  });
});

describe('parseAllocationJson', () => {
  it('reads a full input; a bare method name and numeric codes are accepted', () => {
    const r = parseAllocationJson(
      JSON.stringify({ budget: 1000, method: 'proportional', units: [{ id: 330102001001, name: '东村', score: 1 }] }),
    );
    expect(r).toEqual({
      ok: true,
      value: { budget: 1000, method: { kind: 'proportional' }, units: [{ id: '330102001001', name: '东村', score: 1 }] },
      warnings: [],
    });
  });

  it('reports JSON syntax errors with line and column', () => {
    const r = parseAllocationJson('{\n  "budget": 1000,\n  "method": }');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^JSON格式错误：第3行第13列，此处为“}”（/);
    const end = parseAllocationJson('{"budget": 1');
    expect(!end.ok && end.errors[0]).toMatch(/^JSON格式错误：第1行第13列，文件意外结束/);
  });

  it('locates JSON syntax errors of every kind', () => {
    for (const [text, offset] of [
      ['{"a": tru}', 6],
      ['{"a": 1,}', 8],
      ['[1 2]', 3],
      ['{"a": "x\\q"}', 9],
      ['{"a": 01}', 7],
      ['{"a": 1} x', 9],
      ['{"a": "x', 8],
    ] as const) {
      expect([text, jsonErrorOffset(text)]).toEqual([text, offset]);
      expect(() => JSON.parse(text)).toThrow();
    }
    const valid = '{"a": [1, {"b": null}], "c": "\\u00e9", "d": -1.5e3}';
    expect(jsonErrorOffset(valid)).toBe(valid.length);
  });

  it('reports schema problems by path', () => {
    const r = parseAllocationJson('{"budget": 1000, "method": {"kind": "tiers", "tiers": [{"fromRank": 1, "toRank": 3, "amount": -5}]}, "units": [{"id": "a", "name": "a", "score": 1}]}');
    expect(r).toEqual({ ok: false, errors: ['method.tiers[0].amount：必须是非负整数'] });
  });

  it('lets options override the file', () => {
    const r = parseAllocationJson('{"budget": 1000, "method": "proportional", "units": [{"id": "a", "name": "a", "score": 1}]}', {
      budget: 2000,
      roundingUnit: 100,
    });
    expect(r.ok && [r.value.budget, r.value.roundingUnit]).toEqual([2000, 100]);
  });
});

describe('parseAllocationInput', () => {
  it('combines CSV units with options and allocates', () => {
    const r = parseAllocationInput('名称,得分\n东村,60\n西村,40\n', { budget: 10000, method: { kind: 'proportional' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = allocate(r.value);
    expect(a.ok && a.rows.map((x) => [x.name, x.amount])).toEqual([
      ['东村', 6000],
      ['西村', 4000],
    ]);
  });

  it('needs a budget and a method beside a CSV', () => {
    expect(parseAllocationInput('名称,得分\n东村,60')).toEqual({
      ok: false,
      errors: ['缺少预算（budget）：CSV只含单位，预算须另行给出', '缺少分配方法（method）：CSV只含单位，方法须另行给出'],
    });
  });

  it('names the CSV line of a unit the schema refuses', () => {
    const r = parseAllocationInput('名称,得分,排名\n东村,90,1\n西村,95,2\n南村,95,2\n', { budget: 100, method: 'proportional' as never });
    expect(r).toEqual({
      ok: false,
      errors: ['第2行第3列（排名）：名次与得分不一致，东村得分90.00为第1名，而得分更高的西村（95.00）为第2名'],
    });
  });

  it('detects JSON', () => {
    const r = parseAllocationInput(' {"budget": 5, "method": {"kind": "proportional"}, "units": [{"id": "a", "name": "a", "score": 0}]}');
    expect(r.ok).toBe(true);
  });
});
