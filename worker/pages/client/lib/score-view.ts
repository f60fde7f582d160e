// The scoring page's panels, built as DOM nodes (every text a text node; classes, never inline styles).
// Colours come from the same palette as the coloured workbook (shared/output/palette.ts, app.css .st-*).
import { citation, citedMessage } from '../../../../shared/output/format.ts';
import { LEGEND, STATUS_PALETTE, STATUS_SEVERITY } from '../../../../shared/output/palette.ts';
import { PROVISIONAL } from '../../../../shared/output/names.ts';
import type { RequirementResult, ScoredSheet, Status, VillageScore } from '../../../../shared/types.ts';
import { type Child, h } from './dom.ts';
import { type Column, table } from './table.ts';
import {
  columnNote,
  describeRulebook,
  inputGroups,
  inputLabel,
  matchText,
  PERIOD_PARTS,
  periodWhere,
  splitPeriod,
  yearChoices,
  type SheetModel,
} from './score-model.ts';
import type { RowOutcome, SubmissionAnswer } from './score-net.ts';

export const STATUS_ORDER: readonly Status[] = ['pass', 'fail', 'missing', 'invalid', 'manual'];

/** A status chip in the palette's colour: 【未达标】 as on the notes of the coloured copy. */
export function statusTag(s: Status): HTMLElement {
  return h('span', { class: `st st-${s}` }, STATUS_PALETTE[s].label);
}

export function legend(): HTMLElement[] {
  return LEGEND.map((l) => h('li', null, h('span', { class: `swatch sw-${l.hex}`, 'aria-hidden': 'true' }), `${l.colour}　${l.text}`));
}

export interface MappingHandlers {
  onColumn(sheet: SheetModel, letter: string, input: string | null): void;
  onPeriod(sheet: SheetModel, period: string | undefined): void;
  onReset(sheet: SheetModel): void;
}

/** Up to two values of a column from the village rows, as the sheet shows them. */
function samples(sheet: SheetModel, index: number): string {
  const out: string[] = [];
  for (const r of sheet.rows?.rows ?? []) {
    const c = sheet.grid.rows[r.row - 1]?.[index];
    if (!c || c.value === null || c.value === undefined || c.value === '') continue;
    const v = c.text ?? (c.value instanceof Date ? c.value.toISOString().slice(0, 10) : String(c.value));
    out.push(v.length > 16 ? `${v.slice(0, 16)}…` : v);
    if (out.length === 2) break;
  }
  return out.join('、');
}

function rowsText(sheet: SheetModel): string {
  const r = sheet.rows!;
  const top = r.headerRows.top === r.headerRows.bottom ? `第${r.headerRows.top}行` : `第${r.headerRows.top}–${r.headerRows.bottom}行`;
  const rows = r.rows.map((x) => x.row);
  const span = rows.length ? `（第${Math.min(...rows)}–${Math.max(...rows)}行）` : '';
  return `表头在${top}；村级数据 ${rows.length} 行${span}`;
}

function periodPicker(sheet: SheetModel, on: MappingHandlers): HTMLElement {
  const period = sheet.rows!.period;
  const { year, part } = splitPeriod(period.label);
  const yearSel = h('select', { class: 'period-year', 'aria-label': '年份' }, yearChoices(year).map((y) => h('option', { value: String(y) }, `${y}年`)));
  yearSel.value = String(year);
  const main = PERIOD_PARTS.filter((p) => !p.group);
  const months = PERIOD_PARTS.filter((p) => p.group);
  const partSel = h(
    'select',
    { class: 'period-part', 'aria-label': '考核期间' },
    main.map((p) => h('option', { value: p.value }, p.label)),
    h('optgroup', { label: '月度' }, months.map((p) => h('option', { value: p.value }, p.label))),
  );
  partSel.value = part;
  const change = () => on.onPeriod(sheet, `${yearSel.value}${partSel.value}`);
  yearSel.addEventListener('change', change);
  partSel.addEventListener('change', change);
  return h(
    'span',
    { class: 'period-pick' },
    yearSel,
    partSel,
    sheet.period ? h('button', { type: 'button', class: 'small', onclick: () => on.onPeriod(sheet, undefined) }, '改回自动识别') : null,
  );
}

function mappingTable(sheet: SheetModel, on: MappingHandlers): HTMLElement {
  const groups = inputGroups(sheet.rulebook.engine);
  const rows = sheet.rows!;
  const head = h('thead', null, h('tr', null, ['列', '表头（原表）', '对应指标', '识别方式', '示例值', '说明'].map((t) => h('th', { scope: 'col' }, t))));
  const body = h(
    'tbody',
    null,
    rows.columns.map((c) => {
      const m = matchText(c);
      const select = h(
        'select',
        { class: 'map-select', 'data-col': c.letter, 'aria-label': `${c.letter} 列“${c.header || '（无表头）'}”对应的指标` },
        h('option', { value: '' }, '（不参与评分）'),
        groups.map((g) => h('optgroup', { label: g.label }, g.inputs.map((d) => h('option', { value: d.id }, inputLabel(d))))),
      );
      select.value = c.input ?? '';
      select.addEventListener('change', () => on.onColumn(sheet, c.letter, select.value || null));
      return h(
        'tr',
        { class: c.input ? (m.level === 'low' ? 'row-warn' : undefined) : 'row-muted', 'data-col': c.letter },
        h('td', { class: 'col-letter' }, c.letter),
        h('td', { class: 'wrap' }, c.header || '（无表头）', c.unit ? h('span', { class: 'sub' }, ` 单位：${c.unit}`) : null),
        h('td', null, select),
        h('td', { class: `conf conf-${m.level}` }, m.text),
        h('td', { class: 'sample' }, samples(sheet, c.index)),
        h('td', { class: 'wrap note-cell' }, columnNote(c.note)),
      );
    }),
  );
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data map-table' }, head, body));
}

/** One sheet in step 2: its period, where the table is, the column mapping with a dropdown per column. */
export function sheetPanel(sheet: SheetModel, fileName: string, on: MappingHandlers): HTMLElement {
  const title = h('h3', null, `工作表“${sheet.grid.name}”`, sheet.grid.hidden ? h('span', { class: 'sub' }, '（隐藏的工作表）') : null);
  const warnings = sheet.grid.warnings.length ? h('ul', { class: 'notes' }, sheet.grid.warnings.map((w) => h('li', null, w))) : null;
  const reset = Object.keys(sheet.override).length
    ? h('button', { type: 'button', class: 'small reset-mapping', onclick: () => on.onReset(sheet) }, `撤销对 ${Object.keys(sheet.override).length} 列的改动，恢复自动识别`)
    : null;
  if (sheet.error) {
    return h('section', { class: 'sheet', 'data-sheet': sheet.index }, title, h('p', { class: 'status status-error' }, sheet.error), reset);
  }
  const rows = sheet.rows!;
  const where = periodWhere(sheet, fileName);
  const skipped = rows.skippedRows.length
    ? h('details', { class: 'skipped' }, h('summary', null, `未作为村级数据的行 ${rows.skippedRows.length} 行`), h('ul', { class: 'plain' }, rows.skippedRows.map((s) => h('li', null, `第${s.row}行：${s.reason}`))))
    : null;
  const mapped = rows.columns.filter((c) => c.input).length;
  return h(
    'section',
    { class: 'sheet', 'data-sheet': sheet.index },
    title,
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, '期次'),
      h('dd', { class: 'period-line' }, h('strong', { class: 'period-label' }, rows.period.labelZh), h('span', { class: where.warn ? 'where warn-text' : 'where' }, where.text), periodPicker(sheet, on)),
      h('dt', null, '表格'),
      h('dd', null, rowsText(sheet), skipped),
      h('dt', null, '评分依据'),
      h('dd', { class: 'sheet-rulebook' }, describeRulebook(sheet.rulebook)),
      h('dt', null, '对应关系'),
      h('dd', null, `共 ${rows.columns.length} 列，${mapped} 列对应到考评指标`, reset ? ' ' : null, reset),
    ),
    warnings,
    sheet.remarks.length ? h('ul', { class: 'notes' }, sheet.remarks.map((r) => h('li', null, r))) : null,
    mappingTable(sheet, on),
  );
}

// ---------------------------------------------------------------------------------------------
// Results

const fmt = (n: number) => (Math.round(n * 100) / 100).toFixed(2).replace(/\.?0+$/, '') || '0';

function counts(v: VillageScore): Record<Status, number> {
  const c: Record<Status, number> = { pass: 0, fail: 0, missing: 0, invalid: 0, manual: 0 };
  for (const r of v.results) c[r.status]++;
  return c;
}

const GOOD_LEVELS = ['达标', '示范', '好', '优秀', '五星'];
const BAD_LEVELS = ['未达标', '不达标', '差', '后进'];

function levelTag(v: VillageScore): HTMLElement {
  const cls = v.veto.length || BAD_LEVELS.includes(v.level) ? 'tag tag-bad' : GOOD_LEVELS.includes(v.level) ? 'tag tag-good' : 'tag';
  return h('span', { class: cls, title: v.levelReason }, v.level || '—');
}

/** The requirements to act on, worst first: 未达标, 数据有误, 缺数据, 待评. */
export function problemsOf(v: VillageScore): RequirementResult[] {
  return v.results
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.status !== 'pass')
    .sort((a, b) => STATUS_SEVERITY[b.r.status] - STATUS_SEVERITY[a.r.status] || a.i - b.i)
    .map(({ r }) => r);
}

function resultItem(r: RequirementResult): HTMLElement {
  return h(
    'li',
    { class: 'result', 'data-status': r.status, 'data-cell': r.cell ?? '' },
    statusTag(r.status),
    h('span', { class: 'cell-ref' }, r.cell ?? '无此列'),
    h('span', { class: 'msg' }, citedMessage(r)),
    r.points !== undefined && r.maxPoints !== undefined ? h('span', { class: 'pts' }, `得 ${fmt(r.points)} / ${fmt(r.maxPoints)} 分`) : null,
  );
}

const GROUP_TEXT: Record<Exclude<Status, 'pass'>, string> = {
  fail: '未达标，需整改',
  invalid: '数据无法识别，请核实更正',
  missing: '缺数据：表中没有此列或未填写，请补充',
  manual: '待评：定性指标，需观摩评议后人工评定',
};

/** A village's requirements to act on, by status: 未达标 and 数据有误 open, 缺数据 and 待评 folded (a sheet
 * without the judgement columns has dozens of them). */
function detail(v: VillageScore): Child[] {
  const list = problemsOf(v);
  const groups = (['fail', 'invalid', 'missing', 'manual'] as const)
    .map((st) => ({ st, items: list.filter((r) => r.status === st) }))
    .filter((g) => g.items.length);
  return [
    h('p', { class: 'level-reason' }, `等次说明：${v.levelReason}`),
    v.veto.length ? h('p', { class: 'bad-text' }, `一票否决：${v.veto.join('；')}`) : null,
    v.problems.length ? h('ul', { class: 'notes row-problems' }, v.problems.map((p) => h('li', null, p))) : null,
    groups.map((g) => {
      const title = [statusTag(g.st), ` ${g.items.length} 项 · ${GROUP_TEXT[g.st]}`];
      const ul = h('ul', { class: 'result-list' }, g.items.map(resultItem));
      return g.st === 'fail' || g.st === 'invalid'
        ? h('div', { class: `result-group group-${g.st}`, 'data-status': g.st }, h('p', { class: 'group-title' }, title), ul)
        : h('details', { class: `result-group group-${g.st}`, 'data-status': g.st }, h('summary', { class: 'group-title' }, title), ul);
    }),
    list.length ? null : h('p', { class: 'ok-text' }, '所有考核项均达标。'),
    deductions(v),
    v.skipped.length ? h('p', { class: 'sub' }, `另有 ${v.skipped.length} 项本期不考核（不适用于本村，或考核周期长于本表期次），着色表格的批注中有说明。`) : null,
  ];
}

/** basic-24, basic-18-b → 基本标准第24条. */
function refCitation(ref: string): string {
  const m = /^(basic|demo)-(\d+)/.exec(ref);
  return m ? citation(m[1] as 'basic' | 'demo', Number(m[2])) : ref;
}

/** Under a county rulebook: where the points were lost (and bonus points), item by item. */
function deductions(v: VillageScore): Child {
  const lost = v.items.filter((i) => i.counted && i.earned < i.points);
  if (!v.items.length || (!lost.length && !v.bonus.length)) return null;
  return h(
    'details',
    { class: 'result-group deductions' },
    h('summary', { class: 'group-title' }, `得分明细：${lost.length} 项失分${v.bonus.length ? `，${v.bonus.length} 项加分` : ''}（总分 ${fmt(v.total)} / ${fmt(v.maxTotal)}）`),
    h(
      'ul',
      { class: 'plain' },
      lost.map((i) => {
        const cite = refCitation(i.ref);
        return h('li', null, `${i.title.startsWith(cite) ? i.title : `${cite}（${i.title}）`}：得 ${fmt(i.earned)} / ${fmt(i.points)} 分，${i.explanation}`);
      }),
      v.bonus.map((b) => h('li', null, `加分：${b.label} +${fmt(b.points)} 分`)),
    ),
  );
}

/** One scored sheet: a line of totals, then one row per village with its counts and an expandable list of
 * every requirement to act on, citing the article. */
export function resultPanel(sheet: SheetModel): HTMLElement {
  const s: ScoredSheet = sheet.scored!;
  const byLevel = new Map<string, number>();
  for (const v of s.villages) byLevel.set(v.level, (byLevel.get(v.level) ?? 0) + 1);
  const columns: Column<VillageScore>[] = [
    { label: '行号', num: true, cell: (v) => v.row },
    { label: '区划代码', cls: 'code-col', cell: (v) => v.code ?? '—' },
    { label: '村（社区）', cell: (v) => h('span', { class: 'name' }, v.name ?? '（未填村名）') },
    { label: '党组织类型', cell: (v) => v.orgType ?? '—' },
    { label: '总分', num: true, cell: (v) => h('span', { class: 'total' }, fmt(v.total), h('span', { class: 'of' }, ` / ${fmt(v.maxTotal)}`)) },
    {
      label: '等次',
      cell: (v) => [
        levelTag(v),
        v.stars ? h('span', { class: 'stars', title: `${v.stars}星，按本表各村排名评定；以县里排名（乡镇内）为准` }, ` ${'★'.repeat(v.stars)}（${PROVISIONAL}）`) : null,
      ],
    },
    ...STATUS_ORDER.map(
      (st): Column<VillageScore> => ({
        label: STATUS_PALETTE[st].label,
        num: true,
        title: STATUS_PALETTE[st].legend,
        cell: (v) => {
          const n = counts(v)[st];
          return n && st !== 'pass' ? h('span', { class: `count st st-${st}`, 'data-status': st }, n) : h('span', { class: 'count', 'data-status': st }, n);
        },
      }),
    ),
  ];
  const head = h('thead', null, h('tr', null, [...columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : undefined, title: c.title }, c.label)), h('th', { scope: 'col' }, '问题明细')]));
  const body = h('tbody', null);
  const toggles: HTMLButtonElement[] = [];
  s.villages.forEach((v, i) => {
    const id = `detail-${sheet.index}-${v.row}`;
    const n = problemsOf(v).length;
    const btn = h('button', { type: 'button', class: 'small toggle', 'aria-expanded': 'false', 'aria-controls': id }, n ? `展开 ${n} 项` : '查看');
    const tr = h(
      'tr',
      { class: `village${v.veto.length || BAD_LEVELS.includes(v.level) ? ' row-warn' : ''}`, 'data-row': v.row },
      columns.map((c) => h('td', { class: [c.num ? 'num' : '', c.cls ?? ''].join(' ').trim() || null }, c.cell(v, i))),
      h('td', { class: 'actions-cell' }, btn),
    );
    const dr = h('tr', { class: 'detail-row', id, 'data-row': v.row, hidden: true }, h('td', { colspan: columns.length + 1 }, detail(v)));
    btn.addEventListener('click', () => {
      const open = dr.hidden;
      dr.hidden = !open;
      btn.setAttribute('aria-expanded', String(open));
      btn.textContent = open ? '收起' : n ? `展开 ${n} 项` : '查看';
    });
    toggles.push(btn);
    body.append(tr, dr);
  });
  const levels = [...byLevel].map(([l, k]) => `${l} ${k} 个`).join('，');
  const expandAll = h('button', { type: 'button', class: 'small expand-all' }, '全部展开');
  expandAll.addEventListener('click', () => {
    const open = expandAll.textContent === '全部展开';
    for (const b of toggles) if ((b.getAttribute('aria-expanded') === 'true') !== open) b.click();
    expandAll.textContent = open ? '全部收起' : '全部展开';
  });
  return h(
    'section',
    { class: 'result-sheet', 'data-sheet': sheet.index },
    h('h3', null, `工作表“${s.name}”· ${s.period.labelZh} · ${s.villages.length} 个村`),
    h('p', { class: 'summary' }, `按${describeRulebook(sheet.rulebook)}评分。${levels ? `等次：${levels}。` : ''}`, s.villages.length ? expandAll : null),
    s.villages.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data results-table' }, head, body))
      : h('p', { class: 'status status-empty' }, '这张表中没有村级数据行。'),
  );
}

// ---------------------------------------------------------------------------------------------
// Submission outcomes

const outcomeColumns: Column<RowOutcome>[] = [
  { label: '表中行号', num: true, cell: (o) => o.row ?? '—' },
  { label: '区划代码', cls: 'code-col', cell: (o) => o.code ?? '—' },
  { label: '村（社区）', cell: (o) => o.name ?? '—' },
  { label: '结果', cell: (o) => (o.status === 'accepted' ? h('span', { class: 'tag tag-good' }, '接收') : h('span', { class: 'tag tag-bad' }, '退回')) },
  { label: '单元格', cell: (o) => o.cell ?? '' },
  { label: '退回原因', cls: 'wrap', cell: (o) => o.reason ?? '' },
  { label: '县里评分', num: true, cell: (o) => (o.total === undefined ? '' : `${fmt(o.total)}${o.maxTotal !== undefined ? ` / ${fmt(o.maxTotal)}` : ''}`) },
  { label: '等次', cell: (o) => o.level ?? '' },
];

export function outcomePanel(sheetName: string, answer: SubmissionAnswer): HTMLElement {
  const s = answer.submission;
  const line = s.duplicate
    ? `工作表“${sheetName}”：这些数据此前已上报过（同一乡镇、同一期次、内容相同），本次未重复计入。`
    : `工作表“${sheetName}”：已上报，共 ${s.rows.total} 行，接收 ${s.rows.accepted} 行，退回 ${s.rows.rejected} 行。`;
  return h(
    'section',
    { class: 'outcome', 'data-submission': s.id },
    h('p', { class: s.rows.rejected ? 'summary warn-text' : 'summary' }, line),
    h('div', { class: 'table-wrap' }, table(outcomeColumns, answer.outcomes, { empty: '没有逐行结果', rowClass: (o) => (o.status === 'accepted' ? undefined : 'row-warn') })),
  );
}
