import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildTemplate,
  DEFAULT_TEMPLATE_TITLE,
  IDENTITY_COLUMNS,
  TEMPLATE_DATA_ROWS,
  TEMPLATE_FIRST_DATA_ROW,
  TEMPLATE_HEADER_ROW,
  TEMPLATE_HELP_SHEET,
  TEMPLATE_SHEET,
  templateColumns,
} from '../../shared/output/index.ts';
import { noteText } from '../../shared/output/notes.ts';
import type { Article, InputDef } from '../../shared/types.ts';
import { load, sheet } from './fixtures.ts';

const GROUP_ROW = TEMPLATE_HEADER_ROW - 1;

const INPUTS: InputDef[] = [
  { id: 'code', label: '区划代码', kind: 'code', synonyms: ['区划代码'] },
  { id: 'name', label: '村（社区）名称', kind: 'text', synonyms: ['村名'] },
  { id: 'township', label: '乡镇（街道）', kind: 'text', synonyms: ['乡镇'] },
  { id: 'orgType', label: '党组织类型', kind: 'orgType', synonyms: ['党组织类型'], options: ['党支部', '党总支', '党委'] },
  { id: 'unitType', label: '村或社区', kind: 'unitType', synonyms: ['村或社区'], options: ['村', '社区'] },
  { id: 'isWeak', label: '软弱涣散', kind: 'bool', synonyms: ['软弱涣散'], options: ['是', '否'] },
  { id: 'committeeMeetings', label: '支部委员会次数', kind: 'count', unit: '次', synonyms: ['支委会次数'] },
  { id: 'formalMembers', label: '正式党员人数', kind: 'count', unit: '人', synonyms: ['正式党员'] },
  { id: 'activityArea', label: '活动场所面积', kind: 'area', unit: '平方米', synonyms: ['活动场所面积'] },
  { id: 'collectiveIncome', label: '村集体经济收入', kind: 'money', unit: '万元', synonyms: ['集体经济收入'] },
  { id: 'satisfaction', label: '群众满意度', kind: 'percent', unit: '%', synonyms: ['满意度'] },
  { id: 'trainingHours', label: '党员学习培训学时', kind: 'hours', unit: '学时', synonyms: ['培训学时'] },
  { id: 'judge.unity', label: '班子团结', kind: 'judgement', synonyms: ['班子团结'], options: ['好', '较好', '一般', '差'] },
  { id: 'lastElection', label: '上次换届时间', kind: 'date', synonyms: ['换届时间'] },
  { id: 'firstSecretary', label: '选派第一书记', kind: 'bool', synonyms: ['第一书记'] },
  { id: 'remarks', label: '备注', kind: 'text', synonyms: ['备注'] },
];

const ARTICLES: Article[] = [
  {
    standard: 'basic',
    article: 1,
    group: '一、党的组织设置',
    title: '村党组织',
    text: '正式党员人数达到3人以上的设立党支部。',
    requirements: [{ id: 'basic-1', title: '正式党员达到3人以上的设立党支部', check: { kind: 'threshold', input: 'formalMembers', op: '>=', value: 3, word: '以上' } }],
  },
  {
    standard: 'basic',
    article: 9,
    group: '二、党组织领导班子',
    title: '第一书记',
    text: '软弱涣散村和贫困村选派第一书记。',
    requirements: [
      { id: 'basic-9', title: '软弱涣散村选派第一书记', check: { kind: 'flag', input: 'firstSecretary', expect: true }, appliesTo: { when: { anyOf: [{ input: 'isWeak', equals: true }] } } },
      { id: 'basic-9-b', title: '班子团结', check: { kind: 'judgement', input: 'judge.unity' } },
      { id: 'basic-9-c', title: '按期换届', check: { kind: 'term', input: 'lastElection', years: 5 } },
    ],
  },
  {
    standard: 'basic',
    article: 18,
    group: '四、党内组织生活',
    title: '三会一课',
    text: '支部委员会每月召开1次。',
    requirements: [{ id: 'basic-18', title: '支部委员会每月召开1次', check: { kind: 'frequency', input: 'committeeMeetings', times: 1, per: 'month' } }],
  },
  {
    standard: 'basic',
    article: 24,
    group: '六、基本保障',
    title: '活动场所',
    text: '村级组织活动场所面积不低于90平方米。',
    requirements: [
      { id: 'basic-24', title: '活动场所面积不低于90平方米', check: { kind: 'threshold', input: 'activityArea', op: '>=', value: 90, word: '不低于' } },
      { id: 'basic-24-b', title: '群众满意度80%以上', check: { kind: 'threshold', input: 'satisfaction', op: '>=', value: 80, word: '以上' } },
      { id: 'basic-24-c', title: '党员学习培训', check: { kind: 'threshold', input: 'trainingHours', op: '>=', value: 32, word: '不少于' } },
    ],
  },
  {
    standard: 'demo',
    article: 12,
    group: '六、基本保障',
    title: '活动场所',
    text: '活动场所面积不低于300平方米。',
    requirements: [
      { id: 'demo-12', title: '活动场所面积不低于300平方米', check: { kind: 'threshold', input: 'activityArea', op: '>=', value: 300, word: '不低于' } },
      { id: 'demo-12-b', title: '集体经济年收益5万元以上', check: { kind: 'threshold', input: 'collectiveIncome', op: '>=', value: 50000, word: '以上' } },
    ],
  },
];

function headerOf(ws: ExcelJS.Worksheet, col: number): string {
  const top = ws.getCell(GROUP_ROW, col);
  const cell = ws.getCell(TEMPLATE_HEADER_ROW, col);
  return String(cell.isMerged && cell.master.address === top.address ? top.value : cell.value);
}

function findColumn(ws: ExcelJS.Worksheet, header: string): number {
  for (let c = 1; c <= ws.columnCount; c++) if (headerOf(ws, c) === header) return c;
  throw new Error(`no column ${header}`);
}

describe('buildTemplate', () => {
  let wb: ExcelJS.Workbook;
  let ws: ExcelJS.Worksheet;
  beforeAll(async () => {
    wb = await load(await buildTemplate({ inputs: INPUTS, articles: ARTICLES }));
    ws = sheet(wb, TEMPLATE_SHEET);
  });

  it('has the form and the instructions', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([TEMPLATE_SHEET, TEMPLATE_HELP_SHEET]);
    expect(ws.getCell('A1').value).toBe(DEFAULT_TEMPLATE_TITLE);
    expect(String(ws.getCell('A2').value)).toMatch(/^填报单位/);
  });

  it('puts the identity columns first, then the inputs under their article group, units in brackets', () => {
    const headers = Array.from({ length: ws.columnCount }, (_, i) => headerOf(ws, i + 1));
    // identity headers take the catalogue's labels, so the sheet reader maps them back
    expect(headers.slice(0, 5)).toEqual(['区划代码', '村（社区）名称', '乡镇（街道）', '党组织类型', '村或社区']);
    expect(headers.slice(5)).toEqual([
      '正式党员人数（人）',
      '软弱涣散',
      '选派第一书记',
      '班子团结',
      '上次换届时间',
      '支部委员会次数（次）',
      '活动场所面积（平方米）',
      '群众满意度（%）',
      '党员学习培训学时（学时）',
      '村集体经济收入（万元）',
      '备注',
    ]);
    const groups = Array.from({ length: ws.columnCount }, (_, i) => ws.getCell(GROUP_ROW, i + 1).master.value);
    expect(groups.slice(5)).toEqual([
      '一、党的组织设置',
      '二、党组织领导班子',
      '二、党组织领导班子',
      '二、党组织领导班子',
      '二、党组织领导班子',
      '四、党内组织生活',
      '六、基本保障',
      '六、基本保障',
      '六、基本保障',
      '六、基本保障',
      '其他',
    ]);
    // identity headers span both header rows; a group spans its columns
    const merges = (ws.model as { merges: string[] }).merges;
    expect(merges).toContain('A3:A4');
    expect(merges).toContain('G3:J3');
  });

  it('formats the code column as text and pre-formats 200 data rows', () => {
    const code = findColumn(ws, '区划代码');
    expect(ws.getCell(TEMPLATE_FIRST_DATA_ROW, code).numFmt).toBe('@');
    const last = TEMPLATE_FIRST_DATA_ROW + TEMPLATE_DATA_ROWS - 1;
    expect(ws.getCell(last, code).numFmt).toBe('@');
    expect(ws.getCell(last, 6).border?.top?.style).toBe('thin');
    expect(ws.getCell(last + 1, 6).border).toBeUndefined();
    expect(ws.getCell(TEMPLATE_FIRST_DATA_ROW, findColumn(ws, '上次换届时间')).numFmt).toBe('@');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: TEMPLATE_HEADER_ROW });
  });

  it('adds dropdowns and number checks by kind', () => {
    const dv = (header: string, row = TEMPLATE_FIRST_DATA_ROW) => ws.getCell(row, findColumn(ws, header)).dataValidation;
    expect(dv('党组织类型')).toMatchObject({ type: 'list', formulae: ['"党支部,党总支,党委"'] });
    expect(dv('村或社区')).toMatchObject({ type: 'list', formulae: ['"村,社区"'] });
    expect(dv('软弱涣散')).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    expect(dv('选派第一书记')).toMatchObject({ type: 'list', formulae: ['"是,否"'] }); // bool without options
    expect(dv('班子团结')).toMatchObject({ type: 'list', formulae: ['"好,较好,一般,差"'] });
    expect(dv('支部委员会次数（次）')).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual', formulae: [0] });
    expect(dv('正式党员人数（人）', TEMPLATE_FIRST_DATA_ROW + TEMPLATE_DATA_ROWS - 1)).toMatchObject({ type: 'whole' });
    expect(dv('活动场所面积（平方米）')).toMatchObject({ type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0] });
    expect(dv('村集体经济收入（万元）')).toMatchObject({ type: 'decimal', operator: 'greaterThanOrEqual' });
    expect(dv('党员学习培训学时（学时）')).toMatchObject({ type: 'decimal' });
    expect(dv('群众满意度（%）')).toMatchObject({ type: 'decimal', operator: 'between', formulae: [0, 100] });
    expect(dv('区划代码')).toMatchObject({ type: 'textLength', formulae: [12] });
    expect(dv('备注')).toBeUndefined();
  });

  it('cites on each header the articles that read the column', () => {
    const note = (header: string) => noteText(ws.getCell(findColumn(ws, header) === 0 ? 0 : TEMPLATE_HEADER_ROW, findColumn(ws, header)).note);
    const area = note('活动场所面积（平方米）');
    expect(area).toContain('基本标准第24条（活动场所）：活动场所面积不低于90平方米');
    expect(area).toContain('示范标准第12条（活动场所）：活动场所面积不低于300平方米');
    expect(note('软弱涣散')).toContain('适用条件');
    expect(note('软弱涣散')).toContain('基本标准第9条');
    expect(note('群众满意度（%）')).toContain('80表示80%');
    expect(noteText(ws.getCell(GROUP_ROW, 1).note)).toContain('12位');
  });

  it('explains units, yes/no answers and periods on 填表说明', () => {
    const help = sheet(wb, TEMPLATE_HELP_SHEET);
    const text: string[] = [];
    help.eachRow((row) => row.eachCell((c) => text.push(String(c.value))));
    const all = text.join('\n');
    for (const word of ['万元', '是', '否', '√', '季度', '12位', '80表示80%', '活动场所面积（平方米）', '依据：基本标准第24条、示范标准第12条']) expect(all).toContain(word);
  });

  it('takes a custom title', async () => {
    const w = await load(await buildTemplate({ inputs: INPUTS, articles: ARTICLES, title: '2026年第一季度调查表' }));
    expect(sheet(w, TEMPLATE_SHEET).getCell('A1').value).toBe('2026年第一季度调查表');
  });

  it('works without any identity inputs in the catalogue', () => {
    const cols = templateColumns(INPUTS.slice(5), ARTICLES);
    expect(cols.slice(0, 5).map((c) => c.header)).toEqual(IDENTITY_COLUMNS.map((c) => c.header));
    expect(cols.slice(0, 5).map((c) => c.header)).toEqual(['区划代码', '村（社区）名称', '乡镇（街道）', '党组织类型', '村/社区']);
    expect(cols).toHaveLength(5 + INPUTS.length - 5);
  });
});

const RULEBOOK_DIR = fileURLToPath(new URL('../../shared/rulebook/', import.meta.url));

describe('buildTemplate from the real catalogue (shared/rulebook)', () => {
  // The catalogue is committed: a missing file is a failure, never a skip.
  it('the committed catalogue files are there', () => {
    for (const f of ['inputs.json', 'standards.json']) expect(existsSync(`${RULEBOOK_DIR}${f}`), `shared/rulebook/${f}`).toBe(true);
  });

  it('has a column for every input, each with a note, and cites every requirement', async () => {
    const inputs = JSON.parse(readFileSync(`${RULEBOOK_DIR}inputs.json`, 'utf8')) as InputDef[];
    const articles = JSON.parse(readFileSync(`${RULEBOOK_DIR}standards.json`, 'utf8')) as Article[];
    const cols = templateColumns(inputs, articles);
    const ids = cols.flatMap((c) => (c.input ? [c.input.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(inputs.map((i) => i.id).sort());
    expect(cols.slice(0, 5).map((c) => c.input?.id)).toEqual(['code', 'name', 'township', 'orgType', 'unitType']);

    const wb = await load(await buildTemplate({ inputs, articles }));
    const ws = sheet(wb, TEMPLATE_SHEET);
    expect(ws.columnCount).toBe(cols.length);
    let notes = 0;
    for (const col of cols) {
      const cell = ws.getCell(col.identity ? GROUP_ROW : TEMPLATE_HEADER_ROW, col.index);
      expect(cell.value).toBe(col.header);
      if (noteText(cell.note)) notes++;
    }
    expect(notes).toBe(cols.length);
    // every requirement is cited on at least one header
    const cited = new Set(cols.flatMap((c) => c.readers.map((r) => r.requirementId)));
    for (const a of articles) for (const r of a.requirements) expect(cited, r.id).toContain(r.id);
  });
});
