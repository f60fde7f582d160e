/// <reference types="office-js" />
// The task pane: renders the controller's state and forwards clicks. All behaviour is in addin/logic (pure) and
// addin/excel (the Office.js adapter); this file only touches the DOM. Text from the officer's sheet is always
// set with textContent, never as HTML.
import { ExcelAdapter } from './excel/adapter.ts';
import { officeHost, type ExcelHost } from './excel/host.ts';
import { Controller, type PaneState } from './logic/controller.ts';
import type { NoteScope } from './logic/sheets.ts';
import { MATCHED_BY_ZH } from '../shared/sheet/mapping.ts';

declare global {
  interface Window {
    /** A test may provide its own host (an in-memory Excel) before this script runs. */
    kaopingHost?: ExcelHost;
    kaoping?: Controller;
  }
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

const SOURCE_ZH = { county: '县级细则', cache: '县级细则（缓存）', default: '默认标准' } as const;

function render(c: Controller, s: PaneState): void {
  const busy = s.status === 'busy';
  const blocked = s.status === 'unsupported' || s.status === 'starting';
  for (const id of ['btn-recognize', 'btn-score', 'btn-clear', 'btn-template', 'btn-submit', 'btn-rulebook', 'btn-login']) $<HTMLButtonElement>(id).disabled = busy || blocked;

  const msg = $('message');
  msg.hidden = !s.message;
  msg.className = s.message?.kind ?? '';
  msg.textContent = s.message?.text ?? '';
  $('busy').hidden = !busy;
  $('busy-text').textContent = s.busy ?? '';

  const rb = s.rulebook;
  $('rulebook').textContent = `${SOURCE_ZH[rb.source]}：${rb.name}`;
  $('rulebook').title = rb.fetchedAt ? `获取于 ${rb.fetchedAt.slice(0, 16).replace('T', ' ')}` : '评分依据';

  const sheet = s.sheet;
  $('sheet-section').hidden = !sheet;
  if (sheet) {
    $('sheet-name').textContent = sheet.name;
    $('sheet-header').textContent = `第 ${sheet.headerRows.top}–${sheet.headerRows.bottom} 行`;
    $('sheet-villages').textContent = `${sheet.villages} 个`;
    $('sheet-period').textContent = `${sheet.periodZh}（${sheet.periodChosen ? '已手动指定' : sheet.periodSource}）`;
    const skipped = sheet.skippedRows.filter((r) => r.reason !== '空行');
    $('skipped-details').hidden = skipped.length === 0;
    $('skipped-summary').textContent = `跳过 ${skipped.length} 行（合计、说明、签字等）`;
    $('skipped-list').replaceChildren(...skipped.slice(0, 100).map((r) => el('li', `第 ${r.row} 行：${r.reason}`)));
    renderColumns(c, s);
  }

  const r = s.result;
  $('result-section').hidden = !r;
  if (r) {
    const items: [string, string][] = [
      ['村数', `${r.villages}`],
      ['达标项', `${r.pass}`],
      ['未达标项', `${r.fail}`],
      ['待补项', `${r.pending}`],
      ['待评项', `${r.manual}`],
      ['批注', r.noteMode === 'none' ? '写在“考评结果”表中' : `${r.notes} 条${r.noteMode === 'comments' ? '（以评论形式）' : ''}`],
      ...Object.entries(r.levels).map(([k, v]) => [k, `${v} 个村`] as [string, string]),
    ];
    $('result-list').replaceChildren(...items.map(([k, v]) => el('li', `${k}：${v}`)));
    $('live-status').textContent = s.live.stale ?? (s.live.on ? `修改数据后会自动重新评分该行${s.live.updates ? `（已更新 ${s.live.updates} 次）` : ''}` : '');
  }

  const sub = s.submission;
  $('submit-section').hidden = !sub;
  if (sub) {
    $('submit-text').textContent = sub.text;
    const rows = (sub.answer?.outcomes ?? []).map((o) => {
      const tr = el('tr', undefined, o.status);
      tr.append(el('td', String(o.row)), el('td', o.name ?? o.code ?? ''), el('td', o.status === 'accepted' ? '已接收' : '退回'), el('td', o.reason ? `${o.cell ? `${o.cell}：` : ''}${o.reason}` : (o.level ? `${o.level}${o.total !== undefined ? ` ${o.total}分` : ''}` : '')));
      return tr;
    });
    $('outcomes').querySelector('tbody')!.replaceChildren(...rows);
  }

  const cfg = s.config;
  if (document.activeElement?.closest('#settings-form') === null || !document.activeElement) {
    $<HTMLInputElement>('cfg-url').value = cfg.workerUrl;
    $<HTMLInputElement>('cfg-token').value = cfg.token;
    $<HTMLInputElement>('cfg-township').value = cfg.townshipCode;
    $<HTMLSelectElement>('cfg-scope').value = cfg.noteScope;
    $<HTMLInputElement>('cfg-live').checked = cfg.live;
  }
  if (s.caps) {
    $('caps').textContent = s.caps.notes === 'notes' ? '' : s.caps.notes === 'comments' ? '本机 Excel 以评论代替批注' : '本机 Excel 不支持批注，说明写在“考评结果”表中';
  }
}

let columnsKey = '';
function renderColumns(c: Controller, s: PaneState): void {
  const key = JSON.stringify([s.columns, s.inputs.length, s.status === 'busy']);
  if (key === columnsKey) return;
  columnsKey = key;
  const body = $('columns').querySelector('tbody')!;
  const rows = s.columns.map((col) => {
    const tr = el('tr', undefined, `${col.input ? '' : 'unmapped'} ${col.overridden ? 'override' : ''}`.trim());
    tr.append(el('td', col.letter));
    const head = el('td', col.header || '（无表头）');
    if (col.note) head.append(el('span', col.note, 'note'));
    tr.append(head);
    const td = el('td');
    const select = el('select');
    select.setAttribute('aria-label', `${col.letter} 列对应的指标`);
    select.disabled = s.status === 'busy';
    const opt = (value: string, text: string) => {
      const o = el('option', text);
      o.value = value;
      return o;
    };
    select.append(opt('auto', col.overridden ? '自动识别' : `自动：${col.inputLabel ?? '不参与评分'}`), opt('none', '不参与评分'));
    for (const i of s.inputs) select.append(opt(i.id, i.label));
    select.value = col.overridden ? (col.input ?? 'none') : 'auto';
    select.addEventListener('change', () => void c.setMapping(col.letter, select.value === 'auto' ? 'auto' : select.value === 'none' ? null : select.value));
    td.append(select);
    tr.append(td);
    const conf = el('td');
    if (col.input) {
      const bar = el('span', undefined, 'conf');
      bar.style.width = `${Math.round(col.confidence * 24)}px`;
      conf.append(bar, document.createTextNode(` ${Math.round(col.confidence * 100)}%`));
      conf.title = MATCHED_BY_ZH[col.matchedBy];
    }
    tr.append(conf);
    return tr;
  });
  body.replaceChildren(...rows);
}

function wire(c: Controller): void {
  $('btn-recognize').addEventListener('click', () => void c.recognize());
  $('btn-score').addEventListener('click', () => void c.score());
  $('btn-clear').addEventListener('click', () => void c.clear());
  $('btn-template').addEventListener('click', () => void c.insertTemplate());
  $('btn-submit').addEventListener('click', () => void c.submit());
  $('btn-rulebook').addEventListener('click', () => void c.refreshRulebook());
  $('btn-login').addEventListener('click', () => {
    c.setConfig({ workerUrl: $<HTMLInputElement>('cfg-url').value });
    const password = $<HTMLInputElement>('cfg-password');
    void c.signIn($<HTMLInputElement>('cfg-login').value, password.value).then(() => {
      password.value = '';
      $<HTMLInputElement>('cfg-token').value = c.state.config.token;
    });
  });
  $('period-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void c.setPeriod($<HTMLInputElement>('period-input').value);
  });
  $('settings-form').addEventListener('submit', (e) => {
    e.preventDefault();
    c.setConfig({
      workerUrl: $<HTMLInputElement>('cfg-url').value,
      token: $<HTMLInputElement>('cfg-token').value,
      townshipCode: $<HTMLInputElement>('cfg-township').value.trim(),
      noteScope: $<HTMLSelectElement>('cfg-scope').value as NoteScope,
      live: $<HTMLInputElement>('cfg-live').checked,
    });
    void c.refreshRulebook(true);
  });
}

function storage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    const s = window.localStorage;
    s.getItem('kaoping.config');
    return s;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
  }
}

function start(host: ExcelHost): void {
  const controller = new Controller({ adapter: new ExcelAdapter(host), storage: storage(), fetch: (url, init) => window.fetch(url, init) });
  window.kaoping = controller;
  wire(controller);
  controller.subscribe((s) => render(controller, s));
  void controller.start();
}

function notInExcel(): void {
  const msg = $('message');
  msg.hidden = false;
  msg.className = 'error';
  msg.textContent = '请在 Excel 中打开此插件（开始 → 考评 → 打开考评面板）。没有 Excel 的，可使用网页版考评：拖入表格即可评分。';
  for (const b of document.querySelectorAll('button')) b.disabled = true;
}

function boot(): void {
  if (window.kaopingHost) return start(window.kaopingHost);
  if (typeof Office === 'undefined') return notInExcel();
  void Office.onReady((info) => {
    if (window.kaopingHost) return start(window.kaopingHost);
    if (info.host === Office.HostType.Excel || typeof Excel !== 'undefined') return start(officeHost());
    notInExcel();
  });
}

boot();
