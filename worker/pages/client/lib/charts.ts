// Charts with Apache ECharts (tree-shaken through echarts/core): canvas rendering, tooltips drawn on the
// canvas too (renderMode 'richText': no HTML built from names, nothing the CSP would block), no animation.
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
const COLORS = ['#1f5fa8', '#c0392b', '#2e8b57', '#d68910', '#6c3483', '#117a8b', '#7f8c8d', '#a04000', '#1abc9c', '#34495e', '#e67e22', '#8e44ad'];

function chartOn(el: HTMLElement, height?: number): echarts.ECharts {
  if (height !== undefined) el.style.height = `${height}px`; // CSSOM, allowed by the CSP (not a style attribute)
  const existing = echarts.getInstanceByDom(el);
  if (existing) {
    existing.resize();
    return existing;
  }
  const chart = echarts.init(el, undefined, { renderer: 'canvas', locale: 'ZH' });
  window.addEventListener('resize', () => chart.resize());
  window.addEventListener('beforeprint', () => chart.resize());
  window.addEventListener('afterprint', () => chart.resize());
  return chart;
}

const base = {
  animation: false,
  color: COLORS,
  textStyle: { fontFamily: FONT, fontSize: 12 },
  tooltip: { renderMode: 'richText', confine: true },
};

export interface BarItem {
  name: string;
  value: number;
  /** Highlight (e.g. 后进, below target). */
  warn?: boolean;
}

export interface Line {
  value: number;
  label: string;
  color?: string;
}

/** Horizontal bars, first item on top (a ranking). */
export function rankBars(el: HTMLElement, items: readonly BarItem[], opts: { unit?: string; max?: number; lines?: Line[]; minHeight?: number } = {}): void {
  const chart = chartOn(el, Math.max(opts.minHeight ?? 160, 40 + items.length * 22));
  chart.setOption(
    {
      ...base,
      tooltip: { ...base.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 56, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: opts.max, name: opts.unit, nameGap: 4, splitLine: { lineStyle: { color: '#e5e5e5' } } },
      yAxis: { type: 'category', inverse: true, data: items.map((i) => i.name), axisLabel: { interval: 0, width: 140, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          name: opts.unit ?? '得分',
          barMaxWidth: 16,
          data: items.map((i) => ({ value: i.value, itemStyle: { color: i.warn ? '#c0392b' : COLORS[0] } })),
          label: { show: true, position: 'right', formatter: (p: { value: unknown }) => fmt(p.value) },
          markLine: markLines(opts.lines, 'xAxis'),
        },
      ],
    },
    true,
  );
}

/** Vertical bars, one per unit in rank order, labels turned (many units: a county's villages). */
export function columnBars(el: HTMLElement, items: readonly BarItem[], opts: { unit?: string; max?: number } = {}): void {
  const chart = chartOn(el, 380);
  chart.setOption(
    {
      ...base,
      tooltip: { ...base.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: items.map((i) => i.name), axisLabel: { interval: 0, rotate: 60, fontSize: 10, width: 90, overflow: 'truncate' } },
      yAxis: { type: 'value', max: opts.max, name: opts.unit, scale: false, splitLine: { lineStyle: { color: '#e5e5e5' } } },
      series: [{ type: 'bar', name: opts.unit ?? '得分', barMaxWidth: 14, data: items.map((i) => ({ value: i.value, itemStyle: { color: i.warn ? '#c0392b' : COLORS[0] } })) }],
    },
    true,
  );
}

/** Vertical grouped bars per category, with target lines (e.g. 80% 目标线, 90% 争创线). */
export function groupedBars(el: HTMLElement, categories: readonly string[], series: readonly { name: string; values: (number | null)[] }[], opts: { unit?: string; max?: number; lines?: Line[] } = {}): void {
  const chart = chartOn(el, 320);
  chart.setOption(
    {
      ...base,
      tooltip: { ...base.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 72, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: [...categories], axisLabel: { interval: 0 } },
      yAxis: { type: 'value', max: opts.max, name: opts.unit, splitLine: { lineStyle: { color: '#e5e5e5' } } },
      series: series.map((s, i) => ({
        type: 'bar',
        name: s.name,
        barMaxWidth: 22,
        data: s.values,
        label: { show: true, position: 'top', fontSize: 11, formatter: (p: { value: unknown }) => fmt(p.value) },
        markLine: i === 0 ? markLines(opts.lines, 'yAxis') : undefined,
      })),
    },
    true,
  );
}

/** Lines over periods (trend). `inverse` for ranks (1 on top). */
export function trendLines(el: HTMLElement, periods: readonly string[], series: readonly { name: string; values: (number | null)[] }[], opts: { unit?: string; inverse?: boolean } = {}): void {
  const chart = chartOn(el, 320);
  chart.setOption(
    {
      ...base,
      tooltip: { ...base.tooltip, trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: [...periods], boundaryGap: false },
      yAxis: { type: 'value', scale: true, inverse: opts.inverse, name: opts.unit, minInterval: opts.inverse ? 1 : undefined, splitLine: { lineStyle: { color: '#e5e5e5' } } },
      series: series.map((s) => ({ type: 'line', name: s.name, data: s.values, connectNulls: false, symbolSize: 6 })),
    },
    true,
  );
}

export function clearChart(el: HTMLElement): void {
  echarts.getInstanceByDom(el)?.dispose();
  el.style.height = '';
}

function markLines(lines: Line[] | undefined, axis: 'xAxis' | 'yAxis') {
  if (!lines?.length) return undefined;
  return {
    silent: true,
    symbol: 'none',
    data: lines.map((l) => ({
      [axis]: l.value,
      name: l.label,
      lineStyle: { type: 'dashed', color: l.color ?? '#c0392b', width: 1.5 },
      label: { formatter: l.label, position: 'end', color: l.color ?? '#c0392b' },
    })),
  };
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? String(Math.round(v * 100) / 100) : '';
}
