// Reading the API's answers. docs/api.md names the fields; the envelope of a list ({ villages: [...] } or a
// bare array) is read either way, so a page keeps working whichever the route chose.

export type Obj = Record<string, unknown>;

export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The list in an answer: the answer itself, the first of `keys` that is an array, or else its only array. */
export function listIn<T = Obj>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  if (!isObj(body)) return [];
  for (const k of keys) if (Array.isArray(body[k])) return body[k] as T[];
  for (const k of keys) {
    const inner = body[k];
    if (isObj(inner)) {
      const found = listIn<T>(inner, ...keys);
      if (found.length) return found;
    }
  }
  const arrays = Object.values(body).filter(Array.isArray);
  return arrays.length === 1 ? (arrays[0] as T[]) : [];
}

/** The object in an answer: `body[key]` when it is an object, else the answer itself. */
export function objIn(body: unknown, ...keys: string[]): Obj {
  if (!isObj(body)) return {};
  for (const k of keys) if (isObj(body[k])) return body[k] as Obj;
  return body;
}

export function str(x: unknown): string {
  if (x === null || x === undefined) return '';
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return '';
}

export function num(x: unknown): number | undefined {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x);
  return undefined;
}

const PERIOD = /^\d{4}(?:Q[1-4]|H[12]|Y)?$/;

/** Every period code (2026Q3, 2026H1, 2026) anywhere in an answer, newest first. */
export function periodsIn(body: unknown): string[] {
  const found = new Set<string>();
  const walk = (x: unknown, depth: number): void => {
    if (depth > 4) return;
    if (typeof x === 'string' && PERIOD.test(x)) found.add(x);
    else if (Array.isArray(x)) x.forEach((y) => walk(y, depth + 1));
    else if (isObj(x)) Object.values(x).forEach((y) => walk(y, depth + 1));
  };
  walk(body, 0);
  return [...found].sort(comparePeriods).reverse();
}

function periodKey(p: string): number {
  const y = Number(p.slice(0, 4));
  const rest = p.slice(4);
  // A period sorts by its last month.
  const end = rest.startsWith('Q') ? Number(rest.slice(1)) * 3 : rest.startsWith('H') ? Number(rest.slice(1)) * 6 : 12;
  return y * 100 + end;
}

export function comparePeriods(a: string, b: string): number {
  return periodKey(a) - periodKey(b) || a.localeCompare(b);
}

/** A rate as a percentage 0–100: a fraction (0.85), a percentage (85) or an object { rate | value | percent }. */
export function percentOf(x: unknown): number | undefined {
  if (isObj(x)) {
    const p = num(x.percent);
    if (p !== undefined) return p;
    const r = num(x.rate ?? x.value ?? x.ratio);
    if (r !== undefined) return r <= 1 ? r * 100 : r;
    const n = num(x.count ?? x.numerator ?? x.passed);
    const d = num(x.total ?? x.denominator ?? x.villages);
    if (n !== undefined && d) return (n / d) * 100;
    return undefined;
  }
  const v = num(x);
  if (v === undefined) return undefined;
  return v <= 1 ? v * 100 : v;
}
