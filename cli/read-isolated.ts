// The command line reads every file in a worker thread with a memory and a time limit. The guards bound what
// SheetJS builds from a file, but one loop in SheetJS cannot be bounded from outside: its formula-token parser
// (`parse_Rgce`) keeps reading when a damaged token runs past its formula's end, until memory runs out
// (shared/sheet/README.md, 「What the guards cannot bound」). A thread that runs out of time or memory is ended and
// the file gets one Chinese line, like any other unreadable file; the command itself never hangs or dies.
// (The Worker is bounded by workerd's own CPU and memory limits; the browser page only ever reads the officer's
// own file in the officer's own tab.)
import { Worker } from 'node:worker_threads';
import { SheetError } from '../shared/sheet/errors.ts';
import type { SheetGrid } from '../shared/sheet/types.ts';

/** Limits of one read: the largest legitimate file (50 MB, 250,000 cells) reads in a few seconds with a few hundred
 * MB. Overridable for tests (KAOPING_READ_TIMEOUT_MS, KAOPING_READ_MEMORY_MB). */
export const READ_LIMITS = {
  timeoutMs: Number(process.env.KAOPING_READ_TIMEOUT_MS) || 60_000,
  memoryMb: Number(process.env.KAOPING_READ_MEMORY_MB) || 1536,
};

type Answer = { ok: true; grids: SheetGrid[] } | { ok: false; error: { name: string; code?: string; message: string; detail?: string } };

/** readWorkbook in a worker thread, ended after READ_LIMITS. Throws SheetError (the reader's own, or a timeout or
 * memory refusal). */
export function readWorkbookIsolated(bytes: Uint8Array, fileName: string, limits = READ_LIMITS): Promise<SheetGrid[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./read-worker.mjs', import.meta.url), {
      workerData: { bytes, fileName },
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new SheetError(
              'read-timeout',
              `读取文件超过 ${Math.round(limits.timeoutMs / 1000)} 秒仍未完成，文件可能已损坏（如公式记录损坏）；请在 Excel/WPS 中打开后另存为 .xlsx 再试`,
            ),
          ),
        ),
      limits.timeoutMs,
    );
    worker.on('message', (a: Answer) =>
      finish(() => {
        if (a.ok) resolve(a.grids);
        else if (a.error.name === 'SheetError' && a.error.code) {
          reject(new SheetError(a.error.code as SheetError['code'], a.error.message, a.error.detail !== undefined ? { detail: a.error.detail } : {}));
        } else reject(new Error(a.error.message));
      }),
    );
    worker.on('error', (e: Error & { code?: string }) =>
      finish(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new SheetError('read-memory', `读取文件所需内存超过上限 ${limits.memoryMb} MB，文件可能已损坏（如公式记录损坏）；请在 Excel/WPS 中打开后另存为 .xlsx 再试`)
            : e,
        ),
      ),
    );
    worker.on('exit', (code) => finish(() => reject(new SheetError('read-memory', `读取文件时读取程序意外退出（代码 ${code}），文件可能已损坏；请在 Excel/WPS 中打开后另存为 .xlsx 再试`))));
  });
}
