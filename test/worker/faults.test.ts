// Faults injected around a submission's two writes, the raw bytes to R2 (content-addressed) and the one D1
// batch, in both orders and at each step. After each: the client was told the truth (201 only when the D1
// record and the raw object both exist; otherwise a 4xx/5xx in Chinese saying nothing was saved), no orphan
// raw object is left (or, when the clean-up itself fails, reconcileRaw removes it), and a retry succeeds.
import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { call, T1, tokenFor } from './helpers.ts';
import { callWith, count, form, rawKeys, sha256, submission, V, villages, type Answer } from './submission-helpers.ts';
import { canonicalJson } from '../../worker/submissions/canonical.ts';
import { reconcileRaw } from '../../worker/submissions/reconcile.ts';
import { createScheduledController } from 'cloudflare:test';
import worker from '../../worker/index.ts';

type Fn = (...args: any[]) => Promise<unknown>;
/** Replacements for some methods of a binding; each gets the real method as its last argument. */
type Overrides = Record<string, (real: Fn, ...args: any[]) => Promise<unknown>>;

function wrap<T extends object>(target: T, overrides: Overrides): T {
  return new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t) as unknown;
      const real = typeof v === 'function' ? (v as Fn).bind(t) : undefined;
      const o = typeof prop === 'string' ? overrides[prop] : undefined;
      if (o && real) return (...args: unknown[]) => o(real, ...args);
      return real ?? v;
    },
  });
}

/** The test env with some D1 and R2 methods replaced. */
function faulty(db: Overrides = {}, raw: Overrides = {}): Cloudflare.Env {
  return { ...env, DB: wrap(env.DB, db), RAW: wrap(env.RAW, raw) } as Cloudflare.Env;
}

/** The test env whose D1 statements are rewritten (prepare is synchronous: a broken statement fails when run). */
function rewriting(edit: (sql: string) => string): Cloudflare.Env {
  const db = new Proxy(env.DB, {
    get(t, prop) {
      if (prop === 'prepare') return (sql: string) => t.prepare(edit(sql));
      const v = Reflect.get(t, prop, t) as unknown;
      return typeof v === 'function' ? (v as Fn).bind(t) : v;
    },
  });
  return { ...env, DB: db } as Cloudflare.Env;
}

const fail = (what: string) => () => Promise.reject(new Error(`simulated ${what} failure`));
const TABLES = ['submissions', 'village_results', 'ledger_items', 'audit_log', 'submission_turns'];
const snapshot = () => Promise.all([...TABLES.map((t) => count(t)), rawKeys()]);
const postWith = (e: Cloudflare.Env, json: unknown, login = 'town1') => callWith(e, login, '/api/submissions', { method: 'POST', json });
const uploadWith = (e: Cloudflare.Env, body: FormData, login = 'town1') => callWith(e, login, '/api/submissions/file', { method: 'POST', body });
const keyOf = async (json: unknown) => `raw/${await sha256(canonicalJson(json))}`;

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const { error } = await res.json<{ error: { code: string; message: string } }>();
  return { status: res.status, ...error };
}

/** The submission is stored: the D1 record, all its rows and its raw bytes (served by GET …/raw). */
async function expectStored(a: Answer, bytes: string | Uint8Array): Promise<void> {
  expect(await count('submissions', 'id = ?', a.submission.id)).toBe(1);
  expect(await count('village_results', 'submission_id = ?', a.submission.id)).toBe(a.submission.rows.accepted);
  const raw = await call('county', `/api/submissions/${a.submission.id}/raw`);
  expect(raw.status).toBe(200);
  expect(new Uint8Array(await raw.arrayBuffer())).toEqual(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
}

const NOTHING_SAVED = /本次上报的任何数据都没有保存/;

// Sign in first: a sign-in writes its own audit entry (auth.login), which the snapshots below must not see.
beforeAll(async () => {
  for (const login of ['town1', 'town2', 'county', 'admin']) await tokenFor(login);
});

describe('R2 first, then D1: a failure at each step', () => {
  it('R2 put fails → 500, nothing in D1, no object; a retry succeeds', async () => {
    const sub = villages('2027Q1', [100, 100, 100, 100, 100]);
    const before = await snapshot();
    const res = await postWith(faulty({}, { put: fail('R2 put') }), sub);
    expect(await errorOf(res)).toEqual({ status: 500, code: 'raw_store_failed', message: expect.stringMatching(NOTHING_SAVED) });
    expect(await snapshot()).toEqual(before);
    const ok = await postWith(env, sub);
    expect(ok.status).toBe(201);
    await expectStored(await ok.json<Answer>(), canonicalJson(sub));
  });

  it('R2 put times out after the bytes landed → 500, and the object it left is withdrawn', async () => {
    const sub = villages('2027Q2', [100, 100, 100, 100, 100]);
    const before = await snapshot();
    const res = await postWith(
      faulty({}, { put: async (real, ...args) => (await real(...args), await new Promise((r) => setTimeout(r, 20)), Promise.reject(new Error('simulated R2 timeout'))) }),
      sub,
    );
    expect(await errorOf(res)).toMatchObject({ status: 500, code: 'raw_store_failed' });
    expect(await snapshot()).toEqual(before);
    expect(await env.RAW.head(await keyOf(sub))).toBeNull();
  });

  it('R2 head (the existence check) throws → 500, nothing stored', async () => {
    const sub = villages('2027Q3', [100, 100, 100, 100, 100]);
    const before = await snapshot();
    const res = await postWith(faulty({}, { head: fail('R2 head') }), sub);
    expect(await errorOf(res)).toMatchObject({ status: 500, code: 'raw_store_failed', message: expect.stringMatching(NOTHING_SAVED) });
    expect(await snapshot()).toEqual(before);
  });

  it('R2 put succeeds, the D1 batch fails → 500 store_failed, the object withdrawn; a retry succeeds', async () => {
    const sub = villages('2027Q4', [100, 120, 60, 100, 100]);
    const before = await snapshot();
    const res = await postWith(faulty({ batch: fail('D1 batch') }), sub);
    expect(await errorOf(res)).toEqual({ status: 500, code: 'store_failed', message: expect.stringMatching(NOTHING_SAVED) });
    expect(await snapshot()).toEqual(before);
    const ok = await postWith(env, sub);
    expect(ok.status).toBe(201);
    await expectStored(await ok.json<Answer>(), canonicalJson(sub));
  });

  it('the batch fails on its ledger statement → the whole batch rolls back (no submission without its ledger)', async () => {
    const sub = villages('2028Q1', [60, 60, 60, 60, 60]);
    const before = await snapshot();
    // Every statement before the ledger one runs inside the transaction, then the ledger insert fails.
    const e = rewriting((sql) => sql.replace('INSERT INTO ledger_items', 'INSERT INTO ledger_items_missing'));
    const res = await postWith(e, sub);
    expect(await errorOf(res)).toMatchObject({ status: 500, code: 'store_failed', message: expect.stringMatching(NOTHING_SAVED) });
    expect(await snapshot()).toEqual(before);
    expect((await postWith(env, sub)).status).toBe(201);
  });

  it('the batch commits but its answer is lost → the client is told it is stored (201, this submission)', async () => {
    const sub = villages('2028Q2', [100, 100, 100, 100, 100]);
    const res = await postWith(faulty({ batch: async (real, ...args) => (await real(...args), Promise.reject(new Error('simulated network error after commit'))) }), sub);
    expect(res.status).toBe(201);
    const a = await res.json<Answer>();
    expect(a.submission.duplicate).toBe(false);
    await expectStored(a, canonicalJson(sub));
    // And the retry the client might still send is the same submission.
    const again = await postWith(env, sub);
    expect(again.status).toBe(200);
    expect((await again.json<Answer>()).submission.id).toBe(a.submission.id);
  });

  it('the D1 batch fails and the clean-up delete fails too → 500; the orphan is harmless, reused by a retry or removed by reconcileRaw', async () => {
    const a = villages('2028Q3', [100, 100, 100, 100, 90]);
    const b = villages('2028Q4', [100, 100, 100, 100, 91]);
    const broken = faulty({ batch: fail('D1 batch') }, { delete: fail('R2 delete') });
    for (const sub of [a, b]) {
      const res = await postWith(broken, sub);
      expect(await errorOf(res)).toMatchObject({ status: 500, code: 'store_failed', message: expect.stringMatching(NOTHING_SAVED) });
      expect(await env.RAW.head(await keyOf(sub))).not.toBeNull();
    }
    expect(await count('submissions', "period IN ('2028Q3', '2028Q4')")).toBe(0);
    // The orphan is never served: no submission references it. Sending A again reuses its object.
    const ok = await postWith(env, a);
    expect(ok.status).toBe(201);
    await expectStored(await ok.json<Answer>(), canonicalJson(a));
    // Reconciliation leaves recent objects alone (an upload may be on its way to D1), then removes B's.
    expect((await reconcileRaw(env)).removed).toEqual([]);
    const r = await reconcileRaw(env, { minAgeMs: 0 });
    expect(r.removed).toEqual([await keyOf(b)]);
    expect(r.missing).toEqual([]);
    expect(await env.RAW.head(await keyOf(a))).not.toBeNull();
    expect(await env.RAW.head(await keyOf(b))).toBeNull();
    expect((await reconcileRaw(env, { minAgeMs: 0 })).removed).toEqual([]);
  });

  it('the daily cron runs the reconciliation: an orphan older than an hour is removed, a referenced object stays', async () => {
    const orphan = `raw/${'e'.repeat(64)}`;
    await env.RAW.put(orphan, new Uint8Array([1, 2, 3]));
    const kept = await env.DB.prepare('SELECT r2_key FROM submissions LIMIT 1').first<{ r2_key: string }>();
    expect(kept).not.toBeNull();
    const soon = createScheduledController({ scheduledTime: Date.now() + 10 * 60 * 1000, cron: '17 3 * * *' });
    await worker.scheduled(soon, env);
    expect(await env.RAW.head(orphan)).not.toBeNull();
    const later = createScheduledController({ scheduledTime: Date.now() + 2 * 60 * 60 * 1000, cron: '17 3 * * *' });
    await worker.scheduled(later, env);
    expect(await env.RAW.head(orphan)).toBeNull();
    expect(await env.RAW.head(kept!.r2_key)).not.toBeNull();
  });
});

describe('D1 stored but the raw object gone (the reverse order): never answered "accepted" without its bytes', () => {
  // The same CSV for two periods is two submissions sharing one raw object. X's batch fails and X withdraws
  // the object it wrote, while Y (same bytes, other period) commits.
  const csv = new TextEncoder().encode(`区划代码,村名,党组织类型,活动场所面积（平方米）\n${V(0)},张庄村,党支部,100\n${V(1)},李寨村,党支部,120\n`);

  function gate(): { wait: Promise<void>; open: () => void } {
    let open!: () => void;
    const wait = new Promise<void>((r) => (open = r));
    return { wait, open };
  }

  it('X deletes between Y\'s put and Y\'s commit → Y puts the bytes back after its commit', async () => {
    const key = `raw/${await sha256(csv)}`;
    const yHeaded = gate();
    const yPut = gate();
    const xDeleted = gate();
    const x = faulty(
      { batch: async () => (await yPut.wait, Promise.reject(new Error('simulated D1 failure'))) },
      {
        put: async (real, ...args) => (await yHeaded.wait, real(...args)),
        delete: async (real, ...args) => {
          const r = await real(...args);
          xDeleted.open();
          return r;
        },
      },
    );
    const y = faulty(
      { batch: async (real, ...args) => (await xDeleted.wait, real(...args)) },
      {
        head: async (real, ...args) => {
          const r = await real(...args);
          yHeaded.open();
          return r;
        },
        put: async (real, ...args) => {
          const r = await real(...args);
          yPut.open();
          return r;
        },
      },
    );
    const [rx, ry] = await Promise.all([uploadWith(x, form(csv, 'x.csv', { period: '2029Q1' })), uploadWith(y, form(csv, 'y.csv', { period: '2029Q2' }))]);
    expect(await errorOf(rx)).toMatchObject({ status: 500, code: 'store_failed' });
    expect(ry.status).toBe(201);
    await expectStored(await ry.json<Answer>(), csv);
    expect(await env.RAW.head(key)).not.toBeNull();
  });

  it('X deletes after Y committed and checked → X sees the reference and puts the bytes back', async () => {
    const bytes = new TextEncoder().encode(`${new TextDecoder().decode(csv)}${V(2)},王屯村,党支部,130\n`);
    const yDone = gate();
    const xFailed = gate();
    const x = faulty(
      { batch: async () => (xFailed.open(), Promise.reject(new Error('simulated D1 failure'))) },
      { delete: async (real, ...args) => (await yDone.wait, real(...args)) },
    );
    const y = faulty({ batch: async (real, ...args) => (await xFailed.wait, real(...args)) });
    const px = uploadWith(x, form(bytes, 'x.csv', { period: '2029Q3' }));
    // Y only starts once X has written the object (Y finds it there and does not write it itself).
    await new Promise((r) => setTimeout(r, 50));
    const ry = await uploadWith(y, form(bytes, 'y.csv', { period: '2029Q4' }));
    expect(ry.status).toBe(201);
    yDone.open();
    expect(await errorOf(await px)).toMatchObject({ status: 500, code: 'store_failed' });
    await expectStored(await ry.json<Answer>(), bytes);
  });
});

describe('a failure while reading the upload', () => {
  function breakingBody(bytes: Uint8Array, after: number): ReadableStream<Uint8Array> {
    let sent = false;
    return new ReadableStream({
      async pull(c) {
        if (!sent) {
          c.enqueue(bytes.slice(0, after));
          sent = true;
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
        c.error(new Error('simulated connection reset'));
      },
    });
  }

  it('the connection drops mid-body (JSON and file) → 400 saying nothing was saved; nothing stored', async () => {
    const before = await snapshot();
    const json = new TextEncoder().encode(JSON.stringify(villages('2030Q1', [100, 100, 100, 100, 100])));
    const a = await callWith(env, 'town1', '/api/submissions', {
      method: 'POST',
      body: breakingBody(json, 100),
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(await errorOf(a)).toEqual({ status: 400, code: 'body_incomplete', message: expect.stringMatching(/未能完整接收.*本次上报的任何数据都没有保存/) });
    const multipart = new Response(form(new Uint8Array(20_000).fill(65), 'a.csv', { period: '2030Q1' }));
    const type = multipart.headers.get('content-type')!;
    const f = await callWith(env, 'town1', '/api/submissions/file', {
      method: 'POST',
      body: breakingBody(new Uint8Array(await multipart.arrayBuffer()), 5_000),
      headers: { 'content-type': type },
      duplex: 'half',
    } as RequestInit);
    expect(await errorOf(f)).toMatchObject({ status: 400, code: 'body_incomplete' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('after the submission is stored', () => {
  it('the raw re-check after the commit fails → still 201, stored, and the client is told the check is pending', async () => {
    const sub = villages('2030Q2', [100, 100, 100, 100, 100]);
    let heads = 0;
    const e = faulty({}, { head: async (real, ...args) => (++heads === 2 ? Promise.reject(new Error('simulated R2 outage')) : real(...args)) });
    const res = await postWith(e, sub);
    expect(res.status).toBe(201);
    const a = await res.json<Answer>();
    expect(a.notes.join('；')).toMatch(/上报已保存.*原始文件存档的核对暂时未完成/);
    await expectStored(a, canonicalJson(sub));
  });

  it('the ranking (aggregation) fails after the submission is stored → the submission stays; the ranking recovers', async () => {
    const period = '2030Q3';
    const sub = submission(period, [{ row: 5, code: V(3), name: '刘庄村', area: 100, income: 3 }]);
    const a = await (await postWith(env, sub)).json<Answer>();
    const e = rewriting((sql) => (/FROM village_results/.test(sql) ? 'SELECT * FROM no_such_table_simulated_failure' : sql));
    const bad = await callWith(e, 'county', `/api/rankings/villages?period=${period}&township=${T1}`);
    expect(bad.status).toBe(500);
    expect((await bad.json<{ error: { message: string } }>()).error.message).toMatch(/服务内部错误，请稍后重试/);
    await expectStored(a, canonicalJson(sub));
    const good = await call('county', `/api/rankings/villages?period=${period}&township=${T1}`);
    expect(good.status).toBe(200);
    expect((await good.json<{ villages: { code: string; total: number }[] }>()).villages.map((v) => [v.code, v.total])).toEqual([[V(3), a.outcomes[0]!.total]]);
  });
});
