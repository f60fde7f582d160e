// Filter controls shared by the pages: period and township selects, kept in the address bar.
import { fill, option } from './dom.ts';
import type { County } from './county.ts';
import { PERIOD_NAME } from './format.ts';
import type { PageUser } from './page.ts';
import { queryParam } from './page.ts';

/** Fill a period select (newest first) and choose the one in the address bar, else the newest. */
export function fillPeriods(sel: HTMLSelectElement, periods: readonly string[], param = 'period', allLabel?: string): string {
  const wanted = queryParam(param);
  const chosen = periods.includes(wanted) ? wanted : allLabel !== undefined ? '' : (periods[0] ?? '');
  fill(sel, allLabel !== undefined ? option('', allLabel, chosen === '') : null, periods.map((p) => option(p, `${PERIOD_NAME(p)}（${p}）`, p === chosen)));
  if (!periods.length && allLabel === undefined) fill(sel, option('', '暂无数据'));
  return chosen;
}

/** Fill a township select. A township officer sees only their own township, fixed. */
export function fillTownships(sel: HTMLSelectElement, county: County, user: PageUser, allLabel = '全部乡镇'): string {
  if (user.role === 'township') {
    const own = user.township;
    fill(sel, option(own, county.townshipName(own), true));
    sel.disabled = true;
    return own;
  }
  const wanted = queryParam('township');
  const chosen = county.townships.some((t) => t.code === wanted) ? wanted : '';
  fill(sel, option('', allLabel, chosen === ''), county.townships.map((t) => option(t.code, t.name, t.code === chosen)));
  return chosen;
}
