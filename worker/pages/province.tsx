/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// 全省各县 (province accounts): the counties of the province side by side for one quarter, each opening its
// county's pages read-only. Filled by worker/pages/client/province.ts from GET /api/province/counties.
import type { User } from '../env.ts';
import { Page, type PageContext } from './layout.tsx';

export function ProvinceView(props: { user: User; ctx?: PageContext }) {
  return (
    <Page user={props.user} path="/province" title="全省各县对比" script="province" wide ctx={props.ctx}>
      <form class="toolbar no-print" role="search" id="filters">
        <label class="field">
          <span>季度</span>
          <select id="period" name="period">
            <option value="">正在加载…</option>
          </select>
        </label>
        <label class="field">
          <span>打开县</span>
          <select id="open-county" name="county">
            <option value="">请选择县</option>
            {(props.ctx?.counties ?? []).map((c) => (
              <option value={c.code}>
                {c.name}（{c.code}）
              </option>
            ))}
          </select>
        </label>
        <button type="submit" id="open-go">
          打开
        </button>
        <span class="spacer"></span>
        <button type="button" id="print">
          打印
        </button>
      </form>
      <p class="status status-loading" id="status" role="status" aria-live="polite">
        正在加载…
      </p>
      <section class="cards" id="cards" aria-label="全省指标"></section>
      <div class="grid2">
        <section class="panel">
          <h2>各县达标率</h2>
          <p class="note">五好目标：达标村占比 80% 以上（虚线），争创 90%（点线）。</p>
          <div class="chart" id="chart-rates"></div>
        </section>
        <section class="panel">
          <h2>各县村级均分</h2>
          <div class="chart" id="chart-mean"></div>
        </section>
      </div>
      <section class="panel">
        <h2>各县对比表</h2>
        <p class="note">点击县名打开该县的总览（只读）；红色为低于目标。</p>
        <div class="table-wrap" id="table"></div>
        <details class="rules">
          <summary>指标口径</summary>
          <ul class="notes" id="rules"></ul>
        </details>
      </section>
    </Page>
  );
}
