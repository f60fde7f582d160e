// Who may do what: every route of the Worker × every role × own township / other township of the same
// county / other county of the same province / a county of another province, with the exact answer the
// code gives (allow: its normal status; deny: 401 signed out, 403 wrong role or scope, 404 where the route
// hides other-scope objects, 400 where a route refuses another county's code in a body). A denied write
// must change nothing. The routes are read from the Hono app itself: a route without a row here (and not
// listed as public) fails the suite, and so does a row for a route that no longer exists. Where a route
// answers 200 whatever the scope (a directory, a log page), the row also checks what the body shows.
//
// What the matrix records as the code's rule (not bugs, but worth knowing):
// - finance may read submissions (list, one, raw bytes) and the ledger through the API, though its menu
//   shows neither page; the province account may too (for the counties of its province).
// - another county's observation round is 404 for a township officer but 403 for county roles; other
//   submissions, ledger items and allocations are 403 for everyone (ids are random UUIDs).
// - allocations and rulebooks naming another county's township or code answer 400, not 403.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { app } from '../../worker/app.ts';
import { hashPassword } from '../../worker/auth/crypto.ts';
import { call, COUNTY, OTHER_COUNTY, PASSWORD, seed, T1, T2, T_OTHER } from './helpers.ts';
import { form, submission } from './submission-helpers.ts';

// ---------------------------------------------------------------------------------------------------
// Who and where.

/** The callers: signed out, and one account of each role in county 410999 (the officer of township T1). */
const ACTORS = ['anon', 'admin', 'county', 'finance', 'province', 'township'] as const;
type Actor = (typeof ACTORS)[number];
const LOGIN: Record<Actor, string | null> = { anon: null, admin: 'admin', county: 'county', finance: 'finance', province: 'province', township: 'town1' };

/**
 * What a request is about: T1 (the township officer's own), T2 (another township of county 410999),
 * T_OTHER (county 410998, same province 41 as the province account), T_FAR (county 420999, province 42),
 * and, for routes with an id, a well-formed id that does not exist.
 */
const TARGETS = ['own', 'sibling', 'otherCounty', 'otherProvince'] as const;
type Target = (typeof TARGETS)[number] | 'missing';
const WITH_MISSING: readonly Target[] = [...TARGETS, 'missing'];

const FAR_COUNTY = '420999';
const T_FAR = '420999100';

interface Scope {
  county: string;
  township: string;
  village: string;
  submission: string;
  round: string;
  allocation: string;
  /** Open ledger items of the township (each manual close in the matrix takes its own). */
  ledger: string[];
  /** A township officer's account of the township (mx-acct-<township>), for the account routes. */
  account: string;
  accountLogin: string;
}

const SCOPES = {} as Record<Target, Scope>;

// ---------------------------------------------------------------------------------------------------
// The matrix. `expect` gives, per actor, the status for each target in the row's target order
// (own sibling otherCounty otherProvince [missing]), or one status when the route has no target.

interface Req {
  path: string;
  init?: RequestInit & { json?: unknown };
}

interface Row {
  /** "METHOD /path" exactly as the Hono app lists it. */
  route: string;
  /** The targets the row is run for; none: the request is the same whatever the target. */
  targets?: readonly Target[];
  req: (s: Scope, cell: { actor: Actor; target: Target; n: number }) => Req | Promise<Req>;
  expect: Record<Actor, string>;
  /** Writes: a snapshot of what the request could change; denied → unchanged, 2xx → changed. */
  state?: (s: Scope) => Promise<unknown>;
  /** For 400 answers: the error code expected. */
  badRequestCode?: string;
  /** What the body shows: per actor and target, "+" it contains marker(s), "-" it does not. */
  content?: { marker: (s: Scope) => string; expect: Record<Actor, string> };
}

const q = (sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .all()
    .then((r) => r.results);

const API_READERS_4 = { admin: '200 200 403 403', county: '200 200 403 403', finance: '200 200 403 403', province: '200 200 200 403' };

let cellNo = 0;

const MATRIX: Row[] = [
  // --- auth -----------------------------------------------------------------------------------------
  {
    route: 'GET /api/auth/me',
    req: () => ({ path: '/api/auth/me' }),
    expect: { anon: '401', admin: '200', county: '200', finance: '200', province: '200', township: '200' },
  },

  // --- submissions: reads. Other-scope submissions answer 403 (assertTownship), not 404. ---------------
  {
    route: 'GET /api/submissions',
    targets: TARGETS,
    req: (s) => ({ path: `/api/submissions?township=${s.township}` }),
    expect: { anon: '401 401 401 401', ...API_READERS_4, township: '200 403 403 403' },
  },
  {
    route: 'GET /api/submissions/:id',
    targets: WITH_MISSING,
    req: (s) => ({ path: `/api/submissions/${s.submission}` }),
    expect: {
      anon: '401 401 401 401 401',
      admin: '200 200 403 403 404',
      county: '200 200 403 403 404',
      finance: '200 200 403 403 404',
      province: '200 200 200 403 404',
      township: '200 403 403 403 404',
    },
  },
  {
    route: 'GET /api/submissions/:id/raw',
    targets: WITH_MISSING,
    req: (s) => ({ path: `/api/submissions/${s.submission}/raw` }),
    expect: {
      anon: '401 401 401 401 401',
      admin: '200 200 403 403 404',
      county: '200 200 403 403 404',
      finance: '200 200 403 403 404',
      province: '200 200 200 403 404',
      township: '200 403 403 403 404',
    },
  },

  // --- rankings (DuckDB) ------------------------------------------------------------------------------
  {
    route: 'GET /api/rankings/villages',
    targets: TARGETS,
    req: (s) => ({ path: `/api/rankings/villages?period=2026Q1&county=${s.county}&township=${s.township}` }),
    expect: { anon: '401 401 401 401', ...API_READERS_4, township: '200 403 403 403' },
  },
  {
    route: 'GET /api/rankings/townships',
    targets: TARGETS,
    req: (s) => ({ path: `/api/rankings/townships?period=2026H1&county=${s.county}` }),
    expect: { anon: '401 401 401 401', ...API_READERS_4, township: '403 403 403 403' },
  },
  {
    // A township officer may read the county's periods (filtered to their township), not another county's.
    route: 'GET /api/rankings/periods',
    targets: TARGETS,
    req: (s) => ({ path: `/api/rankings/periods?county=${s.county}` }),
    expect: { anon: '401 401 401 401', ...API_READERS_4, township: '200 200 403 403' },
  },
  {
    route: 'GET /api/rankings/trend',
    targets: TARGETS,
    req: (s) => ({ path: `/api/rankings/trend?level=village&code=${s.village}` }),
    expect: { anon: '401 401 401 401', ...API_READERS_4, township: '200 403 403 403' },
  },

  // --- observations ----------------------------------------------------------------------------------
  {
    // Rounds are created in the caller's own county: no target.
    route: 'POST /api/observations/rounds',
    req: (_s, c) => ({ path: '/api/observations/rounds', init: { method: 'POST', json: { period: '2026H2', level: 'township', title: `matrix ${c.actor} ${c.n}` } } }),
    expect: { anon: '401', admin: '201', county: '201', finance: '403', province: '403', township: '403' },
    state: async () => q('SELECT count(*) AS n FROM observation_rounds'),
  },
  {
    route: 'POST /api/observations/rounds/:id/scores',
    targets: WITH_MISSING,
    req: (s, c) => ({ path: `/api/observations/rounds/${s.round}/scores`, init: { method: 'POST', json: { scores: [{ unit: s.township, observer: `评委${c.actor}${c.n}`, score: 88.5 }] } } }),
    expect: {
      anon: '401 401 401 401 401',
      admin: '201 201 403 403 404',
      county: '201 201 403 403 404',
      finance: '403 403 403 403 403',
      province: '403 403 403 403 403',
      township: '403 403 403 403 403',
    },
    state: async (s) => [await q('SELECT count(*) AS n FROM observation_scores WHERE round_id = ?', s.round), await q('SELECT count(*) AS n FROM audit_log')],
  },
  {
    route: 'GET /api/observations/rounds',
    targets: TARGETS,
    req: (s) => ({ path: `/api/observations/rounds?county=${s.county}` }),
    expect: { anon: '401 401 401 401', ...API_READERS_4, township: '200 200 403 403' },
  },
  {
    // Another county's round is hidden from a township officer (404) but refused to county roles (403).
    route: 'GET /api/observations/rounds/:id',
    targets: WITH_MISSING,
    req: (s) => ({ path: `/api/observations/rounds/${s.round}` }),
    expect: {
      anon: '401 401 401 401 401',
      admin: '200 200 403 403 404',
      county: '200 200 403 403 404',
      finance: '200 200 403 403 404',
      province: '200 200 200 403 404',
      township: '200 200 404 404 404',
    },
  },

  // --- allocations: finance and admin compute in their own county; another county's township → 400. ---
  {
    route: 'POST /api/allocations/preview',
    targets: TARGETS,
    req: (s) => ({ path: '/api/allocations/preview', init: { method: 'POST', json: { period: '2026Q1', level: 'village', township: s.township, budget: 10000, method: { kind: 'proportional' } } } }),
    expect: {
      anon: '401 401 401 401',
      admin: '200 200 400 400',
      county: '403 403 403 403',
      finance: '200 200 400 400',
      province: '403 403 403 403',
      township: '403 403 403 403',
    },
    badRequestCode: 'township_not_in_county',
  },
  {
    route: 'POST /api/allocations',
    targets: TARGETS,
    req: (s, c) => ({
      path: '/api/allocations',
      init: { method: 'POST', json: { period: '2026Q1', level: 'village', township: s.township, budget: 10000, method: { kind: 'proportional' }, title: `matrix ${c.actor} ${c.n}` } },
    }),
    expect: {
      anon: '401 401 401 401',
      admin: '201 201 400 400',
      county: '403 403 403 403',
      finance: '201 201 400 400',
      province: '403 403 403 403',
      township: '403 403 403 403',
    },
    badRequestCode: 'township_not_in_county',
    state: async () => q('SELECT county_code, count(*) AS n FROM allocations GROUP BY county_code ORDER BY county_code'),
  },
  {
    // The caller's own county only (no county parameter): a province account cannot list.
    route: 'GET /api/allocations',
    req: () => ({ path: '/api/allocations' }),
    expect: { anon: '401', admin: '200', county: '200', finance: '200', province: '403', township: '403' },
  },
  ...(['', '/export.csv', '/export.xlsx'] as const).map(
    (suffix): Row => ({
      route: `GET /api/allocations/:id${suffix}`,
      targets: WITH_MISSING,
      req: (s) => ({ path: `/api/allocations/${s.allocation}${suffix}` }),
      expect: {
        anon: '401 401 401 401 401',
        admin: '200 200 403 403 404',
        county: '200 200 403 403 404',
        finance: '200 200 403 403 404',
        province: '403 403 403 403 403',
        township: '403 403 403 403 403',
      },
    }),
  ),

  // --- ledger ----------------------------------------------------------------------------------------
  {
    route: 'GET /api/ledger',
    targets: TARGETS,
    req: (s) => ({ path: `/api/ledger?township=${s.township}` }),
    expect: { anon: '401 401 401 401', ...API_READERS_4, township: '200 403 403 403' },
  },
  {
    route: 'POST /api/ledger/:id/notes',
    targets: WITH_MISSING,
    req: (s, c) => ({ path: `/api/ledger/${s.ledger[0]}/notes`, init: { method: 'POST', json: { text: `matrix ${c.actor} ${c.n}` } } }),
    expect: {
      anon: '401 401 401 401 401',
      admin: '200 200 403 403 404',
      county: '200 200 403 403 404',
      finance: '403 403 403 403 403',
      province: '403 403 403 403 403',
      township: '200 403 403 403 404',
    },
    state: async (s) => [await q('SELECT notes_json FROM ledger_items WHERE id = ?', s.ledger[0]), await q('SELECT count(*) AS n FROM audit_log')],
  },
  {
    // Each (actor, target) closes its own item: ledger[1 + actor index].
    route: 'POST /api/ledger/:id/close',
    targets: WITH_MISSING,
    req: (s, c) => ({ path: `/api/ledger/${s.ledger[1 + ACTORS.indexOf(c.actor)]}/close`, init: { method: 'POST', json: { reason: `矩阵测试销号 ${c.actor}` } } }),
    expect: {
      anon: '401 401 401 401 401',
      admin: '200 200 403 403 404',
      county: '200 200 403 403 404',
      finance: '403 403 403 403 403',
      province: '403 403 403 403 403',
      township: '403 403 403 403 403',
    },
    state: async (s) => [await q('SELECT id, status, closed_by FROM ledger_items WHERE township_code = ? ORDER BY id', s.township), await q('SELECT count(*) AS n FROM audit_log')],
  },

  // --- county directory and rulebook ------------------------------------------------------------------
  {
    route: 'GET /api/county',
    targets: TARGETS,
    req: (s) => ({ path: `/api/county?county=${s.county}` }),
    expect: { anon: '401 401 401 401', ...API_READERS_4, township: '200 200 403 403' },
    // A township officer's directory lists their own township only.
    content: { marker: (s) => s.township, expect: { anon: '- - - -', admin: '+ + - -', county: '+ + - -', finance: '+ + - -', province: '+ + + -', township: '+ - - -' } },
  },
  {
    route: 'GET /api/county/rulebook',
    targets: TARGETS,
    req: (s) => ({ path: `/api/county/rulebook?county=${s.county}&period=2026Q1` }),
    expect: { anon: '401 401 401 401', ...API_READERS_4, township: '200 200 403 403' },
  },
  {
    // An admin publishes for their own county only: a rulebook naming another county is refused (400).
    // effectiveFrom 2099: the versions published here never apply to the periods the matrix reads.
    route: 'PUT /api/county/rulebook',
    targets: TARGETS,
    req: (s, c) => ({ path: '/api/county/rulebook', init: { method: 'PUT', json: { ...example, id: `matrix-${c.n}`, countyCode: s.county, effectiveFrom: '2099' } } }),
    expect: {
      anon: '401 401 401 401',
      admin: '201 201 400 400',
      county: '403 403 403 403',
      finance: '403 403 403 403',
      province: '403 403 403 403',
      township: '403 403 403 403',
    },
    badRequestCode: 'bad_rulebook',
    state: async () => q('SELECT county_code, count(*) AS n FROM rulebooks GROUP BY county_code ORDER BY county_code'),
  },

  // --- 区划代码调整 (worker/routes/codes.ts): the caller's county only — county admin records, county staff
  // read; a code of another county in the body is 400 (other_county). A rename in place changes a name only.
  {
    route: 'GET /api/code-changes',
    req: () => ({ path: '/api/code-changes' }),
    expect: { anon: '401', admin: '200', county: '200', finance: '403', province: '403', township: '403' },
  },
  {
    route: 'POST /api/code-changes',
    targets: TARGETS,
    req: (s, c) => ({ path: '/api/code-changes', init: { method: 'POST', json: { kind: 'rename', period: '2027Q1', code: s.village, name: `矩阵更名${c.n}村` } } }),
    expect: {
      anon: '401 401 401 401',
      admin: '201 201 400 400',
      county: '403 403 403 403',
      finance: '403 403 403 403',
      province: '403 403 403 403',
      township: '403 403 403 403',
    },
    badRequestCode: 'other_county',
    state: async (s) => [await q('SELECT name FROM villages WHERE code = ?', s.village), await q('SELECT count(*) AS n FROM code_changes'), await q('SELECT count(*) AS n FROM audit_log')],
  },
  {
    // An id that does not exist: the admin learns 404, everyone else is refused before the lookup.
    route: 'POST /api/code-changes/:id/undo',
    req: () => ({ path: '/api/code-changes/00000000-0000-4000-8000-000000000000/undo', init: { method: 'POST' } }),
    expect: { anon: '401', admin: '404', county: '403', finance: '403', province: '403', township: '403' },
    state: async () => [await q('SELECT count(*) AS n FROM code_changes'), await q('SELECT count(*) AS n FROM audit_log')],
  },

  // --- accounts (county admin, own county only; worker/routes/accounts.ts). Other counties' accounts are
  // 404 (the admin's view is the county), a township of another county 400. The list shows the county's
  // accounts only.
  {
    route: 'GET /api/accounts',
    targets: TARGETS,
    req: () => ({ path: '/api/accounts' }),
    expect: { anon: '401 401 401 401', admin: '200 200 200 200', county: '403 403 403 403', finance: '403 403 403 403', province: '403 403 403 403', township: '403 403 403 403' },
    content: { marker: (s) => s.accountLogin, expect: { anon: '- - - -', admin: '+ + - -', county: '- - - -', finance: '- - - -', province: '- - - -', township: '- - - -' } },
  },
  {
    route: 'POST /api/accounts',
    targets: TARGETS,
    req: (s, c) => ({ path: '/api/accounts', init: { method: 'POST', json: { name: `矩阵${c.n}`, login: `mx-new-${c.n}`, role: 'township', township: s.township } } }),
    expect: {
      anon: '401 401 401 401',
      admin: '201 201 400 400',
      county: '403 403 403 403',
      finance: '403 403 403 403',
      province: '403 403 403 403',
      township: '403 403 403 403',
    },
    badRequestCode: 'invalid_accounts',
    state: async () => [await q('SELECT count(*) AS n FROM accounts'), await q('SELECT count(*) AS n FROM audit_log')],
  },
  {
    route: 'POST /api/accounts/import',
    targets: TARGETS,
    req: (s, c) => ({ path: '/api/accounts/import', init: { method: 'POST', body: form(accountsCsv(s.township, c.n), `accounts-${c.n}.csv`, {}) } }),
    expect: {
      anon: '401 401 401 401',
      admin: '201 201 400 400',
      county: '403 403 403 403',
      finance: '403 403 403 403',
      province: '403 403 403 403',
      township: '403 403 403 403',
    },
    badRequestCode: 'invalid_accounts',
    state: async () => [await q('SELECT count(*) AS n FROM accounts'), await q('SELECT count(*) AS n FROM audit_log')],
  },
  {
    route: 'PUT /api/accounts/:id',
    targets: WITH_MISSING,
    req: (s, c) => ({ path: `/api/accounts/${s.account}`, init: { method: 'PUT', json: { phone: `139${String(c.n).padStart(8, '0')}` } } }),
    expect: {
      anon: '401 401 401 401 401',
      admin: '200 200 404 404 404',
      county: '403 403 403 403 403',
      finance: '403 403 403 403 403',
      province: '403 403 403 403 403',
      township: '403 403 403 403 403',
    },
    state: async (s) => [await q('SELECT phone FROM accounts WHERE id = ?', s.account), await q('SELECT count(*) AS n FROM audit_log')],
  },
  {
    route: 'POST /api/accounts/:id/reset-password',
    targets: WITH_MISSING,
    req: (s) => ({ path: `/api/accounts/${s.account}/reset-password`, init: { method: 'POST' } }),
    expect: {
      anon: '401 401 401 401 401',
      admin: '200 200 404 404 404',
      county: '403 403 403 403 403',
      finance: '403 403 403 403 403',
      province: '403 403 403 403 403',
      township: '403 403 403 403 403',
    },
    state: async (s) => [await q('SELECT password_hash FROM accounts WHERE id = ?', s.account), await q('SELECT count(*) AS n FROM audit_log')],
  },
  {
    // Everyone signed in may change their own password; the matrix sends a wrong current password (400,
    // nothing changes), so the callers' sessions and passwords stay as they are for the other rows.
    route: 'POST /api/auth/password',
    req: () => ({ path: '/api/auth/password', init: { method: 'POST', json: { current: 'not-the-password', password: 'Matrix-new-pass-1' } } }),
    expect: { anon: '401', admin: '400', county: '400', finance: '400', province: '400', township: '400' },
    badRequestCode: 'wrong_password',
    state: async () => q('SELECT password_hash FROM accounts ORDER BY id'),
  },
  {
    // The page's form: the same rules as the API (another county's township is refused, 400 on the page).
    route: 'POST /accounts',
    targets: TARGETS,
    req: (s, c) => ({
      path: '/accounts',
      init: { method: 'POST', body: new URLSearchParams({ action: 'create', name: `矩阵页${c.n}`, login: `mx-page-${c.n}`, role: 'township', township: s.township }) },
    }),
    expect: { anon: '302 302 302 302', admin: '200 200 400 400', county: '403 403 403 403', finance: '403 403 403 403', province: '403 403 403 403', township: '403 403 403 403' },
    state: async () => q('SELECT count(*) AS n FROM accounts'),
  },
  {
    route: 'POST /password',
    req: () => ({ path: '/password', init: { method: 'POST', body: new URLSearchParams({ current: 'not-the-password', password: 'Matrix-new-pass-1', again: 'Matrix-new-pass-1' }) } }),
    expect: { anon: '302', admin: '400', county: '400', finance: '400', province: '400', township: '400' },
    state: async () => q('SELECT password_hash FROM accounts ORDER BY id'),
  },
  page('/accounts', { admin: '200', county: '403', finance: '403', province: '403', township: '403' }),
  {
    route: 'POST /codes',
    targets: TARGETS,
    req: (s, c) => ({ path: '/codes', init: { method: 'POST', body: new URLSearchParams({ kind: 'rename', period: '2027Q2', old: s.village, new: `矩阵页更名${c.n}村` }) } }),
    expect: { anon: '302 302 302 302', admin: '200 200 400 400', county: '403 403 403 403', finance: '403 403 403 403', province: '403 403 403 403', township: '403 403 403 403' },
    state: async (s) => [await q('SELECT name FROM villages WHERE code = ?', s.village), await q('SELECT count(*) AS n FROM code_changes')],
  },
  page('/codes', { admin: '200', county: '200', finance: '403', province: '403', township: '403' }),
  page('/password', { admin: '200', county: '200', finance: '200', province: '200', township: '200' }),

  // --- submissions: writes (last, so the fixtures above stay as they were) ------------------------------
  {
    route: 'POST /api/submissions',
    targets: TARGETS,
    req: (s, c) => ({ path: '/api/submissions', init: { method: 'POST', json: { ...submission('2025Q4', [{ row: 5, code: s.village, name: '矩阵村', area: 100, income: 3 }], s.township), fileName: `matrix-${c.n}.xlsx` } } }),
    expect: {
      anon: '401 401 401 401',
      admin: '201 201 403 403',
      county: '403 403 403 403',
      finance: '403 403 403 403',
      province: '403 403 403 403',
      township: '201 403 403 403',
    },
    state: async (s) => q('SELECT count(*) AS n FROM submissions WHERE township_code = ?', s.township),
  },
  {
    route: 'POST /api/submissions/file',
    targets: TARGETS,
    req: (s, c) => ({
      path: '/api/submissions/file',
      init: { method: 'POST', body: form(csv(s.village, c.n), `matrix-${c.n}.csv`, { period: '2025Q4', township: s.township }) },
    }),
    expect: {
      anon: '401 401 401 401',
      admin: '201 201 403 403',
      county: '403 403 403 403',
      finance: '403 403 403 403',
      province: '403 403 403 403',
      township: '201 403 403 403',
    },
    state: async (s) => q('SELECT count(*) AS n FROM submissions WHERE township_code = ?', s.township),
  },

  // --- audit log (worker/routes/audit.ts): county admins their own county, a province account the
  // counties of its province (?county=); everyone else 403. The marker is the target's first submission,
  // whose 接收上报 entry is in that county's log.
  ...(['/api/audit', '/api/audit.csv', '/api/audit.xlsx'] as const).map(
    (path): Row => ({
      route: `GET ${path}`,
      targets: TARGETS,
      req: (s) => ({ path: `${path}?county=${s.county}&action=submission.accept` }),
      expect: {
        anon: '401 401 401 401',
        admin: '200 200 403 403',
        county: '403 403 403 403',
        finance: '403 403 403 403',
        province: '200 200 200 403',
        township: '403 403 403 403',
      },
      ...(path.endsWith('.xlsx')
        ? {}
        : { content: { marker: (s: Scope) => s.submission, expect: { anon: '- - - -', admin: '+ + - -', county: '- - - -', finance: '- - - -', province: '+ + + -', township: '- - - -' } } }),
    }),
  ),
  {
    // The page answers 200 whatever ?county= says: an admin always sees their own county, a province
    // account one of its province or a message; so the matrix checks what the page shows.
    route: 'GET /audit',
    targets: TARGETS,
    req: (s) => ({ path: `/audit?county=${s.county}&action=submission.accept` }),
    expect: { anon: '302 302 302 302', admin: '200 200 200 200', county: '403 403 403 403', finance: '403 403 403 403', province: '200 200 200 200', township: '403 403 403 403' },
    content: { marker: (s) => s.submission, expect: { anon: '- - - -', admin: '+ + - -', county: '- - - -', finance: '- - - -', province: '+ + + -', township: '- - - -' } },
  },

  // --- dashboard pages: signed out → 302 to /login?next=…; a role the page is not for → 403 (HTML). ------
  page('/', { admin: '200', county: '200', finance: '200', province: '200', township: '302' }),
  page('/villages', { admin: '200', county: '200', finance: '200', province: '200', township: '200' }),
  page('/townships', { admin: '200', county: '200', finance: '200', province: '200', township: '403' }),
  page('/ledger', { admin: '200', county: '200', finance: '403', province: '403', township: '200' }),
  page('/observations', { admin: '200', county: '200', finance: '403', province: '403', township: '403' }),
  page('/allocations', { admin: '200', county: '200', finance: '200', province: '403', township: '403' }),
  page('/submissions', { admin: '200', county: '200', finance: '403', province: '403', township: '200' }),

  // --- province view (worker/routes/province.ts): province accounts only; the counties of its province
  // and no other (the marker is the target's county code in the body).
  {
    route: 'GET /api/province/counties',
    targets: TARGETS,
    req: () => ({ path: '/api/province/counties' }),
    expect: { anon: '401 401 401 401', admin: '403 403 403 403', county: '403 403 403 403', finance: '403 403 403 403', province: '200 200 200 200', township: '403 403 403 403' },
    content: { marker: (s) => `"code":"${s.county}"`, expect: { anon: '- - - -', admin: '- - - -', county: '- - - -', finance: '- - - -', province: '+ + + -', township: '- - - -' } },
  },
  page('/province', { admin: '403', county: '403', finance: '403', province: '200', township: '403' }),
];

function page(path: string, expected: Omit<Record<Actor, string>, 'anon'>): Row {
  return { route: `GET ${path}`, req: () => ({ path }), expect: { anon: '302', ...expected } };
}

/** Routes anyone may call, each with the reason. Everything else must have a row above. */
const PUBLIC: Record<string, string> = {
  'GET /api/health': 'service status, no data',
  'GET /api/openapi.json': 'the API description',
  'POST /api/auth/login': 'sign-in (test/worker/auth.test.ts, auth-hardening.test.ts)',
  'POST /api/auth/logout': 'ends only the presented session (auth-hardening.test.ts)',
  'GET /login': 'sign-in page',
  'POST /login': 'sign-in form (auth-hardening.test.ts)',
  'GET /score': 'browser scoring page, works signed out; submitting goes through POST /api/submissions',
  'GET /app.css': 'static asset',
  'GET /favicon.svg': 'static asset',
  'GET /assets/*': 'static assets',
};

// ---------------------------------------------------------------------------------------------------
// Fixtures: a second county of the same province and a county of another province, each with a
// submission (failing rows → open ledger items), an observation round and a saved allocation.

function accountsCsv(township: string, n: number): Uint8Array {
  const lines = ['姓名,登录名,乡镇,角色,手机号', `矩阵导入${n},mx-import-${n},${township},乡镇干部,13800000000`];
  return new TextEncoder().encode(lines.join('\r\n'));
}

function csv(village: string, n: number): Uint8Array {
  const lines = ['区划代码,村名,党组织类型,活动场所面积（平方米）,集体经营性收入（万元）', `${village},矩阵村${n},党支部,100,3`];
  return new TextEncoder().encode(lines.join('\r\n'));
}

async function ok<T>(res: Response, status: number): Promise<T> {
  if (res.status !== status) throw new Error(`fixture: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

const VILLAGES: Record<string, [string, string][]> = {
  [T1]: ['张庄村', '李寨村', '王屯村', '刘庄村', '陈店村'].map((n, i) => [`${T1}${200 + i}`, n]),
  [T2]: ['黄店村', '杨河村', '罗坡村'].map((n, i) => [`${T2}${200 + i}`, n]),
  [T_OTHER]: [
    [`${T_OTHER}200`, '邻村'],
    [`${T_OTHER}201`, '邻山村'],
  ],
  [T_FAR]: [
    [`${T_FAR}200`, '远村'],
    [`${T_FAR}201`, '远山村'],
  ],
};

async function fixtures(): Promise<void> {
  await seed();
  const hash = await hashPassword(PASSWORD);
  const now = new Date().toISOString();
  const account = (login: string, role: string, county: string, province: string) =>
    env.DB.prepare('INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)').bind(
      `acc-${login}`,
      login,
      login,
      role,
      province,
      county,
      hash,
      now,
    );
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO counties VALUES (?, '远县', '42')").bind(FAR_COUNTY),
    env.DB.prepare("INSERT OR IGNORE INTO townships VALUES (?, ?, '远镇')").bind(T_FAR, FAR_COUNTY),
    ...[T_OTHER, T_FAR].flatMap((t) => VILLAGES[t]!.map(([code, name]) => env.DB.prepare('INSERT OR IGNORE INTO villages VALUES (?, ?, ?)').bind(code, t, name))),
    account('mx-admin-410998', 'admin', OTHER_COUNTY, '41'),
    account('mx-admin-420999', 'admin', FAR_COUNTY, '42'),
    ...[T1, T2, T_OTHER, T_FAR].map((t) =>
      env.DB.prepare(
        "INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, created_at) VALUES (?, ?, ?, 'township', ?, ?, ?, ?, ?)",
      ).bind(`acc-mx-acct-${t}`, `mx-acct-${t}`, `矩阵乡镇账号${t}`, t.slice(0, 2), t.slice(0, 6), t, hash, now),
    ),
  ]);
  const adminOf: Record<string, string> = { [COUNTY]: 'admin', [OTHER_COUNTY]: 'mx-admin-410998', [FAR_COUNTY]: 'mx-admin-420999' };
  const rounds: Record<string, string> = {};
  for (const county of [COUNTY, OTHER_COUNTY, FAR_COUNTY]) {
    const r = await ok<{ round: { id: string } }>(await call(adminOf[county]!, '/api/observations/rounds', { method: 'POST', json: { period: '2026H1', level: 'township', title: '矩阵观摩' } }), 201);
    rounds[county] = r.round.id;
  }
  const where: [Exclude<Target, 'missing'>, string, string][] = [
    ['own', COUNTY, T1],
    ['sibling', COUNTY, T2],
    ['otherCounty', OTHER_COUNTY, T_OTHER],
    ['otherProvince', FAR_COUNTY, T_FAR],
  ];
  for (const [target, county, township] of where) {
    const admin = adminOf[county]!;
    // 活动场所 60㎡ and 集体收入 1万: each village fails several requirements (open ledger items).
    const rows = VILLAGES[township]!.map(([code, name], i) => ({ row: 5 + i, code, name, area: 60, income: 1 }));
    const sub = await ok<{ submission: { id: string; rows: { accepted: number } } }>(await call(admin, '/api/submissions', { method: 'POST', json: submission('2026Q1', rows, township) }), 201);
    expect(sub.submission.rows.accepted).toBe(rows.length);
    const alloc = await ok<{ allocation: { id: string } }>(
      await call(admin, '/api/allocations', { method: 'POST', json: { period: '2026Q1', level: 'village', township, budget: 10000, method: { kind: 'proportional' }, title: `矩阵 ${township}` } }),
      201,
    );
    const ledger = (await q("SELECT id FROM ledger_items WHERE township_code = ? AND status = 'open' ORDER BY id", township)).map((r) => (r as { id: string }).id);
    // One for notes, one per actor for closing.
    expect(ledger.length, `open ledger items of ${township}`).toBeGreaterThanOrEqual(1 + ACTORS.length);
    SCOPES[target] = {
      county,
      township,
      village: VILLAGES[township]![0]![0],
      submission: sub.submission.id,
      round: rounds[county]!,
      allocation: alloc.allocation.id,
      ledger,
      account: `acc-mx-acct-${township}`,
      accountLogin: `mx-acct-${township}`,
    };
  }
  const none = crypto.randomUUID();
  SCOPES.missing = { ...SCOPES.own, submission: none, round: none, allocation: none, account: none, ledger: Array.from({ length: 1 + ACTORS.length }, () => crypto.randomUUID()) };
}

// ---------------------------------------------------------------------------------------------------
// Running a cell.

function expectedStatuses(row: Row, actor: Actor): number[] {
  const parts = row.expect[actor].trim().split(/\s+/).map(Number);
  const n = row.targets?.length ?? 1;
  if (parts.length !== n || parts.some((p) => !Number.isInteger(p))) throw new Error(`${row.route}: ${actor} needs ${n} statuses, has "${row.expect[actor]}"`);
  return parts;
}

async function send(actor: Actor, r: Req): Promise<Response> {
  return call(LOGIN[actor], r.path, r.init);
}

/** Problems with one cell, as readable lines (empty: as expected). */
async function runCell(row: Row, actor: Actor, target: Target | undefined, want: number): Promise<string[]> {
  const scope = SCOPES[target ?? 'own'];
  const cell = { actor, target: target ?? 'own', n: ++cellNo };
  const r = await row.req(scope, cell);
  const before = row.state ? JSON.stringify(await row.state(scope)) : undefined;
  const res = await send(actor, r);
  const where = `${row.route} as ${actor}${target ? ` on ${target}` : ''}`;
  const problems: string[] = [];
  const type = res.headers.get('content-type') ?? '';
  const text = /json|text|html/.test(type) ? await res.text() : (await res.arrayBuffer(), '');
  if (res.status !== want) problems.push(`${where}: ${res.status}, expected ${want} (${text.slice(0, 160)})`);
  const isApi = r.path.startsWith('/api/');
  if (res.status === want && isApi && want >= 400) {
    const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    const wantCode = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 400: row.badRequestCode }[want];
    if (code !== wantCode) problems.push(`${where}: error code ${code}, expected ${wantCode}`);
  }
  if (row.content) {
    const want = row.content.expect[actor].trim().split(/\s+/)[row.targets ? row.targets.indexOf(target ?? 'own') : 0];
    const marker = row.content.marker(scope);
    if (want !== (text.includes(marker) ? '+' : '-')) problems.push(`${where}: body ${want === '+' ? 'lacks' : 'shows'} ${marker}`);
  }
  if (res.status === 302 && actor === 'anon') {
    const loc = res.headers.get('location') ?? '';
    if (!loc.startsWith(`/login?next=${encodeURIComponent(r.path)}`)) problems.push(`${where}: redirects to ${loc}`);
  }
  if (row.state) {
    const after = JSON.stringify(await row.state(scope));
    if (res.status >= 400 && after !== before) problems.push(`${where}: denied (${res.status}) but changed ${before} → ${after}`);
    if (res.status < 300 && after === before) problems.push(`${where}: allowed (${res.status}) but changed nothing`);
  }
  return problems;
}

async function runRow(row: Row): Promise<{ problems: string[]; cells: number }> {
  const cells: [Actor, Target | undefined, number][] = [];
  for (const actor of ACTORS) {
    const want = expectedStatuses(row, actor);
    (row.targets ?? [undefined]).forEach((t, i) => cells.push([actor, t, want[i]!]));
  }
  const problems: string[] = [];
  if (row.state) {
    // Writes one at a time, so each snapshot sees only its own request.
    for (const [a, t, w] of cells) problems.push(...(await runCell(row, a, t, w)));
  } else {
    for (const p of await Promise.all(cells.map(([a, t, w]) => runCell(row, a, t, w)))) problems.push(...p);
  }
  return { problems, cells: cells.length };
}

// ---------------------------------------------------------------------------------------------------

/** Every routed method and path of the app (middleware, registered as ALL, excluded). */
function appRoutes(): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
}

describe('the access matrix is complete', () => {
  it('every route of the app is either public (with a reason) or has a row, and every row is a route', () => {
    const routes = appRoutes();
    const rows = MATRIX.map((r) => r.route);
    expect(new Set(rows).size, 'one row per route').toBe(rows.length);
    const covered = new Set([...rows, ...Object.keys(PUBLIC)]);
    expect(
      routes.filter((r) => !covered.has(r)),
      'routes without a row in test/worker/access-matrix.test.ts',
    ).toEqual([]);
    expect(
      [...covered].filter((r) => !routes.includes(r)),
      'rows for routes the app no longer has',
    ).toEqual([]);
  });
});

describe('access matrix: route × role × own/other township and county', () => {
  beforeAll(fixtures, 60_000);
  let total = 0;

  it.each(MATRIX.map((r) => [r.route, r] as const))('%s', async (_route, row) => {
    const { problems, cells } = await runRow(row);
    total += cells;
    expect(problems).toEqual([]);
  });

  it('size', () => {
    // Printed for the record: routes × actors × targets actually run.
    console.log(`access matrix: ${MATRIX.length} routes, ${total} cells`);
    expect(total).toBeGreaterThan(MATRIX.length * ACTORS.length);
  });
});
