// 以奖代补: a budget, a published method and its parameters over one period's ranking → every unit's
// amount, exact to the yuan, each row explained; the balance shown, never lost. Save as an immutable
// version; list the versions; download each as .xlsx (with title, date and signature block) or .csv.
import type { AllocationRow } from '../../../shared/allocation/types.ts';
import { api, messageOf } from './lib/api.ts';
import { type County, loadCounty, loadPeriods, type Periods } from './lib/county.ts';
import { isObj, listIn, num, objIn, str, type Obj } from './lib/data.ts';
import { $, $input, $select, fill, h, option, show } from './lib/dom.ts';
import { fillPeriods } from './lib/filters.ts';
import { fmtDateTime, fmtScore, fmtYuan, LEVEL_NAME, PERIOD_NAME } from './lib/format.ts';
import { initPage, queryParam, setQuery } from './lib/page.ts';
import { type Column, table } from './lib/table.ts';
import { setStatus, statusError, withStatus } from './lib/status.ts';

initPage();
const status = $('#status');
/** Finance staff and admins get the form; county staff see the saved versions only. */
const form = document.getElementById('alloc-form') as HTMLFormElement | null;

const METHOD_NAME: Record<string, string> = { tiers: '按名次分档定额', proportional: '按得分比例', rankPoints: '按名次折算点数、按点数比例', basePlusTopUp: '基础金额加按比例增量' };

// ---------- rank-range editors (tiers: amount; points: points) ----------

interface RangeRow {
  fromRank: number;
  toRank: number;
  value: number;
}

function rangeEditor(container: HTMLElement, valueLabel: string, initial: RangeRow[], step: string): () => RangeRow[] {
  const body = h('tbody');
  const addRow = (r: RangeRow) => {
    const tr = h(
      'tr',
      null,
      h('td', null, h('input', { type: 'number', min: 1, step: 1, value: r.fromRank, class: 'rank-from', 'aria-label': '起始名次' })),
      h('td', null, h('input', { type: 'number', min: 1, step: 1, value: r.toRank, class: 'rank-to', 'aria-label': '截止名次' })),
      h('td', null, h('input', { type: 'number', min: 0, step, value: r.value, class: 'range-value money', 'aria-label': valueLabel })),
      h('td', null, h('button', { type: 'button', class: 'small', onclick: () => tr.remove() }, '删除')),
    );
    body.append(tr);
  };
  initial.forEach(addRow);
  fill(container, h('table', { class: 'data compact' }, h('thead', null, h('tr', null, h('th', null, '第几名起'), h('th', null, '至第几名'), h('th', null, valueLabel), h('th'))), body));
  const addBtn = container.nextElementSibling;
  addBtn?.addEventListener('click', () => {
    const last = [...body.querySelectorAll<HTMLInputElement>('.rank-to')].pop();
    const from = (Number(last?.value) || 0) + 1;
    addRow({ fromRank: from, toRank: from, value: 0 });
  });
  return () =>
    [...body.querySelectorAll('tr')].map((tr) => ({
      fromRank: Number(tr.querySelector<HTMLInputElement>('.rank-from')?.value),
      toRank: Number(tr.querySelector<HTMLInputElement>('.rank-to')?.value),
      value: Number(tr.querySelector<HTMLInputElement>('.range-value')?.value),
    }));
}

let readTiers: () => RangeRow[] = () => [];
let readPoints: () => RangeRow[] = () => [];

function showParams(): void {
  const m = $select('#method').value;
  show($('#params-tiers'), m === 'tiers');
  show($('#params-points'), m === 'rankPoints' || (m === 'basePlusTopUp' && $input('#base-use-points').checked));
  show($('#params-base'), m === 'basePlusTopUp');
}

function optionalInt(sel: string): number | undefined {
  const v = $input(sel).value.trim();
  return v === '' ? undefined : Number(v);
}

/** The request body of preview and save (docs/api.md, Allocations). */
function requestBody(): Obj {
  const kind = $select('#method').value;
  let method: Obj;
  if (kind === 'tiers') method = { kind, tiers: readTiers().map((r) => ({ fromRank: r.fromRank, toRank: r.toRank, amount: r.value })), onOverflow: $select('#on-overflow').value };
  else if (kind === 'rankPoints') method = { kind, points: readPoints().map((r) => ({ fromRank: r.fromRank, toRank: r.toRank, points: r.value })) };
  else if (kind === 'basePlusTopUp') {
    method = { kind, base: Number($input('#base').value) };
    if ($input('#base-use-points').checked) method.points = readPoints().map((r) => ({ fromRank: r.fromRank, toRank: r.toRank, points: r.value }));
  } else method = { kind: 'proportional' };
  const eligibility: Obj = { excludeVeto: $input('#exclude-veto').checked, excludeWeak: $input('#exclude-weak').checked };
  const minScore = optionalInt('#min-score');
  if (minScore !== undefined) eligibility.minScore = minScore;
  const levels = $input('#min-level').value.split(/[,，、\s]+/).filter(Boolean);
  if (levels.length) eligibility.minLevel = levels;
  const body: Obj = { period: $select('#period').value, level: $select('#level').value, budget: Number($input('#budget').value), method, roundingUnit: Number($select('#rounding').value), eligibility };
  const township = $select('#alloc-township').value;
  if (township && body.level === 'village') body.township = township;
  const floor = optionalInt('#floor');
  const cap = optionalInt('#cap');
  if (floor !== undefined) body.floor = floor;
  if (cap !== undefined) body.cap = cap;
  if (cap !== undefined && $input('#redistribute').checked) body.redistributeCapped = true;
  return body;
}

// ---------- showing a result ----------

interface Result {
  budget?: number;
  allocated?: number;
  balance?: number;
  unitValue: string;
  method: string;
  roundingUnit?: number;
  rows: AllocationRow[];
  notes: string[];
}

/** The shared allocation result, possibly inside { result } or a saved record; an { ok: false } result throws. */
function readResult(body: unknown): Result {
  let r: Obj = isObj(body) ? body : {};
  for (const k of ['result', 'allocation', 'preview']) {
    const inner = r[k];
    if (isObj(inner) && (Array.isArray(inner.rows) || isObj(inner.result) || inner.ok !== undefined)) r = inner;
  }
  if (isObj(r.result)) r = r.result;
  if (r.ok === false) {
    const e = isObj(r.error) ? r.error : {};
    throw new Error(str(e.message) || '分配失败');
  }
  const rows = (Array.isArray(r.rows) ? r.rows : []).filter(isObj).map((x) => ({
    id: str(x.id),
    name: str(x.name),
    score: num(x.score) ?? 0,
    rank: num(x.rank) ?? 0,
    eligible: x.eligible !== false,
    reason: x.reason === undefined ? undefined : str(x.reason),
    amount: num(x.amount) ?? 0,
    explanation: str(x.explanation),
  }));
  return {
    budget: num(r.budget),
    allocated: num(r.allocated),
    balance: num(r.balance),
    unitValue: str(r.unitValue),
    method: str(r.method),
    roundingUnit: num(r.roundingUnit),
    rows,
    notes: Array.isArray(r.notes) ? r.notes.map(str) : [],
  };
}

/** 乡镇 of each village (the ranking's details), for the table. */
let townshipOf: (id: string) => string = () => '';

function detailsReader(ranking: unknown): (id: string) => string {
  const d = isObj(ranking) && isObj(ranking.details) ? ranking.details : {};
  return (id) => {
    const x = d[id];
    return isObj(x) ? str(x.townshipName ?? x.township) : '';
  };
}

const rowColumns: Column<AllocationRow>[] = [
  { label: '名次', num: true, cell: (r) => r.rank || '—' },
  { label: '单位', cell: (r) => [h('span', { class: 'name' }, r.name), h('span', { class: 'code' }, r.id)] },
  { label: '乡镇', cls: 'nw', cell: (r) => townshipOf(r.id) || '—' },
  { label: '得分', num: true, cell: (r) => fmtScore(r.score) },
  { label: '参与', cell: (r) => (r.eligible ? '是' : h('span', { class: 'tag tag-bad', title: r.reason ?? '' }, '否')) },
  { label: '金额（元）', num: true, cell: (r) => h('strong', null, fmtYuan(r.amount)) },
  { label: '计算说明', cls: 'wrap explain', cell: (r) => r.explanation || r.reason || '' },
];

function card(label: string, value: string, cls?: string): HTMLElement {
  return h('div', { class: `card ${cls ?? ''}`.trim() }, h('span', { class: 'card-label' }, label), h('span', { class: 'card-value' }, value));
}

function showResult(prefix: 'preview' | 'detail', r: Result): void {
  const sum = r.rows.reduce((a, x) => a + x.amount, 0);
  fill(
    $(`#${prefix}-cards`),
    card('预算（元）', fmtYuan(r.budget)),
    card('已分配（元）', fmtYuan(r.allocated ?? sum)),
    card('结余（元）', fmtYuan(r.balance ?? (r.budget ?? 0) - sum), (r.balance ?? 0) > 0 ? 'warn' : undefined),
    card('参与单位', `${r.rows.filter((x) => x.eligible).length} / ${r.rows.length}`),
    r.unitValue ? card('单位分值金额（元/分）', r.unitValue) : null,
  );
  fill($(`#${prefix}-notes`), r.notes.map((n) => h('li', null, n)));
  const cols = r.rows.some((x) => townshipOf(x.id)) ? rowColumns : rowColumns.filter((c) => c.label !== '乡镇');
  const t = table(cols, r.rows, { empty: '没有可分配的单位', rowClass: (x) => (x.eligible ? undefined : 'row-muted') });
  // Totals: what was handed out plus the balance is the budget.
  t.append(
    h(
      'tfoot',
      null,
      h('tr', null, h('th', { colspan: cols.length - 2, scope: 'row' }, '合计'), h('td', { class: 'num' }, h('strong', null, fmtYuan(sum))), h('td', null, `结余 ${fmtYuan(r.balance ?? (r.budget ?? 0) - sum)} 元，预算 ${fmtYuan(r.budget)} 元`)),
    ),
  );
  fill($(`#${prefix}-table`), t);
}

/** Which ranking the amounts follow: period, scope, rank basis, when it was computed, rulebook version. */
function basisText(r: Obj): string {
  const parts = [
    str(r.periodZh) || PERIOD_NAME(str(r.period)),
    r.township ? `乡镇 ${str(r.township)}` : '',
    str(r.rankBasis) ? `名次依据：${str(r.rankBasis)}` : '',
    num(r.count) !== undefined ? `${str(r.count)} 个单位` : Array.isArray(r.units) ? `${r.units.length} 个单位` : '',
    r.rulebookVersion !== undefined && r.rulebookVersion !== null ? `县考评细则第 ${str(r.rulebookVersion)} 版` : '',
    str(r.computedAt) ? `排名计算于 ${fmtDateTime(r.computedAt)}` : '',
  ].filter(Boolean);
  return parts.length ? `所用排名：${parts.join('，')}。` : '';
}

// ---------- preview and save ----------

let lastBody: Obj | undefined;

async function preview(): Promise<void> {
  const body = requestBody();
  const previewEl = $('#preview');
  try {
    setStatus(status, 'loading', '正在计算…');
    const answer = await api('/api/allocations/preview', { json: body });
    const r = readResult(answer);
    townshipOf = detailsReader(objIn(answer, 'ranking'));
    lastBody = body;
    setStatus(status, 'ok');
    $('#preview-title').textContent = `分配预览：${LEVEL_NAME[str(body.level)] ?? ''}级 · ${PERIOD_NAME(str(body.period))} · ${METHOD_NAME[str((body.method as Obj).kind)] ?? ''}`;
    $('#preview-basis').textContent = basisText(objIn(answer, 'ranking'));
    showResult('preview', r);
    if (!$input('#save-title').value) $input('#save-title').value = `${PERIOD_NAME(str(body.period))}${LEVEL_NAME[str(body.level)] ?? ''}级以奖代补`;
    setStatus($('#save-status'), 'ok');
    show(previewEl, true);
    previewEl.scrollIntoView({ block: 'start' });
  } catch (e) {
    show(previewEl, false);
    statusError(status, e);
  }
}

async function save(): Promise<void> {
  const msg = $('#save-status');
  if (!lastBody) {
    setStatus(msg, 'error', '请先按当前参数预览，再保存。');
    return;
  }
  const btn = $('#save-btn') as HTMLButtonElement;
  btn.disabled = true;
  setStatus(msg, 'loading', '正在保存…');
  try {
    const answer = await api('/api/allocations', { json: { ...lastBody, title: $input('#save-title').value.trim() } });
    const rec = objIn(answer, 'allocation', 'record', 'saved');
    setStatus(msg, 'info', `已保存为第 ${str(rec.version) || '?'} 版。`);
    await loadSaved();
    const id = str(rec.id);
    if (id) await showSaved(id);
  } catch (e) {
    setStatus(msg, 'error', messageOf(e));
  } finally {
    btn.disabled = false;
  }
}

// ---------- saved versions ----------

interface Saved {
  id: string;
  version: string;
  title: string;
  period: string;
  level: string;
  budget?: number;
  allocated?: number;
  balance?: number;
  createdBy: string;
  createdAt: string;
  rulebookVersion: string;
}

function readSaved(body: unknown): Saved[] {
  return listIn(body, 'allocations', 'items', 'versions')
    .filter(isObj)
    .map((a) => {
      const input = isObj(a.input) ? a.input : {};
      const result = isObj(a.result) ? a.result : {};
      return {
        id: str(a.id),
        version: str(a.version),
        title: str(a.title),
        period: str(a.period ?? input.period),
        level: str(a.level ?? input.level),
        budget: num(a.budget ?? input.budget),
        allocated: num(a.allocated ?? result.allocated),
        balance: num(a.balance ?? result.balance),
        createdBy: str(a.createdByName ?? (isObj(a.createdBy) ? a.createdBy.name : a.createdBy)),
        createdAt: str(a.createdAt),
        rulebookVersion: str(a.rulebookVersion),
      };
    });
}

const savedColumns: Column<Saved>[] = [
  { label: '版本', num: true, cell: (s) => (s.version ? `第${s.version}版` : '—') },
  { label: '名称', cls: 'wrap', cell: (s) => s.title },
  { label: '期次', cell: (s) => `${PERIOD_NAME(s.period)}${s.level ? ` · ${LEVEL_NAME[s.level] ?? s.level}` : ''}` },
  { label: '预算（元）', num: true, cell: (s) => fmtYuan(s.budget) },
  { label: '已分配（元）', num: true, cell: (s) => fmtYuan(s.allocated) },
  { label: '结余（元）', num: true, cell: (s) => fmtYuan(s.balance) },
  { label: '细则版本', num: true, cell: (s) => s.rulebookVersion || '—' },
  { label: '经办人', cell: (s) => s.createdBy },
  { label: '保存时间', cell: (s) => fmtDateTime(s.createdAt) },
  {
    label: '操作',
    cls: 'actions-cell',
    cell: (s) => [
      h('button', { type: 'button', class: 'small', 'data-id': s.id, onclick: () => void showSaved(s.id) }, '查看'),
      h('a', { class: 'button small', href: `/api/allocations/${encodeURIComponent(s.id)}/export.xlsx`, download: '', 'data-export': 'xlsx' }, '下载 Excel'),
      h('a', { class: 'button small', href: `/api/allocations/${encodeURIComponent(s.id)}/export.csv`, download: '', 'data-export': 'csv' }, '下载 CSV'),
    ],
  },
];

async function loadSaved(): Promise<void> {
  const body = await withStatus($('#list-status'), () => api('/api/allocations'));
  if (body === undefined) return;
  const saved = readSaved(body).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || Number(b.version) - Number(a.version));
  fill($('#saved'), table(savedColumns, saved, { empty: '还没有保存的分配方案' }));
}

async function showSaved(id: string): Promise<void> {
  const detail = $('#detail');
  try {
    const body = await api(`/api/allocations/${encodeURIComponent(id)}`);
    const rec = objIn(body, 'allocation', 'record');
    const [s] = readSaved([rec]);
    $('#detail-title').textContent = `方案详情：${s?.title ?? ''}${s?.version ? `（第${s.version}版）` : ''}`;
    townshipOf = detailsReader(rec.ranking);
    $('#detail-basis').textContent = [basisText(isObj(rec.ranking) ? rec.ranking : {}), s ? `${s.createdBy || ''} 保存于 ${fmtDateTime(s.createdAt)}` : ''].filter(Boolean).join('；');
    showResult('detail', readResult(rec));
    show(detail, true);
    setQuery({ id });
    detail.scrollIntoView({ block: 'start' });
  } catch (e) {
    statusError($('#list-status'), e);
  }
}

// ---------- start ----------

function setupForm(f: HTMLFormElement, periods: Periods, county: County): void {
  const levelSel = $select('#level');
  const periodSel = $select('#period');
  const townshipSel = $select('#alloc-township');
  readTiers = rangeEditor($('#tiers'), '每个单位金额（元）', [
    { fromRank: 1, toRank: 1, value: 20000 },
    { fromRank: 2, toRank: 3, value: 15000 },
    { fromRank: 4, toRank: 6, value: 10000 },
  ], '1');
  readPoints = rangeEditor($('#points'), '分值', [
    { fromRank: 1, toRank: 1, value: 10 },
    { fromRank: 2, toRank: 3, value: 8 },
    { fromRank: 4, toRank: 10, value: 5 },
  ], '0.01');
  showParams();
  $select('#method').addEventListener('change', showParams);
  $input('#base-use-points').addEventListener('change', showParams);
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void preview();
  });
  ($('#save-form') as HTMLFormElement).addEventListener('submit', (ev) => {
    ev.preventDefault();
    void save();
  });
  // Any change to the inputs makes the preview stale: save only what was previewed.
  f.addEventListener('input', () => {
    if (!$('#preview').hidden) setStatus($('#save-status'), 'info', '参数已修改，请重新预览后再保存。');
    lastBody = undefined;
  });
  if (queryParam('level') === 'township') levelSel.value = 'township';
  fill(townshipSel, option('', '全县'), county.townships.map((t) => option(t.code, t.name)));
  const byLevel = () => {
    fillPeriods(periodSel, levelSel.value === 'township' ? periods.halves : periods.quarters);
    townshipSel.disabled = levelSel.value === 'township';
    if (townshipSel.disabled) townshipSel.value = '';
  };
  byLevel();
  levelSel.addEventListener('change', byLevel);
}

async function main(): Promise<void> {
  void loadSaved();
  const id = queryParam('id');
  if (id) void showSaved(id);
  if (!form) {
    setStatus(status, 'ok');
    return;
  }
  const loaded = await withStatus(status, () => Promise.all([loadPeriods(), loadCounty()]));
  if (!loaded) return;
  setupForm(form, loaded[0], loaded[1]);
}

void main();
