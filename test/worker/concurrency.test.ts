// Many simultaneous submissions for the same township and period (inside workerd, via app.request):
// nothing accepted is lost, duplicates are one submission, retries are idempotent, and the supersession
// chain and the 整改台账 are consistent whatever the order the requests arrive in.
//
// What "the same whatever the order" means here (docs/design.md, "Concurrency and faults"): two DIFFERENT
// submissions for the same villages and period are ordered by the server (receipt order, per township);
// the later one is current. So which one is current depends on arrival order by design. What may not
// depend on the order, and is checked after every shuffled burst:
// - every distinct content is stored exactly once, with all its accepted rows and its raw bytes;
//   every duplicate got the same submission id (200, duplicate: true);
// - per village and period exactly one result is current: the one of the latest submission (server order)
//   naming that village; every other result is superseded by a LATER submission that names the village;
// - the ranking shows exactly the current results;
// - the ledger matches the current results: one open item per failing requirement, none per passing one;
// - resending everything afterwards changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { call, T1, T2 } from './helpers.ts';
import { callWith, count, rawKeys, sha256, submission, V, NAMES, type Answer } from './submission-helpers.ts';
import { canonicalJson } from '../../worker/submissions/canonical.ts';

const post = (login: string, json: unknown) => call(login, '/api/submissions', { method: 'POST', json });

/** Distinct contents in a burst, and how many times each is sent (sum = requests in flight at once). */
const MULTIPLICITY = [4, 3, 3, 2, 4, 3, 3, 2, 3, 3];
const BURST = MULTIPLICITY.reduce((a, b) => a + b, 0);
const AREAS = [60, 95, 120, 350, 89];

/** Content j: all five villages, or villages 0–2, or 2–4, with areas and incomes that differ by j. */
function content(period: string, j: number): unknown {
  const villages = j % 3 === 0 ? [0, 1, 2, 3, 4] : j % 3 === 1 ? [0, 1, 2] : [2, 3, 4];
  return submission(
    period,
    villages.map((n, i) => ({ row: 5 + i, code: V(n), name: NAMES[n], area: AREAS[(n + j) % 5]! + j, income: j % 2 ? 3 : 1.5 })),
  );
}

interface Sent {
  j: number;
  login: string;
}

/** Every request of a burst: content j, MULTIPLICITY[j] times; one copy of each repeated content from the admin. */
const REQUESTS: Sent[] = MULTIPLICITY.flatMap((m, j) => Array.from({ length: m }, (_, k) => ({ j, login: k === 1 ? 'admin' : 'town1' })));

interface ResultRow {
  submission_id: string;
  village_code: string;
  total_cents: number;
  superseded_by: string | null;
  created_at: string;
  results_json: string;
}

/** Server order of submissions: created_at, then id (the order supersession follows). */
const later = (a: { created_at: string; id: string }, b: { created_at: string; id: string }) => a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id);

async function checkPeriod(period: string, answers: Map<number, Answer>): Promise<void> {
  const subs = (
    await env.DB.prepare('SELECT id, sha256, created_at, rows_accepted FROM submissions WHERE township_code = ? AND period = ?')
      .bind(T1, period)
      .all<{ id: string; sha256: string; created_at: string; rows_accepted: number }>()
  ).results;
  // Every distinct content stored once, as the 201 said, with all its rows and its raw bytes.
  expect(subs.map((s) => s.id).sort()).toEqual([...answers.values()].map((a) => a.submission.id).sort());
  const rows = (
    await env.DB.prepare('SELECT submission_id, village_code, total_cents, superseded_by, created_at, results_json FROM village_results WHERE period = ? AND township_code = ?')
      .bind(period, T1)
      .all<ResultRow>()
  ).results;
  const byId = new Map(subs.map((s) => [s.id, s]));
  for (const [j, a] of answers) {
    const s = byId.get(a.submission.id)!;
    expect(s.sha256, `content ${j}`).toBe(await sha256(canonicalJson(content(period, j))));
    const mine = rows.filter((r) => r.submission_id === s.id);
    expect(mine.length, `rows of content ${j}`).toBe(s.rows_accepted);
    expect(mine.length).toBe(a.outcomes.filter((o) => o.status === 'accepted').length);
    const raw = await env.RAW.get(`raw/${s.sha256}`);
    expect(await raw?.text(), `raw of content ${j}`).toBe(canonicalJson(content(period, j)));
  }
  // One current result per village: the latest submission naming it; every other superseded by a later one.
  const named = new Map<string, { id: string; created_at: string }[]>();
  for (const r of rows) named.set(r.village_code, [...(named.get(r.village_code) ?? []), { id: r.submission_id, created_at: r.created_at }]);
  const current = new Map<string, ResultRow>();
  for (const [village, list] of named) {
    const latest = list.reduce((m, x) => (later(x, m) ? x : m));
    const active = rows.filter((r) => r.village_code === village && r.superseded_by === null);
    expect(active.map((r) => r.submission_id), `current of ${village}`).toEqual([latest.id]);
    current.set(village, active[0]!);
    for (const r of rows.filter((x) => x.village_code === village && x.superseded_by !== null)) {
      const by = list.find((x) => x.id === r.superseded_by);
      expect(by, `${village}: ${r.submission_id} superseded by a submission naming the village`).toBeDefined();
      expect(later(by!, { id: r.submission_id, created_at: r.created_at })).toBe(true);
    }
  }
  expect([...current.keys()].sort()).toEqual([0, 1, 2, 3, 4].map((n) => V(n)));
  // The ranking shows exactly the current results.
  const res = await call('county', `/api/rankings/villages?period=${period}&township=${T1}`);
  expect(res.status).toBe(200);
  const ranking = await res.json<{ villages: { code: string; total: number }[] }>();
  expect(Object.fromEntries(ranking.villages.map((v) => [v.code, Math.round(v.total * 100)]))).toEqual(
    Object.fromEntries([...current].map(([code, r]) => [code, r.total_cents])),
  );
  // The ledger matches the current results of this (the latest) period.
  const open = (
    await env.DB.prepare("SELECT village_code, requirement_id FROM ledger_items WHERE township_code = ? AND status = 'open'").bind(T1).all<{ village_code: string; requirement_id: string }>()
  ).results.map((r) => `${r.village_code}|${r.requirement_id}`);
  expect(new Set(open).size, 'one open item per village and requirement').toBe(open.length);
  for (const [village, r] of current) {
    for (const q of JSON.parse(r.results_json) as { id: string; status: string }[]) {
      if (q.status === 'fail') expect(open, `${village} ${q.id} fails: open item`).toContain(`${village}|${q.id}`);
      if (q.status === 'pass') expect(open, `${village} ${q.id} passes: no open item`).not.toContain(`${village}|${q.id}`);
    }
  }
}

let run = 0;

describe(`${BURST} simultaneous submissions for one township and period`, () => {
  it('in any order: every accepted submission stored once, duplicates idempotent, one current result per village, ledger consistent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(REQUESTS, { minLength: REQUESTS.length, maxLength: REQUESTS.length }), async (order) => {
        const period = `${2031 + run}Q${(run % 4) + 1}`;
        run++;
        const before = { subs: await count('submissions'), raw: (await rawKeys()).length };
        const responses = await Promise.all(order.map(async (r) => ({ ...r, res: await post(r.login, content(period, r.j)) })));
        const answers = new Map<number, Answer>();
        const all: { j: number; status: number; body: Answer }[] = [];
        for (const r of responses) {
          const body = await r.res.json<Answer>();
          expect([200, 201], JSON.stringify(body)).toContain(r.res.status);
          all.push({ j: r.j, status: r.res.status, body });
          if (r.res.status === 201) {
            expect(answers.has(r.j), `content ${r.j} accepted twice`).toBe(false);
            answers.set(r.j, body);
          }
        }
        // Exactly one 201 per distinct content; every copy answered with that submission's id.
        expect([...answers.keys()].sort((a, b) => a - b)).toEqual(MULTIPLICITY.map((_, j) => j));
        for (const a of all) {
          expect(a.body.submission.id).toBe(answers.get(a.j)!.submission.id);
          expect(a.body.submission.duplicate).toBe(a.status === 200);
        }
        expect(await count('submissions')).toBe(before.subs + MULTIPLICITY.length);
        expect((await rawKeys()).length).toBe(before.raw + MULTIPLICITY.length);
        await checkPeriod(period, answers);
        // Retries afterwards: all duplicates, nothing changes.
        const snapshot = await Promise.all([count('submissions'), count('village_results'), count('ledger_items'), rawKeys()]);
        const again = await Promise.all(MULTIPLICITY.map((_, j) => post('town1', content(period, j))));
        for (const [j, r] of again.entries()) {
          expect(r.status).toBe(200);
          expect((await r.json<Answer>()).submission.id).toBe(answers.get(j)!.submission.id);
        }
        expect(await Promise.all([count('submissions'), count('village_results'), count('ledger_items'), rawKeys()])).toEqual(snapshot);
      }),
      { numRuns: 3, seed: 20260611, endOnFailure: true },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// A chosen interleaving: submission B plans its ledger changes while A is being written, and commits after.

/** env with DB.batch held until `before()` resolves, and `after()` told once it has run. */
function gatedEnv(hooks: { before?: () => Promise<void>; after?: () => void; onPlan?: () => void }): Cloudflare.Env {
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch') {
        return async (stmts: D1PreparedStatement[]) => {
          await hooks.before?.();
          try {
            return await target.batch(stmts);
          } finally {
            hooks.after?.();
          }
        };
      }
      if (prop === 'prepare') {
        return (sql: string) => {
          if (/FROM ledger_items WHERE status = 'open'/.test(sql)) hooks.onPlan?.();
          return target.prepare(sql);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { ...env, DB: db } as Cloudflare.Env;
}

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((r) => (fire = r));
  return { promise, fire };
}

describe('a submission planned while another is being written', () => {
  it('the later submission still closes the item the earlier one opened (ledger = current results)', async () => {
    const period = '2036Q1';
    // A: village 0 fails 活动场所面积 (opens basic-24). B: the same village passes it.
    // Town 2's village, untouched by the bursts above, so no item is open before A.
    const village = V(0, T2);
    const a = submission(period, [{ row: 5, code: village, name: '黄店村', area: 60, income: 3 }], T2);
    const b = submission(period, [{ row: 5, code: village, name: '黄店村', area: 400, income: 3 }], T2);
    const bPlanned = signal();
    const aCommitted = signal();
    const envA = gatedEnv({ before: () => bPlanned.promise, after: aCommitted.fire });
    const envB = gatedEnv({ onPlan: bPlanned.fire, before: () => aCommitted.promise });
    const [ra, rb] = await Promise.all([
      callWith(envA, 'town2', '/api/submissions', { method: 'POST', json: a }),
      // B starts a moment later, so the server receives A first.
      new Promise((r) => setTimeout(r, 5)).then(() => callWith(envB, 'town2', '/api/submissions', { method: 'POST', json: b })),
    ]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    const [ja, jb] = [await ra.json<Answer>(), await rb.json<Answer>()];
    const active = await env.DB.prepare('SELECT submission_id FROM village_results WHERE village_code = ? AND period = ? AND superseded_by IS NULL').bind(village, period).all<{ submission_id: string }>();
    expect(active.results.map((r) => r.submission_id)).toEqual([jb.submission.id]);
    expect(jb.submission.createdAt > ja.submission.createdAt).toBe(true);
    const items = await env.DB.prepare("SELECT status, found_submission, close_submission FROM ledger_items WHERE village_code = ? AND requirement_id = 'basic-24' AND found_period = ?")
      .bind(village, period)
      .all<{ status: string; found_submission: string; close_submission: string | null }>();
    expect(items.results).toEqual([{ status: 'closed', found_submission: ja.submission.id, close_submission: jb.submission.id }]);
  });
});
