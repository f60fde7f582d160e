// The task pane's state and actions, with no Office.js and no DOM: 识别, 评分, 清除, 模板, live re-scoring of
// edited rows, 上报, and the rulebook (county, cached or default). The pane renders `state` and calls actions;
// the adapter does all reading and writing of the workbook. Actions run one at a time; a failed action leaves
// the workbook as it was before the failing step and shows one Chinese sentence.
import type { ColumnReport, RawCell, ScoredSheet } from '../../shared/types.ts';
import type { SheetRows } from '../../shared/scoring/sheet.ts';
import { scoreSheetRows } from '../../shared/scoring/sheet.ts';
import { readSheetRows, RulebookPeriodError } from '../../shared/score.ts';
import { parsePeriodLabel, PERIOD_SOURCE_ZH } from '../../shared/scoring/period.ts';
import { OUR_SHEETS, PROVISIONAL } from '../../shared/output/names.ts';
import { countStatuses, summaryRow, SUMMARY_COLUMNS } from '../../shared/output/summary.ts';
import { SheetError as ReaderError } from '../../shared/sheet/errors.ts';
import type { ExcelAdapter, SheetRead } from '../excel/adapter.ts';
import type { Capabilities } from '../excel/host.ts';
import type { CellState } from '../excel/store.ts';
import type { CellAnnotation, KaopingSettings, SheetChange } from '../excel/types.ts';
import { buildGrid } from '../excel/grid.ts';
import { cellKey, parseAreas } from '../excel/address.ts';
import { decodeAddress, columnIndex } from '../../shared/sheet/address.ts';
import { annotationCells, ledgerSheet, resultSheet, summaryRowIndex, templateSheet, type NoteScope } from './sheets.ts';
import { cachedRulebook, defaultInUse, fetchRulebook, type FetchLike, type KeyValueStore, type RulebookInUse } from './rulebook.ts';
import { makeSubmission, postSubmission, signIn, townshipCodeOf, SubmitError, type SubmitAnswer } from './submit.ts';
import { describeError } from './errors.ts';

export interface Config {
  /** The county Worker, e.g. https://kaoping.example.gov.cn */
  workerUrl: string;
  token: string;
  /** 9 digits; empty: taken from the village codes. */
  townshipCode: string;
  noteScope: NoteScope;
  /** Re-score a row when it is edited. */
  live: boolean;
}

export const DEFAULT_CONFIG: Config = { workerUrl: '', token: '', townshipCode: '', noteScope: 'problems', live: true };
const CONFIG_KEY = 'kaoping.config';
/** More edited rows than this at once (a paste): ask for a full 评分 instead. */
export const LIVE_MAX_ROWS = 50;

export interface ColumnView {
  letter: string;
  header: string;
  input: string | null;
  inputLabel?: string;
  confidence: number;
  matchedBy: ColumnReport['matchedBy'];
  note?: string;
  /** The officer chose this mapping. */
  overridden: boolean;
}

export interface PaneState {
  status: 'starting' | 'unsupported' | 'ready' | 'busy';
  busy?: string;
  message?: { kind: 'info' | 'success' | 'error'; text: string };
  caps?: Capabilities;
  sheet?: {
    name: string;
    period: string;
    periodZh: string;
    periodSource: string;
    /** The period was chosen by the officer. */
    periodChosen: boolean;
    headerRows: { top: number; bottom: number };
    villages: number;
    skippedRows: { row: number; reason: string }[];
  };
  columns: ColumnView[];
  /** Choices for the mapping dropdowns. */
  inputs: { id: string; label: string }[];
  result?: {
    villages: number;
    pass: number;
    fail: number;
    pending: number;
    manual: number;
    levels: Record<string, number>;
    notes: number;
    noteMode: 'notes' | 'comments' | 'none';
    explainedOnSheet: number;
  };
  rulebook: { source: RulebookInUse['source']; name: string; version?: string | number; fetchedAt?: string };
  submission?: { phase: 'sending' | 'done' | 'error'; text: string; answer?: SubmitAnswer };
  live: { on: boolean; updates: number; lastRows?: number[]; stale?: string };
  config: Config;
}

interface LastRun {
  read: SheetRead;
  rows: SheetRows;
  scored: ScoredSheet;
  /** Our record per cell of the scored sheet (what the adapter wrote). */
  states: Map<string, CellState>;
  rulebook: RulebookInUse;
}

export interface ControllerDeps {
  adapter: ExcelAdapter;
  storage: KeyValueStore;
  fetch?: FetchLike;
  now?: () => Date;
}

type Listener = (s: PaneState) => void;

export class Controller {
  state: PaneState;
  private listeners: Listener[] = [];
  private rulebook: RulebookInUse = defaultInUse();
  private recognized?: { read: SheetRead; rows: SheetRows };
  private run?: LastRun;
  private chain: Promise<unknown> = Promise.resolve();
  private pending: SheetChange[] = [];
  /** Changes ignored because they were the add-in's own (for tests and diagnostics). */
  ignoredOwnChanges = 0;
  /** Change events whose rows held the same values as before (nothing re-scored). */
  unchangedEvents = 0;

  constructor(private readonly deps: ControllerDeps) {
    this.state = {
      status: 'starting',
      columns: [],
      inputs: [],
      rulebook: { source: 'default', name: this.rulebook.name },
      live: { on: false, updates: 0 },
      config: { ...DEFAULT_CONFIG },
    };
  }

  subscribe(fn: Listener): () => void {
    this.listeners.push(fn);
    fn(this.state);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  private set(patch: Partial<PaneState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Run one action at a time; errors become the pane's message. */
  private exclusive<T>(label: string, fn: () => Promise<T>, background = false): Promise<T | undefined> {
    const next = this.chain.then(async () => {
      this.set(background ? { status: 'busy', busy: label } : { status: 'busy', busy: label, message: undefined });
      try {
        return await fn();
      } catch (e) {
        this.set({ message: { kind: 'error', text: describeError(e) } });
        return undefined;
      } finally {
        this.set({ status: 'ready', busy: undefined });
        this.drainChanges();
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every queued action has finished. */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  // ---------------------------------------------------------------------------------------------------
  // Start, configuration, rulebook

  async start(): Promise<void> {
    const caps = this.deps.adapter.caps;
    const config = this.loadConfig();
    const cached = config.workerUrl ? cachedRulebook(this.deps.storage, config.workerUrl) : undefined;
    if (cached) this.rulebook = cached;
    this.set({ caps, config, inputs: this.inputChoices(), rulebook: this.rulebookView(), live: { ...this.state.live, on: false } });
    if (!caps.supported) {
      this.set({
        status: 'unsupported',
        message: { kind: 'error', text: '此版本的 Excel 不支持考评插件（需要 ExcelApi 1.9 及以上：Microsoft 365、Excel 2021 或网页版 Excel）。也可以使用网页版考评：拖入表格即可评分。' },
      });
      return;
    }
    this.set({ status: 'ready' });
    if (config.workerUrl) await this.refreshRulebook(true);
  }

  private loadConfig(): Config {
    try {
      const raw = this.deps.storage.getItem(CONFIG_KEY);
      return raw ? { ...DEFAULT_CONFIG, ...(JSON.parse(raw) as Partial<Config>) } : { ...DEFAULT_CONFIG };
    } catch {
      return { ...DEFAULT_CONFIG };
    }
  }

  setConfig(patch: Partial<Config>): void {
    const config = { ...this.state.config, ...patch };
    if (config.workerUrl) config.workerUrl = config.workerUrl.trim().replace(/\/+$/, '');
    this.deps.storage.setItem(CONFIG_KEY, JSON.stringify(config));
    this.set({ config });
    if (patch.live === false) this.deps.adapter.unwatch();
  }

  private inputChoices(): { id: string; label: string }[] {
    return [...this.rulebook.engine.inputs.values()].map((i) => ({ id: i.id, label: i.unit ? `${i.label}（${i.unit}）` : i.label }));
  }

  private rulebookView(): PaneState['rulebook'] {
    const r = this.rulebook;
    return { source: r.source, name: r.name, ...(r.version !== undefined ? { version: r.version } : {}), ...(r.fetchedAt ? { fetchedAt: r.fetchedAt } : {}) };
  }

  /** Fetch the county rulebook; when the server cannot be reached, keep scoring with the cache or the standards. */
  refreshRulebook(quiet = false): Promise<void> {
    return this.exclusive('正在获取县级考评细则…', () => this.loadRulebook(quiet)).then(() => undefined);
  }

  private async loadRulebook(quiet: boolean): Promise<void> {
    const cfg = this.state.config;
    if (!cfg.workerUrl) {
      this.set({ message: { kind: 'info', text: '未设置县里的服务器地址，按默认标准（基本标准、示范标准）评分' } });
      return;
    }
    if (!this.deps.fetch) return;
    const period = this.recognized?.rows.period.label;
    try {
      this.rulebook = await fetchRulebook(this.deps.fetch, this.deps.storage, cfg, period, this.now());
      this.set({ rulebook: this.rulebookView(), inputs: this.inputChoices(), ...(quiet ? {} : { message: { kind: 'success', text: `已获取县级考评细则：${this.rulebook.name}` } }) });
    } catch (e) {
      const cached = cachedRulebook(this.deps.storage, cfg.workerUrl, period);
      this.rulebook = cached ?? defaultInUse();
      const using = cached ? `使用上次缓存的细则“${cached.name}”（${cached.fetchedAt?.slice(0, 10) ?? ''}）` : '按默认标准评分';
      this.set({ rulebook: this.rulebookView(), inputs: this.inputChoices(), message: { kind: 'info', text: `${describeError(e)}，${using}` } });
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // 识别

  private settingsFor(read: SheetRead): { mapping?: Record<string, string | null>; period?: string } {
    return read.settings.sheets[read.sheet.name] ?? {};
  }

  /** readSheetRows with the officer's corrections; a county rulebook not yet in force falls back to the standards. */
  private sheetRows(read: SheetRead): SheetRows {
    if (OUR_SHEETS.includes(read.sheet.name)) throw new ReaderError('mapping-unknown-column', `“${read.sheet.name}”是考评工具生成的工作表，请切换到村级数据表后再操作`);
    if (!read.used) throw new ReaderError('empty-file', `工作表“${read.sheet.name}”是空的。没有表格时，可以点“插入模板”生成调查表`);
    const s = this.settingsFor(read);
    const opts = {
      fileName: read.sheet.name,
      ...(s.mapping && Object.keys(s.mapping).length ? { mapping: { columns: s.mapping } } : {}),
      ...(s.period ? { period: s.period } : {}),
      now: this.now(),
    };
    let r: ReturnType<typeof readSheetRows>;
    try {
      r = readSheetRows(this.rulebook.engine, read.grid, opts);
    } catch (e) {
      if (!(e instanceof RulebookPeriodError)) throw e;
      const note = e.message;
      this.rulebook = defaultInUse();
      this.set({ rulebook: this.rulebookView(), message: { kind: 'info', text: `${note}；本表按默认标准评分` } });
      r = readSheetRows(this.rulebook.engine, read.grid, opts);
    }
    if ('ignored' in r) throw new ReaderError('mapping-unknown-column', `工作表“${read.sheet.name}”中没有识别出村级数据表：${r.ignored}。没有表格时，可以点“插入模板”生成调查表`);
    return r;
  }

  private showRecognized(read: SheetRead, rows: SheetRows): void {
    const overrides = this.settingsFor(read).mapping ?? {};
    const chosen = this.settingsFor(read).period;
    this.set({
      sheet: {
        name: read.sheet.name,
        period: rows.period.label,
        periodZh: rows.period.labelZh,
        periodSource: PERIOD_SOURCE_ZH[rows.periodSource],
        periodChosen: !!chosen,
        headerRows: rows.headerRows,
        villages: rows.rows.length,
        skippedRows: rows.skippedRows,
      },
      columns: rows.columns.map((c) => ({
        letter: c.letter,
        header: c.header,
        input: c.input,
        ...(c.inputLabel ? { inputLabel: c.inputLabel } : {}),
        confidence: c.confidence,
        matchedBy: c.matchedBy,
        ...(c.note ? { note: c.note } : {}),
        overridden: c.letter in overrides,
      })),
    });
  }

  recognize(): Promise<void> {
    return this.exclusive('正在识别表格…', async () => {
      const read = await this.deps.adapter.readActiveSheet();
      const rows = this.sheetRows(read);
      this.recognized = { read, rows };
      this.showRecognized(read, rows);
      const mapped = rows.columns.filter((c) => c.input).length;
      this.set({ message: { kind: 'info', text: `识别到 ${rows.rows.length} 个村、${mapped} 个指标列（期次：${rows.period.labelZh}，${PERIOD_SOURCE_ZH[rows.periodSource]}）。可在下方更正列的对应关系，然后点“评分”` } });
    }).then(() => undefined);
  }

  /** Correct one column: an input id, null to ignore the column, or 'auto' to go back to automatic matching. */
  setMapping(letter: string, input: string | null | 'auto'): Promise<void> {
    return this.exclusive('正在更新列对应关系…', async () => {
      const rec = this.recognized;
      if (!rec) throw new ReaderError('mapping-unknown-column', '请先点“识别”');
      const settings = cloneSettings(rec.read.settings);
      const sheet = (settings.sheets[rec.read.sheet.name] ??= {});
      const mapping = { ...(sheet.mapping ?? {}) };
      if (input === 'auto') delete mapping[letter];
      else mapping[letter] = input;
      sheet.mapping = mapping;
      const trial: SheetRead = { ...rec.read, settings };
      const rows = this.sheetRows(trial); // throws (in Chinese) on a conflict, before anything is saved
      await this.deps.adapter.saveSettings(settings);
      this.recognized = { read: trial, rows };
      this.showRecognized(trial, rows);
    }).then(() => undefined);
  }

  /** Choose the period (2026Q3, 2026H1, 2026 …), or '' to take it from the title again. */
  setPeriod(label: string): Promise<void> {
    return this.exclusive('正在更新期次…', async () => {
      const rec = this.recognized;
      if (!rec) throw new ReaderError('mapping-unknown-column', '请先点“识别”');
      const l = label.trim();
      if (l && !parsePeriodLabel(l)) throw new ReaderError('mapping-unknown-column', `无法识别期次“${l}”：请写成 2026（年度）、2026H1/2026H2（半年）、2026Q1–2026Q4（季度）或 2026-07（月度）`);
      const settings = cloneSettings(rec.read.settings);
      const sheet = (settings.sheets[rec.read.sheet.name] ??= {});
      if (l) sheet.period = l;
      else delete sheet.period;
      const trial: SheetRead = { ...rec.read, settings };
      const rows = this.sheetRows(trial);
      await this.deps.adapter.saveSettings(settings);
      this.recognized = { read: trial, rows };
      this.showRecognized(trial, rows);
    }).then(() => undefined);
  }

  // ---------------------------------------------------------------------------------------------------
  // 评分, 清除, 模板

  score(): Promise<void> {
    return this.exclusive('正在评分…', async () => {
      const adapter = this.deps.adapter;
      adapter.unwatch();
      const read = await adapter.readActiveSheet();
      const rows = this.sheetRows(read);
      const scored = scoreSheetRows(this.rulebook.engine, rows);
      const scope = this.state.config.noteScope;
      const cells = annotationCells(scored, read.grid, scope);
      const now = this.now();
      const result = resultSheet(scored, this.rulebook.name, now);
      const ledger = ledgerSheet(scored, this.rulebook.name, now, this.rulebook.deadlineDays);
      const live = this.state.config.live && adapter.caps.events;
      const written = await adapter.annotate(read, { cells, result, ledger }, live ? (c) => this.onSheetChange(c) : undefined);
      this.recognized = { read, rows };
      this.run = { read, rows, scored, states: written.states, rulebook: this.rulebook };
      this.showRecognized(read, rows);
      const totals = { pass: 0, fail: 0, pending: 0, manual: 0 };
      const levels: Record<string, number> = {};
      for (const v of scored.villages) {
        const c = countStatuses(v);
        totals.pass += c.pass;
        totals.fail += c.fail;
        totals.pending += c.pending;
        totals.manual += c.manual;
        levels[v.level] = (levels[v.level] ?? 0) + 1;
      }
      this.set({
        result: { villages: scored.villages.length, ...totals, levels, notes: written.notes, noteMode: written.noteMode, explainedOnSheet: written.explainedOnSheet },
        live: { on: false, updates: 0 },
        submission: undefined,
      });
      const where = written.noteMode === 'none' ? '（此版本的 Excel 不能写批注，说明已列在“考评结果”表中）' : '';
      this.set({
        message: {
          kind: 'success',
          text: `评分完成：${scored.villages.length} 个村，未达标 ${totals.fail} 项、待补 ${totals.pending} 项、待评 ${totals.manual} 项。已着色并写入批注${where}，生成“考评结果”和“整改台账”。`,
        },
      });
      if (live) this.set({ live: { on: true, updates: 0 } });
    }).then(() => undefined);
  }

  clear(): Promise<void> {
    return this.exclusive('正在清除标注…', async () => {
      this.deps.adapter.unwatch();
      const r = await this.deps.adapter.clearAnnotations();
      this.run = undefined;
      this.set({ result: undefined, live: { on: false, updates: 0 }, submission: undefined });
      const text = r.sheets.length || r.cells
        ? `已清除考评标注：恢复了 ${r.cells} 个单元格原有的底色和批注，删除了${r.sheets.length ? `“${r.sheets.join('”“')}”` : '考评生成的工作表'}。您的数据没有被改动。`
        : '工作簿中没有考评标注，无需清除。';
      this.set({ message: { kind: 'success', text } });
    }).then(() => undefined);
  }

  insertTemplate(): Promise<void> {
    return this.exclusive('正在插入调查表模板…', async () => {
      const name = await this.deps.adapter.insertTemplate(templateSheet(this.rulebook.rulebook));
      this.set({ message: { kind: 'success', text: `已插入“${name}”：表头带单位和下拉选项，表头批注注明对应条款。填好后点“识别”“评分”。` } });
    }).then(() => undefined);
  }

  // ---------------------------------------------------------------------------------------------------
  // Live re-scoring

  /** A change reported by the adapter. The add-in's own writes are ignored, so its writes never loop. */
  onSheetChange(change: SheetChange): void {
    if (change.fromThisAddin) {
      this.ignoredOwnChanges++;
      return;
    }
    if (!this.run || !this.state.config.live || change.sheetId !== this.run.read.sheet.id) return;
    this.pending.push(change);
    if (this.state.status !== 'busy') this.drainChanges();
  }

  private drainChanges(): void {
    if (!this.pending.length || !this.run) return;
    const changes = this.pending;
    this.pending = [];
    void this.exclusive('正在重新评分修改的行…', () => this.rescore(changes), true);
  }

  private stale(text: string): void {
    this.set({ live: { ...this.state.live, stale: text }, message: { kind: 'info', text } });
  }

  private async rescore(changes: SheetChange[]): Promise<void> {
    const run = this.run;
    if (!run || !run.read.used) return;
    if (changes.some((c) => c.changeType !== 'RangeEdited' && c.changeType !== 'Unknown')) {
      this.stale('表格插入或删除了行列：请重新点“评分”，颜色和批注才会对应到正确的单元格');
      return;
    }
    const villageRows = new Set(run.scored.villages.map((v) => v.row));
    const edited = new Set<number>();
    for (const c of changes) {
      for (const rect of parseAreas(c.address)) {
        for (let r = rect.top; r <= Math.min(rect.bottom, rect.top + LIVE_MAX_ROWS); r++) {
          const row = r + 1;
          if (row <= run.rows.headerRows.bottom) {
            this.stale('表头被修改：请重新点“识别”和“评分”');
            return;
          }
          if (!villageRows.has(row)) {
            this.stale(`第 ${row} 行原来不是村级数据行：新增或改动表格结构后，请重新点“评分”`);
            return;
          }
          edited.add(row);
        }
      }
    }
    if (!edited.size) return;
    if (edited.size > LIVE_MAX_ROWS) {
      this.stale(`一次修改了 ${edited.size} 行：请重新点“评分”`);
      return;
    }
    const rows = [...edited].sort((a, b) => a - b);
    const used = run.read.used;
    const mappedCols = run.rows.columns.filter((c) => c.input).map((c) => c.letter);
    const noteCells = rows.flatMap((r) => mappedCols.map((l) => `${l}${r}`));
    const adapter = this.deps.adapter;
    const read = await adapter.readRows(run.read.sheet.name, rows.map((r) => r - 1), { left: used.left, right: used.right }, noteCells);
    // Put the fresh rows into the grid and score the whole sheet again in memory (cohort stars and fraction
    // columns depend on every row); only the edited rows are written back.
    const patch = buildGrid(run.read.grid.name, read.blocks, []);
    // Only a real change of the officer's values is re-scored: a change event without one (an echo of a
    // write, a retyped identical value) ends here, so the add-in's own writes can never loop.
    const changed = rows.filter((r) => !sameRow(run.read.grid.rows[r - 1], patch.rows[r - 1]));
    if (!changed.length) {
      this.unchangedEvents++;
      return;
    }
    for (const r of rows) run.read.grid.rows[r - 1] = patch.rows[r - 1] ?? [];
    const sheetRows = this.sheetRows(run.read);
    const sameVillages = sheetRows.rows.length === run.rows.rows.length && sheetRows.rows.every((r, i) => r.row === run.rows.rows[i]!.row);
    const sameColumns = sheetRows.columns.every((c, i) => c.input === run.rows.columns[i]?.input);
    if (!sameVillages || !sameColumns) {
      this.stale('修改改变了表格的行或列的识别结果：请重新点“评分”');
      return;
    }
    const scored = scoreSheetRows(run.rulebook.engine, sheetRows);
    const rowSet = new Set(rows);
    const targets = new Map<string, CellAnnotation>(annotationCells(scored, run.read.grid, this.state.config.noteScope, rowSet).map((c) => [c.address, c]));
    const addresses = new Set<string>(targets.keys());
    for (const a of run.states.keys()) {
      const p = decodeAddress(a);
      if (p && rowSet.has(p.row + 1)) addresses.add(a);
    }
    const cells = [...addresses].map((address) => ({ address, target: targets.get(address), prior: run.states.get(address) }));
    const summaryRows = rows.flatMap((row) => {
      const idx = summaryRowIndex(scored, row);
      const v = scored.villages.find((x) => x.row === row);
      if (idx === undefined || !v) return [];
      const values = summaryRow(scored, v);
      return [{ row: idx, values: values.slice(0, SUMMARY_COLUMNS.length) }];
    });
    const states = await adapter.writeRows(read, { sheet: run.read.sheet.name, cells, summaryRows }, (a) => !!run.states.get(a)?.ourNote);
    for (const [a, s] of states) {
      if (s && (s.ourFill || s.ourNote)) run.states.set(a, s);
      else run.states.delete(a);
    }
    run.rows = sheetRows;
    run.scored = scored;
    this.recognized = { read: run.read, rows: sheetRows };
    const v = scored.villages.filter((x) => rowSet.has(x.row));
    const desc = v.map((x) => `第${x.row}行${x.name ? `（${x.name}）` : ''}：${x.level}`).join('；');
    this.set({
      live: { on: true, updates: this.state.live.updates + 1, lastRows: rows },
      message: { kind: 'success', text: `已重新评分 ${desc}。星级为${PROVISIONAL}（按全表排名，以县里排名为准），整改台账将在下次点“评分”时更新。` },
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // 上报

  /** Sign in to the county Worker with an account and password; keeps the token (not the password), then
   * fetches the county rulebook with it. */
  signIn(login: string, password: string): Promise<void> {
    return this.exclusive('正在登录…', async () => {
      const cfg = this.state.config;
      if (!cfg.workerUrl) throw new SubmitError('请先在“设置”中填写县里的服务器地址');
      if (!this.deps.fetch) throw new SubmitError('无法联网登录');
      const { token, name } = await signIn(this.deps.fetch, cfg.workerUrl, login, password);
      this.setConfig({ token });
      this.set({ message: { kind: 'success', text: `已登录：${name ?? login.trim()}。令牌已保存，可以上报` } });
      this.set({ busy: '正在获取县级考评细则…' });
      await this.loadRulebook(true);
    }).then(() => undefined);
  }

  submit(): Promise<void> {
    return this.exclusive('正在上报…', async () => {
      const cfg = this.state.config;
      if (!cfg.workerUrl || !cfg.token) throw new SubmitError('请先在“设置”中填写县里的服务器地址和上报令牌');
      if (!this.deps.fetch) throw new SubmitError('无法联网上报');
      let rows = this.run?.rows;
      let fileName = this.run?.read.sheet.name;
      if (!rows) {
        const read = await this.deps.adapter.readActiveSheet();
        rows = this.sheetRows(read);
        fileName = read.sheet.name;
      }
      const township = townshipCodeOf(rows, cfg.townshipCode);
      const sub = makeSubmission(rows, township, fileName);
      this.set({ submission: { phase: 'sending', text: `正在上报 ${sub.rows.length} 个村（${rows.period.labelZh}，乡镇 ${township}）…` } });
      try {
        const answer = await postSubmission(this.deps.fetch, { workerUrl: cfg.workerUrl, token: cfg.token }, sub);
        const text = answer.duplicate
          ? `这张表此前已上报过，县里未重复计入（共 ${answer.rows.total} 个村）`
          : `上报完成：接收 ${answer.rows.accepted} 个村${answer.rows.rejected ? `，退回 ${answer.rows.rejected} 个村（见下方原因）` : ''}`;
        this.set({ submission: { phase: 'done', text, answer }, message: { kind: answer.rows.rejected ? 'info' : 'success', text } });
      } catch (e) {
        this.set({ submission: { phase: 'error', text: describeError(e) } });
        throw e;
      }
    }).then(() => undefined);
  }

  /** For the pane: the column letter → index, to order things. */
  static columnIndex(letter: string): number {
    return columnIndex(letter) ?? 0;
  }

  /** The explanation lines of a cell of the last run (for the pane when a cell is selected). */
  explainCell(address: string): string[] | undefined {
    const run = this.run;
    if (!run) return undefined;
    const p = decodeAddress(address.replace(/^.*!/, ''));
    if (!p) return undefined;
    const key = cellKey(p.row, p.col);
    const cells = annotationCells(run.scored, run.read.grid, 'all', new Set([p.row + 1]));
    return cells.find((c) => c.address === key)?.lines ?? undefined;
  }
}

function sameRow(a: readonly (RawCell | undefined)[] | undefined, b: readonly (RawCell | undefined)[] | undefined): boolean {
  const n = Math.max(a?.length ?? 0, b?.length ?? 0);
  for (let i = 0; i < n; i++) {
    const x = a?.[i];
    const y = b?.[i];
    if (!x && !y) continue;
    if (!x || !y) return false;
    const vx = x.value instanceof Date ? x.value.getTime() : x.value;
    const vy = y.value instanceof Date ? y.value.getTime() : y.value;
    if (vx !== vy || (x.numFmt ?? '') !== (y.numFmt ?? '')) return false;
  }
  return true;
}

function cloneSettings(s: KaopingSettings): KaopingSettings {
  return JSON.parse(JSON.stringify(s)) as KaopingSettings;
}
