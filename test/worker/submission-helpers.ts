// Helpers for the submission, ledger and county tests: small Submissions with chosen cells, requests
// against a (possibly wrapped) env, and table counts.
import { env } from 'cloudflare:workers';
import { app } from '../../worker/app.ts';
import { tokenFor, T1 } from './helpers.ts';

export const V = (n: number, township = T1) => `${township}${200 + n}`;
export const NAMES = ['张庄村', '李寨村', '王屯村', '刘庄村', '陈店村'];

export interface RowSpec {
  row: number;
  code?: string | number | null;
  name?: string;
  orgType?: string;
  /** 活动场所面积: basic-24 needs ≥ 90, demo-13-a ≥ 300. */
  area?: number | string;
  /** 集体经营性年收益（万元）: basic-41 needs ≥ 2万. */
  income?: number | string;
}

export const COLUMNS = [
  { letter: 'A', header: '区划代码', input: 'code' },
  { letter: 'B', header: '村名', input: 'name' },
  { letter: 'C', header: '党组织类型', input: 'orgType' },
  { letter: 'D', header: '活动场所面积（平方米）', input: 'activityArea' },
  { letter: 'E', header: '集体经营性收入（万元）', input: 'collectiveIncome', unit: '万元', scale: 10000 },
] as const;

/** A Submission (as JSON) with the five columns above. */
export function submission(period: string, rows: RowSpec[], township = T1): any {
  return {
    period,
    townshipCode: township,
    sheet: '调查表',
    source: 'api',
    columns: COLUMNS.map((c) => ({ ...c })),
    rows: rows.map((r) => {
      const values: Record<string, { a: string; v: string | number | null }> = {};
      if (r.code !== undefined) values.code = { a: `A${r.row}`, v: r.code };
      if (r.name !== undefined) values.name = { a: `B${r.row}`, v: r.name };
      values.orgType = { a: `C${r.row}`, v: r.orgType ?? '党支部' };
      if (r.area !== undefined) values.activityArea = { a: `D${r.row}`, v: r.area };
      if (r.income !== undefined) values.collectiveIncome = { a: `E${r.row}`, v: r.income };
      return { row: r.row, values };
    }),
  };
}

/** Five good villages of T1 (rows 5–9) with the given area for each. */
export function villages(period: string, areas: (number | string)[], income: number | string = 3): any {
  return submission(
    period,
    areas.map((area, i) => ({ row: 5 + i, code: V(i), name: NAMES[i], area, income })),
  );
}

/** A request as a signed-in user against any env (a wrapped one to inject failures). */
export async function callWith(e: Cloudflare.Env, login: string | null, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (login) headers.set('Authorization', `Bearer ${await tokenFor(login)}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return app.request(path, { ...init, headers, body }, e);
}

export async function count(table: string, where = '1 = 1', ...args: unknown[]): Promise<number> {
  const r = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...args)
    .first<{ n: number }>();
  return r?.n ?? 0;
}

export async function rawKeys(): Promise<string[]> {
  const list = await env.RAW.list({ prefix: 'raw/' });
  return list.objects.map((o) => o.key).sort();
}

export async function sha256(bytes: Uint8Array | string): Promise<string> {
  const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const d = await crypto.subtle.digest('SHA-256', b);
  return [...new Uint8Array(d)].map((x) => x.toString(16).padStart(2, '0')).join('');
}

import type { RowOutcome as Outcome } from '../../worker/submissions/types.ts';
export type { Outcome };

export interface Answer {
  submission: {
    id: string;
    sha256: string;
    duplicate: boolean;
    kind: string;
    townshipCode: string;
    period: string;
    rulebookVersion: number | null;
    createdAt: string;
    rows: { total: number; accepted: number; rejected: number };
  };
  outcomes: Outcome[];
  notes: string[];
}

/** Multipart body for /api/submissions/file. */
export function form(file: Uint8Array, name: string, fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  f.append('file', new File([file], name));
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}
