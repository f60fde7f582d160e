// 总览: township ranking for a half-year, 达标/示范 rates against the 80% target and 90% aim, the trend
// of every township over the periods with data, and the latest quarter's village groups and 软弱涣散 count.
import { api, pageLink } from './lib/api.ts';
import { groupedBars, rankBars, trendLines } from './lib/charts.ts';
import { type County, loadCounty, loadPeriods } from './lib/county.ts';
import { comparePeriods } from './lib/data.ts';
import { $, $select, fill, h, option } from './lib/dom.ts';
import { fillPeriods } from './lib/filters.ts';
import { fmtPercent, fmtScore, PERIOD_NAME } from './lib/format.ts';
import { initPage, setQuery } from './lib/page.ts';
import { loadTrend, readTownships, readVillages, type TownshipRow } from './lib/rankings.ts';
import { setStatus, statusError, withStatus } from './lib/status.ts';

initPage();
const status = $('#status');
const periodSel = $select('#period');

function card(label: string, value: string, sub?: string, cls?: string, href?: string): HTMLElement {
  const body = [h('span', { class: 'card-label' }, label), h('span', { class: 'card-value' }, value), sub ? h('span', { class: 'card-sub' }, sub) : null];
  return href ? h('a', { class: `card ${cls ?? ''}`.trim(), href }, body) : h('div', { class: `card ${cls ?? ''}`.trim() }, body);
}

async function render(county: County, period: string, quarters: string[]): Promise<void> {
  if (!period) {
    setStatus(status, 'empty', '还没有任何上报数据：乡镇上报考评表后这里显示排名。');
    return;
  }
  const body = await withStatus(status, () => api(`/api/rankings/townships?period=${encodeURIComponent(period)}`));
  if (body === undefined) return;
  const { rows, targets } = readTownships(body, county);
  const sorted = [...rows].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  if (!sorted.length) setStatus(status, 'empty', `${PERIOD_NAME(period)}没有乡镇排名数据。`);

  const meet = sorted.filter((r) => (r.rate达标 ?? -1) >= targets.target);
  const aim = sorted.filter((r) => (r.rate达标 ?? -1) >= targets.aim);
  const scores = sorted.map((r) => r.score).filter((s): s is number => s !== undefined);
  const avg = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : undefined;
  const cards = $('#cards');
  fill(
    cards,
    card('乡镇', String(sorted.length), `${county.villages.length || '—'} 个村`),
    card(`达标率达到 ${targets.target}%`, `${meet.length} / ${sorted.length}`, '个乡镇', meet.length < sorted.length ? 'warn' : 'good'),
    card(`达标率达到 ${targets.aim}%`, `${aim.length} / ${sorted.length}`, '个乡镇（争创目标）'),
    card('乡镇平均综合得分', fmtScore(avg, 1), PERIOD_NAME(period)),
  );

  // Latest quarter of this half: village groups and 软弱涣散 candidates.
  const q = quarters.filter((x) => x.slice(0, 4) === period.slice(0, 4) && (period.endsWith('H1') ? /Q[12]$/.test(x) : /Q[34]$/.test(x))).sort(comparePeriods).pop() ?? quarters[0];
  if (q) {
    api(`/api/rankings/villages?period=${encodeURIComponent(q)}`)
      .then((vb) => {
        const vs = readVillages(vb, county);
        const weak = vs.filter((v) => v.weak.length).length;
        const back = vs.filter((v) => v.group === '后进').length;
        cards.append(
          card('软弱涣散候选村', String(weak), `${PERIOD_NAME(q)}，点击查看`, weak ? 'warn' : 'good', pageLink(`/villages?period=${q}&weak=1`)),
          card('后进村', String(back), `示范 ${vs.filter((v) => v.group === '示范').length} · 中间 ${vs.filter((v) => v.group === '中间').length}`, undefined, pageLink(`/villages?period=${q}&group=后进`)),
        );
      })
      .catch(() => {
        /* the cards above stand on their own */
      });
  }

  rankBars(
    $('#chart-rank'),
    sorted.map((r) => ({ name: `${r.rank ?? '—'}. ${r.name}`, value: r.score ?? 0, warn: (r.rate达标 ?? 100) < targets.target })),
    { unit: '分', minHeight: 320 },
  );
  groupedBars(
    $('#chart-rates'),
    sorted.map((r) => r.name),
    [
      { name: '达标率', values: sorted.map((r) => (r.rate达标 === undefined ? null : round1(r.rate达标))) },
      { name: '示范率', values: sorted.map((r) => (r.rate示范 === undefined ? null : round1(r.rate示范))) },
    ],
    { unit: '%', max: 100, lines: [{ value: targets.target, label: `目标 ${targets.target}%` }, { value: targets.aim, label: `争创 ${targets.aim}%`, color: '#2e8b57' }] },
  );
  renderBelow(sorted.filter((r) => r.rate达标 !== undefined && r.rate达标 < targets.target), targets.target);
  void renderTrend(sorted);
}

function renderBelow(rows: TownshipRow[], target: number): void {
  const el = $('#below');
  if (!rows.length) {
    fill(el, h('p', { class: 'ok-text' }, `所有乡镇的达标率都达到了 ${target}%。`));
    return;
  }
  fill(
    el,
    h(
      'ul',
      { class: 'plain' },
      rows.map((r) => h('li', null, h('a', { href: pageLink(`/villages?township=${r.code}`) }, r.name), `：达标率 ${fmtPercent(r.rate达标)}，差 ${fmtPercent(target - (r.rate达标 ?? 0))}`)),
    ),
  );
}

async function renderTrend(rows: TownshipRow[]): Promise<void> {
  const st = $('#trend-status');
  setStatus(st, 'loading');
  try {
    const trends = await Promise.all(rows.map((r) => loadTrend('township', r.code)));
    const periods = [...new Set(trends.flat().map((p) => p.period))].filter((p) => /H/.test(p) || trends.flat().every((x) => !/H/.test(x.period))).sort(comparePeriods);
    if (!periods.length) {
      setStatus(st, 'empty', '还没有走势数据。');
      return;
    }
    setStatus(st, 'ok');
    trendLines(
      $('#chart-trend'),
      periods,
      rows.map((r, i) => ({ name: r.name, values: periods.map((p) => trends[i]?.find((x) => x.period === p)?.score ?? null) })),
      { unit: '分' },
    );
  } catch (e) {
    statusError(st, e);
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

async function main(): Promise<void> {
  const loaded = await withStatus(status, () => Promise.all([loadCounty(), loadPeriods()]));
  if (!loaded) {
    setStatus($('#trend-status'), 'ok');
    fill(periodSel, option('', '—'));
    return;
  }
  const [county, periods] = loaded;
  const chosen = fillPeriods(periodSel, periods.halves);
  periodSel.addEventListener('change', () => {
    setQuery({ period: periodSel.value });
    void render(county, periodSel.value, periods.quarters);
  });
  await render(county, chosen, periods.quarters);
}

void main();
