// 村级排名: one quarter, all townships or one; rank within the township (ties share), county rank,
// total, 等次, stars, 示范/中间/后进 group, movement since last quarter and 软弱涣散 reasons.
import { api } from './lib/api.ts';
import { clearChart, columnBars, rankBars } from './lib/charts.ts';
import { type County, loadCounty, loadPeriods } from './lib/county.ts';
import { isObj } from './lib/data.ts';
import { $, $input, $select, fill, h } from './lib/dom.ts';
import { fillPeriods, fillTownships } from './lib/filters.ts';
import { fmtScore, fmtStars, movementOf, PERIOD_NAME } from './lib/format.ts';
import { initPage, queryParam, setQuery } from './lib/page.ts';
import { readVillages, type VillageRow } from './lib/rankings.ts';
import { type Column, downloadText, fileSafe, table, toCsv } from './lib/table.ts';
import { setStatus, withStatus } from './lib/status.ts';

const user = initPage();
const status = $('#status');
const periodSel = $select('#period');
const townshipSel = $select('#township');
const groupSel = $select('#group');
const weakOnly = $input('#weak-only');

let rows: VillageRow[] = [];
let shown: VillageRow[] = [];

const GROUP_CLASS: Record<string, string> = { 示范: 'tag tag-good', 中间: 'tag', 后进: 'tag tag-bad' };

const columns: Column<VillageRow>[] = [
  { label: '名次', num: true, cell: (r) => [String(r.rank ?? '—'), r.townshipSize ? h('span', { class: 'of' }, `/${r.townshipSize}`) : null], csv: (r) => r.rank ?? '', title: '乡镇内名次' },
  { label: '县内名次', num: true, cell: (r) => [String(r.countyRank ?? '—'), r.countySize ? h('span', { class: 'of' }, `/${r.countySize}`) : null], csv: (r) => r.countyRank ?? '' },
  { label: '村', cell: (r) => h('span', { class: 'name' }, r.name), csv: (r) => r.name },
  { label: '区划代码', cls: 'code-col', cell: (r) => r.code, csv: (r) => r.code },
  { label: '乡镇', cell: (r) => r.townshipName },
  { label: '得分', num: true, cell: (r) => (r.maxTotal ? [fmtScore(r.total), h('span', { class: 'of' }, ` / ${fmtScore(r.maxTotal)}`)] : fmtScore(r.total)), csv: (r) => r.total ?? '' },
  { label: '等次', cell: (r) => (r.veto ? h('span', { class: 'tag tag-bad' }, `${r.level || ''}（一票否决）`) : r.level || '—'), csv: (r) => (r.veto ? `${r.level}（一票否决）` : r.level) },
  { label: '星级', cell: (r) => h('span', { class: 'stars', title: r.starsReason || (r.stars ? `${r.stars}星` : '未评星') }, fmtStars(r.stars)), csv: (r) => r.stars ?? '' },
  { label: '分组', cell: (r) => (r.group ? h('span', { class: GROUP_CLASS[r.group] ?? 'tag', title: r.groupReason || undefined }, r.group) : '—'), csv: (r) => r.group },
  {
    label: '升降',
    cell: (r) => {
      const m = movementOf(r);
      return h('span', { class: `move move-${m.cls}`, title: m.title }, m.text);
    },
    csv: (r) => movementOf(r).text,
  },
  {
    label: '软弱涣散',
    cell: (r) => (r.weak.length ? h('ul', { class: 'reasons' }, r.weak.map((w) => h('li', null, w))) : ''),
    csv: (r) => r.weak.join('；'),
  },
  { label: '连续两期后进', cell: (r) => (r.bottomTwoRunning ? h('span', { class: 'tag tag-bad' }, '是') : ''), csv: (r) => (r.bottomTwoRunning ? '是' : ''), title: '本期与上期都处于本乡镇末位或后进比例' },
];

function applyFilters(county: County): void {
  const g = groupSel.value;
  shown = rows.filter((r) => (!g || r.group === g) && (!weakOnly.checked || r.weak.length > 0));
  const townshipChosen = townshipSel.value;
  shown.sort((a, b) =>
    townshipChosen ? (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.code.localeCompare(b.code) : (a.countyRank ?? 1e9) - (b.countyRank ?? 1e9) || a.township.localeCompare(b.township) || (a.rank ?? 1e9) - (b.rank ?? 1e9),
  );
  const count = (grp: string) => rows.filter((r) => r.group === grp).length;
  const where = townshipChosen ? county.townshipName(townshipChosen) : '全县';
  fill(
    $('#summary'),
    `${where} · ${PERIOD_NAME(periodSel.value)}：${rows.length} 个村，示范 ${count('示范')}、中间 ${count('中间')}、后进 ${count('后进')}；软弱涣散候选 ${rows.filter((r) => r.weak.length).length} 个。`,
    shown.length !== rows.length ? ` 当前显示 ${shown.length} 个。` : '',
  );
  fill($('#table'), table(columns, shown, { empty: '没有符合条件的村', rowClass: (r) => (r.group === '后进' || r.weak.length ? 'row-warn' : undefined) }));
  const chart = $('#chart');
  const max = rows.find((r) => r.maxTotal)?.maxTotal;
  const warn = (r: VillageRow) => r.group === '后进' || r.weak.length > 0;
  if (shown.length && townshipChosen) {
    rankBars(chart, shown.map((r) => ({ name: `${r.rank ?? '—'}. ${r.name}`, value: r.total ?? 0, warn: warn(r) })), { unit: '分', max });
  } else if (shown.length) {
    columnBars(chart, shown.map((r) => ({ name: `${r.name}（${r.townshipName}）`, value: r.total ?? 0, warn: warn(r) })), { unit: '分', max });
  } else {
    clearChart(chart);
  }
}

async function load(county: County): Promise<void> {
  const period = periodSel.value;
  setQuery({ period, township: user.role === 'township' ? undefined : townshipSel.value, group: groupSel.value, weak: weakOnly.checked ? '1' : undefined });
  if (!period) {
    setStatus(status, 'empty', '还没有任何季度的上报数据。');
    rows = [];
    applyFilters(county);
    return;
  }
  const q = new URLSearchParams({ period });
  if (townshipSel.value) q.set('township', townshipSel.value);
  const body = await withStatus(status, () => api(`/api/rankings/villages?${q}`));
  if (body === undefined) {
    rows = [];
    fill($('#table'));
    fill($('#summary'));
    clearChart($('#chart'));
    return;
  }
  rows = readVillages(body, county);
  const rules = isObj(body) && isObj(body.rules) ? body.rules : {};
  const RULE_NAMES: Record<string, string> = { rank: '名次', levels: '等次', stars: '星级', groups: '分组', weak: '软弱涣散', movement: '升降', bottomTwoRunning: '连续两期后进', rates: '达标率' };
  fill($('#rules'), Object.entries(RULE_NAMES).filter(([k]) => typeof rules[k] === 'string').map(([k, label]) => h('li', null, `${label}：${String(rules[k])}`)));
  if (!rows.length) setStatus(status, 'empty', `${PERIOD_NAME(period)}没有村级排名数据（尚无上报）。`);
  applyFilters(county);
}

async function main(): Promise<void> {
  const loaded = await withStatus(status, () => Promise.all([loadCounty(), loadPeriods()]));
  if (!loaded) return;
  const [county, periods] = loaded;
  fillPeriods(periodSel, periods.quarters);
  fillTownships(townshipSel, county, user);
  groupSel.value = ['示范', '中间', '后进'].includes(queryParam('group')) ? queryParam('group') : '';
  weakOnly.checked = queryParam('weak') === '1';
  periodSel.addEventListener('change', () => void load(county));
  townshipSel.addEventListener('change', () => void load(county));
  for (const el of [groupSel, weakOnly]) {
    el.addEventListener('change', () => {
      setQuery({ group: groupSel.value, weak: weakOnly.checked ? '1' : undefined });
      applyFilters(county);
    });
  }
  $('#export-csv').addEventListener('click', () => {
    const where = townshipSel.value ? county.townshipName(townshipSel.value) : '全县';
    downloadText(fileSafe(`村级排名_${where}_${periodSel.value}.csv`), toCsv(columns, shown));
  });
  await load(county);
}

void main();
