// Routes for /api/submissions (docs/api.md, "Submissions"): rows (JSON) and file uploads, the list, one
// submission with its per-row outcomes, and the original bytes.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv, User } from '../env.ts';
import { ApiError, badRequest, notFound } from '../errors.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { assertTownship, countyOf } from '../auth/scope.ts';
import { MAX_JSON_BYTES, parseQuery } from '../http.ts';
import { validateSubmission, type SubmissionProblem } from '../../shared/submission.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import { acceptSubmission } from '../submissions/accept.ts';
import { rowsInput } from '../submissions/canonical.ts';
import { jsonFromBytes, MAX_UPLOAD_BYTES, readCapped, readForm, tooLarge } from '../submissions/body.ts';
import { storedOutcomes, toView, type AcceptResult, type SubmissionRow } from '../submissions/types.ts';
import { FORMAT_FILE } from '../../shared/sheet/types.ts';

/** Chinese names of the Submission fields, so a 400 reads "期次（period）：…". */
const FIELD_ZH: Record<string, string> = {
  period: '期次',
  townshipCode: '乡镇代码',
  sheet: '工作表名',
  fileName: '文件名',
  source: '来源',
  columns: '列',
  rows: '数据行',
};

export function describeProblem(p: SubmissionProblem): string {
  if (!p.path) return `请求内容：${p.message}`;
  const m = /^([A-Za-z]+)(?:\[(\d+)\])?/.exec(p.path);
  const top = m?.[1] ?? '';
  const zh = FIELD_ZH[top];
  const label = !zh ? '' : m?.[2] !== undefined ? `${zh}第${Number(m[2]) + 1}项` : zh;
  return `${label ? `${label}（${p.path}）` : p.path}：${p.message}`;
}

const SUBMISSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ListQuery = v.strictObject(
  {
    township: v.optional(v.pipe(v.string(), v.regex(/^\d{9}$/, '乡镇代码应为9位数字'))),
    county: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/, '县级代码应为6位数字'))),
    period: v.optional(v.pipe(v.string(), v.check((s) => parsePeriodLabel(s) !== undefined, '期次格式应为 2026、2026H1、2026Q3 或 2026-07'))),
    limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, '条数应为1–1000的整数'), v.transform(Number), v.minValue(1, '条数至少为1'), v.maxValue(1000, '条数最多为1000'))),
  },
  (i) => (i.expected === 'never' ? `不认识的参数${i.received}` : '参数有误'),
);

function answer(r: AcceptResult): [AcceptResult, 200 | 201] {
  return [r, r.submission.duplicate ? 200 : 201];
}

async function loadSubmission(c: { env: AppEnv['Bindings'] }, user: User, id: string): Promise<SubmissionRow> {
  if (!SUBMISSION_ID.test(id)) throw notFound('找不到该上报记录');
  const row = await c.env.DB.prepare('SELECT * FROM submissions WHERE id = ?').bind(id).first<SubmissionRow>();
  if (!row) throw notFound('找不到该上报记录');
  assertTownship(user, row.township_code);
  return row;
}

/** RFC 6266/5987 Content-Disposition with an ASCII fallback; the original name only in filename*. */
function disposition(fallback: string, original: string | null): string {
  const star = original ? `; filename*=UTF-8''${encodeURIComponent(original).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}` : '';
  return `attachment; filename="${fallback}"${star}`;
}

export const submissions = new Hono<AppEnv>()
  .use('*', authenticate)
  .post('/', requireRole('township', 'admin'), async (c) => {
    const bytes = await readCapped(c, MAX_JSON_BYTES, '上报内容');
    const parsedJson = jsonFromBytes(bytes);
    if (!parsedJson.ok) throw badRequest('bad_json', '请求内容不是有效的 JSON（UTF-8 编码）');
    const json = parsedJson.value;
    const checked = validateSubmission(json);
    if (!checked.ok) throw badRequest('invalid', `上报内容有误：${checked.problems.map(describeProblem).join('；')}`, checked.problems);
    const [body, status] = answer(await acceptSubmission(c.env, c.get('user'), rowsInput(checked.value)));
    return c.json(body, status);
  })
  .post('/file', requireRole('township', 'admin'), async (c) => {
    const form = await readForm(c, MAX_UPLOAD_BYTES);
    const file = form.get('file');
    if (!file || typeof file === 'string') throw badRequest('file_required', '请选择要上传的考评表文件（表单字段 file）');
    const name = file.name || 'upload';
    // The bytes decide the format (shared/sheet/sniff.ts), never the name: an .xls may hold an HTML table.
    if (file.size > MAX_UPLOAD_BYTES) throw tooLarge('上传的文件', MAX_UPLOAD_BYTES, file.size);
    const field = (k: string) => {
      const x = form.get(k);
      return typeof x === 'string' && x.trim() ? x.trim() : undefined;
    };
    const period = field('period');
    const township = field('township');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const [body, status] = answer(
      await acceptSubmission(c.env, c.get('user'), { kind: 'file', bytes, fileName: name, ...(period ? { period } : {}), ...(township ? { township } : {}) }),
    );
    return c.json(body, status);
  })
  .get('/', async (c) => {
    const user = c.get('user');
    const q = parseQuery(c, ListQuery);
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (user.role === 'township') {
      if (q.township && q.township !== user.townshipCode) assertTownship(user, q.township);
      where.push('township_code = ?');
      args.push(user.townshipCode ?? '-');
    } else {
      const county = countyOf(user, q.county ?? (q.township ? q.township.slice(0, 6) : undefined));
      where.push('county_code = ?');
      args.push(county);
      if (q.township) {
        assertTownship(user, q.township);
        where.push('township_code = ?');
        args.push(q.township);
      }
    }
    if (q.period) {
      where.push('period = ?');
      args.push(parsePeriodLabel(q.period)!.label);
    }
    const { results } = await c.env.DB.prepare(
      `SELECT id, sha256, r2_key, kind, county_code, township_code, period, rulebook_version, account_id, file_name, sheet, rows_total, rows_accepted,
         rows_rejected, '' AS outcome_json, created_at FROM submissions WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
      .bind(...args, q.limit ?? 200)
      .all<SubmissionRow>();
    return c.json({ submissions: results.map((r) => toView(r, false)) });
  })
  .get('/:id', async (c) => {
    const row = await loadSubmission(c, c.get('user'), c.req.param('id'));
    return c.json({ submission: toView(row, false), outcomes: storedOutcomes(row.outcome_json) });
  })
  .get('/:id/raw', async (c) => {
    const row = await loadSubmission(c, c.get('user'), c.req.param('id'));
    const obj = await c.env.RAW.get(row.r2_key);
    if (!obj) throw new ApiError(404, 'raw_missing', `上报 ${row.id} 的原始文件不在存档中，请联系县委组织部管理员`);
    const type = obj.httpMetadata?.contentType ?? 'application/octet-stream';
    const ext = row.kind === 'rows' ? 'json' : (Object.values(FORMAT_FILE).find((f) => type.startsWith(f.mime))?.ext ?? 'bin');
    return new Response(obj.body, {
      headers: {
        'Content-Type': type,
        'Content-Length': String(obj.size),
        'Content-Disposition': disposition(`${row.id}.${ext}`, row.kind === 'file' ? row.file_name : null),
        'X-Content-SHA256': row.sha256,
        'Cache-Control': 'private, max-age=31536000, immutable',
      },
    });
  });
