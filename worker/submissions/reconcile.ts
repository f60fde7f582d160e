// Reconciling R2 with D1, for what a failed clean-up can leave behind. A submission whose D1 batch fails
// withdraws the raw object it wrote (accept.ts, withdrawRaw); if that delete fails too, the object stays as
// an orphan: harmless (raw objects are served only through a submission that references them, and a later
// submission of the same bytes reuses it), and removed here once it is older than `minAgeMs` (so an upload
// still on its way to its D1 batch is never touched). Submissions whose raw object is missing are reported
// (they cannot be rebuilt here: the bytes are gone; the officer's file is the copy).
import type { Bindings } from '../env.ts';

export interface RawReconciliation {
  /** raw/ objects looked at. */
  scanned: number;
  /** Orphans removed (keys). */
  removed: string[];
  /** Submissions whose raw object is missing. */
  missing: { id: string; r2Key: string }[];
}

const RAW_PREFIX = 'raw/';

export async function reconcileRaw(env: Bindings, opts: { minAgeMs?: number; now?: Date } = {}): Promise<RawReconciliation> {
  const cutoff = (opts.now ?? new Date()).getTime() - (opts.minAgeMs ?? 60 * 60 * 1000);
  const present = new Set<string>();
  const removed: string[] = [];
  let scanned = 0;
  let cursor: string | undefined;
  const referenced = async (key: string) => (await env.DB.prepare('SELECT 1 AS x FROM submissions WHERE r2_key = ? LIMIT 1').bind(key).first()) !== null;
  do {
    const page = await env.RAW.list({ prefix: RAW_PREFIX, ...(cursor ? { cursor } : {}) });
    for (const obj of page.objects) {
      scanned++;
      present.add(obj.key);
      if (obj.uploaded.getTime() > cutoff || (await referenced(obj.key))) continue;
      // Keep the bytes until the delete is known to be safe: a submission of the same bytes may commit
      // while we delete, and then the object is put back.
      const body = await env.RAW.get(obj.key);
      if (!body) continue;
      const bytes = new Uint8Array(await body.arrayBuffer());
      await env.RAW.delete(obj.key);
      if (await referenced(obj.key)) {
        await env.RAW.put(obj.key, bytes, { ...(body.httpMetadata ? { httpMetadata: body.httpMetadata } : {}), ...(body.customMetadata ? { customMetadata: body.customMetadata } : {}) });
      } else {
        present.delete(obj.key);
        removed.push(obj.key);
      }
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const { results } = await env.DB.prepare('SELECT id, r2_key FROM submissions ORDER BY created_at, id').all<{ id: string; r2_key: string }>();
  const missing = results.filter((r) => !present.has(r.r2_key)).map((r) => ({ id: r.id, r2Key: r.r2_key }));
  return { scanned, removed, missing };
}
