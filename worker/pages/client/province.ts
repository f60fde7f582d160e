// 全省各县对比 (province accounts): GET /api/province/counties for a quarter — each county's 达标率 against
// 80%/90%, mean score, 软弱涣散 count and submissions received against expected; a county opens read-only.
import { api } from './lib/api.ts';
import { groupedBars, rankBars } from './lib/charts.ts';
import { isObj, listIn, num, str } from './lib/data.ts';
import { $, $select, fill, h, option } from './lib/dom.ts';
import { fmtPercent, fmtScore, PERIOD_NAME } from './lib/format.ts';
import { initPage, queryParam, setQuery } from './lib/page.ts';
import { setStatus, withStatus } from './lib/status.ts';
import { table, type Column } from './lib/table.ts';

initPage();
const status = $('#status');
const periodSel = $select('#period');

interface CountyRow {
  code: string;
  name: string;
  townships: number;
  villages: number;
  results: number;
  /** Percent (0–100), undefined without results. */
  pass?: number;
  passCount?: number;
  meetsTarget: boolean;
  meetsAim: boolean;
  townshipsMeetingTarget: number;
  mean?: number;
  weak: number;
  received: number;
  expected: number;
  missing: string[];
}

/** body[key] when it is an object, else {} (no fallback to the body itself). */
const field = (body: unknown, key: string): Record<string, unknown> => (isObj(body) && isObj(body[key]) ? (body[key] as Record<string, unknown>) : {});

function readRows(body: unknown): CountyRow[] {
  return listIn(body, 'counties')
    .filter(isObj)
    .map((c) => {
      const rate = field(field(c, 'rates'), '达标');
      const sub = field(c, 'submissions');
      return {
        code: str(c.code),
        name: str(c.name),
        townships: num(c.townships) ?? 0,
        villages: num(c.villages) ?? 0,
        results: num(c.results) ?? 0,
        pass: num(rate.percent),
        passCount: num(rate.count),
        meetsTarget: rate.meetsTarget === true,
        meetsAim: rate.meetsAim === true,
        townshipsMeetingTarget: num(c.townshipsMeetingTarget) ?? 0,
        mean: num(c.meanScore),
        weak: num(c.weak) ?? 0,
        received: num(sub.received) ?? 0,
        expected: num(sub.expected) ?? 0,
        missing: listIn(sub, 'missing').filter(isObj).map((m) => str(m.name)),
      };
    });
}

const countyHref = (code: string, path = '/') => `${path}?county=${encodeURIComponent(code)}`;

function card(label: string, value: string, sub?: string, cls?: string): HTMLElement {
  return h('div', { class: `card ${cls ?? ''}`.trim() }, h('span', { class: 'card-label' }, label), h('span', { class: 'card-value' }, value), sub ? h('span', { class: 'card-sub' }, sub) : null);
}

function render(body: unknown, period: string): void {
  const rows = readRows(body);
  const targets = field(body, 'targets');
  const target = Math.round((num(targets.target) ?? 0.8) * 100);
  const aim = Math.round((num(targets.aim) ?? 0.9) * 100);
  if (!rows.length) {
    setStatus(status, 'empty', '本省还没有登记的县。');
    return;
  }
  if (!period) setStatus(status, 'empty', '还没有任何上报数据。');
  const received = rows.reduce((s, r) => s + r.received, 0);
  const expected = rows.reduce((s, r) => s + r.expected, 0);
  const meet = rows.filter((r) => r.meetsTarget).length;
  fill(
    $('#cards'),
    card('县', String(rows.length), `${rows.reduce((s, r) => s + r.villages, 0)} 个村`),
    card(`达标率达到 ${target}%`, `${meet} / ${rows.length}`, '个县', meet < rows.length ? 'warn' : 'good'),
    card('软弱涣散候选村', String(rows.reduce((s, r) => s + r.weak, 0)), PERIOD_NAME(period), undefined),
    card('已报 / 应报', `${received} / ${expected}`, '个乡镇', received < expected ? 'warn' : 'good'),
  );
  const names = rows.map((r) => r.name);
  groupedBars($('#chart-rates'), names, [{ name: '达标率', values: rows.map((r) => (r.pass === undefined ? null : Math.round(r.pass * 10) / 10)) }], {
    unit: '%',
    max: 100,
    lines: [
      { value: target, label: `目标 ${target}%` },
      { value: aim, label: `争创 ${aim}%`, color: '#2e8b57' },
    ],
  });
  rankBars(
    $('#chart-mean'),
    rows.map((r) => ({ name: r.name, value: r.mean ?? 0, warn: !r.meetsTarget })),
    { unit: '分', max: 100 },
  );
  const columns: Column<CountyRow>[] = [
    { label: '县', cell: (r) => h('a', { href: countyHref(r.code), class: 'open-county' }, r.name), csv: (r) => r.name },
    { label: '区划代码', cell: (r) => r.code },
    { label: '乡镇', num: true, cell: (r) => r.townships },
    { label: '有成绩的村', num: true, cell: (r) => `${r.results} / ${r.villages}` },
    {
      label: '达标率',
      num: true,
      cell: (r) => h('span', { class: r.pass === undefined ? null : r.meetsTarget ? null : 'bad-text' }, fmtPercent(r.pass)),
      title: `目标 ${target}%，争创 ${aim}%`,
    },
    { label: `达到${target}%`, cell: (r) => (r.pass === undefined ? '—' : r.meetsAim ? `是（达到${aim}%）` : r.meetsTarget ? '是' : '否') },
    { label: '达标乡镇', num: true, cell: (r) => `${r.townshipsMeetingTarget} / ${r.townships}` },
    { label: '均分', num: true, cell: (r) => fmtScore(r.mean) },
    { label: '软弱涣散', num: true, cell: (r) => h('a', { href: `${countyHref(r.code, '/villages')}&period=${period}&weak=1` }, String(r.weak)) },
    {
      label: '已报/应报',
      num: true,
      cell: (r) => h('span', { class: r.received < r.expected ? 'bad-text' : null, title: r.missing.length ? `未报：${r.missing.join('、')}` : null }, `${r.received} / ${r.expected}`),
    },
    {
      label: '打开',
      cell: (r) => [h('a', { href: countyHref(r.code, '/villages') }, '村级排名'), ' ', h('a', { href: countyHref(r.code, '/townships') }, '乡镇排名')],
    },
  ];
  fill($('#table'), table(columns, rows, { cls: 'province-table', rowClass: (r) => (r.pass !== undefined && !r.meetsTarget ? 'below' : undefined) }));
  const rules = field(body, 'rules');
  fill(
    $('#rules'),
    ['rates', 'mean', 'weak', 'submissions'].map((k) => str(rules[k])).filter(Boolean).map((t) => h('li', null, t)),
  );
}

async function load(period: string): Promise<void> {
  const body = await withStatus(status, () => api(`/api/province/counties${period ? `?period=${encodeURIComponent(period)}` : ''}`));
  if (body === undefined) return;
  const chosen = isObj(body) ? str(body.period) : '';
  if (!periodSel.dataset.filled) {
    const periods = listIn(body, 'periods').filter(isObj).map((p) => str(p.period));
    fill(periodSel, periods.length ? periods.map((p) => option(p, `${PERIOD_NAME(p)}（${p}）`, p === chosen)) : option('', '暂无数据'));
    periodSel.dataset.filled = '1';
  }
  render(body, chosen);
}

// The county picker: opening a county goes to its 总览 (read-only for a province account).
$('#filters').addEventListener('submit', (e) => {
  e.preventDefault();
  const code = $select('#open-county').value;
  if (code) location.assign(countyHref(code));
});
$select('#open-county').addEventListener('change', (e) => {
  const code = (e.target as HTMLSelectElement).value;
  if (code) location.assign(countyHref(code));
});
periodSel.addEventListener('change', () => {
  setQuery({ period: periodSel.value });
  void load(periodSel.value);
});

void load(/^\d{4}Q[1-4]$/.test(queryParam('period')) ? queryParam('period') : '');
