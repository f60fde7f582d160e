// The county in scope (GET /api/county): townships and villages, for filters and for names of codes.
import { api } from './api.ts';
import { isObj, listIn, objIn, periodsIn, str } from './data.ts';

export interface Township {
  code: string;
  name: string;
}

export interface Village {
  code: string;
  name: string;
  township: string;
}

export interface County {
  code: string;
  name: string;
  townships: Township[];
  villages: Village[];
  townshipName: (code: string) => string;
  villageName: (code: string) => string;
}

let cached: Promise<County> | undefined;

export function loadCounty(): Promise<County> {
  cached ??= api('/api/county').then(readCounty);
  return cached;
}

function readCounty(body: unknown): County {
  const c = objIn(body, 'county');
  const townships: Township[] = listIn(body, 'townships')
    .filter(isObj)
    .map((t) => ({ code: str(t.code), name: str(t.name) }))
    .filter((t) => t.code);
  // Villages may come as a flat list or inside each township.
  let villageRows = listIn(body, 'villages').filter(isObj);
  if (!villageRows.length) {
    villageRows = listIn(body, 'townships')
      .filter(isObj)
      .flatMap((t) => (Array.isArray(t.villages) ? (t.villages as unknown[]).filter(isObj).map((v) => ({ township: t.code, ...v })) : []));
  }
  const villages: Village[] = villageRows
    .map((v) => ({ code: str(v.code), name: str(v.name), township: str(v.townshipCode ?? v.township_code ?? v.township) || str(v.code).slice(0, 9) }))
    .filter((v) => v.code);
  const tn = new Map(townships.map((t) => [t.code, t.name]));
  const vn = new Map(villages.map((v) => [v.code, v.name]));
  return {
    code: str(c.code),
    name: str(c.name),
    townships,
    villages,
    townshipName: (code) => tn.get(code) ?? code,
    villageName: (code) => vn.get(code) ?? tn.get(code) ?? code,
  };
}

export interface Periods {
  quarters: string[];
  halves: string[];
  all: string[];
}

let periodsCache: Promise<Periods> | undefined;

/** Periods with data (GET /api/rankings/periods), newest first. */
export function loadPeriods(): Promise<Periods> {
  periodsCache ??= api('/api/rankings/periods').then((body) => {
    const all = periodsIn(body);
    const quarters = all.filter((p) => /Q/.test(p));
    let halves = all.filter((p) => /H/.test(p));
    // Only quarters listed: the halves they fall in (Q1, Q2 → H1; Q3, Q4 → H2).
    if (!halves.length) halves = [...new Set(quarters.map((q) => `${q.slice(0, 4)}H${Number(q.slice(5)) <= 2 ? 1 : 2}`))];
    return { all, quarters, halves };
  });
  return periodsCache;
}
