// GET /api/openapi.json: the OpenAPI 3.1 document of the JSON API (docs/api.md in machine-readable form).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { AUDIT_ACTIONS, AUDIT_GROUPS } from '../audit/log.ts';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const num = (description?: string): Schema => ({ type: 'number', ...(description ? { description } : {}) });
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required });
const arr = (items: Schema): Schema => ({ type: 'array', items });

const errors = {
  '400': { description: '请求有误（字段错误时 message 列出每个字段）', content: { 'application/json': { schema: ref('Error') } } },
  '401': { description: '未登录或登录已过期', content: { 'application/json': { schema: ref('Error') } } },
  '403': { description: '无权访问（角色或县、乡镇范围不符）', content: { 'application/json': { schema: ref('Error') } } },
  '404': { description: '找不到', content: { 'application/json': { schema: ref('Error') } } },
};

const json = (schema: Schema, description = '成功') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });
const q = (name: string, description: string, required = false, schema: Schema = { type: 'string' }) => ({ name, in: 'query', required, description, schema });
const p = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

const Period = str('期次：2026（年）、2026H1/H2（半年）、2026Q1–Q4（季度）、2026-07（月）', { pattern: '^\\d{4}(H[12]|Q[1-4]|-\\d{2})?$' });

const AllocationRequest = obj(
  {
    period: Period,
    level: str('village 或 township', { enum: ['village', 'township'] }),
    budget: int('预算（元）'),
    method: ref('AllocationMethod'),
    roundingUnit: { type: 'integer', enum: [1, 10, 100, 1000] },
    eligibility: obj({ excludeVeto: { type: 'boolean' }, excludeWeak: { type: 'boolean' }, minLevel: arr(str()), minScore: num() }),
    floor: int('保底（元）'),
    cap: int('封顶（元）'),
    redistributeCapped: { type: 'boolean' },
  },
  ['period', 'level', 'budget', 'method'],
);

const AUDIT_FILTERS = [
  q('county', '县级代码（省级账号必填；县管理员只能是本县）'),
  q('from', '起始日期（北京时间，含当天），如 2026-07-01', false, { type: 'string', format: 'date' }),
  q('to', '截止日期（北京时间，含当天）', false, { type: 'string', format: 'date' }),
  q('action', '操作代码或类别（submission、rulebook、observation、ledger、allocation、auth、account、village）', false, { type: 'string', enum: [...Object.keys(AUDIT_ACTIONS), ...Object.keys(AUDIT_GROUPS)] }),
  q('actor', '操作人：账号编号、登录名或姓名'),
  q('object', '对象编号'),
];

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'kaoping 县级考评服务 API',
    version: '1.0.0',
    description:
      '村党组织建设考评：上报、排名（DuckDB-WASM 计算）、观摩评议、整改台账、以奖代补与操作日志。错误统一为 {"error":{"code","message"}}，message 为中文。',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }, { cookie: [] }, { access: [] }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'POST /api/auth/login 返回的 token' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'kp_session' },
      access: { type: 'apiKey', in: 'header', name: 'Cf-Access-Jwt-Assertion', description: 'Cloudflare Access（AUTH_MODE=access）' },
    },
    schemas: {
      Error: obj({ error: obj({ code: str('机器可读的错误码'), message: str('中文说明') }, ['code', 'message']) }, ['error']),
      User: obj({
        id: str(),
        login: str(),
        name: str(),
        role: str('township/county/finance/admin/province'),
        provinceCode: str(),
        countyCode: str(),
        townshipCode: str(),
        mustChangePassword: { type: 'boolean', description: '仍在使用一次性密码：修改密码前只能调用 /api/auth/me 与 /api/auth/password（其余 403 password_change_required）' },
      }),
      CodeChangeInput: obj(
        {
          kind: str('merge | split | rename | move', { enum: ['merge', 'split', 'rename', 'move'] }),
          period: Period,
          from: { oneOf: [arr(str('12位区划代码')), str('12位区划代码')], description: 'merge：原代码数组（≥ 2）；split：一个原代码' },
          to: { oneOf: [obj({ code: str(), name: str() }, ['code', 'name']), arr(obj({ code: str(), name: str() }, ['code', 'name']))], description: 'merge：新村；split：新村数组（≥ 2）' },
          code: str('rename、move：原代码'),
          name: str('rename：新村名；move：可选新村名'),
          newCode: str('rename、move：可选新代码'),
          township: str('move：新乡镇的9位代码'),
          note: str('说明（可选）'),
        },
        ['kind', 'period'],
      ),
      CodeChange: obj({
        id: str(),
        kind: str('', { enum: ['merge', 'split', 'rename', 'move'] }),
        kindZh: str(),
        period: Period,
        periodZh: str(),
        from: arr(obj({ code: str('12位区划代码'), name: str('村名'), township: str('9位乡镇代码') })),
        to: arr(obj({ code: str('12位区划代码'), name: str('村名'), township: str('9位乡镇代码') })),
        oldName: { type: ['string', 'null'], description: '原地更名（代码不变）时的原村名' },
        note: { type: ['string', 'null'] },
        createdBy: str(),
        createdByName: { type: ['string', 'null'] },
        createdAt: str('', { format: 'date-time' }),
      }),
      Account: obj({
        id: str(),
        login: str('登录名（Cloudflare Access 下为单位邮箱，不区分大小写）'),
        name: str(),
        role: str('township/county/finance（县管理员只管理这三类）；列表中也列出本县 admin'),
        countyCode: str(),
        townshipCode: { type: ['string', 'null'] },
        townshipName: { type: ['string', 'null'] },
        phone: { type: ['string', 'null'] },
        disabled: { type: 'boolean' },
        mustChangePassword: { type: 'boolean' },
        locked: { type: 'boolean', description: '因连续登录失败被锁定' },
        createdAt: str(),
      }),
      NewAccount: obj(
        {
          name: str('姓名'),
          login: str('登录名：字母、数字和 . _ @ + -，2–100 位'),
          role: str('角色', { enum: ['township', 'county', 'finance'] }),
          township: str('乡镇名称或 9 位代码（乡镇干部必填，其他角色不填）'),
          phone: str('手机号（11 位，可不填）'),
        },
        ['name', 'login', 'role'],
      ),
      OneTimePassword: obj({ account: ref('Account'), oneTimePassword: str('一次性密码，只返回这一次；本人首次登录须修改') }, ['account', 'oneTimePassword']),
      Cell: obj({ a: str('单元格地址，如 F7'), v: { type: ['string', 'number', 'boolean', 'null'] }, f: str('数字格式'), d: { type: 'boolean', description: 'v 是 ISO 日期' } }, ['a', 'v']),
      Submission: obj(
        {
          period: Period,
          townshipCode: str('乡镇区划代码（9位）'),
          sheet: str('工作表名'),
          fileName: str(),
          source: str('addin/browser/file/api'),
          columns: arr(obj({ letter: str(), header: str(), input: { type: ['string', 'null'] }, unit: str(), scale: num() })),
          rows: arr(obj({ row: int('表中行号（从1开始）'), values: { type: 'object', additionalProperties: ref('Cell'), description: '指标编号 → 单元格原值' } })),
        },
        ['period', 'townshipCode', 'sheet', 'source', 'columns', 'rows'],
      ),
      SubmissionResult: obj({
        submission: obj({ id: str(), sha256: str(), duplicate: { type: 'boolean' }, kind: str(), townshipCode: str(), period: str(), rulebookVersion: int(), createdAt: str(), rows: obj({ total: int(), accepted: int(), rejected: int() }) }),
        outcomes: arr(obj({ row: int(), code: str(), name: str(), status: str('accepted 或 rejected'), cell: str(), reason: str(), total: num(), level: str() })),
      }),
      AuditEntry: obj(
        {
          id: int('编号（只增不减；翻页标记即为编号）'),
          at: str('时间（ISO 8601，UTC）'),
          actor: obj({ id: str('账号编号'), login: { type: ['string', 'null'] }, name: { type: ['string', 'null'], description: '操作时的姓名' }, role: { type: ['string', 'null'], description: '操作时的身份' } }),
          county: { type: ['string', 'null'], description: '所属县（6位区划代码）' },
          action: str('操作代码', { enum: Object.keys(AUDIT_ACTIONS) }),
          actionLabel: str('操作名称（中文）'),
          object: { type: ['string', 'null'], description: '对象编号（上报、规则版本、观摩轮次、台账事项、分配方案）' },
          summary: str('中文摘要'),
          detail: obj({}),
        },
        ['id', 'at', 'actor', 'action', 'actionLabel', 'summary', 'detail'],
      ),
      AllocationMethod: {
        oneOf: [
          obj({ kind: { const: 'proportional' } }, ['kind']),
          obj({ kind: { const: 'tiers' }, tiers: arr(obj({ fromRank: int(), toRank: int(), amount: int() })), onOverflow: str('error 或 scale') }, ['kind', 'tiers']),
          obj({ kind: { const: 'rankPoints' }, points: arr(obj({ fromRank: int(), toRank: int(), points: num() })) }, ['kind', 'points']),
          obj({ kind: { const: 'basePlusTopUp' }, base: int(), points: arr(obj({ fromRank: int(), toRank: int(), points: num() })) }, ['kind', 'base']),
        ],
      },
      AllocationResult: obj({
        ok: { type: 'boolean' },
        budget: int(),
        allocated: int(),
        balance: int('结余：预算 − 已分配'),
        unitValue: str('单位分值金额'),
        rows: arr(obj({ id: str(), name: str(), score: num(), rank: int(), eligible: { type: 'boolean' }, reason: str(), amount: int(), explanation: str() })),
        notes: arr(str()),
      }),
    },
  },
  paths: {
    '/api/auth/login': {
      post: {
        summary: '登录（本地账号）',
        security: [],
        requestBody: body(obj({ login: str(), password: str() }, ['login', 'password'])),
        responses: {
          '200': json(obj({ token: str(), expiresAt: str(), user: ref('User'), mustChangePassword: { type: 'boolean' } })),
          '400': errors['400'],
          '401': errors['401'],
          '429': { description: '连续失败：须等待（too_many_attempts，逐次加倍）或已锁定（account_locked，30 分钟）；Retry-After 给出秒数', content: { 'application/json': { schema: ref('Error') } } },
        },
      },
    },
    '/api/auth/password': {
      post: {
        summary: '修改本人密码（一次性密码登录后必须先调用）；新密码至少 10 位且含大写、小写、数字、符号中的三类',
        requestBody: body(obj({ current: str('当前密码或一次性密码'), password: str('新密码') }, ['current', 'password'])),
        responses: { '200': json(obj({ ok: { type: 'boolean' } })), '400': errors['400'], '401': errors['401'] },
      },
    },
    '/api/accounts': {
      get: { summary: '本县账号（县管理员）', responses: { '200': json(obj({ county: str(), accounts: arr(ref('Account')) })), ...errors } },
      post: { summary: '新建账号（县管理员），返回一次性密码', requestBody: body(ref('NewAccount')), responses: { '201': json(ref('OneTimePassword'), '已创建'), '409': errors['400'], ...errors } },
    },
    '/api/accounts/import': {
      post: {
        summary: '从名单创建账号（multipart/form-data，字段 file：xlsx 或 csv；表头 姓名、登录名、乡镇、角色、手机号）；有一行不对则全部不创建',
        requestBody: { required: true, content: { 'multipart/form-data': { schema: obj({ file: str('名单文件', { format: 'binary' }) }, ['file']) } } },
        responses: { '201': json(obj({ created: arr({ allOf: [ref('OneTimePassword'), obj({ row: int('名单中的行号') })] }) }), '已创建'), ...errors },
      },
    },
    '/api/accounts/{id}': {
      put: {
        summary: '修改账号：姓名、手机号、角色、乡镇、停用/启用（停用或改角色、乡镇后其登录会话失效）',
        parameters: [p('id', '账号编号')],
        requestBody: body(obj({ name: str(), role: str('', { enum: ['township', 'county', 'finance'] }), township: { type: ['string', 'null'] }, phone: str(), disabled: { type: 'boolean' } })),
        responses: { '200': json(obj({ account: ref('Account') })), ...errors },
      },
    },
    '/api/accounts/{id}/reset-password': {
      post: { summary: '重置密码为一次性密码（只返回这一次），并解除锁定、结束其会话', parameters: [p('id', '账号编号')], responses: { '200': json(ref('OneTimePassword')), ...errors } },
    },
    '/api/code-changes': {
      get: { summary: '本县区划代码调整记录，新的在前（县管理员、县委组织部）', responses: { '200': json(obj({ county: str(), changes: arr(ref('CodeChange')) })), ...errors } },
      post: {
        summary:
          '记录一次区划代码调整（县管理员）：合并 merge（from ≥ 2 个原代码，to 一个新村）、拆分 split（from 一个原代码，to ≥ 2 个新村）、更名 rename（code、name，可选同乡镇的新代码 newCode）、调整乡镇 move（code、township，可选 newCode，默认新乡镇9位 + 原代码后3位）；自 period 起原代码停用',
        requestBody: body(ref('CodeChangeInput')),
        responses: { '201': json(ref('CodeChange'), '已记录'), '409': { description: '与村名录、已有调整或已有考评结果冲突（message 说明）', content: { 'application/json': { schema: ref('Error') } } }, ...errors },
      },
    },
    '/api/code-changes/{id}/undo': {
      post: {
        summary: '撤销本县最近一次区划代码调整（县管理员）；其后本县已有上报、或不是最近一次时 409',
        parameters: [p('id', '调整编号')],
        responses: { '200': json(obj({ undone: ref('CodeChange') })), '409': { description: '不能撤销（message 说明）', content: { 'application/json': { schema: ref('Error') } } }, ...errors },
      },
    },
    '/api/auth/logout': { post: { summary: '退出登录', responses: { '200': json(obj({ ok: { type: 'boolean' } })) } } },
    '/api/auth/me': { get: { summary: '当前账号', responses: { '200': json(obj({ user: ref('User') })), '401': errors['401'] } } },
    '/api/health': { get: { summary: '服务状态', security: [], responses: { '200': json(obj({ ok: { type: 'boolean' } })) } } },
    '/api/submissions': {
      post: { summary: '上报一个乡镇的村级数据（规范化行）', requestBody: body(ref('Submission')), responses: { '201': json(ref('SubmissionResult'), '已接收'), '200': json(ref('SubmissionResult'), '相同内容已上报过（幂等）'), ...errors } },
      get: { summary: '上报记录', parameters: [q('township', '乡镇代码'), q('period', '期次')], responses: { '200': json(obj({ submissions: arr(obj({})) })), ...errors } },
    },
    '/api/submissions/file': {
      post: {
        summary: '上报原始文件（.xlsx、.xls、.xlsb、.ods、Excel 2003 XML、网页表格 .xls、.csv；按内容识别格式）',
        requestBody: { required: true, content: { 'multipart/form-data': { schema: obj({ file: { type: 'string', format: 'binary' }, period: Period, township: str() }, ['file']) } } },
        responses: { '201': json(ref('SubmissionResult')), '200': json(ref('SubmissionResult')), '413': { description: '文件过大' }, ...errors },
      },
    },
    '/api/submissions/{id}': { get: { summary: '一次上报及逐行结果', parameters: [p('id', '上报编号')], responses: { '200': json(ref('SubmissionResult')), ...errors } } },
    '/api/submissions/{id}/raw': { get: { summary: '上报的原始字节（不可变）', parameters: [p('id', '上报编号')], responses: { '200': { description: '原始文件' }, ...errors } } },
    '/api/rankings/villages': {
      get: { summary: '村级排名（季度，乡镇内）', parameters: [q('period', '季度，如 2026Q3', true), q('township', '乡镇代码')], responses: { '200': json(obj({ period: str(), villages: arr(obj({})) })), ...errors } },
    },
    '/api/rankings/townships': {
      get: { summary: '乡镇排名（半年，全县）', parameters: [q('period', '半年，如 2026H1', true)], responses: { '200': json(obj({ period: str(), townships: arr(obj({})) })), ...errors } },
    },
    '/api/rankings/periods': { get: { summary: '有数据的期次', responses: { '200': json(obj({ periods: arr(str()) })), ...errors } } },
    '/api/rankings/trend': { get: { summary: '得分与排名走势', parameters: [q('level', 'village 或 township', true), q('code', '区划代码', true)], responses: { '200': json(obj({})), ...errors } } },
    '/api/observations/rounds': {
      get: { summary: '观摩评议轮次（含原始评分与汇总规则）', parameters: [q('period', '期次')], responses: { '200': json(obj({ rounds: arr(obj({})) })), ...errors } },
      post: { summary: '新建观摩评议轮次', requestBody: body(obj({ period: Period, level: str(), title: str() }, ['period', 'level', 'title'])), responses: { '201': json(obj({})), ...errors } },
    },
    '/api/observations/rounds/{id}': {
      get: { summary: '一轮观摩评议（原始评分、汇总规则与结果；乡镇账号只见本乡镇）', parameters: [p('id', '轮次编号')], responses: { '200': json(obj({ round: obj({}) })), ...errors } },
    },
    '/api/observations/rounds/{id}/scores': {
      post: {
        summary: '录入观摩评分（每位评议人的原始分）',
        parameters: [p('id', '轮次编号')],
        requestBody: body(obj({ scores: arr(obj({ unit: str(), observer: str(), score: num() }, ['unit', 'observer', 'score'])) }, ['scores'])),
        responses: { '200': json(obj({})), ...errors },
      },
    },
    '/api/allocations/preview': { post: { summary: '以奖代补分配预览', requestBody: body(AllocationRequest), responses: { '200': json(ref('AllocationResult')), ...errors } } },
    '/api/allocations': {
      post: { summary: '保存分配（不可变版本）', requestBody: body({ allOf: [AllocationRequest, obj({ title: str() }, ['title'])] }), responses: { '201': json(obj({})), ...errors } },
      get: { summary: '已保存的分配', parameters: [q('period', '期次')], responses: { '200': json(obj({ allocations: arr(obj({})) })), ...errors } },
    },
    '/api/allocations/{id}': { get: { summary: '一次分配的全部输入与结果', parameters: [p('id', '分配编号')], responses: { '200': json(obj({})), ...errors } } },
    '/api/allocations/{id}/export.xlsx': { get: { summary: '导出 Excel（公示、拨付）', parameters: [p('id', '分配编号')], responses: { '200': { description: 'xlsx 文件' }, ...errors } } },
    '/api/allocations/{id}/export.csv': { get: { summary: '导出 CSV', parameters: [p('id', '分配编号')], responses: { '200': { description: 'CSV（UTF-8 BOM）' }, ...errors } } },
    '/api/ledger': { get: { summary: '整改台账', parameters: [q('township', '乡镇代码'), q('status', 'open 或 closed'), q('overdue', '1：只看逾期')], responses: { '200': json(obj({ items: arr(obj({})) })), ...errors } } },
    '/api/ledger/{id}/notes': { post: { summary: '添加整改备注', parameters: [p('id', '台账编号')], requestBody: body(obj({ text: str() }, ['text'])), responses: { '200': json(obj({})), ...errors } } },
    '/api/ledger/{id}/close': { post: { summary: '人工销号（须写明理由）', parameters: [p('id', '台账编号')], requestBody: body(obj({ reason: str() }, ['reason'])), responses: { '200': json(obj({})), ...errors } } },
    '/api/audit': {
      get: {
        summary: '操作日志（县管理员看本县；省级账号须指定 county）：新的在前，按编号翻页',
        parameters: [...AUDIT_FILTERS, q('cursor', '翻页标记（上一页返回的 nextCursor）'), q('limit', `每页条数（1–500，默认100）`, false, { type: 'integer', minimum: 1, maximum: 500 })],
        responses: { '200': json(obj({ county: str(), entries: arr(ref('AuditEntry')), nextCursor: { type: ['string', 'null'] } }, ['county', 'entries', 'nextCursor'])), ...errors },
      },
    },
    '/api/audit.csv': {
      get: { summary: '导出操作日志 CSV（UTF-8 BOM，防公式注入；最多10000条）', parameters: AUDIT_FILTERS, responses: { '200': { description: 'CSV（UTF-8 BOM）；超出上限时带 X-Audit-Truncated 头' }, ...errors } },
    },
    '/api/audit.xlsx': {
      get: { summary: '导出操作日志 Excel（最多10000条）', parameters: AUDIT_FILTERS, responses: { '200': { description: 'xlsx 文件' }, ...errors } },
    },
    '/api/province/counties': {
      get: {
        summary: '全省各县对比（仅省级账号，本省的县）：达标率及80%/90%目标、均分、软弱涣散候选数、已报/应报乡镇数',
        parameters: [q('period', '季度，如 2026Q3；缺省为本省最新有数据的季度', false, str('', { pattern: '^\\d{4}Q[1-4]$' }))],
        responses: {
          '200': json(
            obj(
              {
                province: str(),
                period: { type: ['string', 'null'] },
                periods: arr(obj({ period: str(), periodZh: str() })),
                targets: obj({ target: num(), aim: num() }),
                counties: arr(
                  obj({
                    code: str(),
                    name: str(),
                    townships: int(),
                    villages: int(),
                    results: int('本季度有成绩的村数'),
                    rates: { type: ['object', 'null'], description: '达标、示范：count、total、rate、percent、meetsTarget（≥80%）、meetsAim（≥90%）' },
                    townshipsMeetingTarget: int(),
                    meanScore: { type: ['number', 'null'] },
                    weak: int('软弱涣散候选村数'),
                    submissions: obj({ received: int(), expected: int('登记了村的乡镇数'), missing: arr(obj({ code: str(), name: str() })) }),
                  }),
                ),
                rules: obj({}),
              },
              ['province', 'period', 'counties'],
            ),
          ),
          ...errors,
        },
      },
    },
    '/api/county': { get: { summary: '本县乡镇与村（按权限范围）', responses: { '200': json(obj({})), ...errors } } },
    '/api/county/rulebook': {
      get: { summary: '某期适用的县级考评细则（插件缓存用）', parameters: [q('period', '期次')], responses: { '200': json(obj({})), ...errors } },
      put: { summary: '发布新版县级考评细则（管理员）', requestBody: body(obj({})), responses: { '201': json(obj({}), '已发布新版本'), ...errors } },
    },
  },
};

export const openapi = new Hono<AppEnv>().get('/openapi.json', (c) => c.json(OPENAPI));
