// Request helpers shared by the routes: JSON bodies validated with valibot, errors naming the field.
import type { Context } from 'hono';
import * as v from 'valibot';
import { badRequest } from './errors.ts';

export const MAX_JSON_BYTES = 8 * 1024 * 1024;

export function issuePath(i: v.BaseIssue<unknown>): string {
  return (i.path ?? []).map((p) => ((p as { key: unknown }).key)).map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
}

/** Read and validate a JSON body; a wrong field gives 400 with `字段：原因` for each problem. */
export async function parseJson<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  const len = Number(c.req.header('content-length') ?? 0);
  if (len > MAX_JSON_BYTES) throw badRequest('too_large', `请求过大（超过${MAX_JSON_BYTES / 1024 / 1024}MB）`);
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw badRequest('bad_json', '请求内容不是有效的 JSON');
  }
  const r = v.safeParse(schema, body);
  if (!r.success) {
    const problems = r.issues.slice(0, 20).map((i) => ({ path: issuePath(i), message: i.message }));
    throw badRequest('invalid', problems.map((p) => `${p.path || '请求'}：${p.message}`).join('；'), problems);
  }
  return r.output;
}

/** Validate query parameters. */
export function parseQuery<S extends v.GenericSchema>(c: Context, schema: S): v.InferOutput<S> {
  const r = v.safeParse(schema, c.req.query());
  if (!r.success) {
    const problems = r.issues.slice(0, 20).map((i) => ({ path: issuePath(i), message: i.message }));
    throw badRequest('invalid_query', problems.map((p) => `${p.path || '参数'}：${p.message}`).join('；'), problems);
  }
  return r.output;
}
