// An in-memory Excel for the add-in's tests. It enforces what real Excel (Office.js) enforces and the add-in
// relies on:
//  - a property must be load()ed and synced before it is read (else PropertyNotLoaded, as Office.js throws);
//    a ClientResult's value likewise;
//  - queued commands run only at sync(), in order (a load queued before a write sees the old value);
//  - a range-address string over 8,192 characters fails; getRanges with more than 500 areas fails;
//  - a request over 5 MB fails (RequestPayloadSizeLimitExceeded), estimated as the JSON of the queued
//    commands and object paths, in Office.js's request shape; a response over 5 MB fails too;
//  - an API from a requirement set above the host's version fails at sync (ApiNotFound), and isSetSupported
//    answers for the configured version;
//  - values written as text that Excel would convert (numbers, dates) are converted unless the cell is text
//    ('@') or the string starts with an apostrophe; "=…" becomes a formula;
//  - value writes fire onChanged (also the add-in's own, with triggerSource ThisLocalAddin on 1.14).
// It counts sync() round trips, API calls (queued commands) and request/response bytes.
import type { ExcelHost } from '../../addin/excel/host.ts';
import { formatDisplay } from '../../shared/sheet/format.ts';
import { columnIndex, columnLetter } from '../../shared/sheet/address.ts';

export type Scalar = string | number | boolean;

export interface Fill {
  color: string;
  pattern: string;
  patternColor?: string;
}

export interface CellModel {
  value: Scalar;
  format: string;
  fill: Fill | null;
  formula?: boolean;
  bold?: boolean;
}

interface Rect {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface Validation {
  rect: Rect;
  rule?: unknown;
  prompt?: unknown;
  errorAlert?: unknown;
}

export interface SheetModel {
  id: string;
  name: string;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  cells: Map<number, CellModel>;
  merges: Rect[];
  notes: Map<string, string>;
  comments: Map<string, { id: string; content: string }>;
  validations: Validation[];
  handlers: ((e: unknown) => unknown)[];
  tabColor?: string;
  frozen?: string;
  columnWidths: Map<number, number>;
}

export interface DoubleOptions {
  /** Highest ExcelApi version supported (default 1.18). */
  version?: string;
  requestLimit?: number;
  responseLimit?: number;
  maxAddressChars?: number;
  maxAreas?: number;
  /** Pessimistic: also fire onChanged for fills and notes the add-in writes. */
  eventsOnFormatWrites?: boolean;
  platform?: string;
}

export interface DoubleStats {
  syncs: number;
  apiCalls: number;
  requestBytes: number[];
  responseBytes: number[];
  screenUpdatingSuspended: number;
  /** Queued commands by "object:command", e.g. "getRanges:Instantiate", "Notes:…" (for assertions). */
  calls: Record<string, number>;
}

export class OfficeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'RichApi.Error';
  }
}

const STRIDE = 16384;
const key = (r: number, c: number) => r * STRIDE + c;
const MAX_ROW = 1048575;
const MAX_COL = 16383;

function versionAtLeast(have: string, want: string): boolean {
  const [a1, a2] = have.split('.').map(Number) as [number, number];
  const [b1, b2] = want.split('.').map(Number) as [number, number];
  return a1 > b1 || (a1 === b1 && a2 >= b2);
}

function addr(r: Rect): string {
  const a = `${columnLetter(r.left)}${r.top + 1}`;
  return r.top === r.bottom && r.left === r.right ? a : `${a}:${columnLetter(r.right)}${r.bottom + 1}`;
}

function quote(name: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Parse "F7", "A1:C3", "Sheet!A1", "A:C", "3:5" → sheet name (if any) and rect. */
export function parseRef(s: string): { sheet?: string; rect: Rect } | undefined {
  let t = s.trim();
  let sheet: string | undefined;
  const bang = t.lastIndexOf('!');
  if (bang >= 0) {
    sheet = t.slice(0, bang);
    if (sheet.startsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
    t = t.slice(bang + 1);
  }
  const [a, b = a] = t.replace(/\$/g, '').split(':');
  const cell = /^([A-Za-z]{1,3})(\d+)$/;
  const ma = cell.exec(a ?? '');
  const mb = cell.exec(b ?? '');
  if (ma && mb) {
    const l1 = columnIndex(ma[1]!)!;
    const l2 = columnIndex(mb[1]!)!;
    const t1 = Number(ma[2]) - 1;
    const t2 = Number(mb[2]) - 1;
    if (t1 < 0 || t2 < 0 || t1 > MAX_ROW || t2 > MAX_ROW) return undefined;
    return { ...(sheet ? { sheet } : {}), rect: { top: Math.min(t1, t2), bottom: Math.max(t1, t2), left: Math.min(l1, l2), right: Math.max(l1, l2) } };
  }
  if (/^[A-Za-z]{1,3}$/.test(a ?? '') && /^[A-Za-z]{1,3}$/.test(b ?? '')) {
    const l1 = columnIndex(a!)!;
    const l2 = columnIndex(b!)!;
    return { ...(sheet ? { sheet } : {}), rect: { top: 0, bottom: MAX_ROW, left: Math.min(l1, l2), right: Math.max(l1, l2) } };
  }
  if (/^\d+$/.test(a ?? '') && /^\d+$/.test(b ?? '')) {
    return { ...(sheet ? { sheet } : {}), rect: { top: Number(a) - 1, bottom: Number(b) - 1, left: 0, right: MAX_COL } };
  }
  return undefined;
}

function splitList(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const ch of s) {
    if (ch === "'") q = !q;
    if (ch === ',' && !q) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function utf8(s: string): number {
  return new TextEncoder().encode(s).length;
}

// ---------------------------------------------------------------------------------------------------------
// Requests: commands queued on a context, run at sync

interface PathRec {
  id: number;
  parent?: PathRec;
  name: string;
  args: unknown[];
}

interface Command {
  path: PathRec;
  name: string;
  args: unknown[];
  version: string;
  run: () => void;
}

class Ctx {
  queue: Command[] = [];
  private nextId = 1;
  private loadedAfterSync: (() => void)[] = [];
  /** Resolved model objects per proxy, during one sync. */
  cache = new Map<object, unknown>();
  response: unknown[] = [];
  changes: { sheet: SheetModel; rect: Rect; format: boolean }[] = [];
  readonly workbook: WorkbookP;

  constructor(readonly double: ExcelDouble) {
    this.workbook = new WorkbookP(this, { id: 0, name: 'Workbook', args: [] });
  }

  path(parent: PathRec | undefined, name: string, args: unknown[] = []): PathRec {
    return { id: this.nextId++, ...(parent ? { parent } : {}), name, args };
  }

  /** An object-returning method: Office.js sends its object path (with the arguments) and an Instantiate action. */
  method(parent: PathRec, name: string, args: unknown[] = [], version = '1.1', run: () => void = () => undefined): PathRec {
    const p = this.path(parent, name, args);
    this.queueCommand(p, 'Instantiate', [], version, run);
    return p;
  }

  queueCommand(path: PathRec, name: string, args: unknown[], version: string, run: () => void): void {
    this.double.stats.apiCalls++;
    const k = `${path.name}:${name}`;
    this.double.stats.calls[k] = (this.double.stats.calls[k] ?? 0) + 1;
    this.queue.push({ path, name, args, version, run });
  }

  afterSync(fn: () => void): void {
    this.loadedAfterSync.push(fn);
  }

  async sync(): Promise<void> {
    const d = this.double;
    const queue = this.queue;
    this.queue = [];
    this.loadedAfterSync = [];
    this.cache = new Map();
    this.response = [];
    this.changes = [];
    d.stats.syncs++;
    // The request, as Office.js shapes it: actions plus the object paths they use.
    const paths = new Map<number, unknown>();
    const addPath = (p: PathRec | undefined) => {
      for (let q = p; q && !paths.has(q.id); q = q.parent) {
        paths.set(q.id, { Id: q.id, ObjectPathType: q.args.length ? 3 : 4, Name: q.name, ParentObjectPathId: q.parent?.id ?? 0, ArgumentInfo: q.args.length ? { Arguments: q.args } : {} });
      }
    };
    const actions = queue.map((c, i) => {
      addPath(c.path);
      return { Id: i + 1, ActionType: c.name === 'load' ? 2 : 1, Name: c.name, ObjectPathId: c.path.id, ArgumentInfo: { Arguments: c.args } };
    });
    const request = JSON.stringify({ Actions: actions, ObjectPaths: Object.fromEntries(paths) });
    const bytes = utf8(request);
    d.stats.requestBytes.push(bytes);
    if (bytes > d.opts.requestLimit) throw new OfficeError('RequestPayloadSizeLimitExceeded', `request of ${bytes} bytes exceeds ${d.opts.requestLimit}`);
    for (const c of queue) {
      if (!versionAtLeast(d.opts.version, c.version)) throw new OfficeError('ApiNotFound', `${c.name} needs ExcelApi ${c.version}`);
      for (const a of [...c.args, ...pathArgs(c.path)]) {
        if (typeof a === 'string' && a.length > d.opts.maxAddressChars) throw new OfficeError('InvalidArgument', `address of ${a.length} characters`);
      }
    }
    try {
      for (const c of queue) c.run();
    } finally {
      this.cache = new Map();
    }
    const after = this.loadedAfterSync;
    this.loadedAfterSync = [];
    const rb = utf8(JSON.stringify(this.response));
    d.stats.responseBytes.push(rb);
    if (rb > d.opts.responseLimit) throw new OfficeError('ResponsePayloadSizeLimitExceeded', `response of ${rb} bytes exceeds ${d.opts.responseLimit}`);
    for (const fn of after) fn();
    d.fireEvents(this.changes);
  }

  trackSync = (): Promise<void> => this.sync();
}

function pathArgs(p: PathRec | undefined): unknown[] {
  const out: unknown[] = [];
  for (let q = p; q; q = q.parent) out.push(...q.args);
  return out;
}

/** Base of every proxy: loaded values are readable only after the sync that loaded them. */
class Proxy {
  private loadedValues = new Map<string, unknown>();
  private nullKnown: boolean | undefined;

  constructor(
    protected ctx: Ctx,
    readonly _path: PathRec,
  ) {}

  get context(): Ctx {
    return this.ctx;
  }

  private navCache = new Map<string, unknown>();
  /** Navigation properties return the same object every time, as in Office.js. */
  protected nav<T>(name: string, make: () => T): T {
    if (!this.navCache.has(name)) this.navCache.set(name, make());
    return this.navCache.get(name) as T;
  }

  /** Resolve to the model object at execution time (cached per sync). */
  protected target(): unknown {
    if (this.ctx.cache.has(this)) return this.ctx.cache.get(this);
    const t = this.resolve();
    this.ctx.cache.set(this, t);
    return t;
  }

  protected resolve(): unknown {
    return undefined;
  }

  protected nullable = false;

  /** The live target; a missing one fails like Excel does. */
  protected must<T>(): T {
    const t = this.target();
    if (t === null || t === undefined) throw new OfficeError(this.nullable ? 'InvalidObjectPath' : 'ItemNotFound', `${this._path.name}(${JSON.stringify(this._path.args)}) does not exist`);
    return t as T;
  }

  protected get_(prop: string): unknown {
    if (!this.loadedValues.has(prop)) {
      throw new OfficeError('PropertyNotLoaded', `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);
    }
    return this.loadedValues.get(prop);
  }

  get isNullObject(): boolean {
    if (this.nullKnown === undefined) throw new OfficeError('PropertyNotLoaded', 'isNullObject is not available before sync');
    return this.nullKnown;
  }

  protected props(): Record<string, [version: string, read: () => unknown]> {
    return {};
  }

  load(spec?: string | string[] | Record<string, unknown>): this {
    let top: number | undefined;
    let skip = 0;
    let list: string[];
    if (typeof spec === 'string') list = spec.split(',');
    else if (Array.isArray(spec)) list = spec;
    else if (spec && typeof spec.select === 'string') list = spec.select.split(',');
    else if (spec && typeof spec === 'object') {
      // Collection load options: { content: true, $top, $skip } select item properties and a page.
      top = typeof spec.$top === 'number' ? spec.$top : undefined;
      skip = typeof spec.$skip === 'number' ? spec.$skip : 0;
      const itemProps = Object.keys(spec).filter((k) => !k.startsWith('$') && spec[k] === true);
      list = this.props().items ? ['items', ...itemProps.map((p) => `items/${p}`)] : itemProps;
    } else list = Object.keys(this.props());
    list = list.map((s) => s.trim()).filter(Boolean);
    const props = this.props();
    const version = list.reduce((v, p) => {
      const want = props[p.split('/')[0]!]?.[0] ?? '1.1';
      return versionAtLeast(want, v) ? want : v;
    }, '1.1');
    this.ctx.queueCommand(this._path, 'load', [list.join(',')], version, () => {
      const t = this.target();
      const values = new Map<string, unknown>();
      if (t === null || t === undefined) {
        if (!this.nullable) throw new OfficeError('ItemNotFound', `${this._path.name} does not exist`);
        this.ctx.afterSync(() => {
          this.nullKnown = true;
          for (const p of list) this.loadedValues.set(p, null);
        });
        return;
      }
      const itemProps: string[] = [];
      for (const p of list) {
        const [head, ...rest] = p.split('/');
        const def = props[head!];
        if (!def) throw new OfficeError('InvalidArgument', `unknown property ${p}`);
        if (head === 'items') {
          if (rest.length) itemProps.push(rest.join('/'));
          continue;
        }
        const v = def[1]();
        values.set(head!, v);
        this.ctx.response.push(v);
      }
      if (list.some((p) => p.split('/')[0] === 'items')) {
        const all = props.items![1]() as Proxy[];
        const items = all.slice(skip, top === undefined ? undefined : skip + top);
        for (const item of items) if (itemProps.length) item.loadNow(itemProps.join(','));
        values.set('items', items);
      }
      this.ctx.afterSync(() => {
        this.nullKnown = false;
        for (const [k, v] of values) this.loadedValues.set(k, v);
      });
    });
    return this;
  }

  /** Load props of an item during the collection's load (same sync). */
  loadNow(spec: string): void {
    const props = this.props();
    const values = new Map<string, unknown>();
    for (const p of spec.split(',').map((s) => s.trim())) {
      const def = props[p];
      if (!def) throw new OfficeError('InvalidArgument', `unknown property ${p}`);
      const v = def[1]();
      values.set(p, v);
      this.ctx.response.push(v);
    }
    this.ctx.afterSync(() => {
      this.nullKnown = false;
      for (const [k, v] of values) this.loadedValues.set(k, v);
    });
  }

  /** Queue a command. */
  protected call(name: string, args: unknown[], version: string, run: () => void): void {
    this.ctx.queueCommand(this._path, name, args, version, run);
  }

  /** A property assignment. */
  protected setProp(name: string, value: unknown, version: string, run: () => void): void {
    this.ctx.queueCommand(this._path, `set:${name}`, [value], version, run);
  }

  toJSON(): unknown {
    return Object.fromEntries(this.loadedValues);
  }
}

class ClientResult<T> {
  private v: T | undefined;
  private has = false;
  get value(): T {
    if (!this.has) throw new OfficeError('PropertyNotLoaded', 'The value of the result object has not been loaded yet. Before reading the value property, call "context.sync()" on the associated request context.');
    return this.v as T;
  }
  set(v: T): void {
    this.v = v;
    this.has = true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Workbook, worksheets, settings, application

class WorkbookP extends Proxy {
  protected override resolve(): unknown {
    return this.ctx.double.model;
  }
  get worksheets(): WorksheetsP {
    return this.nav('worksheets', () => new WorksheetsP(this.ctx, this.ctx.path(this._path, 'Worksheets')));
  }
  get settings(): SettingsP {
    return this.nav('settings', () => new SettingsP(this.ctx, this.ctx.path(this._path, 'Settings')));
  }
  get application(): ApplicationP {
    return this.nav('application', () => new ApplicationP(this.ctx, this.ctx.path(this._path, 'Application')));
  }
}

class ApplicationP extends Proxy {
  protected override resolve(): unknown {
    return this.ctx.double.model;
  }
  suspendScreenUpdatingUntilNextSync(): void {
    this.call('suspendScreenUpdatingUntilNextSync', [], '1.9', () => {
      this.ctx.double.stats.screenUpdatingSuspended++;
    });
  }
}

class SettingsP extends Proxy {
  protected override resolve(): unknown {
    return this.ctx.double.model.settings;
  }
  add(k: string, value: unknown): void {
    const json = JSON.parse(JSON.stringify(value)) as unknown;
    this.call('add', [k, json], '1.4', () => this.ctx.double.model.settings.set(k, json));
  }
  getItemOrNullObject(k: string): SettingP {
    return new SettingP(this.ctx, this.ctx.method(this._path, 'getItemOrNullObject', [k]), k);
  }
}

class SettingP extends Proxy {
  protected override nullable = true;
  constructor(
    ctx: Ctx,
    path: PathRec,
    private k: string,
  ) {
    super(ctx, path);
  }
  protected override resolve(): unknown {
    const m = this.ctx.double.model.settings;
    return m.has(this.k) ? { value: m.get(this.k) } : null;
  }
  protected override props() {
    return { value: ['1.4', () => (this.must<{ value: unknown }>()).value] as [string, () => unknown] };
  }
  get value(): unknown {
    return this.get_('value');
  }
}

class WorksheetsP extends Proxy {
  protected override resolve(): unknown {
    return this.ctx.double.model;
  }
  protected override props() {
    return { items: ['1.1', () => this.ctx.double.model.sheets.map((s) => this.itemProxy(s))] as [string, () => unknown] };
  }
  private itemProxy(s: SheetModel): WorksheetP {
    return new WorksheetP(this.ctx, this.ctx.path(this._path, 'getItem', [s.id]), () => this.ctx.double.model.sheets.find((x) => x.id === s.id));
  }
  get items(): WorksheetP[] {
    return this.get_('items') as WorksheetP[];
  }
  getActiveWorksheet(): WorksheetP {
    return new WorksheetP(this.ctx, this.ctx.method(this._path, 'getActiveWorksheet'), () => this.ctx.double.model.sheets.find((s) => s.id === this.ctx.double.model.activeId));
  }
  getItem(name: string): WorksheetP {
    return new WorksheetP(this.ctx, this.ctx.method(this._path, 'getItem', [name]), () => this.ctx.double.sheet(name));
  }
  getItemOrNullObject(name: string): WorksheetP {
    return new WorksheetP(this.ctx, this.ctx.method(this._path, 'getItemOrNullObject', [name]), () => this.ctx.double.sheet(name) ?? null, true);
  }
  add(name: string): WorksheetP {
    const path = this.ctx.method(this._path, 'add', [name], '1.1', () => {
      if (this.ctx.double.sheet(name)) throw new OfficeError('ItemAlreadyExists', `sheet ${name} exists`);
      this.ctx.double.addSheet(name);
    });
    return new WorksheetP(this.ctx, path, () => this.ctx.double.sheet(name));
  }
}

class WorksheetP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private find: () => SheetModel | null | undefined,
    nullable = false,
  ) {
    super(ctx, path);
    this.nullable = nullable;
  }
  protected override resolve(): unknown {
    return this.find() ?? null;
  }
  sheetModel(): SheetModel {
    return this.must<SheetModel>();
  }
  protected override props() {
    return {
      name: ['1.1', () => this.sheetModel().name],
      id: ['1.1', () => this.sheetModel().id],
      visibility: ['1.1', () => this.sheetModel().visibility],
      position: ['1.1', () => this.ctx.double.model.sheets.indexOf(this.sheetModel())],
    } as Record<string, [string, () => unknown]>;
  }
  get name(): string {
    return this.get_('name') as string;
  }
  get id(): string {
    return this.get_('id') as string;
  }
  get visibility(): string {
    return this.get_('visibility') as string;
  }
  set visibility(v: string) {
    this.setProp('visibility', v, '1.1', () => {
      this.sheetModel().visibility = v as SheetModel['visibility'];
    });
  }
  set tabColor(v: string) {
    this.setProp('tabColor', v, '1.1', () => {
      this.sheetModel().tabColor = v;
    });
  }
  delete(): void {
    this.call('delete', [], '1.1', () => this.ctx.double.deleteSheet(this.sheetModel()));
  }
  activate(): void {
    this.call('activate', [], '1.1', () => {
      this.ctx.double.model.activeId = this.sheetModel().id;
    });
  }
  getRange(address?: string): RangeP {
    const path = this.ctx.method(this._path, 'getRange', address === undefined ? [] : [address]);
    return new RangeP(this.ctx, path, () => {
      const sheet = this.sheetModel();
      if (address === undefined) return { sheet, rect: { top: 0, left: 0, bottom: MAX_ROW, right: MAX_COL } };
      const p = parseRef(address);
      if (!p) throw new OfficeError('InvalidArgument', `bad address ${address}`);
      return { sheet, rect: p.rect };
    });
  }
  getRangeByIndexes(row: number, col: number, rows: number, cols: number): RangeP {
    return new RangeP(this.ctx, this.ctx.method(this._path, 'getRangeByIndexes', [row, col, rows, cols]), () => {
      if (rows < 1 || cols < 1 || row < 0 || col < 0) throw new OfficeError('InvalidArgument', 'bad indexes');
      return { sheet: this.sheetModel(), rect: { top: row, left: col, bottom: row + rows - 1, right: col + cols - 1 } };
    }, '1.7');
  }
  getRanges(address: string): RangeAreasP {
    return new RangeAreasP(this.ctx, this.ctx.method(this._path, 'getRanges', [address]), () => {
      const parts = splitList(address);
      if (parts.length > this.ctx.double.opts.maxAreas) throw new OfficeError('InvalidArgument', `getRanges with ${parts.length} areas`);
      const rects = parts.map((p) => {
        const r = parseRef(p);
        if (!r) throw new OfficeError('InvalidArgument', `bad address ${p}`);
        return r.rect;
      });
      return { sheet: this.sheetModel(), rects };
    }, '1.9');
  }
  getUsedRangeOrNullObject(valuesOnly = false): RangeP {
    const r = new RangeP(this.ctx, this.ctx.method(this._path, 'getUsedRangeOrNullObject', [valuesOnly]), () => {
      const sheet = this.sheetModel();
      const rect = this.ctx.double.usedRect(sheet, valuesOnly);
      return rect ? { sheet, rect } : null;
    }, '1.4');
    r.nullableRange();
    return r;
  }
  get notes(): NotesP {
    return this.nav('notes', () => new NotesP(this.ctx, this.ctx.path(this._path, 'Notes'), () => this.sheetModel()));
  }
  get comments(): CommentsP {
    return this.nav('comments', () => new CommentsP(this.ctx, this.ctx.path(this._path, 'Comments'), () => this.sheetModel()));
  }
  get freezePanes(): FreezeP {
    return this.nav('freezePanes', () => new FreezeP(this.ctx, this.ctx.path(this._path, 'FreezePanes'), () => this.sheetModel()));
  }
  get onChanged(): { add(h: (e: unknown) => unknown): { remove(): void } } {
    return {
      add: (h) => {
        this.call('onChanged.add', [], '1.7', () => this.sheetModel().handlers.push(h));
        return {
          remove: () =>
            this.call('onChanged.remove', [], '1.7', () => {
              const s = this.sheetModel();
              s.handlers = s.handlers.filter((x) => x !== h);
            }),
        };
      },
    };
  }
}

class FreezeP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private sheet: () => SheetModel,
  ) {
    super(ctx, path);
  }
  protected override resolve(): unknown {
    return this.sheet();
  }
  freezeAt(r: RangeP): void {
    this.call('freezeAt', [r._path.id], '1.7', () => {
      this.sheet().frozen = addr(r.rangeTarget().rect);
    });
  }
  freezeRows(n: number): void {
    this.call('freezeRows', [n], '1.7', () => {
      this.sheet().frozen = `rows:${n}`;
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Ranges

interface RangeTarget {
  sheet: SheetModel;
  rect: Rect;
}

class RangeP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private find: () => RangeTarget | null,
    private version = '1.1',
  ) {
    super(ctx, path);
  }
  nullableRange(): void {
    this.nullable = true;
  }
  protected override resolve(): unknown {
    if (!versionAtLeast(this.ctx.double.opts.version, this.version)) throw new OfficeError('ApiNotFound', `${this._path.name} needs ExcelApi ${this.version}`);
    return this.find();
  }
  rangeTarget(): RangeTarget {
    return this.must<RangeTarget>();
  }
  private cells(): number {
    const { rect } = this.rangeTarget();
    return (rect.bottom - rect.top + 1) * (rect.right - rect.left + 1);
  }
  private grid<T>(f: (c: CellModel | undefined, r: number, col: number) => T): T[][] {
    const { sheet, rect } = this.rangeTarget();
    if (this.cells() > 5_000_000) throw new OfficeError('InvalidArgument', 'range too large to read');
    const out: T[][] = [];
    for (let r = rect.top; r <= rect.bottom; r++) {
      const row: T[] = [];
      for (let c = rect.left; c <= rect.right; c++) row.push(f(sheet.cells.get(key(r, c)), r, c));
      out.push(row);
    }
    return out;
  }
  protected override props() {
    return {
      address: ['1.1', () => `${quote(this.rangeTarget().sheet.name)}!${addr(this.rangeTarget().rect)}`],
      rowIndex: ['1.1', () => this.rangeTarget().rect.top],
      columnIndex: ['1.1', () => this.rangeTarget().rect.left],
      rowCount: ['1.1', () => this.rangeTarget().rect.bottom - this.rangeTarget().rect.top + 1],
      columnCount: ['1.1', () => this.rangeTarget().rect.right - this.rangeTarget().rect.left + 1],
      values: ['1.1', () => this.grid((c) => c?.value ?? '')],
      numberFormat: ['1.1', () => this.grid((c) => c?.format ?? 'General')],
      text: ['1.1', () => this.grid((c) => (c ? displayText(c) : ''))],
    } as Record<string, [string, () => unknown]>;
  }
  get address(): string {
    return this.get_('address') as string;
  }
  get rowIndex(): number {
    return this.get_('rowIndex') as number;
  }
  get columnIndex(): number {
    return this.get_('columnIndex') as number;
  }
  get rowCount(): number {
    return this.get_('rowCount') as number;
  }
  get columnCount(): number {
    return this.get_('columnCount') as number;
  }
  get values(): Scalar[][] {
    return this.get_('values') as Scalar[][];
  }
  set values(v: unknown) {
    this.setProp('values', v, '1.1', () => {
      const { sheet, rect } = this.rangeTarget();
      this.ctx.double.writeValues(sheet, rect, v);
      this.ctx.changes.push({ sheet, rect, format: false });
    });
  }
  get numberFormat(): string[][] {
    return this.get_('numberFormat') as string[][];
  }
  set numberFormat(v: unknown) {
    this.setProp('numberFormat', v, '1.1', () => {
      const { sheet, rect } = this.rangeTarget();
      forEachIn(rect, v, (r, c, f) => {
        const cell = this.ctx.double.cellAt(sheet, r, c, true)!;
        cell.format = String(f);
      });
    });
  }
  get text(): string[][] {
    return this.get_('text') as string[][];
  }
  get format(): FormatP {
    return this.nav(
      'format',
      () =>
        new FormatP(this.ctx, this.ctx.path(this._path, 'Format'), () => {
          const t = this.rangeTarget();
          return { sheet: t.sheet, rects: [t.rect] };
        }),
    );
  }
  get dataValidation(): ValidationP {
    return this.nav('dataValidation', () => new ValidationP(this.ctx, this.ctx.path(this._path, 'DataValidation'), () => this.rangeTarget()));
  }
  merge(across = false): void {
    this.call('merge', [across], '1.2', () => {
      const { sheet, rect } = this.rangeTarget();
      if (sheet.merges.some((m) => m.top <= rect.bottom && rect.top <= m.bottom && m.left <= rect.right && rect.left <= m.right)) {
        throw new OfficeError('InvalidArgument', 'merge overlaps a merged area');
      }
      sheet.merges.push({ ...rect });
    });
  }
  clear(): void {
    this.call('clear', [], '1.1', () => {
      const { sheet, rect } = this.rangeTarget();
      for (const k of [...sheet.cells.keys()]) {
        const r = Math.floor(k / STRIDE);
        const c = k % STRIDE;
        if (r >= rect.top && r <= rect.bottom && c >= rect.left && c <= rect.right) sheet.cells.delete(k);
      }
      this.ctx.changes.push({ sheet, rect, format: false });
    });
  }
  getCellProperties(opts: { format?: { fill?: { color?: boolean; pattern?: boolean; patternColor?: boolean } } }): ClientResult<unknown[][]> {
    const res = new ClientResult<unknown[][]>();
    this.call('getCellProperties', [opts], '1.9', () => {
      const want = opts.format?.fill ?? {};
      const v = this.grid((c) => {
        const f = c?.fill;
        const fill: Record<string, unknown> = {};
        if (want.color) fill.color = f ? f.color : '#FFFFFF';
        if (want.pattern) fill.pattern = f ? f.pattern : 'None';
        if (want.patternColor) fill.patternColor = f?.patternColor ?? '#000000';
        return { format: { fill } };
      });
      this.ctx.response.push(v);
      this.ctx.afterSync(() => res.set(v));
    });
    return res;
  }
  getMergedAreasOrNullObject(): RangeAreasP {
    const areas = new RangeAreasP(this.ctx, this.ctx.method(this._path, 'getMergedAreasOrNullObject'), () => {
      const { sheet, rect } = this.rangeTarget();
      const rects = sheet.merges.filter((m) => m.top <= rect.bottom && rect.top <= m.bottom && m.left <= rect.right && rect.left <= m.right);
      return rects.length ? { sheet, rects } : null;
    }, '1.13');
    areas.nullableAreas();
    return areas;
  }
}

function displayText(c: CellModel): string {
  if (typeof c.value === 'number' && c.format && c.format !== 'General' && /[ymd年月日]/i.test(c.format.replace(/"[^"]*"/g, ''))) {
    return formatDisplay(new Date(Math.round((c.value - 25569) * 86400000)), c.format);
  }
  return formatDisplay(c.value, c.format === 'General' ? undefined : c.format);
}

function forEachIn(rect: Rect, v: unknown, f: (r: number, c: number, x: unknown) => void): void {
  const rows = rect.bottom - rect.top + 1;
  const cols = rect.right - rect.left + 1;
  if (!Array.isArray(v)) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) f(rect.top + r, rect.left + c, v);
    return;
  }
  if (v.length !== rows || v.some((row) => !Array.isArray(row) || row.length !== cols)) {
    throw new OfficeError('InvalidArgument', `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${rows}×${cols})`);
  }
  v.forEach((row: unknown[], r) => row.forEach((x, c) => f(rect.top + r, rect.left + c, x)));
}

interface AreasTarget {
  sheet: SheetModel;
  rects: Rect[];
}

class RangeAreasP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private find: () => AreasTarget | null,
    private version: string,
  ) {
    super(ctx, path);
  }
  nullableAreas(): void {
    this.nullable = true;
  }
  protected override resolve(): unknown {
    if (!versionAtLeast(this.ctx.double.opts.version, this.version)) throw new OfficeError('ApiNotFound', `${this._path.name} needs ExcelApi ${this.version}`);
    return this.find();
  }
  private t(): AreasTarget {
    return this.must<AreasTarget>();
  }
  protected override props() {
    return {
      address: ['1.9', () => this.t().rects.map((r) => `${quote(this.t().sheet.name)}!${addr(r)}`).join(',')],
      areaCount: ['1.9', () => this.t().rects.length],
    } as Record<string, [string, () => unknown]>;
  }
  get address(): string {
    return this.get_('address') as string;
  }
  get format(): FormatP {
    return this.nav('format', () => new FormatP(this.ctx, this.ctx.path(this._path, 'Format'), () => this.t()));
  }
}

class FormatP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private areas: () => AreasTarget,
  ) {
    super(ctx, path);
  }
  protected override resolve(): unknown {
    return this.areas();
  }
  get fill(): FillP {
    return this.nav('fill', () => new FillP(this.ctx, this.ctx.path(this._path, 'Fill'), this.areas));
  }
  get font(): FontP {
    return this.nav('font', () => new FontP(this.ctx, this.ctx.path(this._path, 'Font'), this.areas));
  }
  autofitColumns(): void {
    this.call('autofitColumns', [], '1.2', () => void this.areas());
  }
  set columnWidth(w: number) {
    this.setProp('columnWidth', w, '1.1', () => {
      const { sheet, rects } = this.areas();
      for (const r of rects) for (let c = r.left; c <= r.right; c++) sheet.columnWidths.set(c, w);
    });
  }
  set wrapText(v: boolean) {
    this.setProp('wrapText', v, '1.1', () => void this.areas());
  }
  set horizontalAlignment(v: string) {
    this.setProp('horizontalAlignment', v, '1.1', () => void this.areas());
  }
  set verticalAlignment(v: string) {
    this.setProp('verticalAlignment', v, '1.1', () => void this.areas());
  }
}

function eachCell(t: AreasTarget, f: (r: number, c: number) => void): void {
  for (const rect of t.rects) for (let r = rect.top; r <= rect.bottom; r++) for (let c = rect.left; c <= rect.right; c++) f(r, c);
}

class FillP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private areas: () => AreasTarget,
  ) {
    super(ctx, path);
  }
  protected override resolve(): unknown {
    return this.areas();
  }
  private uniform(get: (f: Fill | null) => string): string | null {
    let v: string | undefined;
    let mixed = false;
    const t = this.areas();
    eachCell(t, (r, c) => {
      const x = get(t.sheet.cells.get(key(r, c))?.fill ?? null);
      if (v === undefined) v = x;
      else if (v !== x) mixed = true;
    });
    return mixed ? null : (v ?? null);
  }
  protected override props() {
    return {
      color: ['1.1', () => this.uniform((f) => (f ? f.color : '#FFFFFF'))],
      pattern: ['1.15', () => this.uniform((f) => (f ? f.pattern : 'None'))],
    } as Record<string, [string, () => unknown]>;
  }
  get color(): string | null {
    return this.get_('color') as string | null;
  }
  set color(v: string) {
    this.setProp('color', v, '1.1', () => this.paint((f) => ({ color: v.toUpperCase(), pattern: f?.pattern && f.pattern !== 'None' ? f.pattern : 'Solid' })));
  }
  get pattern(): string | null {
    return this.get_('pattern') as string | null;
  }
  set pattern(v: string) {
    this.setProp('pattern', v, '1.15', () => this.paint((f) => ({ color: f?.color ?? '#FFFFFF', pattern: v })));
  }
  set patternColor(v: string) {
    this.setProp('patternColor', v, '1.15', () => this.paint((f) => ({ color: f?.color ?? '#FFFFFF', pattern: f?.pattern ?? 'Solid', patternColor: v })));
  }
  clear(): void {
    this.call('clear', [], '1.1', () => this.paint(() => null));
  }
  private paint(f: (old: Fill | null) => Fill | null): void {
    const t = this.areas();
    eachCell(t, (r, c) => {
      const cell = this.ctx.double.cellAt(t.sheet, r, c, true)!;
      cell.fill = f(cell.fill);
    });
    if (this.ctx.double.opts.eventsOnFormatWrites) for (const rect of t.rects) this.ctx.changes.push({ sheet: t.sheet, rect, format: true });
  }
}

class FontP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private areas: () => AreasTarget,
  ) {
    super(ctx, path);
  }
  protected override resolve(): unknown {
    return this.areas();
  }
  set bold(v: boolean) {
    this.setProp('bold', v, '1.1', () => {
      const t = this.areas();
      eachCell(t, (r, c) => {
        this.ctx.double.cellAt(t.sheet, r, c, true)!.bold = v;
      });
    });
  }
  set size(v: number) {
    this.setProp('size', v, '1.1', () => void this.areas());
  }
}

class ValidationP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private range: () => RangeTarget,
  ) {
    super(ctx, path);
  }
  protected override resolve(): unknown {
    return this.range();
  }
  private entry(): Validation {
    const { sheet, rect } = this.range();
    let v = sheet.validations.find((x) => addr(x.rect) === addr(rect));
    if (!v) sheet.validations.push((v = { rect }));
    return v;
  }
  set rule(v: unknown) {
    this.setProp('rule', v, '1.8', () => {
      this.entry().rule = v;
    });
  }
  set prompt(v: unknown) {
    this.setProp('prompt', v, '1.8', () => {
      this.entry().prompt = v;
    });
  }
  set errorAlert(v: unknown) {
    this.setProp('errorAlert', v, '1.8', () => {
      this.entry().errorAlert = v;
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Notes (1.18) and comments (1.10)

function noteAddress(sheet: SheetModel, address: string): string {
  if (address.length > 8192) throw new OfficeError('InvalidArgument', 'address too long');
  const p = parseRef(address);
  if (!p || p.rect.top !== p.rect.bottom || p.rect.left !== p.rect.right) throw new OfficeError('InvalidArgument', `bad cell address ${address}`);
  if (p.sheet !== undefined && p.sheet !== sheet.name) throw new OfficeError('InvalidArgument', `address ${address} is not on ${sheet.name}`);
  return addr(p.rect);
}

class NotesP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private sheet: () => SheetModel,
  ) {
    super(ctx, path);
  }
  protected override resolve(): unknown {
    if (!versionAtLeast(this.ctx.double.opts.version, '1.18')) throw new OfficeError('ApiNotFound', 'notes need ExcelApi 1.18');
    return this.sheet();
  }
  protected override props() {
    return {
      items: ['1.18', () => [...this.must<SheetModel>().notes.keys()].map((a) => this.item(a, this.ctx.path(this._path, 'getItem', [a])))],
    } as Record<string, [string, () => unknown]>;
  }
  private item(a: string, path: PathRec, nullable = false): NoteP {
    return new NoteP(this.ctx, path, () => this.sheet(), a, nullable);
  }
  get items(): NoteP[] {
    return this.get_('items') as NoteP[];
  }
  getCount(): ClientResult<number> {
    const res = new ClientResult<number>();
    this.call('getCount', [], '1.18', () => {
      const n = this.must<SheetModel>().notes.size;
      this.ctx.response.push(n);
      this.ctx.afterSync(() => res.set(n));
    });
    return res;
  }
  add(cellAddress: string, content: string): NoteP {
    const path = this.ctx.method(this._path, 'add', [cellAddress, content], '1.18', () => {
      const s = this.sheet();
      const a = noteAddress(s, cellAddress);
      if (s.notes.has(a)) throw new OfficeError('InvalidArgument', `cell ${a} already has a note`);
      s.notes.set(a, content);
      if (this.ctx.double.opts.eventsOnFormatWrites) this.ctx.changes.push({ sheet: s, rect: parseRef(a)!.rect, format: true });
    });
    return this.item(cellAddress, path);
  }
  getItem(cellAddress: string): NoteP {
    return this.item(cellAddress, this.ctx.method(this._path, 'getItem', [cellAddress]));
  }
  getItemOrNullObject(cellAddress: string): NoteP {
    return this.item(cellAddress, this.ctx.method(this._path, 'getItemOrNullObject', [cellAddress]), true);
  }
}

class NoteP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private sheet: () => SheetModel,
    private cell: string,
    nullable: boolean,
  ) {
    super(ctx, path);
    this.nullable = nullable;
  }
  protected override resolve(): unknown {
    const s = this.sheet();
    const a = noteAddress(s, this.cell);
    return s.notes.has(a) ? { s, a } : null;
  }
  private t(): { s: SheetModel; a: string } {
    return this.must<{ s: SheetModel; a: string }>();
  }
  protected override props() {
    return { content: ['1.18', () => this.t().s.notes.get(this.t().a)] } as Record<string, [string, () => unknown]>;
  }
  get content(): string {
    return this.get_('content') as string;
  }
  set content(v: string) {
    this.setProp('content', v, '1.18', () => {
      const { s, a } = this.t();
      s.notes.set(a, v);
    });
  }
  delete(): void {
    this.call('delete', [], '1.18', () => {
      const { s, a } = this.t();
      s.notes.delete(a);
    });
  }
  getLocation(): RangeP {
    return new RangeP(this.ctx, this.ctx.method(this._path, 'getLocation'), () => {
      const { s, a } = this.t();
      return { sheet: s, rect: parseRef(a)!.rect };
    }, '1.18');
  }
}

class CommentsP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private sheet: () => SheetModel,
  ) {
    super(ctx, path);
  }
  protected override resolve(): unknown {
    if (!versionAtLeast(this.ctx.double.opts.version, '1.10')) throw new OfficeError('ApiNotFound', 'comments need ExcelApi 1.10');
    return this.sheet();
  }
  protected override props() {
    return {
      items: ['1.10', () => [...this.must<SheetModel>().comments.keys()].map((a) => this.item(a, this.ctx.path(this._path, 'getItemByCell', [a])))],
    } as Record<string, [string, () => unknown]>;
  }
  private item(a: string, path: PathRec): CommentP {
    return new CommentP(this.ctx, path, () => this.sheet(), a);
  }
  get items(): CommentP[] {
    return this.get_('items') as CommentP[];
  }
  getCount(): ClientResult<number> {
    const res = new ClientResult<number>();
    this.call('getCount', [], '1.10', () => {
      const n = this.must<SheetModel>().comments.size;
      this.ctx.response.push(n);
      this.ctx.afterSync(() => res.set(n));
    });
    return res;
  }
  add(cellAddress: string, content: string): CommentP {
    const path = this.ctx.method(this._path, 'add', [cellAddress, content], '1.10', () => {
      const s = this.sheet();
      const a = noteAddress(s, cellAddress);
      if (s.comments.has(a)) throw new OfficeError('InvalidArgument', `cell ${a} already has a comment`);
      s.comments.set(a, { id: `c${++this.ctx.double.seq}`, content });
    });
    return this.item(cellAddress, path);
  }
  getItemByCell(cellAddress: string): CommentP {
    return this.item(cellAddress, this.ctx.method(this._path, 'getItemByCell', [cellAddress]));
  }
}

class CommentP extends Proxy {
  constructor(
    ctx: Ctx,
    path: PathRec,
    private sheet: () => SheetModel,
    private cell: string,
  ) {
    super(ctx, path);
  }
  protected override resolve(): unknown {
    const s = this.sheet();
    const a = noteAddress(s, this.cell);
    return s.comments.has(a) ? { s, a } : null;
  }
  private t(): { s: SheetModel; a: string } {
    return this.must<{ s: SheetModel; a: string }>();
  }
  protected override props() {
    return { content: ['1.10', () => this.t().s.comments.get(this.t().a)!.content] } as Record<string, [string, () => unknown]>;
  }
  get content(): string {
    return this.get_('content') as string;
  }
  set content(v: string) {
    this.setProp('content', v, '1.10', () => {
      const { s, a } = this.t();
      s.comments.get(a)!.content = v;
    });
  }
  delete(): void {
    this.call('delete', [], '1.10', () => {
      const { s, a } = this.t();
      s.comments.delete(a);
    });
  }
  getLocation(): RangeP {
    return new RangeP(this.ctx, this.ctx.method(this._path, 'getLocation'), () => {
      const { s, a } = this.t();
      return { sheet: s, rect: parseRef(a)!.rect };
    }, '1.10');
  }
}

// ---------------------------------------------------------------------------------------------------------
// The double

export interface WorkbookModel {
  sheets: SheetModel[];
  activeId: string;
  settings: Map<string, unknown>;
}

export class ExcelDouble {
  readonly opts: Required<Omit<DoubleOptions, 'platform'>> & { platform: string };
  readonly model: WorkbookModel = { sheets: [], activeId: '', settings: new Map() };
  stats: DoubleStats = { syncs: 0, apiCalls: 0, requestBytes: [], responseBytes: [], screenUpdatingSuspended: 0, calls: {} };
  seq = 0;
  /** Events fired (for assertions). */
  events: { sheet: string; address: string; triggerSource?: string }[] = [];
  private pendingEvents: Promise<unknown>[] = [];

  constructor(opts: DoubleOptions = {}) {
    this.opts = {
      version: opts.version ?? '1.18',
      requestLimit: opts.requestLimit ?? 5 * 1024 * 1024,
      responseLimit: opts.responseLimit ?? 5 * 1024 * 1024,
      maxAddressChars: opts.maxAddressChars ?? 8192,
      maxAreas: opts.maxAreas ?? 500,
      eventsOnFormatWrites: opts.eventsOnFormatWrites ?? false,
      platform: opts.platform ?? 'OfficeOnline',
    };
  }

  /** The ExcelHost the adapter is given. */
  host(): ExcelHost {
    return {
      run: async <T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> => {
        const ctx = new Ctx(this);
        const out = await batch(ctx as unknown as Excel.RequestContext);
        if (ctx.queue.length) await ctx.sync();
        return out;
      },
      isSetSupported: (name: string, version: string) => name === 'ExcelApi' && versionAtLeast(this.opts.version, version),
      platform: this.opts.platform,
    };
  }

  resetStats(): void {
    this.stats = { syncs: 0, apiCalls: 0, requestBytes: [], responseBytes: [], screenUpdatingSuspended: 0, calls: {} };
  }

  sheet(name: string): SheetModel | undefined {
    return this.model.sheets.find((s) => s.name === name);
  }

  addSheet(name: string, rows: (Scalar | null | undefined)[][] = [], opts: { formats?: Record<string, string>; top?: number; left?: number } = {}): SheetModel {
    const s: SheetModel = {
      id: `{sheet-${++this.seq}}`,
      name,
      visibility: 'Visible',
      cells: new Map(),
      merges: [],
      notes: new Map(),
      comments: new Map(),
      validations: [],
      handlers: [],
      columnWidths: new Map(),
    };
    this.model.sheets.push(s);
    if (!this.model.activeId) this.model.activeId = s.id;
    rows.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v === null || v === undefined || v === '') return;
        s.cells.set(key(r + (opts.top ?? 0), c + (opts.left ?? 0)), { value: v, format: 'General', fill: null });
      }),
    );
    for (const [a, f] of Object.entries(opts.formats ?? {})) {
      const p = parseRef(a)!;
      for (let r = p.rect.top; r <= p.rect.bottom; r++) for (let c = p.rect.left; c <= p.rect.right; c++) this.cellAt(s, r, c, true)!.format = f;
    }
    return s;
  }

  activate(name: string): void {
    this.model.activeId = this.sheet(name)!.id;
  }

  deleteSheet(s: SheetModel): void {
    if (this.model.sheets.filter((x) => x.visibility === 'Visible' && x !== s).length === 0) throw new OfficeError('InvalidOperation', 'cannot delete the last visible sheet');
    this.model.sheets = this.model.sheets.filter((x) => x !== s);
    if (this.model.activeId === s.id) this.model.activeId = this.model.sheets.find((x) => x.visibility === 'Visible')!.id;
  }

  cellAt(s: SheetModel, r: number, c: number, create = false): CellModel | undefined {
    let cell = s.cells.get(key(r, c));
    if (!cell && create) s.cells.set(key(r, c), (cell = { value: '', format: 'General', fill: null }));
    return cell;
  }

  /** A cell by "Sheet!F7" or (sheet, "F7"). */
  cell(sheet: string, address: string): CellModel | undefined {
    const s = this.sheet(sheet)!;
    const p = parseRef(address)!;
    return s.cells.get(key(p.rect.top, p.rect.left));
  }

  usedRect(s: SheetModel, valuesOnly: boolean): Rect | null {
    let top = Infinity;
    let left = Infinity;
    let bottom = -1;
    let right = -1;
    for (const [k, c] of s.cells) {
      if (valuesOnly ? c.value === '' : c.value === '' && !c.fill && c.format === 'General') continue;
      const r = Math.floor(k / STRIDE);
      const col = k % STRIDE;
      top = Math.min(top, r);
      left = Math.min(left, col);
      bottom = Math.max(bottom, r);
      right = Math.max(right, col);
    }
    return bottom < 0 ? null : { top, left, bottom, right };
  }

  writeValues(s: SheetModel, rect: Rect, v: unknown): void {
    forEachIn(rect, v, (r, c, x) => {
      const cell = this.cellAt(s, r, c, true)!;
      if (x === null || x === undefined || x === '') {
        cell.value = '';
        cell.formula = false;
        return;
      }
      if (typeof x === 'number' || typeof x === 'boolean') {
        cell.value = x;
        cell.formula = false;
        return;
      }
      const t = String(x);
      if (t.startsWith("'")) {
        cell.value = t.slice(1);
        cell.formula = false;
      } else if (t.startsWith('=')) {
        cell.value = t;
        cell.formula = true;
      } else if (cell.format !== '@' && /^[-+]?\d+(\.\d+)?$/.test(t)) {
        cell.value = Number(t);
      } else if (cell.format !== '@' && /^\d{4}-\d{1,2}-\d{1,2}$/.test(t)) {
        const [y, m, d] = t.split('-').map(Number) as [number, number, number];
        cell.value = Date.UTC(y, m - 1, d) / 86400000 + 25569;
        if (cell.format === 'General') cell.format = 'yyyy-mm-dd';
      } else {
        cell.value = t;
        cell.formula = false;
      }
    });
  }

  /** The officer types into cells (as in Excel's grid): fires onChanged from outside the add-in. */
  async userEdit(sheet: string, address: string, value: Scalar | Scalar[][]): Promise<void> {
    const s = this.sheet(sheet)!;
    const p = parseRef(address)!;
    this.writeValues(s, p.rect, Array.isArray(value) ? value : value);
    this.fire(s, p.rect, 'Unknown');
    await this.settle();
  }

  fireEvents(changes: { sheet: SheetModel; rect: Rect; format: boolean }[]): void {
    for (const ch of changes) this.fire(ch.sheet, ch.rect, versionAtLeast(this.opts.version, '1.14') ? 'ThisLocalAddin' : undefined);
  }

  private fire(s: SheetModel, rect: Rect, triggerSource: string | undefined): void {
    if (!s.handlers.length) return;
    const event = { type: 'WorksheetChanged', address: addr(rect), worksheetId: s.id, changeType: 'RangeEdited', source: 'Local', ...(triggerSource ? { triggerSource } : {}) };
    this.events.push({ sheet: s.name, address: event.address, ...(triggerSource ? { triggerSource } : {}) });
    for (const h of [...s.handlers]) {
      // Excel delivers events asynchronously, after the sync that caused them.
      this.pendingEvents.push(new Promise((resolve) => setTimeout(() => resolve(h(event)), 0)));
    }
  }

  /** Wait until delivered events (and what they started) have run. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20 && this.pendingEvents.length; i++) {
      const p = this.pendingEvents;
      this.pendingEvents = [];
      await Promise.all(p);
      await new Promise((r) => setTimeout(r, 0));
    }
  }
}
