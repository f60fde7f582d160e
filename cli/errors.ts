// One place that turns any error into the single line the user sees and the exit code.
import { CountyRulebookError } from '../shared/rulebook/county.ts';
import { PeriodError } from '../shared/scoring/period.ts';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const EN: Record<string, string> = {
  usage: 'usage error',
  file_unreadable: 'cannot read file',
  file_unwritable: 'cannot write file',
  bad_json: 'invalid JSON',
  bad_rulebook: 'invalid county rulebook',
  bad_period: 'invalid period',
  rulebook_not_in_force: 'rulebook not in force for this period',
  bad_allocation_input: 'invalid allocation input',
  tiers_over_budget: 'tiers exceed the budget',
  floors_over_budget: 'floors exceed the budget',
  base_over_budget: 'base amounts exceed the budget',
};

/** Errors with a `code` and a Chinese message are ours (SheetError, CountyRulebookError, …): show them
 * as they are. Anything else is unexpected: say so without a stack trace. */
export function describeError(e: unknown): { line: string; exitCode: number } {
  if (e instanceof UsageError && e.code === 'usage') return { line: `错误：${e.message} (${EN.usage})`, exitCode: 2 };
  if (e instanceof CountyRulebookError || e instanceof PeriodError) {
    return { line: `错误：${e.message} (${EN[e.code]})`, exitCode: 1 };
  }
  // Node's parseArgs errors (unknown option, missing value)
  const ne = e as { code?: string; message?: string };
  if (typeof ne?.code === 'string' && ne.code.startsWith('ERR_PARSE_ARGS')) {
    return { line: `错误：命令参数有误：${ne.message} (usage error)`, exitCode: 2 };
  }
  if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && /[\u4e00-\u9fff]/.test(e.message)) {
    const code = (e as unknown as { code: string }).code;
    return { line: `错误：${e.message} (${EN[code] ?? code})`, exitCode: 1 };
  }
  const m = e instanceof Error ? e.message : String(e);
  return { line: `错误：处理失败：${m.split('\n')[0]} (unexpected error; set KAOPING_DEBUG=1 for details)`, exitCode: 1 };
}
