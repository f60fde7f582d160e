// 整改台账: one item per failing requirement of a village, open until a later submission passes it or
// county staff close it with a reason. Filter by township, status and overdue; add notes; close.
import { api, messageOf } from './lib/api.ts';
import { type County, loadCounty } from './lib/county.ts';
import { isObj, listIn, num, str, type Obj } from './lib/data.ts';
import { $, $input, $select, fill, h } from './lib/dom.ts';
import { fillTownships } from './lib/filters.ts';
import { fmtDate, fmtDateTime, STANDARD_NAME } from './lib/format.ts';
import { canWrite, initPage, queryParam, setQuery } from './lib/page.ts';
import { type Column, downloadText, fileSafe, table, toCsv } from './lib/table.ts';
import { setStatus, withStatus } from './lib/status.ts';

const user = initPage();
/** Notes: township officers (own township), county staff, admins. Closing by hand: county staff and admins. */
const canNote = canWrite(user, 'township', 'county', 'admin');
const canClose = canWrite(user, 'county', 'admin');
const status = $('#status');
const townshipSel = $select('#township');
const statusSel = $select('#status-filter');
const overdue = $input('#overdue');
const search = $input('#search');

interface Note {
  text: string;
  by: string;
  at: string;
}

interface Item {
  id: string;
  village: string;
  villageCode: string;
  township: string;
  article: string;
  message: string;
  foundPeriod: string;
  deadline: string;
  status: string;
  overdue: boolean;
  closedBy: string;
  closeReason: string;
  closedAt: string;
  evidence: string;
  notes: Note[];
}

const PAGE = 100;
let limit = PAGE;
let items: Item[] = [];
/** All matching items (the list may be cut at the API's page size). */
let total: number | undefined;
let shown: Item[] = [];

function articleText(r: Obj): string {
  if (typeof r.articleRef === 'string' && r.articleRef) return r.articleRef;
  const a = r.article;
  if (isObj(a)) return [STANDARD_NAME[str(a.standard)] ?? str(a.standard), num(a.number ?? a.article) !== undefined ? `第${str(a.number ?? a.article)}条` : '', str(a.title)].filter(Boolean).join(' ');
  const std = STANDARD_NAME[str(r.standard)] ?? str(r.standard);
  const n = num(a);
  return [std, n !== undefined ? `第${n}条` : str(a), r.requirementId ? `（${str(r.requirementId)}）` : ''].filter(Boolean).join(' ');
}

function closedByText(x: unknown): string {
  if (isObj(x)) {
    if (x.kind === 'submission' || x.submission || x.submissionId) return '后续上报已达标，自动销号';
    return str(x.name ?? x.person ?? x.login ?? x.by);
  }
  return str(x);
}

function readItems(body: unknown, county: County): Item[] {
  return listIn(body, 'items', 'ledger', 'rows')
    .filter(isObj)
    .map((r) => {
      const v = r.village;
      const villageCode = isObj(v) ? str(v.code) : str(r.villageCode ?? (typeof v === 'string' && /^\d{12}$/.test(v) ? v : ''));
      const villageName = isObj(v) ? str(v.name) : str(r.villageName ?? (typeof v === 'string' && !/^\d{12}$/.test(v) ? v : ''));
      const notes = (Array.isArray(r.notes) ? r.notes : []).map((n) =>
        isObj(n) ? { text: str(n.text), by: isObj(n.by) ? str(n.by.name) : str(n.byName ?? n.by ?? n.name), at: str(n.at ?? n.createdAt) } : { text: str(n), by: '', at: '' },
      );
      const t = r.township;
      const township = isObj(t) ? str(t.name) || county.townshipName(str(t.code)) : str(r.townshipCode ?? t) || villageCode.slice(0, 9);
      return {
        id: str(r.id),
        village: villageName || county.villageName(villageCode),
        villageCode,
        township: /^\d+$/.test(township) ? county.townshipName(township) : township,
        article: articleText(r),
        message: str(r.message),
        foundPeriod: str(r.foundPeriod),
        deadline: str(r.deadline),
        status: str(r.status),
        overdue: r.overdue === true,
        closedBy: closedByText(r.closedBy),
        closeReason: str(r.closeReason ?? r.reason),
        closedAt: str(r.closedAt),
        evidence: str(isObj(r.evidence) ? (r.evidence.text ?? r.evidence.submission) : r.evidence),
        notes,
      };
    });
}

const columns: Column<Item>[] = [
  { label: '村', cell: (r) => [h('span', { class: 'name' }, r.village), h('span', { class: 'code' }, r.villageCode)], csv: (r) => r.village },
  { label: '区划代码', csvOnly: true, cell: (r) => r.villageCode },
  { label: '乡镇', cls: 'nw', cell: (r) => r.township },
  { label: '条款', cls: 'nw', cell: (r) => r.article },
  { label: '问题', cls: 'wrap', cell: (r) => r.message },
  { label: '发现期次', cls: 'nw', cell: (r) => r.foundPeriod, title: '发现问题的上报期次' },
  { label: '整改期限', cls: 'nw', cell: (r) => fmtDate(r.deadline) },
  {
    label: '状态',
    cls: 'nw',
    cell: (r) => (r.status === 'closed' ? h('span', { class: 'tag tag-good' }, '已销号') : r.overdue ? h('span', { class: 'tag tag-bad' }, '逾期') : h('span', { class: 'tag' }, '整改中')),
    csv: (r) => (r.status === 'closed' ? '已销号' : r.overdue ? '逾期' : '整改中'),
  },
  {
    label: '销号',
    cls: 'wrap',
    cell: (r) => (r.status === 'closed' ? [r.closedBy, r.closeReason ? `：${r.closeReason}` : '', r.evidence ? h('div', { class: 'sub' }, `依据：${r.evidence}`) : null, r.closedAt ? h('div', { class: 'sub' }, fmtDateTime(r.closedAt)) : null] : ''),
    csv: (r) => (r.status === 'closed' ? [r.closedBy, r.closeReason, r.evidence].filter(Boolean).join('；') : ''),
  },
  {
    label: '备注',
    cls: 'wrap',
    cell: (r) => (r.notes.length ? h('ul', { class: 'notes-list' }, r.notes.map((n) => h('li', null, n.text, n.by || n.at ? h('span', { class: 'sub' }, ` —${n.by} ${fmtDateTime(n.at)}`) : null))) : ''),
    csv: (r) => r.notes.map((n) => n.text).join('；'),
  },
  ...(canNote
    ? [
        {
          label: '操作',
          cls: 'no-print actions-cell',
          cell: (r: Item) =>
            r.status === 'closed'
              ? ''
              : [
                  h('button', { type: 'button', class: 'small', 'data-act': 'note', 'data-id': r.id, onclick: () => openDialog('note', r) }, '备注'),
                  canClose ? h('button', { type: 'button', class: 'small', 'data-act': 'close', 'data-id': r.id, onclick: () => openDialog('close', r) }, '销号') : null,
                ],
          csv: () => '',
        } satisfies Column<Item>,
      ]
    : []),
];

function applySearch(): void {
  const q = search.value.trim().toLowerCase();
  shown = q ? items.filter((i) => [i.village, i.villageCode, i.article, i.message, i.township].some((s) => s.toLowerCase().includes(q))) : items;
  const open = items.filter((i) => i.status !== 'closed').length;
  const late = items.filter((i) => i.overdue && i.status !== 'closed').length;
  const closed = items.length - open;
  fill(
    $('#summary'),
    `共 ${items.length} 项：`,
    [open || statusSel.value !== 'closed' ? `未销号 ${open} 项（其中逾期 ${late} 项）` : '', closed || statusSel.value === 'closed' ? `已销号 ${closed} 项` : ''].filter(Boolean).join('，'),
    '。',
    total !== undefined && total > items.length ? ` 另有 ${total - items.length} 项未列出，请缩小筛选范围。` : '',
    shown.length !== items.length ? ` 当前显示 ${shown.length} 项。` : '',
  );
  // Only as many rows as a person reads at once; the CSV has them all.
  const page = shown.slice(0, limit);
  const cols = columns.filter((c) => !(c.label === '操作' && statusSel.value === 'closed') && !(c.label === '销号' && statusSel.value === 'open'));
  fill(
    $('#table'),
    table(cols, page, { empty: '没有符合条件的整改事项' }),
    shown.length > page.length
      ? h(
          'p',
          { class: 'more no-print' },
          `已显示 ${page.length} / ${shown.length} 项 `,
          h('button', { type: 'button', id: 'more', onclick: () => ((limit += PAGE), applySearch()) }, `再显示 ${Math.min(PAGE, shown.length - page.length)} 项`),
          ' ',
          h('button', { type: 'button', id: 'all', onclick: () => ((limit = Infinity), applySearch()) }, '显示全部'),
        )
      : null,
  );
}

let countyRef: County | undefined;

async function load(): Promise<void> {
  const county = countyRef!;
  const q = new URLSearchParams();
  if (townshipSel.value) q.set('township', townshipSel.value);
  if (statusSel.value) q.set('status', statusSel.value);
  if (overdue.checked) q.set('overdue', '1');
  setQuery({ township: user.role === 'township' ? undefined : townshipSel.value, status: statusSel.value || 'all', overdue: overdue.checked ? '1' : undefined });
  const body = await withStatus(status, () => api(`/api/ledger${q.size ? `?${q}` : ''}`));
  if (body === undefined) {
    items = [];
    fill($('#table'));
    return;
  }
  items = readItems(body, county);
  limit = PAGE;
  total = isObj(body) ? num(body.total) : undefined;
  applySearch();
}

// The note / close dialog (county staff and admins).
let dialogAction: 'note' | 'close' = 'note';
let dialogItem: Item | undefined;

function openDialog(action: 'note' | 'close', item: Item): void {
  const dialog = $('#item-dialog') as HTMLDialogElement;
  dialogAction = action;
  dialogItem = item;
  $('#dialog-title').textContent = action === 'note' ? '添加备注' : '销号';
  $('#dialog-label').textContent = action === 'note' ? '备注内容' : '销号理由（必填，将记入台账）';
  $('#dialog-item').textContent = `${item.village}：${item.message || item.article}`;
  ($('#dialog-text') as HTMLTextAreaElement).value = '';
  $('#dialog-ok').textContent = action === 'note' ? '保存备注' : '确认销号';
  $('#dialog-error').hidden = true;
  dialog.showModal();
}

function wireDialog(): void {
  if (!canNote) return;
  const dialog = $('#item-dialog') as HTMLDialogElement;
  const text = $('#dialog-text') as HTMLTextAreaElement;
  const err = $('#dialog-error');
  $('#dialog-cancel').addEventListener('click', () => dialog.close());
  $('#item-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = text.value.trim();
    if (!value || !dialogItem) {
      err.textContent = dialogAction === 'note' ? '请填写备注内容' : '请填写销号理由';
      err.hidden = false;
      return;
    }
    const ok = $('#dialog-ok') as HTMLButtonElement;
    ok.disabled = true;
    try {
      const id = encodeURIComponent(dialogItem.id);
      if (dialogAction === 'note') await api(`/api/ledger/${id}/notes`, { json: { text: value } });
      else await api(`/api/ledger/${id}/close`, { json: { reason: value } });
      dialog.close();
      await load();
      setStatus(status, 'info', dialogAction === 'note' ? `已为“${dialogItem.village}”保存备注。` : `“${dialogItem.village}”${dialogItem.article}已销号。`);
    } catch (e) {
      err.textContent = messageOf(e);
      err.hidden = false;
    } finally {
      ok.disabled = false;
    }
  });
}

async function main(): Promise<void> {
  const county = await withStatus(status, () => loadCounty());
  if (!county) return;
  countyRef = county;
  fillTownships(townshipSel, county, user);
  const st = queryParam('status');
  statusSel.value = st === 'all' ? '' : st === 'closed' ? 'closed' : 'open';
  overdue.checked = queryParam('overdue') === '1';
  for (const el of [townshipSel, statusSel, overdue]) el.addEventListener('change', () => void load());
  search.addEventListener('input', applySearch);
  $('#export-csv').addEventListener('click', () => downloadText(fileSafe(`整改台账_${townshipSel.value ? county.townshipName(townshipSel.value) : '全县'}.csv`), toCsv(columns.filter((c) => c.label !== '操作'), shown)));
  wireDialog();
  await load();
}

void main();
