// 观摩评议: rounds of observation (听、查、看、谈、评). County staff create a round, then enter each
// observer's scores for the units; the page shows the raw scores, which were dropped and the aggregate.
import { api, messageOf } from './lib/api.ts';
import { type County, loadCounty, loadPeriods } from './lib/county.ts';
import { comparePeriods, isObj, listIn, num, str } from './lib/data.ts';
import { $, $input, $select, fill, h } from './lib/dom.ts';
import { fillPeriods } from './lib/filters.ts';
import { fmtDateTime, fmtScore, LEVEL_NAME, PERIOD_NAME } from './lib/format.ts';
import { canWrite, initPage, setQuery } from './lib/page.ts';
import { setStatus, withStatus } from './lib/status.ts';

const user = initPage();
const editable = canWrite(user, 'county', 'admin');
const status = $('#status');
const periodSel = $select('#period');

const DEFAULT_RULE = '评委不少于3人时，去掉一个最高分和一个最低分后取算术平均；不足3人时直接取算术平均。原始评分全部保留';
let ruleText = DEFAULT_RULE;

interface Score {
  unit: string;
  observer: string;
  score: number;
  /** When it was entered (ISO), if the API says. */
  at: string;
}

interface Aggregate {
  unit: string;
  name: string;
  value?: number;
  count?: number;
  /** The highest and lowest scores left out (≥ 3 observers), as the API reports them. */
  dropped?: { highest?: number; lowest?: number };
}

interface Round {
  id: string;
  title: string;
  period: string;
  level: 'village' | 'township';
  rule: string;
  createdAt: string;
  scores: Score[];
  aggregates: Aggregate[];
}

function readRounds(body: unknown): Round[] {
  return listIn(body, 'rounds', 'items')
    .filter(isObj)
    .map((r) => {
      // Scores come per unit (units: [{ unit, name, scores: [{ observer, score }], aggregate, observers, dropped }])
      // or as one flat list (scores: [{ unit, observer, score }]).
      const units = (Array.isArray(r.units) ? r.units : []).filter(isObj);
      const nested = units.flatMap((u) =>
        (Array.isArray(u.scores) ? u.scores : []).filter(isObj).map((s) => ({ unit: str(u.unit ?? u.code), observer: str(s.observer), score: num(s.score) ?? 0, at: str(s.enteredAt ?? s.createdAt) })),
      );
      const flat = (Array.isArray(r.scores) ? r.scores : []).filter(isObj).map((s) => ({ unit: str(s.unit ?? s.unitCode), observer: str(s.observer), score: num(s.score) ?? 0, at: str(s.enteredAt ?? s.createdAt) }));
      const aggSrc = units.length ? units : Array.isArray(r.aggregates) ? (r.aggregates as unknown[]).filter(isObj) : [];
      const aggregates: Aggregate[] = aggSrc.map((a) => ({
        unit: str(a.unit ?? a.unitCode ?? a.code),
        name: str(a.name),
        value: num(a.aggregate ?? a.score ?? a.value ?? a.mean),
        count: num(a.observers ?? a.count),
        dropped: isObj(a.dropped) ? { highest: num(a.dropped.highest), lowest: num(a.dropped.lowest) } : undefined,
      }));
      return {
        id: str(r.id),
        title: str(r.title),
        period: str(r.period),
        level: r.level === 'village' ? 'village' : 'township',
        rule: str(r.rule),
        createdAt: str(r.createdAt),
        scores: nested.length ? nested : flat,
        aggregates,
      };
    });
}

/** Which raw scores were dropped: one highest and one lowest when there are at least three (the API's
 * values when given; with ties, the first observer in name order carries the mark). */
function dropped(scores: Score[], api?: { highest?: number; lowest?: number }): Set<Score> {
  const out = new Set<Score>();
  if (scores.length < 3) return out;
  const sorted = [...scores].sort((a, b) => a.score - b.score || a.observer.localeCompare(b.observer));
  const low = api?.lowest !== undefined ? sorted.find((s) => s.score === api.lowest) : sorted[0];
  const high = api?.highest !== undefined ? [...sorted].reverse().find((s) => s.score === api.highest && s !== low) : sorted[sorted.length - 1];
  if (low) out.add(low);
  if (high) out.add(high);
  return out;
}

function localAggregate(scores: Score[]): number | undefined {
  if (!scores.length) return undefined;
  const d = dropped(scores);
  const kept = scores.filter((s) => !d.has(s));
  return kept.reduce((a, s) => a + s.score, 0) / kept.length;
}

function roundView(round: Round, county: County): HTMLElement {
  const units = round.level === 'township' ? county.townships.map((t) => ({ code: t.code, name: t.name })) : county.villages.map((v) => ({ code: v.code, name: `${v.name}（${county.townshipName(v.township)}）` }));
  // Observers in the order their scores were entered (the order of the paper forms).
  const firstAt = new Map<string, string>();
  for (const s of round.scores) if (!firstAt.has(s.observer) || s.at < firstAt.get(s.observer)!) firstAt.set(s.observer, s.at);
  const observers = [...firstAt.keys()].sort((a, b) => firstAt.get(a)!.localeCompare(firstAt.get(b)!) || a.localeCompare(b, 'zh-CN'));
  const scoredUnits = [...new Set([...round.scores.map((s) => s.unit), ...round.aggregates.map((a) => a.unit)])];
  const rows = scoredUnits
    .map((code) => {
      const scores = round.scores.filter((s) => s.unit === code);
      const agg = round.aggregates.find((a) => a.unit === code);
      return { code, name: units.find((u) => u.code === code)?.name ?? (agg?.name || county.villageName(code)), scores, value: agg?.value ?? localAggregate(scores), count: agg?.count ?? scores.length, drop: agg?.dropped };
    })
    .sort((a, b) => (b.value ?? -1) - (a.value ?? -1));

  const tbl = h(
    'table',
    { class: 'data' },
    h('thead', null, h('tr', null, h('th', null, '名次'), h('th', null, LEVEL_NAME[round.level] ?? '单位'), observers.map((o) => h('th', { class: 'num' }, o)), h('th', { class: 'num' }, '评委数'), h('th', { class: 'num' }, '汇总得分'))),
    h(
      'tbody',
      null,
      rows.length
        ? rows.map((r, i) => {
            const d = dropped(r.scores, r.drop);
            return h(
              'tr',
              null,
              h('td', { class: 'num' }, i + 1),
              h('td', null, r.name),
              observers.map((o) => {
                const s = r.scores.find((x) => x.observer === o);
                return h('td', { class: s && d.has(s) ? 'num dropped' : 'num', title: s && d.has(s) ? '去掉的最高分或最低分' : undefined }, s ? fmtScore(s.score) : '');
              }),
              h('td', { class: 'num' }, r.count),
              h('td', { class: 'num' }, h('strong', null, fmtScore(r.value))),
            );
          })
        : h('tr', null, h('td', { colspan: observers.length + 4, class: 'empty' }, '还没有评分')),
    ),
  );

  const section = h(
    'section',
    { class: 'panel round', 'data-round': round.id },
    h('h2', null, round.title || '（未命名）'),
    h('p', { class: 'note' }, `${LEVEL_NAME[round.level] ?? ''}级 · ${PERIOD_NAME(round.period)}（${round.period}）`, round.createdAt ? ` · 创建于 ${fmtDateTime(round.createdAt)}` : ''),
    h('p', { class: 'rule' }, '汇总规则：', round.rule || ruleText, h('span', { class: 'legend-dropped' }, '删除线为去掉的分数')),
    h('div', { class: 'table-wrap' }, tbl),
  );
  if (editable) section.append(entryForm(round, units));
  return section;
}

/** One observer's scores for every unit of the round. */
function entryForm(round: Round, units: { code: string; name: string }[]): HTMLElement {
  const msg = h('p', { class: 'status', hidden: true });
  if (flash?.round === round.id) {
    setStatus(msg, 'info', flash.text);
    flash = undefined;
  }
  const observer = h('input', { name: 'observer', required: true, maxlength: 50, placeholder: '评委姓名', class: 'observer' });
  const inputs = units.map((u) => ({ u, input: h('input', { type: 'number', min: 0, max: 100, step: '0.01', class: 'score', 'data-unit': u.code, 'aria-label': `${u.name} 得分` }) }));
  const replace = h('input', { type: 'checkbox', class: 'replace' });
  const form = h(
    'form',
    { class: 'entry no-print' },
    h('h3', null, '录入评分'),
    h('label', { class: 'field' }, h('span', null, '评委'), observer),
    h('div', { class: 'entry-grid' }, inputs.map(({ u, input }) => h('label', { class: 'field' }, h('span', null, u.name), input))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '提交该评委的评分'), h('label', { class: 'field check' }, replace, h('span', null, '更正已录入的分数（原分数记入审计日志）'))),
    msg,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = observer.value.trim();
    const scores = inputs.filter(({ input }) => input.value.trim() !== '').map(({ u, input }) => ({ unit: u.code, observer: name, score: Number(input.value) }));
    if (!name || !scores.length) {
      setStatus(msg, 'error', !name ? '请填写评委姓名' : '请至少填写一个得分');
      return;
    }
    setStatus(msg, 'loading', '正在提交…');
    try {
      await api(`/api/observations/rounds/${encodeURIComponent(round.id)}/scores`, { json: replace.checked ? { scores, replace: true } : { scores } });
      flash = { round: round.id, text: `已保存 ${name} 的 ${scores.length} 个评分。` };
      await load();
    } catch (e) {
      setStatus(msg, 'error', messageOf(e));
    }
  });
  return form;
}

let countyRef: County | undefined;
/** A message for a round's entry form that survives the re-render after saving. */
let flash: { round: string; text: string } | undefined;

async function load(): Promise<void> {
  const county = countyRef!;
  setQuery({ period: periodSel.value });
  const body = await withStatus(status, () => api(`/api/observations/rounds${periodSel.value ? `?period=${encodeURIComponent(periodSel.value)}` : ''}`));
  if (body === undefined) return;
  const rounds = readRounds(body);
  if (isObj(body) && typeof body.rule === 'string' && body.rule) {
    ruleText = body.rule;
    $('#rule').textContent = `汇总规则：${ruleText}。`;
  }
  if (!rounds.length) setStatus(status, 'empty', periodSel.value ? `${PERIOD_NAME(periodSel.value)}还没有观摩评议轮次。` : '还没有观摩评议轮次。');
  // Each round states its rule; the general one only when there is none to show.
  $('#rule').hidden = rounds.length > 0;
  fill($('#rounds'), rounds.map((r) => roundView(r, county)));
}

function wireCreate(periods: string[]): void {
  const form = document.getElementById('round-form') as HTMLFormElement | null;
  if (!form) return;
  if (!editable) {
    form.closest('section')?.remove();
    return;
  }
  const level = $select('#round-level');
  const period = $input('#round-period');
  const halves = periods.filter((p) => /H/.test(p));
  const quarters = periods.filter((p) => /Q/.test(p));
  const suggest = () => {
    period.value = (level.value === 'township' ? halves[0] : quarters[0]) ?? period.value;
    period.placeholder = level.value === 'township' ? '2026H1' : '2026Q3';
  };
  suggest();
  level.addEventListener('change', suggest);
  const msg = $('#round-status');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    setStatus(msg, 'loading', '正在创建…');
    try {
      await api('/api/observations/rounds', { json: { period: period.value.trim(), level: level.value, title: $input('#round-title').value.trim() } });
      setStatus(msg, 'info', '已创建。请在下方录入评委评分。');
      $input('#round-title').value = '';
      await load();
    } catch (e) {
      setStatus(msg, 'error', messageOf(e));
    }
  });
}

async function main(): Promise<void> {
  $('#rule').textContent = `汇总规则：${DEFAULT_RULE}。`;
  const loaded = await withStatus(status, () => Promise.all([loadCounty(), loadPeriods()]));
  if (!loaded) return;
  const [county, periods] = loaded;
  countyRef = county;
  const all = [...new Set([...periods.halves, ...periods.all])].sort(comparePeriods).reverse();
  fillPeriods(periodSel, all, 'period', '全部期次');
  periodSel.addEventListener('change', () => void load());
  wireCreate(all);
  await load();
}

void main();
