// 乡镇排名: one half-year; village average, observation aggregate (and its rule), weighted score, rank,
// 达标/示范 rates against the targets, movement since the last half-year, bottom-two runs.
import { api, pageLink } from './lib/api.ts';
import { clearChart, rankBars } from './lib/charts.ts';
import { type County, loadCounty, loadPeriods } from './lib/county.ts';
import { $, $select, fill, h } from './lib/dom.ts';
import { fillPeriods } from './lib/filters.ts';
import { fmtPercent, fmtScore, movementOf, PERIOD_NAME } from './lib/format.ts';
import { initPage, setQuery } from './lib/page.ts';
import { readTownships, type Targets, type TownshipRow } from './lib/rankings.ts';
import { type Column, downloadText, fileSafe, table, toCsv } from './lib/table.ts';
import { setStatus, withStatus } from './lib/status.ts';

initPage();
const status = $('#status');
const periodSel = $select('#period');
let rows: TownshipRow[] = [];
let targets: Targets = { target: 80, aim: 90 };

function rateCell(p: number | undefined): HTMLElement | string {
  if (p === undefined) return '—';
  const cls = p >= targets.aim ? 'rate rate-aim' : p >= targets.target ? 'rate rate-ok' : 'rate rate-below';
  const title = p >= targets.aim ? `达到争创目标 ${targets.aim}%` : p >= targets.target ? `达到目标 ${targets.target}%` : `低于目标 ${targets.target}%`;
  return h('span', { class: cls, title }, fmtPercent(p));
}

const columns: Column<TownshipRow>[] = [
  { label: '名次', num: true, cell: (r) => [String(r.rank ?? '—'), r.countySize ? h('span', { class: 'of' }, `/${r.countySize}`) : null], csv: (r) => r.rank ?? '' },
  { label: '乡镇', cell: (r) => h('a', { href: pageLink(`/villages?township=${encodeURIComponent(r.code)}`) }, r.name), csv: (r) => r.name },
  { label: '区划代码', csvOnly: true, cell: (r) => r.code },
  { label: '村级平均分', num: true, cell: (r) => fmtScore(r.villageAverage), csv: (r) => r.villageAverage ?? '' },
  { label: '观摩评议', num: true, cell: (r) => fmtScore(r.observation), csv: (r) => r.observation ?? '', title: '观摩评议汇总得分' },
  { label: '综合得分', num: true, cell: (r) => h('strong', null, fmtScore(r.score)), csv: (r) => r.score ?? '' },
  { label: '达标率', num: true, cell: (r) => rateCell(r.rate达标), csv: (r) => (r.rate达标 === undefined ? '' : fmtPercent(r.rate达标)) },
  { label: '示范率', num: true, cell: (r) => (r.rate示范 === undefined ? '—' : fmtPercent(r.rate示范)), csv: (r) => (r.rate示范 === undefined ? '' : fmtPercent(r.rate示范)) },
  {
    label: '升降',
    cell: (r) => {
      const m = movementOf(r);
      return h('span', { class: `move move-${m.cls}`, title: m.title }, m.text);
    },
    csv: (r) => movementOf(r).text,
  },
  { label: '连续两期后进', cell: (r) => (r.bottomTwoRunning ? h('span', { class: 'tag tag-bad' }, '是') : ''), csv: (r) => (r.bottomTwoRunning ? '是' : ''), title: '本半年与上半年都处于全县末位或后进比例' },
];

async function load(county: County): Promise<void> {
  const period = periodSel.value;
  setQuery({ period });
  if (!period) {
    setStatus(status, 'empty', '还没有任何半年度的数据。');
    return;
  }
  const body = await withStatus(status, () => api(`/api/rankings/townships?period=${encodeURIComponent(period)}`));
  if (body === undefined) {
    fill($('#table'));
    clearChart($('#chart'));
    return;
  }
  const r = readTownships(body, county);
  rows = r.rows.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  targets = r.targets;
  if (!rows.length) setStatus(status, 'empty', `${PERIOD_NAME(period)}没有乡镇排名数据。`);
  const below = rows.filter((x) => x.rate达标 !== undefined && x.rate达标 < targets.target).length;
  fill(
    $('#summary'),
    `${PERIOD_NAME(period)}：${rows.length} 个乡镇；达标率低于 ${targets.target}% 的 ${below} 个。`,
  );
  fill($('#formula'), r.formula ? h('li', null, `计分：${r.formula}。`) : null, r.rule ? h('li', null, `观摩评议：${r.rule}。`) : null);
  fill($('#table'), table(columns, rows, { empty: '没有数据', rowClass: (x) => (x.rate达标 !== undefined && x.rate达标 < targets.target ? 'row-warn' : undefined) }));
  if (rows.length) rankBars($('#chart'), rows.map((x) => ({ name: `${x.rank ?? '—'}. ${x.name}`, value: x.score ?? 0, warn: x.rate达标 !== undefined && x.rate达标 < targets.target })), { unit: '分' });
  else clearChart($('#chart'));
}

async function main(): Promise<void> {
  const loaded = await withStatus(status, () => Promise.all([loadCounty(), loadPeriods()]));
  if (!loaded) return;
  const [county, periods] = loaded;
  fillPeriods(periodSel, periods.halves);
  periodSel.addEventListener('change', () => void load(county));
  $('#export-csv').addEventListener('click', () => downloadText(fileSafe(`乡镇排名_${periodSel.value}.csv`), toCsv(columns, rows)));
  await load(county);
}

void main();
