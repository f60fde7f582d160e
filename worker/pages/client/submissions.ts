// 上报记录: the sheets townships submitted (who, when, which period, rows accepted and rejected, why),
// one submission's row outcomes, the original file; township officers and admins can submit a file here.
import { api, messageOf } from './lib/api.ts';
import { type County, loadCounty, loadPeriods } from './lib/county.ts';
import { isObj, listIn, num, objIn, str, type Obj } from './lib/data.ts';
import { $, $input, $select, fill, h, option, show } from './lib/dom.ts';
import { fillPeriods, fillTownships } from './lib/filters.ts';
import { fmtDateTime, fmtScore, PERIOD_NAME } from './lib/format.ts';
import { initPage, setQuery } from './lib/page.ts';
import { type Column, table } from './lib/table.ts';
import { setStatus, statusError, withStatus } from './lib/status.ts';

const user = initPage();
const status = $('#status');
const townshipSel = $select('#township');
const periodSel = $select('#period');

interface Sub {
  id: string;
  township: string;
  period: string;
  kind: string;
  fileName: string;
  rulebookVersion: string;
  total?: number;
  accepted?: number;
  rejected?: number;
  duplicate: boolean;
  createdAt: string;
  createdBy: string;
  sheet: string;
}

function readSub(s: Obj, county: County): Sub {
  const rows = isObj(s.rows) ? s.rows : {};
  const t = str(s.townshipCode ?? s.township);
  return {
    id: str(s.id),
    township: /^\d{9}$/.test(t) ? county.townshipName(t) : t,
    period: str(s.period),
    kind: str(s.kind),
    fileName: str(s.fileName ?? s.file_name),
    rulebookVersion: str(s.rulebookVersion),
    total: num(rows.total ?? s.rowsTotal),
    accepted: num(rows.accepted ?? s.rowsAccepted),
    rejected: num(rows.rejected ?? s.rowsRejected),
    duplicate: s.duplicate === true,
    createdAt: str(s.createdAt),
    createdBy: str(s.createdByName ?? (isObj(s.createdBy) ? s.createdBy.name : s.createdBy)),
    sheet: str(s.sheet),
  };
}

const columns: Column<Sub>[] = [
  { label: '上报时间', cell: (s) => fmtDateTime(s.createdAt) },
  { label: '乡镇', cell: (s) => s.township },
  { label: '期次', cell: (s) => (s.period ? `${PERIOD_NAME(s.period)}` : '—') },
  { label: '方式', cell: (s) => (s.kind === 'file' ? '上传文件' : s.kind === 'rows' ? '逐行数据' : s.kind), title: '上传文件：在本页或接口上传 .xlsx/.csv；逐行数据：Excel 插件或网页评分提交的各行' },
  { label: '文件', cls: 'wrap', cell: (s) => s.fileName || '—' },
  { label: '工作表', cell: (s) => s.sheet || '—' },
  { label: '细则版本', num: true, cell: (s) => s.rulebookVersion || '—' },
  { label: '行数', num: true, cell: (s) => s.total ?? '—' },
  { label: '接收', num: true, cell: (s) => s.accepted ?? '—' },
  { label: '退回', num: true, cell: (s) => (s.rejected ? h('span', { class: 'bad-text' }, s.rejected) : (s.rejected ?? '—')) },
  {
    label: '操作',
    cls: 'actions-cell no-print',
    cell: (s) => [
      h('button', { type: 'button', class: 'small', onclick: () => void showDetail(s.id) }, '明细'),
      h('a', { class: 'button small', href: `/api/submissions/${encodeURIComponent(s.id)}/raw`, download: '' }, '原件'),
    ],
  },
];

interface Outcome {
  row?: number;
  code: string;
  name: string;
  status: string;
  cell: string;
  reason: string;
  total?: number;
  level: string;
}

const outcomeColumns: Column<Outcome>[] = [
  { label: '表中行号', num: true, cell: (o) => o.row ?? '—' },
  { label: '区划代码', cell: (o) => o.code || '—' },
  { label: '村', cell: (o) => o.name || '—' },
  { label: '结果', cell: (o) => (o.status === 'accepted' ? h('span', { class: 'tag tag-good' }, '接收') : h('span', { class: 'tag tag-bad' }, '退回')) },
  { label: '单元格', cell: (o) => o.cell },
  { label: '原因', cls: 'wrap', cell: (o) => o.reason },
  { label: '得分', num: true, cell: (o) => fmtScore(o.total) },
  { label: '等次', cell: (o) => o.level },
];

function readOutcomes(body: unknown): Outcome[] {
  return listIn(body, 'outcomes')
    .filter(isObj)
    .map((o) => ({ row: num(o.row), code: str(o.code), name: str(o.name), status: str(o.status), cell: str(o.cell), reason: str(o.reason), total: num(o.total), level: str(o.level) }));
}

let countyRef: County | undefined;

async function showDetail(id: string, answer?: unknown): Promise<void> {
  const detail = $('#detail');
  try {
    const body = answer ?? (await api(`/api/submissions/${encodeURIComponent(id)}`));
    const s = readSub(objIn(body, 'submission'), countyRef!);
    const outcomes = readOutcomes(body);
    $('#detail-title').textContent = `上报详情：${s.township} · ${PERIOD_NAME(s.period)}${s.fileName ? ` · ${s.fileName}` : ''}`;
    fill($('#detail-summary'), `共 ${s.total ?? outcomes.length} 行，接收 ${s.accepted ?? '—'} 行，退回 ${s.rejected ?? '—'} 行。`, s.duplicate ? ' 这份文件此前已上报过，本次未重复计入。' : '');
    fill($('#detail-table'), table(outcomeColumns, outcomes, { empty: '没有逐行结果', rowClass: (o) => (o.status === 'accepted' ? undefined : 'row-warn') }));
    show(detail, true);
    detail.scrollIntoView({ block: 'start' });
  } catch (e) {
    statusError(status, e);
  }
}

async function load(): Promise<void> {
  const q = new URLSearchParams();
  if (townshipSel.value) q.set('township', townshipSel.value);
  if (periodSel.value) q.set('period', periodSel.value);
  setQuery({ township: user.role === 'township' ? undefined : townshipSel.value, period: periodSel.value });
  const body = await withStatus(status, () => api(`/api/submissions${q.size ? `?${q}` : ''}`));
  if (body === undefined) return;
  const subs = listIn(body, 'submissions', 'items')
    .filter(isObj)
    .map((s) => readSub(s, countyRef!))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (!subs.length) setStatus(status, 'empty', '没有上报记录。');
  fill($('#table'), table(columns, subs, { empty: '没有上报记录' }));
}

function wireUpload(county: County): void {
  const form = document.getElementById('upload-form') as HTMLFormElement | null;
  if (!form) return;
  const tSel = $select('#upload-township');
  if (user.role === 'township') {
    fill(tSel, option(user.township, county.townshipName(user.township), true));
    tSel.disabled = true;
  } else {
    fill(tSel, option('', '按表内填报单位'), county.townships.map((t) => option(t.code, t.name)));
  }
  const msg = $('#upload-status');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const file = $input('#upload-file').files?.[0];
    if (!file) {
      setStatus(msg, 'error', '请选择文件');
      return;
    }
    const fd = new FormData();
    fd.set('file', file, file.name);
    const period = $input('#upload-period').value.trim();
    if (period) fd.set('period', period);
    if (tSel.value) fd.set('township', tSel.value);
    setStatus(msg, 'loading', '正在上报并评分…');
    try {
      const answer = await api('/api/submissions/file', { form: fd });
      const s = readSub(objIn(answer, 'submission'), county);
      setStatus(msg, s.rejected ? 'error' : 'info', s.duplicate ? '这份文件此前已上报过，未重复计入。' : `已上报：接收 ${s.accepted ?? '?'} 行，退回 ${s.rejected ?? 0} 行。`);
      await load();
      await showDetail(s.id, answer);
    } catch (e) {
      setStatus(msg, 'error', messageOf(e));
    }
  });
}

async function main(): Promise<void> {
  const loaded = await withStatus(status, () => Promise.all([loadCounty(), loadPeriods().catch(() => ({ all: [], quarters: [], halves: [] }))]));
  if (!loaded) return;
  const [county, periods] = loaded;
  countyRef = county;
  fillTownships(townshipSel, county, user);
  fillPeriods(periodSel, periods.all, 'period', '全部期次');
  for (const el of [townshipSel, periodSel]) el.addEventListener('change', () => void load());
  wireUpload(county);
  await load();
}

void main();
