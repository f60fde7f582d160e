// Request bodies read with a hard size cap: a declared Content-Length over the cap is refused before
// reading, and a body without one is read only up to the cap.
import type { Context } from 'hono';
import { ApiError } from '../errors.ts';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Room for the multipart envelope (boundaries, part headers, the period and township fields). */
const MULTIPART_SLACK = 64 * 1024;

export const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;

export function tooLarge(what: string, max: number, size?: number): ApiError {
  return new ApiError(
    413,
    'too_large',
    `${what}过大${size !== undefined ? `（${mb(size)}）` : ''}，上限为 ${mb(max)}：请删除无关的工作表、图片或空白行后另存再上传，或按乡镇分开上传`,
  );
}

export async function readCapped(c: Context, max: number, what: string): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(what, max, declared);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (e) {
      // The connection dropped or timed out mid-upload: nothing has been stored yet, and the client hears so.
      console.error('request body read failed', e);
      throw new ApiError(400, 'body_incomplete', `${what}未能完整接收（连接中断或超时），本次上报的任何数据都没有保存，请重新上报`);
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(what, max);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A multipart/form-data body, capped: the file itself at `maxFile`. */
export async function readForm(c: Context, maxFile = MAX_UPLOAD_BYTES): Promise<FormData> {
  const type = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    throw new ApiError(415, 'not_multipart', '请以 multipart/form-data 表单上传文件（字段 file），可选字段 period、township');
  }
  const bytes = await readCapped(c, maxFile + MULTIPART_SLACK, '上传的文件');
  try {
    return await new Response(bytes, { headers: { 'content-type': type } }).formData();
  } catch {
    throw new ApiError(400, 'bad_form', '上传的表单无法解析，请重新选择文件上传');
  }
}

/** UTF-8 JSON from bytes (a leading byte-order mark is allowed); undefined when it is not. */
export function jsonFromBytes(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}
