// `kaoping allocate`: 以奖代补 from a CSV or JSON of scores, a budget and a method.
import { parseArgs } from 'node:util';
import { allocate, parseAllocationInput, type AllocationOptions, type AllocationResult } from '../shared/allocation/index.ts';
import { decodeText } from '../shared/sheet/decode.ts';
import { toCsv } from '../shared/output/csv.ts';
import { UsageError } from './errors.ts';

export interface CliIo {
  readBytes(path: string, what: string): Promise<Uint8Array>;
  readJson(path: string, what: string): Promise<unknown>;
  writeOut(path: string, bytes: Uint8Array | string): Promise<void>;
}

const METHODS = ['tiers', 'proportional', 'rankPoints', 'basePlusTopUp'];
const METHOD_ZH: Record<string, string> = { tiers: '按名次分档', proportional: '按得分比例', rankPoints: '按名次分值比例', basePlusTopUp: '基础额加得分比例' };

function intOption(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/[,，]/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} 应为非负整数（元），收到“${v}”`, 'usage');
  return n;
}

export class AllocationFailed extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export async function runAllocate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      budget: { type: 'string' },
      method: { type: 'string' },
      params: { type: 'string' },
      unit: { type: 'string' },
      floor: { type: 'string' },
      cap: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.input) throw new UsageError('请用 --input 指定得分文件（CSV 或 JSON）：kaoping allocate --input 得分.csv --budget 500000 --method proportional', 'usage');
  const options: AllocationOptions = {};
  if (values.params) Object.assign(options, (await io.readJson(values.params, '分配参数文件')) as AllocationOptions);
  const budget = intOption(values.budget, 'budget');
  if (budget !== undefined) options.budget = budget;
  if (values.method) {
    if (!METHODS.includes(values.method)) throw new UsageError(`未知的分配方法“${values.method}”，可选：${METHODS.join('、')}`, 'usage');
    if (options.method?.kind !== values.method) {
      if (values.method !== 'proportional') {
        throw new UsageError(`分配方法“${values.method}”需要参数（档次或名次分值），请用 --params 给出 JSON 文件，如 {"method":{"kind":"tiers","tiers":[…]}}`, 'usage');
      }
      options.method = { kind: 'proportional' };
    }
  }
  const unit = intOption(values.unit, 'unit');
  if (unit !== undefined) options.roundingUnit = unit as AllocationOptions['roundingUnit'];
  const floor = intOption(values.floor, 'floor');
  if (floor !== undefined) options.floor = floor;
  const cap = intOption(values.cap, 'cap');
  if (cap !== undefined) options.cap = cap;

  const text = decodeText(await io.readBytes(values.input, '得分文件')).text;
  const parsed = parseAllocationInput(text, options);
  if (!parsed.ok) throw new AllocationFailed(`分配输入有误：${parsed.errors.join('；')}`, 'bad_allocation_input');
  const result = allocate(parsed.value);
  if (!result.ok) throw new AllocationFailed(result.error.message, result.error.code);
  for (const w of parsed.warnings) process.stderr.write(`提示：${w}\n`);
  if (values.out) await io.writeOut(values.out, allocationCsv(result));
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else process.stdout.write(formatAllocation(result, values.out));
  return 0;
}

type Ok = Extract<AllocationResult, { ok: true }>;

export function allocationCsv(r: Ok): string {
  return toCsv(
    [
    ['排名', '代码', '名称', '得分', '是否参与分配', '金额（元）', '说明'],
    ...r.rows.map((x) => [x.rank, x.id, x.name, x.score, x.eligible ? '是' : '否', x.amount, x.explanation]),
    [],
    ['', '', '合计', '', '', r.allocated, ''],
    ['', '', '结余', '', '', r.balance, '未分配部分，如实列示'],
    ['', '', '预算', '', '', r.budget, ''],
    ],
    { bom: true },
  );
}

export function formatAllocation(r: Ok, out?: string): string {
  const lines = [
    `以奖代补资金分配（方法：${METHOD_ZH[r.method] ?? r.method}，取整单位：${r.roundingUnit}元）`,
    `预算 ${r.budget} 元，已分配 ${r.allocated} 元，结余 ${r.balance} 元${r.unitValue ? `，单位分值金额 ${r.unitValue} 元` : ''}`,
    '',
    ...r.rows.map((x) => `第${x.rank}名　${x.name}（${x.id}）　得分${x.score}　${x.amount}元　${x.explanation}`),
    ...r.notes.map((n) => `注：${n}`),
  ];
  if (out) lines.push(`已写出：${out}`);
  return lines.join('\n') + '\n';
}
