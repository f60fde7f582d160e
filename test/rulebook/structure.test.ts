// Structure of the default rulebook (shared/rulebook/*.json) against the contract and the source text.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRulebook, findInput, findRequirement } from '../../shared/rulebook/load.ts';
import { normalizeText } from '../../shared/text/normalize.ts';
import type { Check, Comparator, InputKind, Requirement } from '../../shared/types.ts';
import { ORG_TYPES } from '../../shared/types.ts';

const seedDir = new URL('../../../shared/seeds/', import.meta.url);
const seedFile = readdirSync(seedDir).find((f) => f.startsWith('001_'));
if (!seedFile) throw new Error('seed 001 not found in ../shared/seeds');
const seed = readFileSync(new URL(seedFile, seedDir), 'utf8');
const basicStart = seed.indexOf('农村基层党组织建设基本标准\n');
const demoStart = seed.indexOf('农村基层党组织建设示范标准');

const rb = defaultRulebook();
const inputById = new Map(rb.inputs.map((i) => [i.id, i]));
const allReqs = rb.articles.flatMap((a) => a.requirements.map((r) => ({ a, r })));

const NUMERIC: InputKind[] = ['count', 'number', 'hours', 'money', 'area', 'percent'];
const CHECK_KINDS: Record<Check['kind'], InputKind[]> = {
  threshold: NUMERIC,
  range: NUMERIC,
  param: NUMERIC,
  frequency: ['count'],
  ratio: ['count'],
  flag: ['bool'],
  judgement: ['judgement'],
  term: ['date'],
};
const IDENTITY = ['code', 'name', 'township', 'orgType', 'unitType', 'isWeak', 'isPoor'];

/** Boundary words (民法典 第1259条 and the design note) and the comparator each implies. */
const WORD_OPS: Record<string, Comparator[]> = {
  以上: ['>='],
  不少于: ['>='],
  不低于: ['>='],
  达到: ['>='],
  至少: ['>='],
  以下: ['<='],
  超过: ['>'],
  低于: ['<'],
  不满: ['<'],
  不足: ['<'],
};
/** "1-2个", "2—3个": a range stated as its lower bound, inclusive. */
const RANGE_WORD = /^\d+[-—至]\d+$/;

function inputsOf(c: Check): string[] {
  return c.kind === 'ratio' ? [c.numerator, c.denominator] : [c.input];
}
function checksOf(r: Requirement): Check[] {
  return r.alt ? [r.check, r.alt] : [r.check];
}

describe('articles', () => {
  it('has 42 basic articles numbered 1..42 and 23 demo articles numbered 1..23, in order', () => {
    const nums = (s: string) => rb.articles.filter((a) => a.standard === s).map((a) => a.article);
    expect(nums('basic')).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    expect(nums('demo')).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(rb.articles).toHaveLength(65);
    expect(rb.id).toBe('standards-2020');
    expect(rb.name).toBe('农村基层党组织建设基本标准与示范标准（默认）');
  });

  it('quotes every article verbatim from seed 001, in its own standard and in order', () => {
    for (const std of ['basic', 'demo'] as const) {
      let from = std === 'basic' ? basicStart : demoStart;
      const end = std === 'basic' ? demoStart : seed.length;
      for (const a of rb.articles.filter((x) => x.standard === std)) {
        const at = seed.indexOf(`${a.article}.${a.text}`, from);
        expect(at, `${std}-${a.article}`).toBeGreaterThanOrEqual(from);
        expect(at, `${std}-${a.article}`).toBeLessThan(end);
        // the whole paragraph: the text runs to the end of its line
        expect(seed.slice(at + `${a.article}.`.length).split('\n')[0]!.trimEnd(), `${std}-${a.article}`).toBe(a.text);
        from = at + a.text.length;
      }
    }
  });

  it('names the group each article sits under in the source', () => {
    const groups = (std: string) => [...new Set(rb.articles.filter((a) => a.standard === std).map((a) => a.group))];
    expect(groups('basic')).toEqual([
      '一、党的组织设置',
      '二、班子队伍建设',
      '三、党员教育管理',
      '四、党内组织生活',
      '五、场所建设管理使用',
      '六、工作运行机制',
      '七、党组织和党员作用发挥',
      '八、经济社会发展成效',
    ]);
    expect(groups('demo')).toEqual([
      '一、政治、服务功能完备',
      '二、干部、党员队伍建强',
      '三、阵地、经费保障有力',
      '四、制度、机制严格落实',
      '五、经济、社会事业全面发展',
      '六、示范带动作用显著',
    ]);
    for (const a of rb.articles) {
      const base = a.standard === 'basic' ? basicStart : demoStart;
      const g = seed.indexOf(a.group, base);
      const at = seed.indexOf(`${a.article}.${a.text}`, base);
      expect(g, `${a.standard}-${a.article}`).toBeGreaterThanOrEqual(0);
      expect(g, `${a.standard}-${a.article}`).toBeLessThan(at);
    }
    expect(rb.articles.find((a) => a.standard === 'demo' && a.article === 23)?.group).toBe('六、示范带动作用显著');
  });

  it('gives every article a short title and at least one requirement', () => {
    for (const a of rb.articles) {
      expect(a.title.length, `${a.standard}-${a.article}`).toBeGreaterThan(1);
      expect(a.title.length).toBeLessThanOrEqual(10);
      expect(a.requirements.length, `${a.standard}-${a.article}`).toBeGreaterThan(0);
    }
    expect(rb.articles.find((a) => a.standard === 'basic' && a.article === 18)?.title).toBe('三会一课');
  });
});

describe('requirements', () => {
  it('has unique ids of the form standard-article[-a|-b…]', () => {
    const ids = allReqs.map(({ r }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of rb.articles) {
      const base = `${a.standard}-${a.article}`;
      const want =
        a.requirements.length === 1
          ? [base]
          : a.requirements.map((_, i) => `${base}-${String.fromCharCode(97 + i)}`);
      expect(a.requirements.map((r) => r.id)).toEqual(want);
      for (const r of a.requirements) expect(r.title.length, r.id).toBeGreaterThan(3);
    }
  });

  it('reads only declared inputs, of a kind the check can use', () => {
    for (const { r } of allReqs) {
      for (const c of checksOf(r)) {
        expect(Object.keys(CHECK_KINDS), r.id).toContain(c.kind);
        for (const id of inputsOf(c)) {
          const def = inputById.get(id);
          expect(def, `${r.id} reads ${id}`).toBeDefined();
          expect(CHECK_KINDS[c.kind], `${r.id}: ${c.kind} on ${id} (${def?.kind})`).toContain(def!.kind);
        }
      }
    }
  });

  it('has well-formed checks', () => {
    for (const { r } of allReqs) {
      for (const c of checksOf(r)) {
        switch (c.kind) {
          case 'threshold':
          case 'ratio':
            expect(Number.isFinite(c.value), r.id).toBe(true);
            expect(c.value).toBeGreaterThan(0);
            break;
          case 'range':
            expect(c.min, r.id).toBeLessThanOrEqual(c.max);
            break;
          case 'frequency':
            expect(Number.isInteger(c.times) && c.times > 0, r.id).toBe(true);
            expect(['month', 'quarter', 'half', 'year', 'biennium']).toContain(c.per);
            break;
          case 'term':
            expect(c.years, r.id).toBeGreaterThan(0);
            break;
          case 'param':
            expect(c.param, r.id).toMatch(/^[a-z][A-Za-z0-9]*$/);
            break;
          case 'flag':
            expect(typeof c.expect, r.id).toBe('boolean');
            break;
          case 'judgement':
            break;
        }
      }
    }
  });

  it('keeps the boundary word of the source, with the comparator the convention gives it', () => {
    for (const { a, r } of allReqs) {
      for (const c of checksOf(r)) {
        if (c.kind !== 'threshold' && c.kind !== 'ratio' && c.kind !== 'param') continue;
        expect(a.text, `${r.id}: ${c.word}`).toContain(c.word);
        const ops: Comparator[] | undefined = RANGE_WORD.test(c.word) ? ['>='] : WORD_OPS[c.word];
        expect(ops, `${r.id}: unknown boundary word ${c.word}`).toBeDefined();
        expect(ops, `${r.id}: ${c.word} ⇒ ${c.op}`).toContain(c.op);
      }
    }
  });

  it('takes every number from the article text', () => {
    // The source states these as "所有" / "每年至少…1次": 100% of the units must be covered.
    const derived100 = new Set(['basic-32-a', 'demo-12-b']);
    const stated = (text: string, v: number) =>
      text.includes(String(v)) || (v >= 10000 && text.includes(`${v / 10000}万`));
    for (const { a, r } of allReqs) {
      for (const c of checksOf(r)) {
        const nums: number[] = [];
        if (c.kind === 'threshold' || c.kind === 'ratio') nums.push(c.value);
        if (c.kind === 'range') nums.push(c.min, c.max);
        if (c.kind === 'term') nums.push(c.years);
        // "每月开展…活动" states once a month without a digit
        if (c.kind === 'frequency' && c.times !== 1) nums.push(c.times);
        for (const v of nums) {
          if (derived100.has(r.id) && v === 100) continue;
          expect(stated(a.text, v), `${r.id}: ${v}`).toBe(true);
        }
      }
    }
  });

  it('names the period of every frequency as the text does', () => {
    const words: Record<string, string[]> = {
      month: ['每月'],
      quarter: ['每季度'],
      half: ['每半年'],
      year: ['每年', '一年'],
      biennium: ['每两年'],
    };
    for (const { a, r } of allReqs) {
      const c = r.check;
      if (c.kind !== 'frequency') continue;
      expect(
        words[c.per]!.some((w) => a.text.includes(w)),
        `${r.id}: ${c.per}`,
      ).toBe(true);
    }
  });

  it('states organisation and condition scopes with known org types and bool inputs', () => {
    for (const { a, r } of allReqs) {
      for (const ap of [a.appliesTo, r.appliesTo]) {
        if (!ap) continue;
        for (const o of ap.org ?? []) expect(ORG_TYPES, r.id).toContain(o);
        for (const u of ap.unit ?? []) expect(['村', '社区'], r.id).toContain(u);
        for (const w of ap.when?.anyOf ?? []) expect(inputById.get(w.input)?.kind, `${r.id} when ${w.input}`).toBe('bool');
      }
      // an article-wide scope is repeated on each requirement, so an engine reading either sees it
      if (a.appliesTo) expect(r.appliesTo, r.id).toEqual(a.appliesTo);
    }
  });

  it('encodes the organisation-dependent rules of the brief', () => {
    const req = (id: string) => findRequirement(rb, id)?.requirement;
    expect(req('basic-7-a')).toMatchObject({ check: { kind: 'range', min: 3, max: 5 }, appliesTo: { org: ['党支部'] } });
    expect(req('basic-7-b')).toMatchObject({ check: { kind: 'range', min: 5, max: 7 } });
    expect(req('basic-7-b')?.appliesTo?.org?.slice().sort()).toEqual(['党委', '党总支']);
    expect(req('basic-1-a')).toMatchObject({ check: { op: '>=', value: 3 }, appliesTo: { org: ['党支部'] } });
    expect(req('basic-1-b')).toMatchObject({ check: { op: '>', value: 50, word: '超过' }, alt: { kind: 'judgement' } });
    expect(req('basic-1-c')).toMatchObject({ check: { op: '>=', value: 100 }, appliesTo: { org: ['党委'] } });
    for (const id of ['basic-21', 'basic-22', 'basic-18-e']) {
      expect(req(id)?.appliesTo?.org?.slice().sort(), id).toEqual(['党委', '党总支']);
    }
    const fiveOrgs = ['basic-5-a', 'basic-5-b', 'basic-5-c'].map((id) => req(id)?.appliesTo?.org);
    expect(fiveOrgs).toEqual([['党委'], ['党总支'], ['党支部']]);
    expect(req('basic-9-b')?.appliesTo?.when?.anyOf.map((w) => w.input).sort()).toEqual(['isPoor', 'isWeak']);
    expect(req('basic-8')).toMatchObject({ check: { kind: 'term', years: 3 }, alt: { kind: 'flag', expect: true } });
    expect(req('basic-40-b')).toMatchObject({ check: { kind: 'param', param: 'povertyLine', op: '>', word: '超过' } });
    expect(req('basic-40-c')).toMatchObject({ check: { op: '<', value: 2, word: '低于' } });
    expect(req('basic-41')).toMatchObject({ check: { op: '>=', value: 20000 }, alt: { kind: 'flag' } });
    expect(req('basic-11-b')).toMatchObject({ check: { kind: 'ratio', op: '>=', value: 3 } });
    expect(req('demo-9-a')).toMatchObject({ check: { op: '>=', value: 80 } });
    expect(req('demo-9-b')).toMatchObject({ check: { op: '<=', value: 10 } });
    expect(req('demo-13-a')).toMatchObject({ check: { op: '>=', value: 300 } });
    expect(req('demo-14-a')).toMatchObject({ check: { op: '>=', value: 50000 } });
    expect(req('demo-18-a')).toMatchObject({ check: { kind: 'frequency', times: 2, per: 'year' } });
  });

  it('orders the 三会一课 requirements as the text does', () => {
    const a = rb.articles.find((x) => x.standard === 'basic' && x.article === 18)!;
    expect(a.requirements.map((r) => (r.check.kind === 'frequency' ? `${r.check.times}/${r.check.per}` : ''))).toEqual([
      '1/quarter',
      '1/month',
      '1/month',
      '1/quarter',
      '1/year',
      '1/year',
    ]);
  });
});

describe('inputs', () => {
  it('has unique ids and labels, and the identity inputs', () => {
    const ids = rb.inputs.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const labels = rb.inputs.map((i) => normalizeText(i.label));
    expect(new Set(labels).size).toBe(labels.length);
    for (const id of IDENTITY) expect(inputById.has(id), id).toBe(true);
    expect(inputById.get('code')?.kind).toBe('code');
    expect(inputById.get('orgType')?.kind).toBe('orgType');
    expect(inputById.get('unitType')?.kind).toBe('unitType');
    expect(inputById.get('isWeak')?.kind).toBe('bool');
    expect(inputById.get('isPoor')?.kind).toBe('bool');
    expect(inputById.get('orgType')?.options).toEqual(['党支部', '党总支', '党委']);
    expect(inputById.get('unitType')?.options).toEqual(['村', '社区']);
  });

  it('uses camelCase ids, and judge.<standard>.<article>[letter] for judgements', () => {
    for (const i of rb.inputs) {
      if (i.kind === 'judgement') expect(i.id).toMatch(/^judge\.(basic|demo)\.\d+[a-z]?$/);
      else expect(i.id).toMatch(/^[a-z][A-Za-z0-9]*$/);
    }
  });

  it('declares nothing that no check, scope, derivation or identity reads', () => {
    const used = new Set(IDENTITY);
    for (const { a, r } of allReqs) {
      for (const c of checksOf(r)) for (const id of inputsOf(c)) used.add(id);
      for (const ap of [a.appliesTo, r.appliesTo]) for (const w of ap?.when?.anyOf ?? []) used.add(w.input);
    }
    for (const i of rb.inputs) {
      if (i.derive) {
        used.add(i.derive.part);
        used.add(i.derive.whole);
      }
    }
    expect(rb.inputs.map((i) => i.id).filter((id) => !used.has(id))).toEqual([]);
  });

  it('reads each judgement input only from its own article', () => {
    for (const { a, r } of allReqs) {
      for (const c of checksOf(r)) {
        if (c.kind !== 'judgement') continue;
        expect(c.input, r.id).toMatch(new RegExp(`^judge\\.${a.standard}\\.${a.article}[a-z]?$`));
      }
    }
  });

  it('derives percents from two counts', () => {
    const derived = rb.inputs.filter((i) => i.derive);
    expect(derived.map((i) => i.id)).toContain('visitCoverage');
    for (const i of derived) {
      expect(i.kind, i.id).toBe('percent');
      expect(inputById.get(i.derive!.part)?.kind, i.id).toBe('count');
      expect(inputById.get(i.derive!.whole)?.kind, i.id).toBe('count');
    }
  });

  it('gives units to measured inputs and options to dropdown inputs', () => {
    const unitOf: Partial<Record<InputKind, string[]>> = {
      count: ['人', '次', '个', '户'],
      hours: ['学时'],
      money: ['元', '万元'],
      area: ['平方米'],
      percent: ['%'],
    };
    for (const i of rb.inputs) {
      const units = unitOf[i.kind];
      if (units) expect(units, `${i.id}: ${i.unit}`).toContain(i.unit);
      if (i.kind === 'bool') expect([['是', '否'], ['有', '无']], i.id).toContainEqual(i.options);
      if (i.kind === 'judgement') expect(i.options?.length, i.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('has synonyms without units or brackets, unique across inputs after normalisation', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const i of rb.inputs) {
      expect(i.synonyms.length, i.id).toBeGreaterThanOrEqual(2);
      for (const s of i.synonyms) {
        expect(s, i.id).not.toMatch(/[()（）[\]【】]/);
        // 学时 names the quantity (培训学时) and stays; 平方米/万元 are units and go in brackets
        expect(s, i.id).not.toMatch(/(平方米|万元|㎡)$/);
        const k = normalizeText(s);
        const prev = owner.get(k);
        if (prev !== undefined) clashes.push(`${s}: ${prev} / ${i.id}`);
        owner.set(k, i.id);
      }
      // the label, with any bracketed part stripped, is itself a synonym of its own input
      const bare = normalizeText(i.label.replace(/[（(][^）)]*[）)]/g, ''));
      if (owner.get(bare) !== i.id) clashes.push(`label ${i.label} → ${owner.get(bare) ?? 'nothing'}`);
    }
    expect(clashes).toEqual([]);
  });

  it('lets a judgement column be named by its article', () => {
    expect(findInput(rb, 'judge.basic.27')?.synonyms).toEqual(expect.arrayContaining(['基本标准第27条', '氛围营造']));
    expect(findInput(rb, 'judge.demo.22')?.synonyms).toContain('示范标准第22条');
    expect(findInput(rb, 'activityArea')?.synonyms).toEqual(
      expect.arrayContaining(['活动场所面积', '场所面积', '阵地面积', '党群服务中心面积', '办公场所面积']),
    );
  });
});

describe('load', () => {
  it('returns a fresh copy each time', () => {
    const a = defaultRulebook();
    a.articles[0]!.requirements[0]!.title = 'changed';
    a.inputs.pop();
    const b = defaultRulebook();
    expect(b.articles[0]!.requirements[0]!.title).not.toBe('changed');
    expect(b.inputs).toHaveLength(rb.inputs.length);
  });

  it('finds requirements with their article', () => {
    const found = findRequirement(rb, 'basic-18-b');
    expect(found?.article.article).toBe(18);
    expect(found?.requirement.check).toEqual({ kind: 'frequency', input: 'committeeMeetings', times: 1, per: 'month' });
    expect(findRequirement(rb, 'basic-99')).toBeUndefined();
  });
});
