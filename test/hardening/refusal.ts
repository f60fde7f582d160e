// What the guard suites expect of a refusal: a SheetError, quickly, with a Chinese message that leaks no internals.
import { expect } from 'vitest';
import { SheetError, type SheetErrorCode } from '../../shared/sheet/errors.ts';

export const SEED = Number(process.env.FC_SEED ?? 20261208);
const SCALE = Number(process.env.FC_SCALE ?? 1);
export const runs = (n: number) => ({ seed: SEED, numRuns: Math.max(1, Math.round(n * SCALE)) });

export const CHINESE = /[\u4e00-\u9fff]/;
export const LEAK = /\n\s+at |node:internal|\.ts:\d+|TypeError|RangeError|SyntaxError|undefined|NaN|\[object Object\]/;

/** Run `f`, which must throw a clean SheetError (of `code`, when given) within 2 s; return it. */
export function refusalOf(f: () => unknown, code?: SheetErrorCode): SheetError {
  let caught: unknown;
  const started = Date.now();
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(Date.now() - started).toBeLessThan(2000);
  if (!(caught instanceof SheetError)) throw new Error(`not a SheetError: ${String((caught as Error)?.stack ?? caught)}`);
  expect(caught.message).toMatch(CHINESE);
  expect(caught.message).not.toMatch(LEAK);
  if (code) expect(caught.code).toBe(code);
  return caught;
}
