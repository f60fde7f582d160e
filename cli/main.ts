// The `kaoping` command: the Node adapter (files, arguments, exit codes) over the pure modules in shared/.
// Every failure ends with one clear line (Chinese first) and a non-zero exit; no stack traces.
import { parseArgs } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { defaultRulebook } from '../shared/rulebook/load.ts';
import { parseCountyRulebook, type CountyRulebook } from '../shared/rulebook/county.ts';
import { scoreGrids, summarizeGrids } from '../shared/score.ts';
import { prepareEngine } from '../shared/scoring/evaluate.ts';
import { PeriodError } from '../shared/scoring/period.ts';
import { SummaryBuilder } from '../shared/scoring/summary.ts';
import { parseMappingOverride, type MappingOverride } from '../shared/sheet/mapping.ts';
import { colouredCopy } from '../shared/output/copy.ts';
import { buildTemplate } from '../shared/output/template.ts';
import { readWorkbookIsolated } from './read-isolated.ts';
import type { Rulebook } from '../shared/types.ts';
import { formatReport } from './summary.ts';
import { formatRollup, type UnreadableFile } from './rollup.ts';
import { runAllocate } from './allocate.ts';
import { runDemo } from './demo.ts';
import { runCounty } from './county.ts';
import { describeError, UsageError } from './errors.ts';

const HELP = `kaoping — 村党组织建设考评（village Party-organisation assessment）

用法 (usage):
  kaoping rules [--json] [--rules 县规则.json]        列出规则（基本标准42条、示范标准23条）
  kaoping score 文件.xlsx|文件.csv [选项]               逐村评分
      --rules 县规则.json   使用县级考评细则（默认：标准原文）
      --period 2026Q3       期次：2026、2026H1、2026Q3、2026-07（默认从表头或文件名识别，否则按年度）
      --mapping 映射.json   手工指定列与指标的对应
      --json                输出 JSON
      --out 结果.xlsx       写出着色并附批注的副本，含“考评结果”“整改台账”两张表
  kaoping summary 文件1.xlsx [文件2.xlsx …] [选项]     汇总多个文件：等次、否决、星级、达标率最低的要求、得分最低的村
      --rules、--period、--mapping 同上；--json 输出 JSON；--lowest 10 列出得分最低的村数
  kaoping template --out 调查表.xlsx                   生成空白调查表（含单位与下拉选项）
  kaoping allocate --input 得分.csv|得分.json --budget 500000 --method proportional [--unit 100] [--params 方法参数.json] [--json] [--out 分配.csv]
                                                      以奖代补资金分配（tiers、proportional、rankPoints、basePlusTopUp）
  kaoping demo [--out 目录]                           生成示例乡镇调查表并评分（演示）
  kaoping county init --code 330327 [--name 县名] [--villages 村名单.xlsx] [--divisions 目录] [--admin admin] [--term 5|3] [--local|--remote] [--json]
                                                      在县级服务的 D1 中建县、乡镇、村（官方区划代码表加本县名单）和首个管理员（一次性密码），可重复运行
`;

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '这是一个文件夹' : code === 'EACCES' ? '没有读取权限' : '无法读取';
    throw new UsageError(`无法读取${what}“${path}”：${why}`, 'file_unreadable');
  }
}

async function readJson(path: string, what: string): Promise<unknown> {
  const bytes = await readBytes(path, what);
  try {
    return JSON.parse(new TextDecoder().decode(bytes).replace(/^\ufeff/, ''));
  } catch (e) {
    throw new UsageError(`${what}“${path}”不是有效的 JSON：${(e as Error).message}`, 'bad_json');
  }
}

async function loadRules(path: string | undefined): Promise<{ rulebook: Rulebook; county?: CountyRulebook }> {
  const rulebook = defaultRulebook();
  if (!path) return { rulebook };
  const county = parseCountyRulebook(await readJson(path, '县级规则文件'), rulebook);
  return { rulebook, county };
}

async function writeOut(path: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw new UsageError(`无法写入“${path}”：${(e as Error).message}`, 'file_unwritable');
  }
}

async function cmdRules(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, rules: { type: 'string' } }, strict: true });
  const { rulebook, county } = await loadRules(values.rules);
  if (values.json) {
    process.stdout.write(JSON.stringify({ id: rulebook.id, name: rulebook.name, county: county ?? null, rules: rulebook.articles, inputs: rulebook.inputs }, null, 2) + '\n');
    return 0;
  }
  for (const a of rulebook.articles) {
    process.stdout.write(`${a.standard === 'basic' ? '基本标准' : '示范标准'}第${a.article}条 ${a.title}（${a.group}）\n`);
    for (const r of a.requirements) process.stdout.write(`  ${r.id}  ${r.title}  [${r.check.kind}]\n`);
  }
  return 0;
}

/** The options `score` and `summary` share. */
const SHEET_OPTIONS = {
  rules: { type: 'string' },
  period: { type: 'string' },
  mapping: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The rulebooks, and the period and mapping every file is read with. */
async function sheetOptions(values: { rules?: string; period?: string; mapping?: string }): Promise<{
  rulebook: Rulebook;
  county?: CountyRulebook;
  read: { period?: string; mapping?: MappingOverride };
}> {
  const { rulebook, county } = await loadRules(values.rules);
  const mapping = values.mapping ? parseMappingOverride(await readJson(values.mapping, '映射文件')) : undefined;
  return {
    rulebook,
    ...(county ? { county } : {}),
    read: { ...(values.period !== undefined ? { period: values.period } : {}), ...(mapping ? { mapping } : {}) },
  };
}

async function cmdScore(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...SHEET_OPTIONS, out: { type: 'string' } }, strict: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('请给出一个要评分的文件：kaoping score 文件.xlsx', 'usage');
  const bytes = await readBytes(file, '文件');
  const { rulebook, county, read } = await sheetOptions(values);
  const grids = await readWorkbookIsolated(bytes, basename(file));
  const report = scoreGrids(grids, { fileName: basename(file), rulebook, ...(county ? { county } : {}), ...read });
  let copyNote: string | undefined;
  if (values.out) {
    const copy = await colouredCopy(bytes, grids, {
      sheets: report.sheets,
      rulebookName: report.rulebook.name,
      generatedAt: new Date(),
      ...(county?.ledger ? { ledgerDeadlineDays: county.ledger.deadlineDays } : {}),
    });
    await writeOut(values.out, copy.bytes);
    copyNote = copy.sourceNote;
  }
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(formatReport(report, values.out, copyNote));
  return report.sheets.length ? 0 : 1;
}

async function cmdSummary(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...SHEET_OPTIONS, lowest: { type: 'string' } }, strict: true });
  if (!positionals.length) throw new UsageError('请给出要汇总的文件：kaoping summary 文件1.xlsx 文件2.xlsx …', 'usage');
  const lowest = values.lowest === undefined ? 10 : Number(values.lowest);
  if (!Number.isInteger(lowest) || lowest < 0 || lowest > 1000) throw new UsageError(`--lowest 应为0到1000之间的整数，收到“${values.lowest}”`, 'usage');
  const { rulebook, county, read } = await sheetOptions(values);
  const engine = prepareEngine(rulebook, county);
  const builder = new SummaryBuilder(engine, lowest);
  const unreadable: UnreadableFile[] = [];
  // One file at a time: each file's grid is released before the next is read.
  for (const file of positionals) {
    try {
      const bytes = await readBytes(file, '文件');
      summarizeGrids(builder, engine, await readWorkbookIsolated(bytes, basename(file)), { fileName: basename(file), ...read });
    } catch (e) {
      const { line } = describeError(e);
      if (e instanceof PeriodError) throw e; // a bad --period is the command's, not the file's
      unreadable.push({ file, reason: line.replace(/^错误：/, '') });
    }
  }
  const summary = builder.done();
  if (values.json) process.stdout.write(JSON.stringify({ ...summary, unreadableFiles: unreadable }, null, 2) + '\n');
  else process.stdout.write(formatRollup(summary, unreadable, positionals.length));
  return summary.sheets.length && !unreadable.length ? 0 : 1;
}

async function cmdTemplate(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, rules: { type: 'string' } }, strict: true });
  if (!values.out) throw new UsageError('请用 --out 指定模板文件名：kaoping template --out 调查表.xlsx', 'usage');
  const { rulebook, county } = await loadRules(values.rules);
  const inputs = [...rulebook.inputs, ...((county?.inputs ?? []) as Rulebook['inputs'])];
  await writeOut(values.out, await buildTemplate({ inputs, articles: rulebook.articles }));
  process.stdout.write(`已生成空白调查表：${values.out}（${inputs.length}列）\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'rules':
        return await cmdRules(rest);
      case 'score':
        return await cmdScore(rest);
      case 'summary':
        return await cmdSummary(rest);
      case 'template':
        return await cmdTemplate(rest);
      case 'allocate':
        return await runAllocate(rest, { readBytes, readJson, writeOut });
      case 'demo':
        return await runDemo(rest);
      case 'county':
        return await runCounty(rest, { readBytes });
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`未知命令“${cmd}”。可用命令：rules、score、summary、template、allocate、demo、county`, 'usage');
    }
  } catch (e) {
    const { line, exitCode } = describeError(e);
    process.stderr.write(line + '\n');
    if (process.env.KAOPING_DEBUG) process.stderr.write(String((e as Error)?.stack) + '\n');
    return exitCode;
  }
}
