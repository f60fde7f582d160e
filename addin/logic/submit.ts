// 上报: the Submission (shared/submission.ts) for the scored sheet, POSTed to the county Worker with a bearer token.
import type { SheetRows } from '../../shared/scoring/sheet.ts';
import { buildSubmission, validateSubmission, LIMITS, type Submission } from '../../shared/submission.ts';
import type { FetchLike } from './rulebook.ts';

export interface Outcome {
  row: number;
  code?: string;
  name?: string;
  status: 'accepted' | 'rejected';
  cell?: string;
  reason?: string;
  total?: number;
  level?: string;
}

export interface SubmitAnswer {
  duplicate: boolean;
  id?: string;
  rows: { total: number; accepted: number; rejected: number };
  outcomes: Outcome[];
}

export class SubmitError extends Error {}

/** The township code: the setting, else the first 9 digits shared by every village code on the sheet. */
export function townshipCodeOf(rows: SheetRows, configured?: string): string {
  const c = (configured ?? '').trim();
  if (c) {
    if (!/^\d{9}$/.test(c)) throw new SubmitError(`乡镇代码“${c}”不对：应为9位数字（区划代码的前9位）`);
    return c;
  }
  const prefixes = new Set<string>();
  for (const r of rows.rows) {
    const v = r.cells.code?.value;
    const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.normalize('NFKC').replace(/\s/g, '') : '';
    if (/^\d{12}$/.test(s)) prefixes.add(s.slice(0, 9));
  }
  if (prefixes.size === 1) return [...prefixes][0]!;
  if (prefixes.size > 1) throw new SubmitError(`表中的村属于 ${prefixes.size} 个乡镇（区划代码前9位不同），请在设置中填写要上报的乡镇代码，或分表上报`);
  throw new SubmitError('无法从区划代码确定乡镇：请在设置中填写乡镇代码（9位）');
}

export function makeSubmission(rows: SheetRows, townshipCode: string, fileName?: string): Submission {
  if (rows.rows.length === 0) throw new SubmitError('表中没有村级数据行，无法上报');
  if (rows.rows.length > LIMITS.maxRows) throw new SubmitError(`一次最多上报${LIMITS.maxRows}行，本表有${rows.rows.length}行：请按乡镇分表上报`);
  const sub = buildSubmission({
    period: rows.period.label,
    townshipCode,
    sheet: rows.name,
    ...(fileName ? { fileName } : {}),
    source: 'addin',
    columns: rows.columns,
    rows: rows.rows,
  });
  const check = validateSubmission(sub);
  if (!check.ok) throw new SubmitError(`上报数据有误：${check.problems.slice(0, 5).map((p) => `${p.path}：${p.message}`).join('；')}`);
  return check.value;
}

function serverMessage(body: unknown): string | undefined {
  const m = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof m === 'string' ? m : undefined;
}

/** POST /api/auth/login (local accounts): the bearer token for 上报 and the rulebook, or SubmitError in Chinese. */
export async function signIn(fetchFn: FetchLike, workerUrl: string, login: string, password: string): Promise<{ token: string; name?: string }> {
  if (!login.trim() || !password) throw new SubmitError('请填写账号和密码');
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchFn(`${workerUrl.replace(/\/+$/, '')}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ login: login.trim(), password }),
    });
  } catch {
    throw new SubmitError('无法连接县里的服务器：请检查网络和服务器地址后再登录');
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const msg = serverMessage(body);
    if (res.status === 401) throw new SubmitError(msg ?? '账号或密码不正确');
    if (res.status >= 500) throw new SubmitError(`服务器出错（${res.status}），请稍后再试`);
    throw new SubmitError(msg ? `登录失败：${msg}` : `登录失败（${res.status}）`);
  }
  const b = body as { token?: unknown; user?: { name?: unknown } } | undefined;
  if (typeof b?.token !== 'string' || !b.token) throw new SubmitError('服务器没有返回令牌，无法登录');
  return { token: b.token, ...(typeof b.user?.name === 'string' ? { name: b.user.name } : {}) };
}

/** POST /api/submissions. Returns the server's answer, or throws SubmitError with a Chinese message. */
export async function postSubmission(fetchFn: FetchLike, cfg: { workerUrl: string; token: string }, sub: Submission): Promise<SubmitAnswer> {
  const url = `${cfg.workerUrl.replace(/\/+$/, '')}/api/submissions`;
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${cfg.token}` },
      body: JSON.stringify(sub),
    });
  } catch {
    throw new SubmitError('无法连接县里的服务器：请检查网络和服务器地址后再试（评分结果已保存在本工作簿中）');
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const msg = serverMessage(body);
    if (res.status === 401) throw new SubmitError(`登录已过期或令牌无效，请在设置中重新填写令牌${msg ? `（${msg}）` : ''}`);
    if (res.status === 403) throw new SubmitError(`没有上报该乡镇的权限${msg ? `：${msg}` : ''}`);
    if (res.status === 413) throw new SubmitError('上报的数据太大，请分表上报');
    if (res.status >= 500) throw new SubmitError(`服务器出错（${res.status}），请稍后再试`);
    throw new SubmitError(msg ? `上报被拒绝：${msg}` : `上报被拒绝（${res.status}）`);
  }
  const b = body as { submission?: { id?: string; duplicate?: boolean; rows?: SubmitAnswer['rows'] }; outcomes?: Outcome[] } | undefined;
  const outcomes = Array.isArray(b?.outcomes) ? b!.outcomes : [];
  return {
    duplicate: b?.submission?.duplicate === true,
    ...(b?.submission?.id ? { id: b.submission.id } : {}),
    rows: b?.submission?.rows ?? {
      total: outcomes.length,
      accepted: outcomes.filter((o) => o.status === 'accepted').length,
      rejected: outcomes.filter((o) => o.status === 'rejected').length,
    },
    outcomes,
  };
}
